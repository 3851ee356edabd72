/**
 * Iranian mobile numbers. Canonical form: `09` + 9 digits (11 digits), e.g. 09121234567.
 *
 * Accepted spellings (after Persian/Arabic digits → ASCII and removing spaces, dashes,
 * dots, parentheses and invisible marks):
 *   +989121234567, 00989121234567, 989121234567, 9121234567, 09121234567,
 *   and the "+98 (0) 912…" form +9809121234567.
 * Any operator prefix 090..099 is accepted (new prefixes keep appearing).
 */
import { normalizeDigits } from './normalize';

const MOBILE = /^(?:(?:\+|00)?98)?0?(9\d{9})$/;

export function normalizeMobile(input: unknown): string | null {
  if (typeof input !== 'string') return null;
  const s = normalizeDigits(input).replace(/[\s\-.()\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g, '');
  const m = MOBILE.exec(s);
  return m ? `0${m[1]}` : null;
}

export function isValidMobile(input: unknown): boolean {
  return normalizeMobile(input) !== null;
}

/** "09121234567" → "0912***4567". Unrecognizable input is fully masked. */
export function maskMobile(input: unknown): string {
  const m = normalizeMobile(input);
  return m === null ? '***********' : `${m.slice(0, 4)}***${m.slice(7)}`;
}
