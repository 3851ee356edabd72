/**
 * Iranian national ID (کد ملی): 10 digits, the last one a mod-11 check digit.
 *
 *   s     = Σ d[i] * (10 - i)   for i = 0..8
 *   r     = s mod 11
 *   check = r < 2 ? r : 11 - r  and must equal d[9]
 *
 * Every repeated-digit string (0000000000, 1111111111, …) passes that checksum
 * (d * 54 ≡ -d mod 11, so check = d) but none is ever issued: they are rejected.
 * Many records lost their leading zeros in spreadsheets, so inputs of 8 or 9 digits
 * are left-padded with zeros to 10 (and only those lengths).
 */
import { normalizeDigits } from './normalize';

const REPEATED_10 = /^(\d)\1{9}$/;

/** Check digit for the first 9 digits of a national ID. */
function nationalIdCheckDigit(body9: string): number {
  let s = 0;
  for (let i = 0; i < 9; i++) s += (body9.charCodeAt(i) - 48) * (10 - i);
  const r = s % 11;
  return r < 2 ? r : 11 - r;
}

function cleanDigits(input: unknown): string | null {
  if (typeof input !== 'string' && typeof input !== 'number') return null;
  const s = normalizeDigits(String(input)).replace(/[\s\-\u200C-\u200F]/g, '');
  return /^\d+$/.test(s) ? s : null;
}

/**
 * Canonical 10-digit national ID, or null when the input is not a valid one.
 * Accepts Persian/Arabic digits, spaces and dashes ("۰۰۱-۳۵۴۲۴۱-۹"); pads 8 or 9 digits.
 */
export function normalizeNationalId(input: unknown): string | null {
  const s = cleanDigits(input);
  if (s === null || s.length < 8 || s.length > 10) return null;
  const id = s.padStart(10, '0');
  if (REPEATED_10.test(id)) return null;
  return nationalIdCheckDigit(id.slice(0, 9)) === id.charCodeAt(9) - 48 ? id : null;
}

export function isValidNationalId(input: unknown): boolean {
  return normalizeNationalId(input) !== null;
}

/**
 * "0012345678" → "001****678" (first 3 and last 3 digits kept). Works on anything that
 * looks like a national ID (8-10 digits after cleaning) even when the checksum is
 * wrong — it is meant for logs and screens. Anything else is fully masked.
 */
export function maskNationalId(input: unknown): string {
  const s = cleanDigits(input);
  if (s === null || s.length < 8 || s.length > 10) return '**********';
  const id = s.padStart(10, '0');
  return `${id.slice(0, 3)}****${id.slice(7)}`;
}

/** 3^18: coprime with every power of ten, so `seed * A + B mod 10^k` is a permutation. */
const PERM_A = 387_420_489n;
const PERM_B = 123_456_789n;

export interface GenerateNationalIdOptions {
  /** Fixed leading digits (0 to 8 of them), e.g. a city code for realistic demo data. */
  prefix?: string;
}

/**
 * Deterministic generator of valid national IDs for test/demo data.
 *
 * The 9-digit body is an affine permutation of the seed modulo 10^(9 - prefix length),
 * so distinct seeds within one period give distinct IDs; the check digit is computed.
 * The (at most one per prefix) body that would produce a repeated-digit ID is skipped
 * by moving to the next seed, so the result is never a repeated-digit ID.
 */
export function generateNationalId(seed: number, options: GenerateNationalIdOptions = {}): string {
  if (!Number.isSafeInteger(seed)) throw new RangeError('generateNationalId: seed must be a safe integer');
  const prefix = options.prefix ?? '';
  if (!/^\d{0,8}$/.test(prefix)) throw new RangeError('generateNationalId: prefix must be 0 to 8 ASCII digits');
  const width = 9 - prefix.length;
  const n = 10n ** BigInt(width);
  let x = ((BigInt(seed) % n) + n) % n;
  for (;;) {
    const body = prefix + ((x * PERM_A + PERM_B) % n).toString().padStart(width, '0');
    const id = body + String(nationalIdCheckDigit(body));
    if (!REPEATED_10.test(id)) return id;
    x = (x + 1n) % n;
  }
}
