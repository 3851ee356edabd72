/**
 * Input checks, exact area and money arithmetic and number rendering for the calculators.
 *
 * Rounding rules (documented once, used everywhere):
 * - Areas are carried as integer hundredths of a square metre ("centi-m²"): an input area
 *   is taken to 0.01 m² (half up), and a percentage of an area is rounded half up to
 *   0.01 m². Results show areas in m² with at most two decimals.
 * - Coefficients have at most three decimals and are carried as integer thousandths.
 * - Money is computed exactly in bigint from those integers and each fee line is FLOORED
 *   to whole Rials (the citizen is never charged a fraction in the municipality's
 *   favour); a total is the sum of its floored lines, so a breakdown always adds up.
 *   Amounts are returned as safe-integer numbers below 10^15 (the range of Persian words).
 */
import type { FieldError } from '@app/common/errors/domain-error';
import { amountToPersianWords, formatRials, formatRialsFa, MAX_AMOUNT_IN_WORDS, persianDigits } from '@app/iran';
import { CalculatorErrors } from '../calculators.errors';
import type { Money } from './types';

/** Upper limits of inputs (anything above is a typo or an attack, not a parcel). */
export const LIMITS = {
  /** m² of one parcel (100 ha). */
  area: 1_000_000,
  /** m² of a building's requested gross area. */
  grossArea: 10_000_000,
  /** m. */
  roadWidth: 500,
  /** Rials per m². */
  regionalValue: 10_000_000_000,
  floors: 200,
  basements: 10,
  units: 100_000,
  spaces: 100_000,
} as const;

// ─── input checks ─────────────────────────────────────────────────────────────────────

function fieldError(field: string, code: string, fa: string, en: string): FieldError {
  return { field, code, message: { fa, en } };
}

/** Collects coded field errors and throws one CALC_INPUT_INVALID with all of them. */
export class InputChecks {
  readonly errors: FieldError[] = [];

  private number(field: string, v: unknown, integer: boolean, max: number): v is number {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      this.errors.push(fieldError(field, 'NOT_A_NUMBER', `«${field}» باید عدد باشد.`, `${field} must be a finite number.`));
      return false;
    }
    if (integer && !Number.isInteger(v)) {
      this.errors.push(fieldError(field, 'NOT_INTEGER', `«${field}» باید عدد صحیح باشد.`, `${field} must be an integer.`));
      return false;
    }
    if (v > max) {
      this.errors.push(
        fieldError(field, 'TOO_LARGE', `«${field}» حداکثر ${persianDigits(max)} است.`, `${field} must be at most ${max}.`),
      );
      return false;
    }
    return true;
  }

  /** > 0 and ≤ max. */
  positive(field: string, v: unknown, max: number, integer = false): void {
    if (!this.number(field, v, integer, max)) return;
    if ((v as number) <= 0) {
      this.errors.push(fieldError(field, 'NOT_POSITIVE', `«${field}» باید بزرگ‌تر از صفر باشد.`, `${field} must be greater than zero.`));
    }
  }

  /** ≥ 0 and ≤ max; `undefined` is accepted (the caller applies its default). */
  nonNegative(field: string, v: unknown, max: number, integer = false): void {
    if (v === undefined) return;
    if (!this.number(field, v, integer, max)) return;
    if ((v as number) < 0) {
      this.errors.push(fieldError(field, 'NEGATIVE', `«${field}» نمی‌تواند منفی باشد.`, `${field} must not be negative.`));
    }
  }

  add(field: string, code: string, fa: string, en: string): void {
    this.errors.push(fieldError(field, code, fa, en));
  }

  throwIfAny(): void {
    if (this.errors.length > 0) throw CalculatorErrors.CALC_INPUT_INVALID({ fieldErrors: this.errors });
  }
}

// ─── exact areas and money ───────────────────────────────────────────────────────────

/** m² → integer hundredths of m² (half up). */
export function toCenti(m2: number): number {
  return Math.round(m2 * 100);
}

/** percent of an area in centi-m², rounded half up to a centi-m². */
export function percentOfCenti(centi: number, percent: number): number {
  return Math.round((centi * percent) / 100);
}

export function centiToM2(centi: number): number {
  return centi / 100;
}

/** A coefficient with at most three decimals → integer thousandths. */
export function toMilli(coefficient: number): number {
  return Math.round(coefficient * 1000);
}

/** True when the number has at most `decimals` decimals (within float noise). */
export function hasAtMostDecimals(v: number, decimals: number): boolean {
  const scaled = v * 10 ** decimals;
  return Math.abs(scaled - Math.round(scaled)) < 1e-6;
}

/** floor(area × rate × coefficient) in whole Rials, exactly. */
export function feeRials(areaCenti: number, rialsPerM2: number, coefficientMilli: number): bigint {
  return (BigInt(areaCenti) * BigInt(rialsPerM2) * BigInt(coefficientMilli)) / 100_000n;
}

/** A bigint amount as Money; beyond the words range → CALC_AMOUNT_OUT_OF_RANGE. */
export function toMoney(v: bigint): Money {
  if (v < 0n) throw new Error(`negative amount ${v}: a calculator bug`);
  if (v > MAX_AMOUNT_IN_WORDS) {
    throw CalculatorErrors.CALC_AMOUNT_OUT_OF_RANGE({ extensions: { amount: v.toString() } });
  }
  return { rials: Number(v), words: amountToPersianWords(v), formattedFa: formatRialsFa(v), formatted: formatRials(v) };
}

// ─── rendering ────────────────────────────────────────────────────────────────────────

/** 1234.5 → "1,234.5" (at most two decimals, no trailing zeros). */
export function fmt(n: number): string {
  const neg = n < 0;
  const fixed = Math.abs(n).toFixed(2).replace(/\.?0+$/, '');
  const [int, dec] = fixed.split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (neg ? '-' : '') + grouped + (dec ? `.${dec}` : '');
}

/** 1234.5 → "۱٬۲۳۴٫۵" */
export function fmtFa(n: number): string {
  return persianDigits(fmt(n).replace(/,/g, '\u066C').replace('.', '\u066B'));
}

export function fmtBig(v: bigint): string {
  return formatRials(v);
}

export function fmtBigFa(v: bigint): string {
  return formatRialsFa(v);
}
