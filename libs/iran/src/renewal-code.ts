/**
 * Renewal code (کد نوسازی): the municipal property code. It has seven numeric parts:
 *
 *   region - district - block - parcel - building - apartment - shop
 *   منطقه  - محله (ناحیه) - بلوک - ملک  - ساختمان - آپارتمان - صنف
 *
 * Canonical form: ASCII digits without leading zeros, joined by "-", e.g. `1-2-34-56-0-0-0`.
 *
 * Input rules (parseRenewalCode, renewalCodePrefix):
 * - Persian (۰-۹) and Arabic-Indic (٠-٩) digits are turned into ASCII digits.
 * - Invisible marks that come with RTL copy/paste (LRM, RLM, ALM, bidi embeddings and
 *   isolates, ZWSP, ZWNJ, ZWJ, word joiner, BOM) are removed first.
 * - Surrounding whitespace is trimmed.
 * - A separator is either one of `-` `/` `.` `–` (U+2013 en dash) `−` (U+2212 minus
 *   sign), with optional whitespace on either side, or a run of whitespace (line breaks
 *   excluded). Separators can be mixed. So `1 - 2/34.56 0-0-0` is fine, but `1--2` and
 *   `1 -/ 2` have an empty part and are rejected.
 * - Other dashes (U+2010 hyphen, U+2011, U+2012, U+2014 em dash, U+FE63, U+FF0D) and
 *   the Arabic comma `،` are not separators, so input that uses them is rejected.
 * - There must be exactly 7 parts. Each part has 1-6 digits, leading zeros included,
 *   so `0000001` is rejected. Leading zeros are dropped.
 * - region is 1..9. Qazvin has regions 1-3 today; the service checks known regions.
 *   district, block and parcel are ≥ 1. building, apartment and shop are ≥ 0.
 * - A code typed right-to-left (parts in reverse order) is NOT detected or reversed.
 *   Guessing would turn a wrong code into a different valid one.
 *
 * Errors are `IranValidationError` with code `RENEWAL_CODE_INVALID`. Its `details`
 * say what is wrong: `{ part: 'block', reason: 'must be ≥ 1' }`, or
 * `{ reason: 'expected 7 parts, got 5' }` when no single part is to blame.
 */
import { IranValidationError } from './errors';
import { normalizeDigits } from './normalize';

/** Part names in order, as used in `details.part` of errors. */
export const RENEWAL_CODE_PARTS = ['region', 'district', 'block', 'parcel', 'building', 'apartment', 'shop'] as const;

export type RenewalCodePart = (typeof RENEWAL_CODE_PARTS)[number];

export type RenewalCodeParts = Record<RenewalCodePart, number>;

export interface RenewalCode extends RenewalCodeParts {
  /** `1-2-34-56-0-0-0`: ASCII digits, no leading zeros, `-` separators. */
  canonical: string;
}

/** Most digits allowed in one part. */
export const RENEWAL_CODE_PART_MAX_DIGITS = 6;

const PART_COUNT = RENEWAL_CODE_PARTS.length;
const PART_MAX = 10 ** RENEWAL_CODE_PART_MAX_DIGITS - 1;
/** [min, max] per part, in RENEWAL_CODE_PARTS order. */
const PART_RANGE: readonly (readonly [number, number])[] = [
  [1, 9], // region
  [1, PART_MAX], // district
  [1, PART_MAX], // block
  [1, PART_MAX], // parcel
  [0, PART_MAX], // building
  [0, PART_MAX], // apartment
  [0, PART_MAX], // shop
];

const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF\u061C]/g;
/** Separator characters other than whitespace: - / . en dash, minus sign. */
const SEPARATOR_CHARS = new Set(['-', '/', '.', '\u2013', '\u2212']);
/** Whitespace except line breaks. */
const INLINE_SPACE = /[^\S\n\r\u2028\u2029]/;

function isDigit(ch: string): boolean {
  return ch >= '0' && ch <= '9';
}

function describeChar(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  return `"${ch}" (U+${cp.toString(16).toUpperCase().padStart(4, '0')})`;
}

