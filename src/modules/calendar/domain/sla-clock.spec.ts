/**
 * Expected instants are computed by hand. Tehran is UTC+03:30 in 2025
 * (07:30 = 04:00Z, 08:00 = 04:30Z, 12:00 = 08:30Z, 14:00 = 10:30Z, 14:30 = 11:00Z)
 * and was UTC+04:30 in summer 2021 (14:00 = 09:30Z).
 *
 * Default week: Saturday–Wednesday 07:30–14:30, Thursday/Friday closed.
 * Reference weeks (Gregorian 2025 unless noted):
 *   May:   Tue 05-06, Wed 05-07, Thu 05-08, Fri 05-09, Sat 05-10, Sun 05-11, Mon 05-12 (no holidays)
 *   Nowruz: Tue 03-18 work; Wed 03-19 = 1403/12/29 oil nationalization (holiday); Thu 03-20 closed;
 *           Fri 03-21 .. Mon 03-24 = Nowruz 1404/01/01-04; Tue 03-25, Wed 03-26 work; Thu/Fri closed;
 *           Sat 03-29 work; Sun 03-30, Mon 03-31 = Eid al-Fitr per date-holidays;
 *           Tue 04-01 = 01/12, Wed 04-02 = 01/13; Thu/Fri closed; Sat 04-05 work.
 *   Muharram: Wed 07-02 work; Thu 07-03 closed; Fri 07-04 Tasua; Sat 07-05 Ashura; Sun 07-06 work.
 *   2021:  Wed 06-02 work; Fri 06-04 = 14 Khordad; Sat 06-05 = 15 Khordad;
 *          Sun 06-06 = 25 Shawwal per date-holidays; Mon 06-07 work.
 */
import fc from 'fast-check';
import {
  addWorkingDays,
  addWorkingHours,
  isOpenAt,
  MAX_CLOSED_DAYS,
  nextOpening,
  openIntervalOf,
  workingHoursBetween,
} from './sla-clock';
import {
  buildYearDays,
  CalendarDay,
  createDayLookup,
  DayLookup,
  DEFAULT_WEEK,
  iranOfficialHolidays,
  parseWeekTemplate,
} from './working-calendar';
import { tehranDateOf, tehranWallToDate } from './tehran-time';

const YEARS = [1399, 1400, 1401, 1402, 1403, 1404, 1405];
const official: CalendarDay[] = YEARS.flatMap((y) => buildYearDays(y, DEFAULT_WEEK, iranOfficialHolidays(y)));
const iran = createDayLookup(official);
/** Same, with Saturday 2025-05-10 a half day (07:30–12:00). */
const withHalfDay = createDayLookup(
  buildYearDays(1404, DEFAULT_WEEK, [...iranOfficialHolidays(1404), { date: '2025-05-10', title: 'نیم‌روز', kind: 'half' }]),
);
/** Pure template, Thursday a half day 07:30–12:00. */
const halfThursday = createDayLookup([], parseWeekTemplate('sat-wed=07:30-14:30;thu=07:30-12:00;fri=closed'));
const templateOnly = createDayLookup([]);

const lookups: Record<string, DayLookup> = { iran, withHalfDay, halfThursday, templateOnly };
const at = (iso: string) => new Date(iso);

