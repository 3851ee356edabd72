/**
 * Iranian 10-digit postal code (کد پستی). There is no check digit; the format rule is
 * the one widely used by Iranian services (derived from the Iran Post numbering, which
 * never uses the digit 0 or 2 in the first, "area", part and never uses 2 at all):
 *
 *   /^(?!(\d)\1{3})[13-9]{4}[1346-9][013-9]{5}$/
 *
 *   - digits 1-4 from {1,3,4,5,6,7,8,9} and not four identical digits at the start;
 *   - digit 5 from {1,3,4,6,7,8,9} (no 0, 2 or 5);
 *   - digits 6-10 from {0,1,3,4,5,6,7,8,9} (no 2).
 *
 * Codes are usually written 5-5 with a dash ("34136-45185").
 */
import { normalizeDigits } from './normalize';

export const POSTAL_CODE_PATTERN = /^(?!(\d)\1{3})[13-9]{4}[1346-9][013-9]{5}$/;

/** Canonical 10 ASCII digits, or null. Strips spaces, dashes and invisible marks. */
export function normalizePostalCode(input: unknown): string | null {
  if (typeof input !== 'string') return null;
  const s = normalizeDigits(input).replace(/[\s\-\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g, '');
  return POSTAL_CODE_PATTERN.test(s) ? s : null;
}

export function isValidPostalCode(input: unknown): boolean {
  return normalizePostalCode(input) !== null;
}