function invalid(reason: string, part?: RenewalCodePart): IranValidationError {
  const details = part === undefined ? { reason } : { part, reason };
  const message = part === undefined ? `invalid renewal code: ${reason}` : `invalid renewal code: ${part} ${reason}`;
  return new IranValidationError('RENEWAL_CODE_INVALID', message, details);
}

/**
 * Splits normalized input into its raw digit strings. A part can be empty (two separators
 * in a row, or a leading/trailing separator): the callers decide what that means.
 * Throws on any character that is neither a digit nor a separator.
 */
function tokenize(input: unknown): string[] {
  if (typeof input !== 'string') throw invalid('expected a string');
  const s = normalizeDigits(input).replace(INVISIBLE, '').trim();
  if (s === '') throw invalid('empty input');
  const parts: string[] = [];
  let i = 0;
  for (;;) {
    const start = i;
    while (i < s.length && isDigit(s[i])) i++;
    parts.push(s.slice(start, i));
    if (i >= s.length) return parts;
    // Separator: [spaces] [one separator char] [spaces], at least one character.
    const sepStart = i;
    while (i < s.length && INLINE_SPACE.test(s[i])) i++;
    if (i < s.length && SEPARATOR_CHARS.has(s[i])) {
      i++;
      while (i < s.length && INLINE_SPACE.test(s[i])) i++;
    }
    if (i === sepStart) {
      const ch = String.fromCodePoint(s.codePointAt(i) ?? 0);
      throw invalid(`unexpected character ${describeChar(ch)}`, RENEWAL_CODE_PARTS[parts.length - 1]);
    }
  }
}

/** Validates one raw digit string at `index` and returns its value. */
function partValue(raw: string, index: number): number {
  const part = RENEWAL_CODE_PARTS[index];
  if (raw === '') throw invalid('is empty', part);
  if (raw.length > RENEWAL_CODE_PART_MAX_DIGITS) {
    throw invalid(`has more than ${RENEWAL_CODE_PART_MAX_DIGITS} digits`, part);
  }
  return checkRange(Number(raw), index);
}

function checkRange(value: number, index: number): number {
  const part = RENEWAL_CODE_PARTS[index];
  const [min, max] = PART_RANGE[index];
  if (value < min) throw invalid(`must be ≥ ${min}`, part);
  if (value > max) {
    throw invalid(max === PART_MAX ? `has more than ${RENEWAL_CODE_PART_MAX_DIGITS} digits` : `must be ≤ ${max}`, part);
  }
  return value;
}

function build(values: readonly number[]): RenewalCode {
  const code = {} as RenewalCode;
  RENEWAL_CODE_PARTS.forEach((name, i) => (code[name] = values[i]));
  code.canonical = values.join('-');
  return code;
}

/**
 * Parses a renewal code typed by a user (see the file header for the rules).
 * Throws `IranValidationError('RENEWAL_CODE_INVALID')` with `details` naming the part.
 */
export function parseRenewalCode(input: string): RenewalCode {
  const raw = tokenize(input);
  const emptyAt = raw.indexOf('');
  if (emptyAt !== -1 && raw.length !== PART_COUNT) {
    throw invalid(`empty part at position ${emptyAt + 1} (separators in a row, or a leading/trailing separator)`);
  }
  if (raw.length !== PART_COUNT) throw invalid(`expected ${PART_COUNT} parts, got ${raw.length}`);
  return build(raw.map(partValue));
}

/** Like {@link parseRenewalCode} but returns null instead of throwing a validation error. */
export function tryParseRenewalCode(input: string): RenewalCode | null {
  try {
    return parseRenewalCode(input);
  } catch (e) {
    if (e instanceof IranValidationError) return null;
    throw e;
  }
}

/**
 * Canonical string of the given parts (`1-2-34-56-0-0-0`). Every part must be an
 * integer in its range (see the file header). Otherwise it throws `RENEWAL_CODE_INVALID`.
 * A `canonical` property on the argument is ignored and recomputed.
 */