describe('addWorkingDays', () => {
  it.each([
    // [case, calendar, start (UTC), days, expected (UTC)]
    ['Wed 14:00 + 1 = Sat 14:00', 'iran', '2025-05-07T10:30:00Z', 1, '2025-05-10T10:30:00.000Z'],
    ['Wed 14:00 + 2 = Sun 14:00', 'iran', '2025-05-07T10:30:00Z', 2, '2025-05-11T10:30:00.000Z'],
    ['Wed 14:00 + 0 = itself', 'iran', '2025-05-07T10:30:00Z', 0, '2025-05-07T10:30:00.000Z'],
    ['Wed 14:30 (at closing) counts from Sat 07:30: + 1 = Sun 07:30', 'iran', '2025-05-07T11:00:00Z', 1, '2025-05-11T04:00:00.000Z'],
    ['Sat 16:00 (after closing) counts from Sun 07:30: + 1 = Mon 07:30', 'iran', '2025-05-10T12:30:00Z', 1, '2025-05-12T04:00:00.000Z'],
    ['Sat 06:00 (before opening) counts from Sat 07:30: + 1 = Sun 07:30', 'iran', '2025-05-10T02:30:00Z', 1, '2025-05-11T04:00:00.000Z'],
    ['Fri 10:00 counts from Sat 07:30: + 1 = Sun 07:30', 'iran', '2025-05-09T06:30:00Z', 1, '2025-05-11T04:00:00.000Z'],
    ['Fri 10:00 + 0 = Sat 07:30', 'iran', '2025-05-09T06:30:00Z', 0, '2025-05-10T04:00:00.000Z'],
    ['seconds are kept: Wed 10:00:42 + 1 = Sat 10:00:42', 'iran', '2025-05-07T06:30:42Z', 1, '2025-05-10T06:30:42.000Z'],
    // Nowruz 1404
    ['Tue 1403/12/28 14:00 + 1 = Tue 1404/01/05 14:00', 'iran', '2025-03-18T10:30:00Z', 1, '2025-03-25T10:30:00.000Z'],
    ['Tue 1403/12/28 14:00 + 3 = Sat 1404/01/09 14:00', 'iran', '2025-03-18T10:30:00Z', 3, '2025-03-29T10:30:00.000Z'],
    ['Tue 1403/12/28 14:00 + 4 = Sat 1404/01/16 14:00 (Eid al-Fitr, 01/12, 01/13)', 'iran', '2025-03-18T10:30:00Z', 4, '2025-04-05T10:30:00.000Z'],
    ['Wed 1403/12/22 14:00 + 5 = Tue 1404/01/05 14:00', 'iran', '2025-03-12T10:30:00Z', 5, '2025-03-25T10:30:00.000Z'],
    ['Wed 1403/12/29 (holiday) 14:00 counts from Tue 01/05 07:30: + 1 = Wed 01/06 07:30', 'iran', '2025-03-19T10:30:00Z', 1, '2025-03-26T04:00:00.000Z'],
    // back-to-back: Thursday, Friday+Tasua, Saturday Ashura
    ['Wed 14:00 before Tasua/Ashura + 1 = Sun 14:00', 'iran', '2025-07-02T10:30:00Z', 1, '2025-07-06T10:30:00.000Z'],
    // DST era (+04:30): 14 Khordad on Friday, 15 Khordad on Saturday, 25 Shawwal on Sunday
    ['Wed 2021-06-02 14:00 + 1 = Mon 2021-06-07 14:00', 'iran', '2021-06-02T09:30:00Z', 1, '2021-06-07T09:30:00.000Z'],
    // half days
    ['Wed 14:00 + 1 onto a half Saturday = Sat 12:00 (closing)', 'withHalfDay', '2025-05-07T10:30:00Z', 1, '2025-05-10T08:30:00.000Z'],
    ['Wed 10:00 + 1 onto a half Saturday = Sat 10:00', 'withHalfDay', '2025-05-07T06:30:00Z', 1, '2025-05-10T06:30:00.000Z'],
    ['Wed 14:00 + 1 onto a half Thursday = Thu 12:00', 'halfThursday', '2025-05-07T10:30:00Z', 1, '2025-05-08T08:30:00.000Z'],
    ['Thu 11:00 (half day) + 1 = Sat 11:00', 'halfThursday', '2025-05-08T07:30:00Z', 1, '2025-05-10T07:30:00.000Z'],
  ])('%s', (_name, cal, start, days, expected) => {
    expect(addWorkingDays(at(start), days, lookups[cal]).toISOString()).toBe(expected);
  });

  it.each([[-1], [1.5], [NaN]])('rejects days = %p', (days) => {
    expect(() => addWorkingDays(at('2025-05-07T10:30:00Z'), days, iran)).toThrow(/days must be an integer >= 0/);
  });
});

