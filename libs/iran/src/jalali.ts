/**
 * Jalali (Solar Hijri) calendar helpers on top of jalaali-js, with the civil day taken
 * in Asia/Tehran. Time-zone offsets always come from Intl (the ICU tz database): Iran
 * observed DST until 2022 (UTC+04:30 in summer) and has used UTC+03:30 all year since,
 * so no offset is hardcoded.
 */
import { isLeapJalaaliYear, isValidJalaaliDate, jalaaliMonthLength, toGregorian, toJalaali } from 'jalaali-js';
import { IranValidationError } from './errors';
import { normalizeDigits } from './normalize';

export const TEHRAN_TIME_ZONE = 'Asia/Tehran';
/** Range supported by jalaali-js (Borkowski's algorithm). */
export const MIN_JALALI_YEAR = -61;
export const MAX_JALALI_YEAR = 3177;

export interface JalaliDate {
  jy: number;
  jm: number;
  jd: number;
}

export interface GregorianDate {
  gy: number;
  gm: number;
  gd: number;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US-u-ca-gregory-nu-latn', {
      timeZone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * Offsets from UTC by time zone and quarter hour. Clock changes since the 1970s fall on a
 * quarter hour of UTC (Tehran's were at 20:30 UTC), so one offset holds for a whole quarter
 * and ICU (`formatToParts`, some microseconds a call) is asked twice per quarter instead of
 * on every date of every answer. A quarter whose two ends disagree (an older change at an
 * odd second, e.g. Monrovia's at 00:44:30 UTC in 1972) is marked null: ICU answers each
 * instant in it.
 */
const QUARTER_MS = 15 * 60_000;
const offsets = new Map<string, number | null>();

function offsetAt(epochMs: number, timeZone: string): number {
  const w = wallClockFromIcu(epochMs, timeZone);
  return wallAsUtcMs(w.year, w.month, w.day, w.hour, w.minute, w.second) - epochMs;
}

/** Wall-clock reading of an instant in a time zone (proleptic Gregorian). */
function wallClock(epochMs: number, timeZone: string): WallClock {
  const start = Math.floor(epochMs / QUARTER_MS) * QUARTER_MS;
  const key = `${timeZone}|${start}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const first = offsetAt(start, timeZone);
    offset = offsetAt(start + QUARTER_MS - 1000, timeZone) === first ? first : null;
    if (offsets.size >= 10_000) offsets.clear();
    offsets.set(key, offset);
  }
  if (offset === null) return wallClockFromIcu(epochMs, timeZone);
  const d = new Date(epochMs + offset);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

function wallClockFromIcu(epochMs: number, timeZone: string): WallClock {
  const out: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  let bc = false;
  for (const p of formatterFor(timeZone).formatToParts(epochMs)) {
    switch (p.type) {
      case 'era':
        bc = p.value.startsWith('B');
        break;
      case 'year':
      case 'month':
      case 'day':
      case 'hour':
      case 'minute':
      case 'second':
        out[p.type] = Number(p.value);
        break;
      default:
        break;
    }
  }
  if (bc) out.year = 1 - out.year;
  if (out.hour === 24) out.hour = 0; // defensive: some ICU versions render midnight as 24
  return out;
}

/** Epoch milliseconds of a wall-clock reading taken as if it were UTC. */
function wallAsUtcMs(year: number, month: number, day: number, hour: number, minute: number, second = 0): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day); // unlike Date.UTC, no 1900 offset for years 0-99
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}

function requireDate(date: unknown): number {
  const t = date instanceof Date ? date.getTime() : Number.NaN;
  if (Number.isNaN(t)) throw new IranValidationError('DATE_INVALID', 'expected a valid Date');
  return t;
}

function requireJalali(jy: number, jm: number, jd: number): void {
  if (![jy, jm, jd].every(Number.isInteger) || !isValidJalaaliDate(jy, jm, jd)) {
    throw new IranValidationError('JALALI_DATE_INVALID', 'invalid Jalali date', { jy, jm, jd });
  }
}

function requireJalaliYear(jy: number): void {
  if (!Number.isInteger(jy) || jy < MIN_JALALI_YEAR || jy > MAX_JALALI_YEAR) {
    throw new IranValidationError('JALALI_DATE_INVALID', 'Jalali year out of range', { jy });
  }
}

/** Jalali calendar day of `date` in `timeZone` (default Asia/Tehran). */
export function toJalali(date: Date, timeZone: string = TEHRAN_TIME_ZONE): JalaliDate {
  const w = wallClock(requireDate(date), timeZone);
  return toJalaali(w.year, w.month, w.day);
}

/** Gregorian date of a Jalali date; throws `JALALI_DATE_INVALID`. */
export function fromJalali(jy: number, jm: number, jd: number): GregorianDate {
  requireJalali(jy, jm, jd);
  return toGregorian(jy, jm, jd);
}

/**
 * A calendar day as a person types it: Jalali `1405/09/15` (Persian digits, `-` or `/`) or
 * Gregorian `2026-12-06` (a year from 1900) → the Gregorian day, or null when it is neither.
 */
export function parseTypedDay(input: string): GregorianDate | null {
  const s = typeof input === 'string' ? normalizeDigits(input).replace(/[\u200E\u200F\u202A-\u202E]/g, '').trim() : '';
  const g = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (g && Number(g[1]) >= 1900) {
    const [gy, gm, gd] = [Number(g[1]), Number(g[2]), Number(g[3])];
    const d = new Date(Date.UTC(gy, gm - 1, gd));
    return gy <= 2299 && d.getUTCMonth() + 1 === gm && d.getUTCDate() === gd ? { gy, gm, gd } : null;
  }
  try {
    const j = parseJalaliDate(s);
    return fromJalali(j.jy, j.jm, j.jd);
  } catch {
    return null;
  }
}

/** `YYYY-MM-DD` of a Gregorian day. */
export function isoDay(d: GregorianDate): string {
  return `${d.gy}-${String(d.gm).padStart(2, '0')}-${String(d.gd).padStart(2, '0')}`;
}

/** Jalali `YYYY/MM/DD` of a Gregorian day (`{2025, 11, 11}` → `1404/08/20`). */
export function jalaliDay(d: GregorianDate): string {
  const j = toJalaali(d.gy, d.gm, d.gd);
  return `${j.jy}/${String(j.jm).padStart(2, '0')}/${String(j.jd).padStart(2, '0')}`;
}

export function isJalaliLeapYear(jy: number): boolean {
  requireJalaliYear(jy);
  return isLeapJalaaliYear(jy);
}

/** Days in a Jalali month: 31 (months 1-6), 30 (7-11), 29 or 30 (12, leap). */
export function jalaliMonthLength(jy: number, jm: number): number {
  requireJalaliYear(jy);
  if (!Number.isInteger(jm) || jm < 1 || jm > 12) {
    throw new IranValidationError('JALALI_DATE_INVALID', 'Jalali month must be 1-12', { jy, jm });
  }
  return jalaaliMonthLength(jy, jm);
}

/** Is (jy, jm, jd) a real Jalali date? Never throws. */
export function isValidJalaliDate(jy: number, jm: number, jd: number): boolean {
  return [jy, jm, jd].every(Number.isInteger) && isValidJalaaliDate(jy, jm, jd);
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

export interface FormatJalaliOptions {
  /** Append " HH:mm" (24-hour). */
  time?: boolean;
  timeZone?: string;
}

/** "1403/01/01" or, with `time`, "1403/01/01 08:30" — ASCII digits, Asia/Tehran. */
export function formatJalali(date: Date, options: FormatJalaliOptions = {}): string {
  const w = wallClock(requireDate(date), options.timeZone ?? TEHRAN_TIME_ZONE);
  const j = toJalaali(w.year, w.month, w.day);
  const day = `${j.jy}/${pad2(j.jm)}/${pad2(j.jd)}`;
  return options.time ? `${day} ${pad2(w.hour)}:${pad2(w.minute)}` : day;
}

/**
 * The Jalali years a person may type into this system: 1200 (1821 AD) to 1699 (2320 AD).
 * Anything earlier or later is a typo (a birth date of 0140, a payment in 9403), refused
 * like a date that does not exist.
 */
export const JALALI_YEAR_RANGE = { min: 1200, max: 1699 } as const;

/**
 * Parses "1403/1/1", "۱۴۰۳/۰۱/۰۱" or "1403-01-01" (4-digit year, 1-2 digit month and day,
 * one separator kind) into a validated Jalali date within `JALALI_YEAR_RANGE`; throws
 * `JALALI_DATE_INVALID`.
 */
export function parseJalaliDate(input: string): JalaliDate {
  const s = typeof input === 'string' ? normalizeDigits(input).replace(/[\u200E\u200F\u202A-\u202E]/g, '').trim() : '';
  const m = /^(\d{4})([/-])(\d{1,2})\2(\d{1,2})$/.exec(s);
  if (!m) throw new IranValidationError('JALALI_DATE_INVALID', 'expected a Jalali date like 1403/01/01', { input });
  const jy = Number(m[1]);
  const jm = Number(m[3]);
  const jd = Number(m[4]);
  if (!isValidJalaliDate(jy, jm, jd)) {
    throw new IranValidationError('JALALI_DATE_INVALID', 'no such Jalali date', { input, jy, jm, jd });
  }
  if (jy < JALALI_YEAR_RANGE.min || jy > JALALI_YEAR_RANGE.max) {
    throw new IranValidationError('JALALI_DATE_INVALID', `Jalali year outside ${JALALI_YEAR_RANGE.min}–${JALALI_YEAR_RANGE.max}`, { input, jy, jm, jd });
  }
  return { jy, jm, jd };
}

/**
 * The UTC instant at which the wall clock in Asia/Tehran (or `timeZone`) reads
 * gy-gm-gd hh:mm. Offsets come from Intl, so historical DST (before 2023) is honoured.
 * Like Temporal's "compatible" disambiguation: a repeated wall time (DST end) gives the
 * earlier instant; a skipped wall time (DST start) is moved forward by the gap.
 */
export function tehranDateTimeToUtc(
  gy: number,
  gm: number,
  gd: number,
  hh = 0,
  mm = 0,
  timeZone: string = TEHRAN_TIME_ZONE,
): Date {
  const valid =
    [gy, gm, gd, hh, mm].every(Number.isInteger) &&
    gm >= 1 &&
    gm <= 12 &&
    gd >= 1 &&
    gd <= new Date(wallAsUtcMs(gy, gm + 1, 0, 0, 0)).getUTCDate() &&
    hh >= 0 &&
    hh <= 23 &&
    mm >= 0 &&
    mm <= 59;
  if (!valid) throw new IranValidationError('GREGORIAN_DATE_INVALID', 'invalid date or time', { gy, gm, gd, hh, mm });

  const target = wallAsUtcMs(gy, gm, gd, hh, mm);
  const wallOf = (t: number): number => {
    const w = wallClock(t, timeZone);
    return wallAsUtcMs(w.year, w.month, w.day, w.hour, w.minute, w.second);
  };
  const DAY = 86_400_000;
  const offsetBefore = wallOf(target - DAY) - (target - DAY);
  const offsetAfter = wallOf(target + DAY) - (target + DAY);
  const candidates = [...new Set([target - offsetBefore, target - offsetAfter])]
    .filter((t) => wallOf(t) === target)
    .sort((a, b) => a - b);
  return new Date(candidates.length > 0 ? candidates[0] : target - offsetBefore);
}

/** UTC instant of a Jalali date and wall time in Asia/Tehran; throws `JALALI_DATE_INVALID`. */
export function jalaliDateTimeToUtc(jy: number, jm: number, jd: number, hh = 0, mm = 0): Date {
  const g = fromJalali(jy, jm, jd);
  return tehranDateTimeToUtc(g.gy, g.gm, g.gd, hh, mm);
}

/** Renders ASCII digits 0-9 as Persian digits ۰-۹ (U+06F0..U+06F9). */
export function persianDigits(s: string | number | bigint): string {
  return String(s).replace(/[0-9]/g, (d) => String.fromCharCode(0x06f0 + d.charCodeAt(0) - 48));
}
