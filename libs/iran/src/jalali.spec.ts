import { IranValidationError } from './errors';
import {
  formatJalali,
  fromJalali,
  isoDay,
  jalaliDay,
  parseTypedDay,
  isJalaliLeapYear,
  isValidJalaliDate,
  jalaliDateTimeToUtc,
  jalaliMonthLength,
  parseJalaliDate,
  persianDigits,
  tehranDateTimeToUtc,
  toJalali,
} from './jalali';

function expectCode(fn: () => unknown, code: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(IranValidationError);
  expect((caught as IranValidationError).code).toBe(code);
}

/*
 * Calendar vectors (Nowruz dates from the official Iranian calendar; cross-checked once
 * with jalaali-js in a scratch run — the literals below are the expectations):
 *   1399/12/30 = 2021-03-20 (1399 leap)      1402/12/29 = 2024-03-19 (1402 common)
 *   1403/01/01 = 2024-03-20                  1403/12/30 = 2025-03-20 (1403 leap)
 *   1404/01/01 = 2025-03-21                  1405/01/01 = 2026-03-21
 *   1400/04/01 = 2021-06-22                  1404/06/31 = 2025-09-22, 1404/07/01 = 2025-09-23
 */
describe('fromJalali / toJalali', () => {
  it.each([
    [1399, 12, 30, 2021, 3, 20],
    [1402, 12, 29, 2024, 3, 19],
    [1403, 1, 1, 2024, 3, 20],
    [1403, 12, 30, 2025, 3, 20],
    [1404, 1, 1, 2025, 3, 21],
    [1405, 1, 1, 2026, 3, 21],
    [1400, 4, 1, 2021, 6, 22],
    [1404, 6, 31, 2025, 9, 22],
    [1404, 7, 1, 2025, 9, 23],
  ])('%d/%d/%d = %d-%d-%d', (jy, jm, jd, gy, gm, gd) => {
    expect(fromJalali(jy, jm, jd)).toEqual({ gy, gm, gd });
    // noon UTC is the same calendar day in Tehran
    expect(toJalali(new Date(Date.UTC(gy, gm - 1, gd, 12)))).toEqual({ jy, jm, jd });
  });

  it('takes the calendar day in Tehran, not in UTC', () => {
    // 2024-03-19T20:30Z = 2024-03-20 00:00 in Tehran (UTC+03:30): Nowruz 1403
    expect(toJalali(new Date('2024-03-19T20:29:59Z'))).toEqual({ jy: 1402, jm: 12, jd: 29 });
    expect(toJalali(new Date('2024-03-19T20:30:00Z'))).toEqual({ jy: 1403, jm: 1, jd: 1 });
    // summer 2021 was DST (UTC+04:30): midnight in Tehran was 19:30Z
    expect(toJalali(new Date('2021-06-21T19:29:00Z'))).toEqual({ jy: 1400, jm: 3, jd: 31 });
    expect(toJalali(new Date('2021-06-21T19:30:00Z'))).toEqual({ jy: 1400, jm: 4, jd: 1 });
    // summer 2024 had no DST (UTC+03:30)
    expect(toJalali(new Date('2024-06-20T20:29:00Z'))).toEqual({ jy: 1403, jm: 3, jd: 31 });
    expect(toJalali(new Date('2024-06-20T20:30:00Z'))).toEqual({ jy: 1403, jm: 4, jd: 1 });
    // other zones on request
    expect(toJalali(new Date('2024-03-19T20:30:00Z'), 'UTC')).toEqual({ jy: 1402, jm: 12, jd: 29 });
  });

  it.each([
    [1400, 12, 30],
    [1403, 12, 31],
    [1403, 13, 1],
    [1403, 0, 1],
    [1403, 1, 0],
    [1403, 7, 31],
    [1403, 1.5, 1],
    [3178, 1, 1],
  ])('fromJalali(%d, %d, %d) throws JALALI_DATE_INVALID', (jy, jm, jd) => {
    expectCode(() => fromJalali(jy, jm, jd), 'JALALI_DATE_INVALID');
    expect(isValidJalaliDate(jy, jm, jd)).toBe(false);
  });

  it('rejects invalid Date objects', () => {
    expectCode(() => toJalali(new Date('nope')), 'DATE_INVALID');
    expectCode(() => formatJalali(new Date(Number.NaN)), 'DATE_INVALID');
  });
});