describe('addWorkingHours', () => {
  it.each([
    ['Wed 14:00 + 1 h = Sat 08:00 (30 min Wed + 30 min Sat)', 'iran', '2025-05-07T10:30:00Z', 1, '2025-05-10T04:30:00.000Z'],
    ['Wed 14:00 + 0.5 h = Wed 14:30 (closing time)', 'iran', '2025-05-07T10:30:00Z', 0.5, '2025-05-07T11:00:00.000Z'],
    ['Wed 14:00 + 0 h = itself', 'iran', '2025-05-07T10:30:00Z', 0, '2025-05-07T10:30:00.000Z'],
    ['Wed 10:00 + 1/3 h = Wed 10:20', 'iran', '2025-05-07T06:30:00Z', 1 / 3, '2025-05-07T06:50:00.000Z'],
    ['Sat 06:00 + 2 h = Sat 09:30', 'iran', '2025-05-10T02:30:00Z', 2, '2025-05-10T06:00:00.000Z'],
    ['Sat 16:00 + 7 h = Sun 14:30', 'iran', '2025-05-10T12:30:00Z', 7, '2025-05-11T11:00:00.000Z'],
    ['Sat 16:00 + 7.5 h = Mon 08:00', 'iran', '2025-05-10T12:30:00Z', 7.5, '2025-05-12T04:30:00.000Z'],
    ['Fri 10:00 + 1 h = Sat 08:30', 'iran', '2025-05-09T06:30:00Z', 1, '2025-05-10T05:00:00.000Z'],
    ['Fri 10:00 + 0 h = Sat 07:30', 'iran', '2025-05-09T06:30:00Z', 0, '2025-05-10T04:00:00.000Z'],
    // Nowruz 1404
    ['Tue 1403/12/28 13:00 + 10 h = Wed 1404/01/06 09:00', 'iran', '2025-03-18T09:30:00Z', 10, '2025-03-26T05:30:00.000Z'],
    ['Sat 1403/12/25 07:30 + 35 h = Tue 1404/01/05 14:30', 'iran', '2025-03-15T04:00:00Z', 35, '2025-03-25T11:00:00.000Z'],
    ['Sat 1403/12/25 07:30 + 35.5 h = Wed 1404/01/06 08:00', 'iran', '2025-03-15T04:00:00Z', 35.5, '2025-03-26T04:30:00.000Z'],
    // Tasua/Ashura after Thursday
    ['Wed 14:00 + 1 h before Tasua/Ashura = Sun 08:00', 'iran', '2025-07-02T10:30:00Z', 1, '2025-07-06T04:30:00.000Z'],
    // half day
    ['Wed 14:00 + 5 h with half Saturday = Sat 12:00', 'withHalfDay', '2025-05-07T10:30:00Z', 5, '2025-05-10T08:30:00.000Z'],
    ['Wed 14:00 + 6 h with half Saturday = Sun 08:30', 'withHalfDay', '2025-05-07T10:30:00Z', 6, '2025-05-11T05:00:00.000Z'],
    // end of DST: Tue 2021-09-21 (+04:30) -> Wed 2021-09-22 (+03:30)
    ['Tue 2021-09-21 14:00 + 1 h = Wed 2021-09-22 08:00 across the DST change', 'iran', '2021-09-21T09:30:00Z', 1, '2021-09-22T04:30:00.000Z'],
  ])('%s', (_name, cal, start, hours, expected) => {
    expect(addWorkingHours(at(start), hours, lookups[cal]).toISOString()).toBe(expected);
  });

  it.each([[-1], [NaN], [Infinity]])('rejects hours = %p', (hours) => {
    expect(() => addWorkingHours(at('2025-05-07T10:30:00Z'), hours, iran)).toThrow(/hours must be/);
  });

  it('fails when there is no working time within 400 days', () => {
    const closed: DayLookup = (date) => ({ date, jalali: '', kind: 'holiday', opensAt: null, closesAt: null });
    expect(MAX_CLOSED_DAYS).toBe(400);
    expect(() => addWorkingHours(at('2025-05-07T10:30:00Z'), 1, closed)).toThrow(/No working time found in 400/);
    expect(() => addWorkingDays(at('2025-05-07T10:30:00Z'), 1, closed)).toThrow(/No working time found in 400/);
    expect(() => nextOpening(at('2025-05-07T10:30:00Z'), closed)).toThrow(/No working time found/);
  });
});

describe('workingHoursBetween', () => {
  it.each([
    ['Wed 14:00 .. Sat 08:00', '2025-05-07T10:30:00Z', '2025-05-10T04:30:00Z', 1],
    ['Wed 07:30 .. Sun 14:30 across the weekend', '2025-05-07T04:00:00Z', '2025-05-11T11:00:00Z', 21],
    ['Tue 12:00 .. Sat 12:00 across the weekend', '2025-05-06T08:30:00Z', '2025-05-10T08:30:00Z', 14],
    ['Sun 09:00 .. Sun 09:45', '2025-05-11T05:30:00Z', '2025-05-11T06:15:00Z', 0.75],
    ['all Friday', '2025-05-08T20:30:00Z', '2025-05-09T20:30:00Z', 0],
    ['Tue 07:30 .. Tue 14:30 across Nowruz', '2025-03-18T04:00:00Z', '2025-03-25T11:00:00Z', 14],
    ['reversed', '2025-05-10T04:30:00Z', '2025-05-07T10:30:00Z', -1],
  ])('%s = %p h', (_name, a, b, hours) => {
    expect(workingHoursBetween(at(a), at(b), iran)).toBeCloseTo(hours, 9);
  });
});

