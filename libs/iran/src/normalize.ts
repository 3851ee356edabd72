/**
 * Input normalization for Persian text (DESIGN §4.5): users type ۰۹۱۲…, paste text
 * from Arabic keyboards or Word documents full of invisible marks, and it must work.
 */

const PERSIAN_ZERO = 0x06f0; // ۰ .. ۹ = U+06F0..U+06F9 (Extended Arabic-Indic)
const ARABIC_ZERO = 0x0660; //  ٠ .. ٩ = U+0660..U+0669 (Arabic-Indic)

const NON_ASCII_DIGIT = /[\u06F0-\u06F9\u0660-\u0669]/g;

/** Persian (U+06F0..U+06F9) and Arabic-Indic (U+0660..U+0669) digits → ASCII 0-9. */
export function normalizeDigits(s: string): string {
  return s.replace(NON_ASCII_DIGIT, (ch) => {
    const cp = ch.charCodeAt(0);
    return String(cp >= PERSIAN_ZERO ? cp - PERSIAN_ZERO : cp - ARABIC_ZERO);
  });
}

/**
 * Invisible characters removed by {@link normalizePersianText}:
 * - zero-width: U+200B ZERO WIDTH SPACE, U+200D ZERO WIDTH JOINER, U+2060 WORD JOINER,
 *   U+FEFF BOM / ZERO WIDTH NO-BREAK SPACE. U+200C ZWNJ (نیم‌فاصله) is KEPT: it is part
 *   of correct Persian spelling (می‌شود).
 * - bidi controls: U+200E LRM, U+200F RLM, U+202A..U+202E (LRE, RLE, PDF, LRO, RLO),
 *   U+2066..U+2069 (LRI, RLI, FSI, PDI) and U+061C ARABIC LETTER MARK.
 */
// eslint-disable-next-line no-misleading-character-class -- ZWJ is listed on purpose, to be removed
const INVISIBLE = /[\u200B\u200D\u2060\uFEFF\u200E\u200F\u202A-\u202E\u2066-\u2069\u061C]/g;
const WHITESPACE_RUN = /\s+/g;
/** Whitespace except line feed: used when `keepNewlines` is set. */
const INLINE_WHITESPACE_RUN = /[^\S\n]+/g;

export interface NormalizeTextOptions {
  /**
   * Keep line breaks (CRLF/CR become LF, runs of other whitespace still collapse to a
   * space and spaces around line breaks are trimmed). Default false: every whitespace
   * run, newlines included, becomes one space — right for names, addresses, codes.
   */
  keepNewlines?: boolean;
  /**
   * Leave Persian and Arabic-Indic digits as typed (free text shown back to people: a note,
   * a reason, a title). Default false: digits become ASCII, as identifiers and numbers need.
   */
  keepDigits?: boolean;
}

/**
 * Canonical form of user-entered Persian text:
 * digits → ASCII (unless `keepDigits`); Arabic ي (U+064A) and ى (U+0649) → Persian ی (U+06CC);
 * Arabic ك (U+0643) → Persian ک (U+06A9); zero-width characters (except ZWNJ) and
 * bidi marks removed; whitespace runs collapsed to one space; trimmed.
 */
export function normalizePersianText(s: string, options: NormalizeTextOptions = {}): string {
  let out = (options.keepDigits ? s : normalizeDigits(s))
    .replace(/[\u064A\u0649]/g, '\u06CC')
    .replace(/\u0643/g, '\u06A9')
    .replace(INVISIBLE, '');
  if (options.keepNewlines) {
    out = out
      .replace(/\r\n?/g, '\n')
      .replace(INLINE_WHITESPACE_RUN, ' ')
      .replace(/ ?\n ?/g, '\n');
  } else {
    out = out.replace(WHITESPACE_RUN, ' ');
  }
  return out.trim();
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Returns a copy of `value` with {@link normalizePersianText} applied to every string
 * found in plain objects and arrays, recursively. Object keys are left as they are.
 *
 * - Non-plain objects (Buffer, Date, Map, class instances, typed arrays) are returned
 *   as the same reference, untouched.
 * - The input is never mutated.
 * - Own `__proto__` keys (possible from `JSON.parse`) are dropped, so the copy can
 *   never have its prototype replaced (prototype pollution guard).
 * - Shared and cyclic references are preserved in the copy.
 */
export function normalizeDeep<T>(value: T, options: NormalizeTextOptions = {}): T {
  const seen = new WeakMap<object, unknown>();

  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return normalizePersianText(v, options);
    if (Array.isArray(v)) {
      const cached = seen.get(v);
      if (cached !== undefined) return cached;
      const out: unknown[] = [];
      seen.set(v, out);
      for (const item of v) out.push(walk(item));
      return out;
    }
    if (isPlainObject(v)) {
      const cached = seen.get(v);
      if (cached !== undefined) return cached;
      const out: Record<string, unknown> =
        Object.getPrototypeOf(v) === null ? (Object.create(null) as Record<string, unknown>) : {};
      seen.set(v, out);
      for (const key of Object.keys(v)) {
        if (key === '__proto__') continue;
        Object.defineProperty(out, key, {
          value: walk(v[key]),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    return v;
  };

  return walk(value) as T;
}