describe('leap years and month lengths', () => {
  it.each([
    [1395, true],
    [1396, false],
    [1399, true],
    [1400, false],
    [1403, true],
    [1404, false],
    [1407, false],
    [1408, true], // five years after 1403, as the 33-year cycle requires
  ])('isJalaliLeapYear(%d) = %s', (jy, leap) => {
    expect(isJalaliLeapYear(jy)).toBe(leap);
  });

  it.each([
    [1403, 1, 31],
    [1403, 6, 31],
    [1403, 7, 30],
    [1403, 11, 30],
    [1403, 12, 30],
    [1402, 12, 29],
    [1404, 12, 29],
  ])('jalaliMonthLength(%d, %d) = %d', (jy, jm, days) => {
    expect(jalaliMonthLength(jy, jm)).toBe(days);
  });

  it('rejects bad months and years', () => {
    expectCode(() => jalaliMonthLength(1403, 13), 'JALALI_DATE_INVALID');
    expectCode(() => jalaliMonthLength(1403, 0), 'JALALI_DATE_INVALID');
    expectCode(() => jalaliMonthLength(99999, 1), 'JALALI_DATE_INVALID');
    expectCode(() => isJalaliLeapYear(1403.5), 'JALALI_DATE_INVALID');
  });
});

describe('formatJalali', () => {
  it.each([
    ['2024-03-20T05:00:00Z', false, '1403/01/01'],
    ['2024-03-20T05:00:00Z', true, '1403/01/01 08:30'],
    ['2024-03-19T20:29:00Z', true, '1402/12/29 23:59'],
    ['2024-03-19T20:30:00Z', true, '1403/01/01 00:00'],
    ['2021-07-01T07:30:00Z', true, '1400/04/10 12:00'], // DST: UTC+04:30
    ['2025-09-23T09:05:00Z', true, '1404/07/01 12:35'],
  ])('%s (time=%s) → %s', (iso, time, expected) => {
    expect(formatJalali(new Date(iso), { time })).toBe(expected);
  });

  it('defaults to date only and supports another zone', () => {
    expect(formatJalali(new Date('2024-03-20T05:00:00Z'))).toBe('1403/01/01');
    expect(formatJalali(new Date('2024-03-19T21:00:00Z'), { time: true, timeZone: 'UTC' })).toBe('1402/12/29 21:00');
  });
});

describe('parseJalaliDate', () => {
  it.each([
    ['1403/1/1', { jy: 1403, jm: 1, jd: 1 }],
    ['1403/01/01', { jy: 1403, jm: 1, jd: 1 }],
    ['۱۴۰۳/۰۱/۰۱', { jy: 1403, jm: 1, jd: 1 }],
    ['١٤٠٣/١٢/٣٠', { jy: 1403, jm: 12, jd: 30 }],
    ['1403-01-01', { jy: 1403, jm: 1, jd: 1 }],
    [' 1399/12/30 ', { jy: 1399, jm: 12, jd: 30 }],
    ['\u200F1404/7/1\u200F', { jy: 1404, jm: 7, jd: 1 }],
  ])('%j → %j', (input, expected) => {
    expect(parseJalaliDate(input)).toEqual(expected);
  });

  it.each([
    '1403/12/31', // month 12 has at most 30 days
    '1400/12/30', // 1400 is not leap
    '1404/12/30', // 1404 is not leap
    '1403/13/01',
    '1403/00/10',
    '1403/07/31',
    '1403/01/00',
    '1403/01-01', // mixed separators
    '1403.01.01',
    '03/01/01',
    '1403/001/01',
    '14030101',
    '',
    'امروز',
    '0140/01/01', // outside the years people type (JALALI_YEAR_RANGE)
    '1199/12/29',
    '1700/01/01',
    '9403/01/01',
  ])('rejects %j', (input) => {
    expectCode(() => parseJalaliDate(input), 'JALALI_DATE_INVALID');
  });

  it('rejects non-strings', () => {
    expectCode(() => parseJalaliDate(undefined as unknown as string), 'JALALI_DATE_INVALID');
  });

  it('accepts the first and last years of JALALI_YEAR_RANGE', () => {
    expect(parseJalaliDate('1200/01/01')).toEqual({ jy: 1200, jm: 1, jd: 1 });
    expect(parseJalaliDate('1699/12/29')).toEqual({ jy: 1699, jm: 12, jd: 29 });
  });
});

