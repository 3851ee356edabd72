/**
 * The municipality's working week as a config string (`CALENDAR_WEEK`): which weekdays
 * are open and when. Pure; used by the config validation and the calendar module.
 */
export type DayKind = 'work' | 'half' | 'holiday';

const HH_MM_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Parses 'HH:mm' (00:00..23:59) to minutes since midnight; throws naming the value. */
export function parseHhMm(value: string, what = 'time'): number {
  const m = HH_MM_RE.exec(value);
  if (!m) throw new Error(`Invalid ${what} "${value}" (expected HH:mm, 00:00..23:59)`);
  return Number(m[1]) * 60 + Number(m[2]);
}

export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export interface WeekdayRule {
  kind: DayKind;
  opensAt: string | null;
  closesAt: string | null;
}

/** Opening rule per weekday, 0 = Sunday .. 6 = Saturday. */
export type WeekTemplate = Readonly<Record<Weekday, Readonly<WeekdayRule>>>;

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

