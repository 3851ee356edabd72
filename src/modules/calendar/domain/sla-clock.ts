/**
 * SLA clock: arithmetic on working time over a working calendar.
 *
 * Pure (no Nest, no DB, no I/O). Instants are JS `Date`s (UTC); days and opening hours
 * come from a {@link DayLookup} (Tehran calendar days, Tehran wall-clock hours), and
 * wall clock <-> UTC goes through `Intl` with 'Asia/Tehran', so the DST Iran kept
 * until 2022 is honoured.
 *
 * Rules
 * 1. Open time. A day is open on [opensAt, closesAt) Tehran time; 'holiday' days, and
 *    days without hours, are closed. The closing instant itself is closed.
 * 2. Counting starts at the next opening. When a period starts outside opening hours
 *    (before opening, after or exactly at closing, on a closed day) it counts from the
 *    next opening. {@link nextOpening} returns the instant itself when already open.
 * 3. addWorkingHours(start, h): the instant at which `h` hours of open time (rounded to
 *    whole minutes) have elapsed since the start. A result that uses up a day exactly
 *    is that day's closing time (not the next opening): 14:00 + 0.5 h = 14:30.
 *    `h = 0` gives nextOpening(start).
 * 4. addWorkingDays(start, n): "one working day" is NOT a quantity of hours. The due
 *    time is the same Tehran wall-clock time on the n-th open day after the start day,
 *    where start is first moved by rule 2. Open days include half days.
 *      - Wed 14:00 + 1 day = Sat 14:00 (Thu/Fri closed); holidays are skipped too.
 *      - Sat 16:00 (after closing) counts from Sun 07:30, so + 1 day = Mon 07:30.
 *      - Friday anytime counts from Sat 07:30, so + 1 day = Sun 07:30.
 *      - If the target day closes before that time (a half day), the due time is its
 *        closing time; if it opens after that time, its opening time.
 *    `n = 0` gives nextOpening(start). n must be a non-negative integer.
 * 5. workingHoursBetween(a, b): open hours within [a, b) (negative when b < a).
 * 6. Guard: a search that meets 400 consecutive closed days throws an Error.
 */
import { CalendarDay, DayLookup } from './working-calendar';
import { addDaysIso, parseHhMm, tehranWallToUtcMs, toTehranWall } from './tehran-time';

const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;
/** Consecutive closed days after which a search gives up. */
export const MAX_CLOSED_DAYS = 400;

interface Interval {
  open: number;
  close: number;
}

/** The open interval [open, close) of a day as instants, or null when the day is closed. */
export function openIntervalOf(day: CalendarDay): { open: Date; close: Date } | null {
  const iv = intervalOf(day, day.date);
  return iv ? { open: new Date(iv.open), close: new Date(iv.close) } : null;
}

/** Open interval of `day` placed on `isoDate` (the date asked for, whatever the lookup echoes). */
function intervalOf(day: CalendarDay, isoDate: string): Interval | null {
  if (day.kind === 'holiday' || day.opensAt == null || day.closesAt == null) return null;
  const open = parseHhMm(day.opensAt, `opening time of ${isoDate}`);
  const close = parseHhMm(day.closesAt, `closing time of ${isoDate}`);
  if (close <= open) return null;
  return {
    open: tehranWallToUtcMs(isoDate, open * MS_PER_MINUTE),
    close: tehranWallToUtcMs(isoDate, close * MS_PER_MINUTE),
  };
}

function interval(lookup: DayLookup, isoDate: string): Interval | null {
  return intervalOf(lookup(isoDate), isoDate);
}

function noWorkingTime(from: string, days: number): Error {
  return new Error(`No working time found in ${days} consecutive days from ${from}: check the working calendar`);
}

function assertDate(d: Date, name: string): number {
  const t = d instanceof Date ? d.getTime() : NaN;
  if (!Number.isFinite(t)) throw new Error(`${name} must be a valid Date`);
  return t;
}

/** Consumes `amountMs` of open time from epoch ms `t`; returns the resulting epoch ms. */
function consume(t: number, amountMs: number, lookup: DayLookup): number {
  let remaining = amountMs;
  let iso = toTehranWall(t).date;
  let closedRun = 0;
  for (;;) {
    const iv = interval(lookup, iso);
    if (iv && iv.close > t) {
      const from = Math.max(t, iv.open);
      const available = iv.close - from;
      if (remaining <= available) return from + remaining;
      remaining -= available;
      closedRun = 0;
    } else if (++closedRun > MAX_CLOSED_DAYS) {
      throw noWorkingTime(toTehranWall(t).date, MAX_CLOSED_DAYS);
    }
    iso = addDaysIso(iso, 1);
  }
}

/** True when the office is open at the instant (opening inclusive, closing exclusive). */
export function isOpenAt(instant: Date, lookup: DayLookup): boolean {
  const t = assertDate(instant, 'instant');
  const iv = interval(lookup, toTehranWall(t).date);
  return iv !== null && iv.open <= t && t < iv.close;
}

/** The earliest instant at or after `instant` at which the office is open (the instant itself when open). */
export function nextOpening(instant: Date, lookup: DayLookup): Date {
  return new Date(consume(assertDate(instant, 'instant'), 0, lookup));
}

/** The instant after `hours` of open time (rounded to whole minutes) counted from `start`. */
export function addWorkingHours(start: Date, hours: number, lookup: DayLookup): Date {
  const t = assertDate(start, 'start');
  if (!Number.isFinite(hours) || hours < 0) throw new Error(`hours must be a finite number >= 0, got ${hours}`);
  return new Date(consume(t, Math.round(hours * 60) * MS_PER_MINUTE, lookup));
}

/** Due instant `days` working days after `start` (see rule 4 in the header). */
export function addWorkingDays(start: Date, days: number, lookup: DayLookup): Date {
  const t0 = assertDate(start, 'start');
  if (!Number.isInteger(days) || days < 0) throw new Error(`days must be an integer >= 0, got ${days}`);
  const anchor = consume(t0, 0, lookup);
  if (days === 0) return new Date(anchor);
  const { date: anchorDate, msOfDay } = toTehranWall(anchor);

  let iso = anchorDate;
  let counted = 0;
  let closedRun = 0;
  for (;;) {
    iso = addDaysIso(iso, 1);
    const iv = interval(lookup, iso);
    if (!iv) {
      if (++closedRun > MAX_CLOSED_DAYS) throw noWorkingTime(iso, MAX_CLOSED_DAYS);
      continue;
    }
    closedRun = 0;
    if (++counted === days) {
      const due = tehranWallToUtcMs(iso, msOfDay);
      return new Date(Math.min(Math.max(due, iv.open), iv.close));
    }
  }
}

/** Open hours within [a, b); negative when b is before a. Exact (fractional hours). */
export function workingHoursBetween(a: Date, b: Date, lookup: DayLookup): number {
  const ta = assertDate(a, 'a');
  const tb = assertDate(b, 'b');
  if (tb < ta) return -workingHoursBetween(b, a, lookup);
  const last = toTehranWall(tb).date;
  let total = 0;
  for (let iso = toTehranWall(ta).date; iso <= last; iso = addDaysIso(iso, 1)) {
    const iv = interval(lookup, iso);
    if (!iv) continue;
    const from = Math.max(iv.open, ta);
    const to = Math.min(iv.close, tb);
    if (to > from) total += to - from;
  }
  return total / MS_PER_HOUR;
}
