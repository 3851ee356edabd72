/**
 * Iranian IBAN (شماره شبا): "IR" + 2 check digits + 22-digit BBAN (3-digit bank code,
 * then the account part) = 26 characters.
 *
 * Validation is ISO 13616 / ISO 7064 MOD 97-10: move the first 4 characters to the end,
 * replace letters by numbers (A=10 … Z=35, so I=18, R=27: "IR" → "1827"), read the result
 * as a decimal number; it must be ≡ 1 (mod 97). The 28-digit number exceeds 2^53, so the
 * remainder is computed chunk by chunk (9 digits at a time).
 */
import { normalizeDigits } from './normalize';

const IR_NUMERIC = '1827';

/** n mod 97 for an arbitrarily long string of ASCII digits, without BigInt. */
export function mod97(digits: string): number {
  if (!/^\d+$/.test(digits)) throw new RangeError('mod97: expected ASCII digits');
  let rem = 0;
  for (let i = 0; i < digits.length; i += 7) {
    // rem < 97 has at most 2 digits; 2 + 7 = 9 digits stays far below 2^53.
    rem = Number(String(rem) + digits.slice(i, i + 7)) % 97;
  }
  return rem;
}

/**
 * Canonical "IR" + 24 digits, or null when invalid. Accepts lowercase "ir", spaces,
 * dashes, Persian/Arabic digits, and the 24 digits alone (forms often print "IR" as a
 * fixed prefix outside the input box).
 */
export function normalizeSheba(input: unknown): string | null {
  if (typeof input !== 'string') return null;
  let s = normalizeDigits(input)
    .replace(/[\s\-\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g, '')
    .toUpperCase();
  if (/^\d{24}$/.test(s)) s = `IR${s}`;
  if (!/^IR\d{24}$/.test(s)) return null;
  return mod97(s.slice(4) + IR_NUMERIC + s.slice(2, 4)) === 1 ? s : null;
}

export function isValidSheba(input: unknown): boolean {
  return normalizeSheba(input) !== null;
}

/** Builds a valid Sheba from a 22-digit BBAN by computing the check digits (98 - n mod 97). */
export function buildSheba(bban: string): string {
  if (!/^\d{22}$/.test(bban)) throw new RangeError('buildSheba: BBAN must be 22 ASCII digits');
  const check = 98 - mod97(bban + IR_NUMERIC + '00');
  return `IR${String(check).padStart(2, '0')}${bban}`;
}
