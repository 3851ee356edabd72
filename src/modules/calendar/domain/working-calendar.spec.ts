import {
  buildYearDays,
  createDayLookup,
  DEFAULT_WEEK,
  HolidayEntry,
  iranOfficialHolidays,
  isoToJalali,
  jalaliToIso,
  templateDay,
} from './working-calendar';
import { tehranDateOf, tehranWallToDate, toTehranWall } from './tehran-time';

describe('Jalali conversions', () => {
  it.each([
    ['2025-03-21', '1404/01/01'],
    ['2025-03-20', '1403/12/30'],
    ['2026-03-20', '1404/12/29'],
    ['2021-06-05', '1400/03/15'],
  ])('%s is %s', (iso, jalali) => {
    expect(isoToJalali(iso)).toBe(jalali);
    const [jy, jm, jd] = jalali.split('/').map(Number);
    expect(jalaliToIso(jy, jm, jd)).toBe(iso);
  });
});

describe('templateDay and createDayLookup', () => {
  it('gives the template for a date not in the table', () => {
    expect(templateDay('2025-05-08')).toEqual({
      date: '2025-05-08',
      jalali: '1404/02/18',
      kind: 'holiday',
      opensAt: null,
      closesAt: null,
      title: null,
    });
    const special = { date: '2025-05-10', jalali: '1404/02/20', kind: 'holiday' as const, opensAt: null, closesAt: null, title: 'x' };
    const lookup = createDayLookup([special]);
    expect(lookup('2025-05-10')).toBe(special);
    expect(lookup('2025-05-11')).toMatchObject({ kind: 'work', opensAt: '07:30', closesAt: '14:30' });
    expect(createDayLookup(new Map([['2025-05-10', special]]))('2025-05-10')).toBe(special);
  });
});

describe('buildYearDays', () => {
  it.each([
    [1403, 366, '2024-03-20', '2025-03-20'],
    [1404, 365, '2025-03-21', '2026-03-20'],
  ])('Jalali year %i has %i consecutive days %s..%s', (year, length, first, last) => {
    const days = buildYearDays(year, DEFAULT_WEEK, []);
    expect(days).toHaveLength(length);
    expect(days[0].date).toBe(first);
    expect(days[days.length - 1].date).toBe(last);
    expect(days[0].jalali).toBe(`${year}/01/01`);
    days.forEach((d, i) => i > 0 && expect(Date.parse(d.date) - Date.parse(days[i - 1].date)).toBe(86_400_000));
  });

  it('applies the week template, holidays and half days', () => {
    const holidays: HolidayEntry[] = [
      { date: '2025-05-07', title: 'closure' }, // Wednesday
      { date: '2025-05-10', title: 'short', kind: 'half' }, // Saturday
      { date: '2025-05-09', title: 'half on a Friday', kind: 'half' },
      { date: '2025-05-11', title: 'a', kind: 'half' },
      { date: '2025-05-11', title: 'b', kind: 'holiday' },
      { date: '2030-01-01', title: 'outside the year' },
    ];
    const byDate = new Map(buildYearDays(1404, DEFAULT_WEEK, holidays).map((d) => [d.date, d]));
    expect(byDate.get('2025-05-06')).toEqual({ date: '2025-05-06', jalali: '1404/02/16', kind: 'work', opensAt: '07:30', closesAt: '14:30', title: null });
    expect(byDate.get('2025-05-07')).toMatchObject({ kind: 'holiday', opensAt: null, closesAt: null, title: 'closure' });
    expect(byDate.get('2025-05-08')).toMatchObject({ kind: 'holiday', opensAt: null, closesAt: null, title: null });
    expect(byDate.get('2025-05-09')).toMatchObject({ kind: 'holiday', opensAt: null, title: 'half on a Friday' });
    expect(byDate.get('2025-05-10')).toMatchObject({ kind: 'half', opensAt: '07:30', closesAt: '12:00', title: 'short' });
    expect(byDate.get('2025-05-11')).toMatchObject({ kind: 'holiday', opensAt: null, title: 'a / b' });
  });

  it('takes a configurable half-day closing time', () => {
    const days = buildYearDays(1404, DEFAULT_WEEK, [{ date: '2025-05-10', title: 'short', kind: 'half' }], { halfDayClosesAt: '11:00' });
    expect(days.find((d) => d.date === '2025-05-10')).toMatchObject({ kind: 'half', opensAt: '07:30', closesAt: '11:00' });
  });

  it('rejects a malformed holiday date', () => {
    expect(() => buildYearDays(1404, DEFAULT_WEEK, [{ date: '1404/01/01', title: 'x' }])).toThrow(/Invalid holiday entry .*1404\/01\/01/);
  });
});

