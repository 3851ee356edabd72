/**
 * Rial amounts in Persian words (as on cheques, bills and receipts) and with thousands
 * separators.
 *
 * Choices (following Iranian banking usage):
 * - Scale words: هزار (10^3), میلیون (10^6), میلیارد (10^9). Amounts of 10^12 and more
 *   are said as a count of میلیارد, so 10^12 is "یک هزار میلیارد" and 2.5×10^12 is
 *   "دو هزار و پانصد میلیارد" — never تریلیون / بیلیون, whose meaning varies.
 * - A scale word is always preceded by its count, including one: 1000 → "یک هزار",
 *   10^6 → "یک میلیون" (cheque style: nothing can be prepended to "هزار").
 * - Hundreds are single words and 100 is "صد" (not "یک صد"): 101 → "صد و یک".
 * - Parts are joined with " و ". Spellings: پانصد، شانزده، هجده.
 * - Supported range: integers 0 … 10^15 - 1 (bigint, or a safe-integer number).
 */
import { IranValidationError } from './errors';
import { persianDigits } from './jalali';

const ONES = ['', 'یک', 'دو', 'سه', 'چهار', 'پنج', 'شش', 'هفت', 'هشت', 'نه'] as const;
const TEENS = ['ده', 'یازده', 'دوازده', 'سیزده', 'چهارده', 'پانزده', 'شانزده', 'هفده', 'هجده', 'نوزده'] as const;
const TENS = ['', '', 'بیست', 'سی', 'چهل', 'پنجاه', 'شصت', 'هفتاد', 'هشتاد', 'نود'] as const;
const HUNDREDS = ['', 'صد', 'دویست', 'سیصد', 'چهارصد', 'پانصد', 'ششصد', 'هفتصد', 'هشتصد', 'نهصد'] as const;

const JOIN = ' و ';
export const MAX_AMOUNT_IN_WORDS = 10n ** 15n - 1n;

/** Validates a non-negative integer amount and returns it as bigint. */
function toAmount(n: unknown, max?: bigint): bigint {
  let v: bigint;
  if (typeof n === 'bigint') {
    v = n;
  } else if (typeof n === 'number' && Number.isInteger(n)) {
    if (!Number.isSafeInteger(n)) {
      throw new IranValidationError(n < 0 ? 'AMOUNT_NEGATIVE' : 'AMOUNT_OUT_OF_RANGE', 'use a bigint for amounts beyond 2^53', {
        amount: n,
      });
    }
    v = BigInt(n);
  } else {
    throw new IranValidationError('AMOUNT_NOT_INTEGER', 'amount must be an integer (bigint or safe integer)', {
      amount: String(n),
    });
  }
  if (v < 0n) throw new IranValidationError('AMOUNT_NEGATIVE', 'amount must not be negative', { amount: v.toString() });
  if (max !== undefined && v > max) {
    throw new IranValidationError('AMOUNT_OUT_OF_RANGE', `amount exceeds ${max}`, { amount: v.toString() });
  }
  return v;
}

/** 1..999 → words. */
function belowThousand(n: number): string {
  const parts: string[] = [];
  const h = Math.floor(n / 100);
  const r = n % 100;
  if (h > 0) parts.push(HUNDREDS[h]);
  if (r >= 20) {
    parts.push(TENS[Math.floor(r / 10)]);
    if (r % 10 > 0) parts.push(ONES[r % 10]);
  } else if (r >= 10) {
    parts.push(TEENS[r - 10]);
  } else if (r > 0) {
    parts.push(ONES[r]);
  }
  return parts.join(JOIN);
}

/** 1..999,999 → words. */
function belowMillion(n: number): string {
  const parts: string[] = [];
  const t = Math.floor(n / 1000);
  const u = n % 1000;
  if (t > 0) parts.push(`${belowThousand(t)} هزار`);
  if (u > 0) parts.push(belowThousand(u));
  return parts.join(JOIN);
}

/** Persian words for an integer amount 0 … 10^15 - 1; throws on negatives/out of range. */
export function amountToPersianWords(n: bigint | number): string {
  const v = toAmount(n, MAX_AMOUNT_IN_WORDS);
  if (v === 0n) return 'صفر';
  const milliards = Number(v / 1_000_000_000n); // 0 … 999,999
  const millions = Number((v / 1_000_000n) % 1000n); // 0 … 999
  const rest = Number(v % 1_000_000n); // 0 … 999,999
  const parts: string[] = [];
  if (milliards > 0) parts.push(`${belowMillion(milliards)} میلیارد`);
  if (millions > 0) parts.push(`${belowThousand(millions)} میلیون`);
  if (rest > 0) parts.push(belowMillion(rest));
  return parts.join(JOIN);
}

function group(v: bigint, separator: string): string {
  return v.toString().replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

/** 1250000 → "1,250,000" (non-negative integers, any size as bigint). */
export function formatRials(n: bigint | number): string {
  return group(toAmount(n), ',');
}

/** 1250000 → "۱٬۲۵۰٬۰۰۰" (Persian digits, Arabic thousands separator U+066C). */
export function formatRialsFa(n: bigint | number): string {
  return persianDigits(group(toAmount(n), '\u066C'));
}
