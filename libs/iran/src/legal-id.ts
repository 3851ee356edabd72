/**
 * National ID of legal entities (شناسه ملی اشخاص حقوقی): 11 digits, the last a check
 * digit (algorithm of the Iranian Legal Entities Registration Organization, as used by
 * the widely copied reference implementations):
 *
 *   dec   = d[9] + 2
 *   coef  = [29, 27, 23, 19, 17, 29, 27, 23, 19, 17]
 *   s     = Σ (d[i] + dec) * coef[i]   for i = 0..9
 *   r     = s mod 11;  r == 10 → 0
 *   valid ⇔ r == d[10]
 *
 * Also rejected (as the reference implementations do): repeated-digit strings
 * (all zeros included) and IDs whose digits 4..9 (index 3..8, the serial part) are all
 * zero.
 */
import { normalizeDigits } from './normalize';

const COEF = [29, 27, 23, 19, 17, 29, 27, 23, 19, 17] as const;

/** Check digit over the first 10 digits of a legal-entity ID. */
export function legalIdCheckDigit(body10: string): number {
  if (!/^\d{10}$/.test(body10)) throw new RangeError('legalIdCheckDigit: expected 10 ASCII digits');
  const dec = body10.charCodeAt(9) - 48 + 2;
  let s = 0;
  for (let i = 0; i < 10; i++) s += (body10.charCodeAt(i) - 48 + dec) * COEF[i];
  const r = s % 11;
  return r === 10 ? 0 : r;
}

/** Canonical 11-digit legal ID or null. Accepts Persian/Arabic digits, spaces, dashes. */
export function normalizeLegalId(input: unknown): string | null {
  if (typeof input !== 'string') return null;
  const s = normalizeDigits(input).replace(/[\s\-\u200C-\u200F]/g, '');
  if (!/^\d{11}$/.test(s)) return null;
  if (/^(\d)\1{10}$/.test(s)) return null;
  if (s.slice(3, 9) === '000000') return null;
  return legalIdCheckDigit(s.slice(0, 10)) === s.charCodeAt(10) - 48 ? s : null;
}

export function isValidLegalId(input: unknown): boolean {
  return normalizeLegalId(input) !== null;
}