describe('iranOfficialHolidays', () => {
  const list = iranOfficialHolidays(1404);
  const byDate = new Map(list.map((h) => [h.date, h]));
  const jalaliOf = (jm: number, jd: number) => jalaliToIso(1404, jm, jd);

  it('stays inside the Jalali year, sorted, one entry per date', () => {
    const dates = list.map((h) => h.date);
    expect(dates).toEqual([...dates].sort());
    expect(new Set(dates).size).toBe(dates.length);
    expect(dates[0] >= '2025-03-21' && dates[dates.length - 1] <= '2026-03-20').toBe(true);
    expect(list.every((h) => h.kind === 'holiday' && h.title.length > 0)).toBe(true);
  });

  it.each([
    [1, 1, '2025-03-21', 'نوروز'],
    [1, 2, '2025-03-22', 'نوروز'],
    [1, 3, '2025-03-23', 'نوروز'],
    [1, 4, '2025-03-24', 'نوروز'],
    [1, 12, '2025-04-01', 'جمهوری اسلامی'],
    [1, 13, '2025-04-02', ''],
    [3, 14, '2025-06-04', 'امام خمینی'],
    [3, 15, '2025-06-05', 'خرداد'],
    [11, 22, '2026-02-11', 'انقلاب اسلامی'],
    [12, 29, '2026-03-20', 'نفت'],
  ])('1404/%i/%i (%s) is a solar holiday', (jm, jd, iso, titlePart) => {
    expect(jalaliOf(jm, jd)).toBe(iso);
    expect(byDate.get(iso)?.title).toContain(titlePart);
  });

  it('has the lunar holidays date-holidays computes (Tasua 2025-07-04, Ashura 2025-07-05)', () => {
    // date-holidays 3.x gives 9/10 Muharram 1447 as 2025-07-04/05 (Friday/Saturday).
    expect(byDate.get('2025-07-04')?.title).toContain('تاسوعا');
    expect(byDate.get('2025-07-05')?.title).toContain('عاشورا');
    // Persian names are normalised out of Arabic presentation forms.
    expect(list.every((h) => !/[\ufb50-\ufdff\ufe70-\ufeff]/.test(h.title))).toBe(true);
  });

  it('marks them closed in buildYearDays', () => {
    const days = new Map(buildYearDays(1404, DEFAULT_WEEK, list).map((d) => [d.jalali, d]));
    for (const j of ['1404/01/01', '1404/01/02', '1404/01/03', '1404/01/04', '1404/01/12', '1404/01/13', '1404/11/22', '1404/04/14']) {
      expect(days.get(j)).toMatchObject({ kind: 'holiday', opensAt: null, closesAt: null });
    }
    expect(days.get('1404/01/05')).toMatchObject({ kind: 'work' });
  });

  it('adds the fixed solar holidays when date-holidays lacks them', () => {
    jest.isolateModules(() => {
      jest.doMock('date-holidays', () => ({
        __esModule: true,
        default: class {
          getHolidays(year: number) {
            return year === 2025
              ? [{ date: '2025-07-04 00:00:00 -0600', type: 'public', name: 'Tasoua', rule: '9 Muharram' },
                 { date: '2025-07-05 00:00:00 -0600', type: 'observance', name: 'not public', rule: 'x' }]
              : [];
          }
        },
      }));
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require('./working-calendar') as typeof import('./working-calendar');
      const got = mod.iranOfficialHolidays(1404);
      expect(got.map((h) => h.date)).toEqual([
        '2025-03-21', '2025-03-22', '2025-03-23', '2025-03-24', '2025-04-01', '2025-04-02',
        '2025-06-04', '2025-06-05', '2025-07-04', '2026-02-11', '2026-03-20',
      ]);
      expect(got.find((h) => h.date === '2025-07-04')?.title).toBe('Tasoua');
      expect(got.find((h) => h.date === '2025-04-02')?.title).toBe('روز طبیعت');
    });
    jest.dontMock('date-holidays');
  });
});

describe('Tehran time', () => {
  it.each([
    ['2021-06-02', '07:30', '2021-06-02T03:00:00.000Z'], // DST, +04:30
    ['2025-06-02', '07:30', '2025-06-02T04:00:00.000Z'], // +03:30
    ['2021-09-21', '14:00', '2021-09-21T09:30:00.000Z'],
    ['2021-09-22', '08:00', '2021-09-22T04:30:00.000Z'],
    ['2025-03-21', '00:00', '2025-03-20T20:30:00.000Z'],
  ])('%s %s Tehran is %s', (date, hhmm, iso) => {
    const d = tehranWallToDate(date, hhmm);
    expect(d.toISOString()).toBe(iso);
    expect(tehranDateOf(d)).toBe(date);
  });

  it('reads the wall clock back', () => {
    expect(toTehranWall(new Date('2025-05-07T20:29:00Z'))).toEqual({ date: '2025-05-07', msOfDay: (23 * 60 + 59) * 60_000 });
    expect(toTehranWall(new Date('2025-05-07T20:30:00Z'))).toEqual({ date: '2025-05-08', msOfDay: 0 });
  });
});
