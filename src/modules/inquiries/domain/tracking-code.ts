import { randomInt } from 'node:crypto';

/**
 * Tracking codes (کد پیگیری): 12 digits, the first 11 random (first digit 1-9, so no leading
 * zero is lost when typed into a number field) and a Verhoeff check digit, which catches every
 * single-digit typo and every swap of two adjacent digits. Random, so neither sequential nor
 * guessable (9×10¹⁰ codes).
 */
const D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
const INV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

export const TRACKING_CODE_LENGTH = 12;

/** The Verhoeff check digit of a digit string. */
export function verhoeffDigit(digits: string): number {
  let c = 0;
  const rev = digits.split('').reverse();
  for (let i = 0; i < rev.length; i++) c = D[c][P[(i + 1) % 8][Number(rev[i])]];
  return INV[c];
}

export function isValidTrackingCode(code: string): boolean {
  if (!/^[1-9]\d{11}$/.test(code)) return false;
  let c = 0;
  const rev = code.split('').reverse();
  for (let i = 0; i < rev.length; i++) c = D[c][P[i % 8][Number(rev[i])]];
  return c === 0;
}

export function generateTrackingCode(): string {
  let body = String(randomInt(1, 10));
  for (let i = 0; i < TRACKING_CODE_LENGTH - 2; i++) body += String(randomInt(0, 10));
  return body + String(verhoeffDigit(body));
}
