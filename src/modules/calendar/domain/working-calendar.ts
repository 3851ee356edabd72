/**
 * Working calendar of the municipality: which Tehran calendar days are open, and when.
 *
 * Pure (no Nest, no database, no I/O). The service persists the generated days in a
 * table that admins edit (lunar holidays are announced late) and backs a
 * {@link DayLookup} with it; everything here is deterministic for a given input.
 *
 * Conventions
 * - A day is identified by the Gregorian ISO date `yyyy-mm-dd` of the Tehran calendar day;
 *   `jalali` is the same day as ASCII `YYYY/MM/DD`.
 * - Weekdays are JS `getUTCDay()` numbers of that Gregorian date: 0 = Sunday .. 6 = Saturday.
 *   The Iranian week runs Saturday .. Friday.
 * - Opening hours are Tehran wall-clock 'HH:mm'; a day is open on [opensAt, closesAt).
 *   `kind: 'holiday'` is always closed, whatever its hours say; a 'work' or 'half' day
 *   without hours (or with closesAt <= opensAt) is closed too.
 */
import Holidays from 'date-holidays';
import { isLeapJalaaliYear, toGregorian, toJalaali } from 'jalaali-js';
import { DEFAULT_WEEK, type DayKind, type WeekTemplate } from '@app/iran';
import { addDaysIso, isoDateToUtcMs, parseHhMm, weekdayOf } from './tehran-time';

// The working-week parser lives in libs/iran (config validation uses it); re-exported for the calendar's callers.
export { DEFAULT_WEEK, DEFAULT_WEEK_SPEC, parseWeekTemplate, type DayKind, type Weekday, type WeekdayRule, type WeekTemplate } from '@app/iran';


export interface CalendarDay {
  /** Gregorian ISO `yyyy-mm-dd` of the Tehran calendar day. */
  date: string;
  /** The same day in the Jalali calendar, ASCII `YYYY/MM/DD`. */
  jalali: string;
  kind: DayKind;
  /** Tehran local 'HH:mm', null when closed. */
  opensAt: string | null;
  /** Tehran local 'HH:mm', null when closed. */
  closesAt: string | null;
  title?: string | null;
}

/** Resolves any Tehran calendar day (ISO date) to its working-calendar entry. */
export interface DayLookup {
  (isoDate: string): CalendarDay;
}

export interface HolidayEntry {
  /** Gregorian ISO date of the Tehran calendar day. */
  date: string;
  title: string;
  /** 'holiday' (closed, the default) or 'half' (opens as usual, closes early). */
  kind?: 'holiday' | 'half';
}

export interface BuildYearOptions {
  /** Closing time of a 'half' holiday entry, Tehran 'HH:mm'. Default '12:00'. */
  halfDayClosesAt?: string;
}