describe('isOpenAt / nextOpening', () => {
  it.each([
    ['Wed 07:30', '2025-05-07T04:00:00Z', true],
    ['Wed 07:29', '2025-05-07T03:59:00Z', false],
    ['Wed 14:29', '2025-05-07T10:59:00Z', true],
    ['Wed 14:30', '2025-05-07T11:00:00Z', false],
    ['Fri 10:00', '2025-05-09T06:30:00Z', false],
    ['Nowruz Sat 10:00', '2025-03-22T06:30:00Z', false],
    ['2021 DST Wed 07:30 (03:00Z)', '2021-06-02T03:00:00Z', true],
    ['2021 DST Wed 14:30 (10:00Z)', '2021-06-02T10:00:00Z', false],
  ])('%s open: %p', (_name, instant, open) => {
    expect(isOpenAt(at(instant), iran)).toBe(open);
  });

  it.each([
    ['Wed 10:00 is open: itself', '2025-05-07T06:30:00Z', '2025-05-07T06:30:00.000Z'],
    ['Wed 14:30 -> Sat 07:30', '2025-05-07T11:00:00Z', '2025-05-10T04:00:00.000Z'],
    ['Thu 1403/12/30 -> Tue 1404/01/05 07:30', '2025-03-20T06:30:00Z', '2025-03-25T04:00:00.000Z'],
  ])('%s', (_name, instant, expected) => {
    expect(nextOpening(at(instant), iran).toISOString()).toBe(expected);
  });
});

describe('properties', () => {
  // Minute-granular instants from 1399/01/01 (2020-03-20) to about 1405/01/01.
  const FROM = Date.UTC(2020, 2, 20) / 60_000;
  const TO = Date.UTC(2026, 0, 1) / 60_000;
  const instant = fc.integer({ min: FROM, max: TO }).map((m) => new Date(m * 60_000));
  const minutes = fc.integer({ min: 0, max: 200 * 60 });
  const closingOf = (d: Date) => openIntervalOf(iran(tehranDateOf(d)))?.close.getTime();

  it('addWorkingHours never lands in a closed period, except exactly at a closing time', () => {
    fc.assert(
      fc.property(instant, minutes, (start, m) => {
        const r = addWorkingHours(start, m / 60, iran);
        expect(isOpenAt(r, iran) || closingOf(r) === r.getTime()).toBe(true);
        expect(r.getTime()).toBeGreaterThanOrEqual(start.getTime());
      }),
    );
  });

  it('addWorkingHours is monotonic in hours', () => {
    fc.assert(
      fc.property(instant, minutes, minutes, (start, m1, m2) => {
        const [lo, hi] = m1 <= m2 ? [m1, m2] : [m2, m1];
        expect(addWorkingHours(start, lo / 60, iran).getTime()).toBeLessThanOrEqual(addWorkingHours(start, hi / 60, iran).getTime());
      }),
    );
  });

  it('workingHoursBetween(start, addWorkingHours(start, h)) == h for start inside open time', () => {
    fc.assert(
      fc.property(instant, minutes, (any, m) => {
        const start = nextOpening(any, iran); // an open instant
        expect(isOpenAt(start, iran)).toBe(true);
        const h = m / 60;
        expect(Math.abs(workingHoursBetween(start, addWorkingHours(start, h, iran), iran) - h)).toBeLessThanOrEqual(1 / 60);
      }),
    );
  });

  it('the round trip also holds from closed time, on a half-day template', () => {
    fc.assert(
      fc.property(instant, minutes, (start, m) => {
        const h = m / 60;
        expect(Math.abs(workingHoursBetween(start, addWorkingHours(start, h, halfThursday), halfThursday) - h)).toBeLessThanOrEqual(1 / 60);
      }),
    );
  });

  it('workingHoursBetween is additive', () => {
    fc.assert(
      fc.property(instant, instant, instant, (x, y, z) => {
        const [a, b, c] = [x, y, z].sort((p, q) => p.getTime() - q.getTime());
        const sum = workingHoursBetween(a, b, iran) + workingHoursBetween(b, c, iran);
        expect(sum).toBeCloseTo(workingHoursBetween(a, c, iran), 6);
      }),
    );
  });

  it('addWorkingDays lands in open time or at a closing time, later than start, monotonic in days', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 20 }), (start, days) => {
        const r = addWorkingDays(start, days, iran);
        expect(isOpenAt(r, iran) || closingOf(r) === r.getTime()).toBe(true);
        expect(r.getTime()).toBeGreaterThan(start.getTime());
        expect(addWorkingDays(start, days - 1, iran).getTime()).toBeLessThan(r.getTime());
      }),
    );
  });

  it('Tehran wall clock round-trips through UTC', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 6 * 60, max: 20 * 60 }), (d, minuteOfDay) => {
        const date = tehranDateOf(d);
        const hhmm = `${String(Math.floor(minuteOfDay / 60)).padStart(2, '0')}:${String(minuteOfDay % 60).padStart(2, '0')}`;
        const utc = tehranWallToDate(date, hhmm);
        expect(tehranDateOf(utc)).toBe(date);
        expect(isOpenAt(utc, templateOnly)).toBe(
          DEFAULT_WEEK[new Date(`${date}T00:00:00Z`).getUTCDay() as 0].kind === 'work' && hhmm >= '07:30' && hhmm < '14:30',
        );
      }),
    );
  });
});
