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
import { addDaysIso, isoDateToUtcMs, parseHhMm, weekdayOf } from './tehran-time';

export type DayKind = 'work' | 'half' | 'holiday';

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

export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export interface WeekdayRule {
  kind: DayKind;
  opensAt: string | null;
  closesAt: string | null;
}

/** Opening rule per weekday, 0 = Sunday .. 6 = Saturday. */
export type WeekTemplate = Readonly<Record<Weekday, Readonly<WeekdayRule>>>;

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

/** The default week as a config string (see {@link parseWeekTemplate}). */
export const DEFAULT_WEEK_SPEC = 'sat-wed=07:30-14:30;thu=closed;fri=closed';

const WORK_DAY: WeekdayRule = Object.freeze({ kind: 'work', opensAt: '07:30', closesAt: '14:30' });
const CLOSED_DAY: WeekdayRule = Object.freeze({ kind: 'holiday', opensAt: null, closesAt: null });

/** Saturday–Wednesday 07:30–14:30; Thursday and Friday closed. */
export const DEFAULT_WEEK: WeekTemplate = Object.freeze({
  0: WORK_DAY,
  1: WORK_DAY,
  2: WORK_DAY,
  3: WORK_DAY,
  4: CLOSED_DAY,
  5: CLOSED_DAY,
  6: WORK_DAY,
});

const DAY_NAMES: Record<string, Weekday> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const WEEKDAY_NAME: Record<Weekday, string> = { 0: 'sun', 1: 'mon', 2: 'tue', 3: 'wed', 4: 'thu', 5: 'fri', 6: 'sat' };
/** Iranian week order, Saturday first: used for ranges like `sat-wed`. */
const IRAN_WEEK: readonly Weekday[] = [6, 0, 1, 2, 3, 4, 5];
const HOURS_RE = /^(?:(work|half)[\s:]+)?(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})$/i;

/**
 * Parses a week template config string.
 *
 * Grammar: parts separated by `;`, each `<days>=<value>`.
 * - `<days>`: comma-separated weekday names (`sat sun mon tue wed thu fri`, any case)
 *   or ranges in Iranian week order (`sat-wed`; wrapping ranges like `thu-sat` allowed).
 * - `<value>`: `closed`, or `HH:mm-HH:mm`, optionally prefixed by `work ` / `half `
 *   (or `work:` / `half:`). Without a prefix a day is 'work' when its opening span
 *   equals the longest span in the template, otherwise 'half'
 *   (so `sat-wed=07:30-14:30;thu=07:30-12:00;fri=closed` makes Thursday a half day).
 * Every weekday must be given exactly once.
 *
 * @throws Error naming the offending part, day or time.
 */
export function parseWeekTemplate(spec: string): WeekTemplate {
  const parts = spec
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  if (parts.length === 0) throw new Error(`Invalid week template "${spec}": it is empty`);

  const rules = new Map<Weekday, { rule: WeekdayRule; explicitKind: boolean; span: number }>();
  for (const part of parts) {
    const fail = (why: string): never => {
      throw new Error(`Invalid week template part "${part}": ${why}`);
    };
    const eq = part.indexOf('=');
    if (eq < 0) fail('expected "<days>=<HH:mm-HH:mm|closed>"');
    const daysText = part.slice(0, eq).trim();
    const valueText = part.slice(eq + 1).trim();
    if (!daysText) fail('no weekday before "="');
    if (!valueText) fail('no value after "=" (expected HH:mm-HH:mm or closed)');

    const days: Weekday[] = [];
    for (const token of daysText.split(',').map((t) => t.trim().toLowerCase())) {
      const dayOf = (name: string): Weekday => {
        const d = DAY_NAMES[name];
        if (d === undefined) {
          return fail(`unknown weekday "${name}" (expected one of sat, sun, mon, tue, wed, thu, fri)`);
        }
        return d;
      };
      const range = token.split('-').map((t) => t.trim());
      if (range.length === 1) days.push(dayOf(range[0]));
      else if (range.length === 2) {
        const from = IRAN_WEEK.indexOf(dayOf(range[0]));
        const to = IRAN_WEEK.indexOf(dayOf(range[1]));
        for (let i = from; ; i = (i + 1) % 7) {
          days.push(IRAN_WEEK[i]);
          if (i === to) break;
        }
      } else fail(`bad weekday range "${token}" (expected e.g. sat-wed)`);
    }

    let entry: { rule: WeekdayRule; explicitKind: boolean; span: number };
    if (valueText.toLowerCase() === 'closed') {
      entry = { rule: { ...CLOSED_DAY }, explicitKind: true, span: 0 };
    } else {
      const m = HOURS_RE.exec(valueText);
      if (!m) fail(`bad value "${valueText}" (expected HH:mm-HH:mm, half HH:mm-HH:mm or closed)`);
      const [, kindText, openText, closeText] = m as RegExpExecArray;
      const normalize = (t: string) => (t.length === 4 ? `0${t}` : t);
      const opensAt = normalize(openText);
      const closesAt = normalize(closeText);
      let open = 0;
      let close = 0;
      try {
        open = parseHhMm(opensAt, 'opening time');
        close = parseHhMm(closesAt, 'closing time');
      } catch (e) {
        fail((e as Error).message);
      }
      if (close <= open) fail(`closing time ${closesAt} is not after opening time ${opensAt}`);
      const kind = (kindText?.toLowerCase() as 'work' | 'half' | undefined) ?? 'work';
      entry = { rule: { kind, opensAt, closesAt }, explicitKind: kindText !== undefined, span: close - open };
    }
    for (const d of days) {
      if (rules.has(d)) fail(`weekday "${WEEKDAY_NAME[d]}" is given more than once`);
      rules.set(d, entry);
    }
  }

  const missing = IRAN_WEEK.filter((d) => !rules.has(d)).map((d) => WEEKDAY_NAME[d]);
  if (missing.length > 0) {
    throw new Error(`Invalid week template "${spec}": no rule for ${missing.join(', ')} (use e.g. fri=closed)`);
  }
  const longest = Math.max(...[...rules.values()].map((e) => e.span));
  const out = {} as Record<Weekday, WeekdayRule>;
  for (const [d, e] of rules) {
    const kind = e.explicitKind ? e.rule.kind : e.span < longest ? 'half' : 'work';
    out[d] = Object.freeze({ ...e.rule, kind });
  }
  return Object.freeze(out);
}

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