describe('tehranDateTimeToUtc', () => {
  it.each([
    // [gy, gm, gd, hh, mm, expected ISO]
    [2024, 3, 20, 8, 30, '2024-03-20T05:00:00.000Z'], // UTC+03:30
    [2024, 3, 20, 0, 0, '2024-03-19T20:30:00.000Z'],
    [2023, 7, 1, 12, 0, '2023-07-01T08:30:00.000Z'], // no DST since 2023
    [2022, 7, 1, 12, 0, '2022-07-01T07:30:00.000Z'], // last DST summer: UTC+04:30
    [2021, 7, 1, 12, 0, '2021-07-01T07:30:00.000Z'], // DST: UTC+04:30
    [2021, 1, 1, 12, 0, '2021-01-01T08:30:00.000Z'], // winter: UTC+03:30
    [2021, 3, 21, 23, 59, '2021-03-21T20:29:00.000Z'], // last minute before DST began
    [2021, 3, 22, 1, 0, '2021-03-21T20:30:00.000Z'], // first minute of DST
    // 2021-03-22 00:00-00:59 never happened (clocks jumped 00:00 → 01:00): moved forward
    [2021, 3, 22, 0, 30, '2021-03-21T21:00:00.000Z'],
    // 2021-09-21 23:00-23:59 happened twice (00:00 → 23:00): the earlier instant
    [2021, 9, 21, 23, 30, '2021-09-21T19:00:00.000Z'],
    [2021, 9, 22, 0, 0, '2021-09-21T20:30:00.000Z'],
    [2024, 2, 29, 23, 59, '2024-02-29T20:29:00.000Z'],
  ])('%d-%d-%d %d:%d Tehran → %s', (gy, gm, gd, hh, mm, iso) => {
    expect(tehranDateTimeToUtc(gy, gm, gd, hh, mm).toISOString()).toBe(iso);
  });

  it('defaults to midnight and supports another zone', () => {
    expect(tehranDateTimeToUtc(2024, 3, 20).toISOString()).toBe('2024-03-19T20:30:00.000Z');
    expect(tehranDateTimeToUtc(2024, 3, 20, 12, 0, 'UTC').toISOString()).toBe('2024-03-20T12:00:00.000Z');
  });

  it.each([
    [2023, 2, 29, 0, 0],
    [2024, 13, 1, 0, 0],
    [2024, 4, 31, 0, 0],
    [2024, 3, 20, 24, 0],
    [2024, 3, 20, 12, 60],
    [2024, 3, 20, -1, 0],
    [2024, 3, 20.5, 0, 0],
  ])('rejects %d-%d-%d %d:%d', (gy, gm, gd, hh, mm) => {
    expectCode(() => tehranDateTimeToUtc(gy, gm, gd, hh, mm), 'GREGORIAN_DATE_INVALID');
  });
});

describe('jalaliDateTimeToUtc', () => {
  it('converts a Jalali wall time in Tehran', () => {
    expect(jalaliDateTimeToUtc(1403, 1, 1, 8, 30).toISOString()).toBe('2024-03-20T05:00:00.000Z');
    expect(jalaliDateTimeToUtc(1400, 4, 10, 12, 0).toISOString()).toBe('2021-07-01T07:30:00.000Z');
    expect(jalaliDateTimeToUtc(1405, 1, 1).toISOString()).toBe('2026-03-20T20:30:00.000Z');
  });

  it('rejects invalid Jalali dates', () => {
    expectCode(() => jalaliDateTimeToUtc(1400, 12, 30), 'JALALI_DATE_INVALID');
  });
});