export const DEFAULT_HALF_DAY_CLOSES_AT = '12:00';

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Jalali ASCII `YYYY/MM/DD` of a Gregorian ISO date. */
export function isoToJalali(isoDate: string): string {
  const d = new Date(isoDateToUtcMs(isoDate));
  const j = toJalaali(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  return `${pad(j.jy, 4)}/${pad(j.jm)}/${pad(j.jd)}`;
}

/** Gregorian ISO date of a Jalali date. */
export function jalaliToIso(jy: number, jm: number, jd: number): string {
  const g = toGregorian(jy, jm, jd);
  return `${pad(g.gy, 4)}-${pad(g.gm)}-${pad(g.gd)}`;
}

/** The CalendarDay a week template alone gives for a date (no holidays applied). */
export function templateDay(isoDate: string, week: WeekTemplate = DEFAULT_WEEK): CalendarDay {
  const rule = week[weekdayOf(isoDate)];
  const closed = rule.kind === 'holiday' || rule.opensAt === null || rule.closesAt === null;
  return {
    date: isoDate,
    jalali: isoToJalali(isoDate),
    kind: closed ? 'holiday' : rule.kind,
    opensAt: closed ? null : rule.opensAt,
    closesAt: closed ? null : rule.closesAt,
    title: null,
  };
}

/**
 * All days of a Jalali year (365 or 366), from the week template with the holiday list
 * applied on top: a 'holiday' entry closes the day; a 'half' entry keeps the template's
 * opening time and closes at `halfDayClosesAt` (or the template's closing, if earlier);
 * a 'half' entry on a day the template already closes leaves it closed. 'holiday'
 * wins over 'half' on the same date; titles of all entries of a date are joined with
 * " / ". Entries outside the year are ignored.
 */
export function buildYearDays(
  jalaliYear: number,
  week: WeekTemplate = DEFAULT_WEEK,
  holidays: readonly HolidayEntry[] = [],
  options: BuildYearOptions = {},
): CalendarDay[] {
  const halfClose = options.halfDayClosesAt ?? DEFAULT_HALF_DAY_CLOSES_AT;
  const halfCloseMin = parseHhMm(halfClose, 'half-day closing time');

  const byDate = new Map<string, HolidayEntry[]>();
  for (const h of holidays) {
    try {
      isoDateToUtcMs(h.date);
    } catch (e) {
      throw new Error(`Invalid holiday entry ${JSON.stringify(h)}: ${(e as Error).message}`);
    }
    const list = byDate.get(h.date) ?? [];
    list.push(h);
    byDate.set(h.date, list);
  }

  const first = jalaliToIso(jalaliYear, 1, 1);
  const length = isLeapJalaaliYear(jalaliYear) ? 366 : 365;
  const days: CalendarDay[] = [];
  for (let i = 0; i < length; i++) {
    const date = addDaysIso(first, i);
    const day = templateDay(date, week);
    const entries = byDate.get(date);
    if (entries && entries.length > 0) {
      day.title = entries.map((e) => e.title).join(' / ');
      if (entries.some((e) => (e.kind ?? 'holiday') === 'holiday')) {
        day.kind = 'holiday';
        day.opensAt = null;
        day.closesAt = null;
      } else if (day.opensAt !== null && day.closesAt !== null) {
        const open = parseHhMm(day.opensAt);
        const close = Math.min(parseHhMm(day.closesAt), halfCloseMin);
        if (close > open) {
          day.kind = 'half';
          day.closesAt = close === halfCloseMin ? halfClose : day.closesAt;
        } else {
          day.kind = 'holiday';
          day.opensAt = null;
          day.closesAt = null;
        }
      }
    }
    days.push(day);
  }
  return days;
}

/**
 * A DayLookup over a set of days (e.g. `buildYearDays` output or the database rows),
 * falling back to the week template for any date not in the set.
 */
export function createDayLookup(
  days: Iterable<CalendarDay> | ReadonlyMap<string, CalendarDay>,
  week: WeekTemplate = DEFAULT_WEEK,
): DayLookup {
  const map = new Map<string, CalendarDay>();
  if (days instanceof Map) for (const [k, v] of days as ReadonlyMap<string, CalendarDay>) map.set(k, v);
  else for (const d of days as Iterable<CalendarDay>) map.set(d.date, d);
  return (isoDate: string) => map.get(isoDate) ?? templateDay(isoDate, week);
}

// ---------------------------------------------------------------------------------
// Official holidays of Iran
// ---------------------------------------------------------------------------------

/** Fixed solar (Jalali) holidays, guaranteed present whatever date-holidays gives. */
export const FIXED_SOLAR_HOLIDAYS: ReadonlyArray<{ month: number; day: number; title: string }> = [
  { month: 1, day: 1, title: 'نوروز' },
  { month: 1, day: 2, title: 'نوروز' },
  { month: 1, day: 3, title: 'نوروز' },
  { month: 1, day: 4, title: 'نوروز' },
  { month: 1, day: 12, title: 'روز جمهوری اسلامی' },
  { month: 1, day: 13, title: 'روز طبیعت' },
  { month: 3, day: 14, title: 'رحلت امام خمینی' },
  { month: 3, day: 15, title: 'قیام ۱۵ خرداد' },
  { month: 11, day: 22, title: 'پیروزی انقلاب اسلامی' },
  { month: 12, day: 29, title: 'ملی شدن صنعت نفت' },
];

const JALALI_MONTH_RULE =
  /^\d{1,2} (Farvardin|Ordibehesht|Khordad|Tir|Mordad|Shahrivar|Mehr|Aban|Azar|Dey|Bahman|Esfand)$/;
const ARABIC_SCRIPT = /[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]/;

let iranHolidays: Holidays | undefined;

/**
 * date-holidays' Persian names are typed with Arabic presentation forms; NFKC maps
 * them to ordinary letters. The data writes "Allah" as alef + U+FDF2 (itself a full
 * "الله" ligature), which would leave a doubled alef, so drop that alef first.
 */
function persianName(name: string): string {
  return name.replace(/\u0627\ufdf2/g, '\ufdf2').normalize('NFKC').replace(/\s+/g, ' ').trim();
}

/**
 * Official public holidays of Iran falling in a Jalali year, sorted by date, one entry
 * per date (titles of coinciding holidays joined with " / "), all `kind: 'holiday'`.
 *
 * Lunar (Hijri) holidays come from `date-holidays` as it computes them; they are
 * often a day off the announced dates, which is why admins edit the stored days.
 * Names are the library's Persian ones (NFKC-normalised: the data uses Arabic
 * presentation forms), English when it has no Persian name. The fixed solar holidays
 * in {@link FIXED_SOLAR_HOLIDAYS} are added when the library lacks them.
 */
export function iranOfficialHolidays(jalaliYear: number): HolidayEntry[] {
  iranHolidays ??= new Holidays('IR');
  const hd = iranHolidays;
  const first = jalaliToIso(jalaliYear, 1, 1);
  const last = addDaysIso(first, (isLeapJalaaliYear(jalaliYear) ? 366 : 365) - 1);
  const gy0 = Number(first.slice(0, 4));
  const gy1 = Number(last.slice(0, 4));

  const titles = new Map<string, string[]>();
  const solarCovered = new Set<string>();
  const add = (date: string, title: string) => {
    const list = titles.get(date) ?? [];
    if (!list.includes(title)) list.push(title);
    titles.set(date, list);
  };

  for (let gy = gy0; gy <= gy1; gy++) {
    const fa = hd.getHolidays(gy, 'fa');
    const en = hd.getHolidays(gy, 'en');
    fa.forEach((h, i) => {
      if (h.type !== 'public') return;
      const date = h.date.slice(0, 10);
      if (date < first || date > last) return;
      const faName = persianName(h.name ?? '');
      const enTwin = en[i]?.rule === h.rule && en[i]?.date === h.date ? en[i] : undefined;
      const title = ARABIC_SCRIPT.test(faName) ? faName : (enTwin?.name ?? faName);
      add(date, title);
      if (JALALI_MONTH_RULE.test(h.rule ?? '')) solarCovered.add(date);
    });
  }

  for (const f of FIXED_SOLAR_HOLIDAYS) {
    const date = jalaliToIso(jalaliYear, f.month, f.day);
    if (!solarCovered.has(date)) add(date, f.title);
  }

  return [...titles.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([date, list]) => ({ date, title: list.join(' / '), kind: 'holiday' as const }));
}