export function formatRenewalCode(parts: RenewalCodeParts): string {
  if (parts === null || typeof parts !== 'object') throw invalid('expected an object with the 7 parts');
  const values = RENEWAL_CODE_PARTS.map((name, i) => {
    const v: unknown = parts[name];
    if (typeof v !== 'number' || !Number.isInteger(v)) throw invalid('must be an integer', name);
    return checkRange(v, i);
  });
  return values.join('-');
}

/**
 * Throws `IranValidationError('RENEWAL_CODE_REGION_MISMATCH')` unless `region` (as the
 * user gave it: a number or a string, Persian/Arabic digits and leading zeros allowed)
 * equals `code.region`. A region that is not a whole number never matches.
 */
export function assertRenewalCodeRegion(code: RenewalCodeParts, region: number | string): void {
  let given: number | null = null;
  if (typeof region === 'number') {
    given = Number.isSafeInteger(region) ? region : null;
  } else if (typeof region === 'string') {
    const s = normalizeDigits(region).replace(INVISIBLE, '').trim();
    given = /^[0-9]{1,6}$/.test(s) ? Number(s) : null;
  }
  if (given === null || given !== code.region) {
    throw new IranValidationError(
      'RENEWAL_CODE_REGION_MISMATCH',
      given === null
        ? 'region is not a whole number'
        : `renewal code is in region ${code.region}, not region ${given}`,
      { codeRegion: code.region, givenRegion: region },
    );
  }
}

/**
 * Canonical prefix for staff search by the leading parts of a renewal code.
 *
 * Takes 1 to 7 leading parts with the same digits and separators as
 * {@link parseRenewalCode}. A single trailing separator is allowed when there are fewer
 * than 7 parts. Each part must be complete and valid for its position. Returns:
 * - fewer than 7 parts: the canonical prefix WITH a trailing dash (`۱-۲-34` → `1-2-34-`),
 * - 7 parts: the canonical code with no trailing dash,
 * - null for anything malformed (empty input, empty part, bad part, more than 7 parts).
 *
 * Use it with a column that holds canonical codes:
 *   `WHERE renewal_code LIKE $1 || '%'`, with `$1` = the prefix.
 * The trailing dash stops `1-2-3` matching `1-2-34-…`. The prefix holds only digits and
 * dashes, so it never contains the LIKE wildcards `%` and `_`.
 */
export function renewalCodePrefix(input: string): string | null {
  let raw: string[];
  try {
    raw = tokenize(input);
  } catch (e) {
    if (e instanceof IranValidationError) return null;
    throw e;
  }
  if (raw.length > 1 && raw.length <= PART_COUNT && raw[raw.length - 1] === '') raw = raw.slice(0, -1);
  if (raw.length < 1 || raw.length > PART_COUNT) return null;
  const values: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    try {
      values.push(partValue(raw[i], i));
    } catch (e) {
      if (e instanceof IranValidationError) return null;
      throw e;
    }
  }
  const joined = values.join('-');
  return values.length === PART_COUNT ? joined : `${joined}-`;
}

function toParts(code: RenewalCodeParts | string): RenewalCodeParts {
  return typeof code === 'string' ? parseRenewalCode(code) : code;
}

/**
 * Canonical code of the parcel (ملک) the code belongs to, with building, apartment and
 * shop set to 0: `1-2-34-56-3-12-0` → `1-2-34-56-0-0-0`. A string is parsed first. The
 * other parts are validated and can throw `RENEWAL_CODE_INVALID`.
 */
export function parcelKey(code: RenewalCodeParts | string): string {
  const p = toParts(code);
  return formatRenewalCode({ ...p, building: 0, apartment: 0, shop: 0 });
}

/**
 * True when the code names a unit inside a parcel, i.e. building, apartment or shop is
 * greater than 0. A string is parsed first and can throw `RENEWAL_CODE_INVALID`.
 */
export function isUnitCode(code: RenewalCodeParts | string): boolean {
  const p = toParts(code);
  return p.building > 0 || p.apartment > 0 || p.shop > 0;
}