describe('persianDigits', () => {
  it.each([
    ['1403/01/01', '۱۴۰۳/۰۱/۰۱'],
    ['0123456789', '\u06F0\u06F1\u06F2\u06F3\u06F4\u06F5\u06F6\u06F7\u06F8\u06F9'],
    [1250000, '۱۲۵۰۰۰۰'],
    [12n, '۱۲'],
    ['abc', 'abc'],
  ])('%s → %s', (input, expected) => {
    expect(persianDigits(input)).toBe(expected);
  });
});

describe('wall clock in a time zone (offsets kept per quarter hour)', () => {
  const oracle = (t: number, timeZone: string) => {
    const parts = new Intl.DateTimeFormat('en-US-u-ca-gregory-nu-latn', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    }).formatToParts(t);
    const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
    return { y: get('year'), m: get('month'), d: get('day'), hm: `${String(get('hour') % 24).padStart(2, '0')}:${String(get('minute')).padStart(2, '0')}` };
  };
  const instants: number[] = [];
  // around every March and September equinox change of Tehran's clocks (20:30 UTC), 1979–2022
  for (let y = 1979; y <= 2022; y++) {
    for (const [m, d] of [
      [2, 20],
      [2, 21],
      [2, 22],
      [8, 20],
      [8, 21],
      [8, 22],
    ]) {
      for (const minute of [-61, -31, -1, 0, 1, 29, 31]) instants.push(Date.UTC(y, m, d, 20, 30 + minute, 17));
    }
  }
  let seed = 7;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  for (let i = 0; i < 2000; i++) instants.push(Math.floor(Date.UTC(1950, 0, 1) + random() * (Date.UTC(2060, 0, 1) - Date.UTC(1950, 0, 1))));

  // Monrovia left its mean time (−0:44:30) at 00:44:30 UTC on 1972-01-07: a change inside a quarter hour
  for (const second of [-60, -1, 0, 10, 60]) instants.push(Date.UTC(1972, 0, 7, 0, 44, 30 + second));

  it.each(['Asia/Tehran', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Africa/Monrovia'])('agrees with ICU in %s', (timeZone) => {
    const wrong: string[] = [];
    for (const t of instants) {
      const o = oracle(t, timeZone);
      const viaUtcNoon = toJalali(new Date(Date.UTC(o.y, o.m - 1, o.d, 12)), 'UTC');
      const expected = `${viaUtcNoon.jy}/${String(viaUtcNoon.jm).padStart(2, '0')}/${String(viaUtcNoon.jd).padStart(2, '0')} ${o.hm}`;
      const got = formatJalali(new Date(t), { time: true, timeZone });
      if (got !== expected) wrong.push(`${new Date(t).toISOString()}: ${got} ≠ ${expected}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('parseTypedDay', () => {
  it('reads a day typed in Jalali (Persian digits, / or -) or Gregorian, and nothing else', () => {
    expect(parseTypedDay('1405/09/15')).toEqual({ gy: 2026, gm: 12, gd: 6 });
    expect(parseTypedDay('۱۴۰۵/۹/۱۵')).toEqual({ gy: 2026, gm: 12, gd: 6 });
    expect(parseTypedDay('2026-12-06')).toEqual({ gy: 2026, gm: 12, gd: 6 });
    expect(isoDay(parseTypedDay('1405-01-01')!)).toBe('2026-03-21');
    for (const bad of ['1405/13/01', '2026-02-30', '0000-01-01', '2026/12/06', 'فردا', '']) expect(parseTypedDay(bad)).toBeNull();
  });

  it('gives the day back as Jalali YYYY/MM/DD whichever calendar it was typed in', () => {
    for (const typed of ['1404/08/20', '1404-8-20', '۱۴۰۴/۰۸/۲۰', '2025-11-11']) expect(jalaliDay(parseTypedDay(typed)!)).toBe('1404/08/20');
    expect(jalaliDay(parseTypedDay('1900-01-01')!)).toBe('1278/10/11');
    expect(jalaliDay(parseTypedDay('2299-12-31')!)).toBe('1678/10/10');
    expect(jalaliDay(parseTypedDay('1403/12/30')!)).toBe('1403/12/30'); // a leap year's last day
  });
});
