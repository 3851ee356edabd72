/**
 * Asia/Tehran wall clock <-> UTC instants, computed through `Intl.DateTimeFormat`
 * (the runtime's tz database), never through a hard-coded +03:30: Iran observed
 * daylight saving time (+04:30) every summer until 2022.
 *
 * Pure helpers; no I/O. Calendar dates are Gregorian ISO strings `yyyy-mm-dd` of
 * the Tehran calendar day; a time of day is milliseconds since Tehran midnight.
 */

import { parseHhMm } from '@app/iran';

export { parseHhMm } from '@app/iran';

export const TEHRAN_TIME_ZONE = 'Asia/Tehran';

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
const ISO_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

let formatter: Intl.DateTimeFormat | undefined;
function tehranFormatter(): Intl.DateTimeFormat {
  formatter ??= new Intl.DateTimeFormat('en-US', {
    timeZone: TEHRAN_TIME_ZONE,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  return formatter;
}

/** Tehran wall clock of an instant, as if it were a UTC timestamp (ms). */
function tehranWallAsUtcMs(epochMs: number): number {
  const parts = tehranFormatter().formatToParts(new Date(epochMs));
  const get = (type: Intl.DateTimeFormatPartTypes): number => {
    const part = parts.find((p) => p.type === type);
    if (!part) throw new Error(`Intl.DateTimeFormat gave no "${type}" for ${new Date(epochMs).toISOString()}`);
    return Number(part.value);
  };
  const hour = get('hour') % 24; // some ICU versions still print "24" at midnight
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), hour, get('minute'), get('second'));
  return wall + (((epochMs % 1000) + 1000) % 1000);
}

/** UTC offset of Asia/Tehran at an instant, in milliseconds (e.g. 12_600_000 for +03:30). */
export function tehranOffsetMs(instant: Date | number): number {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  return tehranWallAsUtcMs(ms) - ms;
}

/** The Tehran calendar day (Gregorian ISO date) and time of day of an instant. */
export function toTehranWall(instant: Date | number): { date: string; msOfDay: number } {
  const wall = tehranWallAsUtcMs(typeof instant === 'number' ? instant : instant.getTime());
  const dayStart = Math.floor(wall / MS_PER_DAY) * MS_PER_DAY;
  return { date: new Date(dayStart).toISOString().slice(0, 10), msOfDay: wall - dayStart };
}

/** The Tehran calendar day (Gregorian ISO `yyyy-mm-dd`) an instant falls in. */
export function tehranDateOf(instant: Date | number): string {
  return toTehranWall(instant).date;
}

/** Milliseconds since 1970-01-01 of the UTC midnight of an ISO date; throws on a malformed date. */
export function isoDateToUtcMs(isoDate: string): number {
  const m = ISO_DATE_RE.exec(isoDate);
  if (!m) throw new Error(`Invalid ISO date "${isoDate}" (expected yyyy-mm-dd)`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new Error(`Invalid ISO date "${isoDate}" (no such day)`);
  }
  return ms;
}

/** ISO date `n` days after (or before, for negative `n`) `isoDate`. */
export function addDaysIso(isoDate: string, n: number): string {
  return new Date(isoDateToUtcMs(isoDate) + n * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Weekday of an ISO date, 0 = Sunday .. 6 = Saturday. */
export function weekdayOf(isoDate: string): 0 | 1 | 2 | 3 | 4 | 5 | 6 {
  return new Date(isoDateToUtcMs(isoDate)).getUTCDay() as 0 | 1 | 2 | 3 | 4 | 5 | 6;
}


/**
 * The UTC instant (epoch ms) of a Tehran wall-clock time on a Tehran calendar day.
 * Ambiguous wall times (the repeated hour when DST ended) resolve to the earlier
 * instant; non-existent ones (the skipped hour when DST began) are shifted forward
 * by the gap, like Temporal's 'compatible' disambiguation.
 */
export function tehranWallToUtcMs(isoDate: string, msOfDay: number): number {
  const key = `${isoDate}|${msOfDay}`;
  const cached = wallToUtcCache.get(key);
  if (cached !== undefined) return cached;
  const result = computeWallToUtcMs(isoDate, msOfDay);
  if (wallToUtcCache.size >= WALL_TO_UTC_CACHE_SIZE) wallToUtcCache.clear();
  wallToUtcCache.set(key, result);
  return result;
}

/** Memo of tehranWallToUtcMs (deterministic; opening hours repeat a lot), bounded. */
const WALL_TO_UTC_CACHE_SIZE = 50_000;
const wallToUtcCache = new Map<string, number>();

function computeWallToUtcMs(isoDate: string, msOfDay: number): number {
  const local = isoDateToUtcMs(isoDate) + msOfDay;
  const offBefore = tehranOffsetMs(local - MS_PER_DAY / 2);
  const offAfter = tehranOffsetMs(local + MS_PER_DAY / 2);
  const guess = local - tehranOffsetMs(local - offBefore);
  const candidates = [local - offBefore, local - offAfter, guess].filter((c) => tehranWallAsUtcMs(c) === local);
  if (candidates.length > 0) return Math.min(...candidates);
  return local - offBefore; // inside a DST gap
}

/** The UTC instant of a Tehran 'HH:mm' on a Tehran calendar day. */
export function tehranWallToDate(isoDate: string, hhmm: string): Date {
  return new Date(tehranWallToUtcMs(isoDate, parseHhMm(hhmm) * MS_PER_MINUTE));
}
