/**
 * Iranian bank bill standard (شناسه قبض / شناسه پرداخت), accepted by every bank,
 * payment gateway and USSD/ATM channel.
 *
 * Check digit ("mod 11"): weights 2,3,4,5,6,7,2,3,… from the RIGHTMOST digit leftwards;
 * s = Σ digit × weight; r = s mod 11; check = r < 2 ? 0 : 11 - r.
 * NB: because r = 0 and r = 1 both give 0, a single-digit substitution that moves the
 * sum between those two residues is NOT detected (see the spec); every other
 * single-digit substitution is.
 *
 * Bill ID (max 13 digits, written without leading zeros):
 *   fileCode (subscriber/file number, 1-8 digits, no leading zero)
 *   + companyCode (3 digits) + serviceType (1 digit; 6 = municipality)
 *   + check digit over all preceding digits.
 *
 * Payment ID (6-13 digits):
 *   amount / 1000 (no leading zero) + last digit of the Jalali year + period (2 digits)
 *   + check 1 (mod 11 over the preceding payment digits)
 *   + check 2 (mod 11 over billId followed by the payment digits including check 1).
 *
 * Barcode (26 digits): billId left-padded with zeros to 13 + paymentId padded to 13.
 */
import { IranValidationError } from './errors';
import { normalizeDigits } from './normalize';

/** Service-type digit, as commonly listed in the bank standard. */
export const BILL_SERVICE_TYPES = {
  WATER: 1,
  ELECTRICITY: 2,
  GAS: 3,
  FIXED_PHONE: 4,
  MOBILE_PHONE: 5,
  MUNICIPALITY: 6,
  TAX: 8,
  TRAFFIC_FINES: 9,
} as const;

export const BILL_ID_MAX_LENGTH = 13;
export const PAYMENT_ID_MIN_LENGTH = 6;
export const PAYMENT_ID_MAX_LENGTH = 13;
/** Largest amount a 13-digit payment ID can carry: 99,999,999 thousand Rials. */
export const BILL_MAX_AMOUNT_RIALS = 99_999_999_000n;

export interface BillIdParts {
  /** Subscriber / file code, digits without leading zero. */
  fileCode: string;
  /** Three-digit company (organization) code, zero-padded. */
  companyCode: string;
  /** Service type digit 0-9 (6 = municipality). */
  serviceType: number;
}

export interface BuildBillIdInput {
  fileCode: string | number;
  companyCode: string | number;
  serviceType: number;
}

export interface BuildPaymentIdInput {
  billId: string;
  /** Integer Rials, positive multiple of 1000. */
  amountRials: bigint | number;
  /** Jalali year (e.g. 1403); only its last digit is encoded. */
  jalaliYear: number;
  /** Period 0-99 (e.g. month number, or instalment). */
  period: number;
}

export interface PaymentIdParts {
  amountRials: bigint;
  yearDigit: number;
  period: number;
}

const WEIGHTS = [2, 3, 4, 5, 6, 7] as const;

/** Mod-11 check digit of a non-empty string of ASCII digits (see file header). */
export function mod11CheckDigit(digits: string): number {
  if (typeof digits !== 'string' || !/^\d+$/.test(digits)) {
    throw new IranValidationError('BILL_DIGITS_INVALID', 'mod11CheckDigit expects a non-empty string of digits');
  }
  let s = 0;
  for (let i = digits.length - 1, k = 0; i >= 0; i--, k++) {
    s += (digits.charCodeAt(i) - 48) * WEIGHTS[k % 6];
  }
  const r = s % 11;
  return r < 2 ? 0 : 11 - r;
}

/** Persian/Arabic digits → ASCII, spaces/dashes removed, leading zeros removed. */
function cleanNumeric(input: unknown): string | null {
  if (typeof input !== 'string') return null;
  const s = normalizeDigits(input).replace(/[\s\-\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g, '');
  if (!/^\d+$/.test(s)) return null;
  return s.replace(/^0+/, '');
}

function digitField(value: string | number, code: 'BILL_FILE_CODE_INVALID' | 'BILL_COMPANY_CODE_INVALID'): string {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new IranValidationError(code, 'expected a non-negative integer', { value });
    }
    return String(value);
  }
  if (typeof value !== 'string') throw new IranValidationError(code, 'expected digits');
  const s = normalizeDigits(value).trim();
  if (!/^\d+$/.test(s)) throw new IranValidationError(code, 'expected digits', { value });
  return s;
}

/** Builds a bill ID; throws IranValidationError on bad parts or when longer than 13 digits. */
export function buildBillId(input: BuildBillIdInput): string {
  const fileCode = digitField(input.fileCode, 'BILL_FILE_CODE_INVALID');
  if (fileCode.startsWith('0')) {
    throw new IranValidationError('BILL_FILE_CODE_INVALID', 'file code must be positive without leading zeros', {
      fileCode,
    });
  }
  let companyCode = digitField(input.companyCode, 'BILL_COMPANY_CODE_INVALID');
  if (companyCode.length > 3) {
    throw new IranValidationError('BILL_COMPANY_CODE_INVALID', 'company code has at most 3 digits', { companyCode });
  }
  companyCode = companyCode.padStart(3, '0');
  const { serviceType } = input;
  if (!Number.isInteger(serviceType) || serviceType < 0 || serviceType > 9) {
    throw new IranValidationError('BILL_SERVICE_TYPE_INVALID', 'service type is one digit 0-9', { serviceType });
  }
  const body = `${fileCode}${companyCode}${serviceType}`;
  if (body.length + 1 > BILL_ID_MAX_LENGTH) {
    throw new IranValidationError('BILL_ID_TOO_LONG', `bill ID would exceed ${BILL_ID_MAX_LENGTH} digits`, {
      fileCode,
    });
  }
  return body + String(mod11CheckDigit(body));
}

/**
 * Canonical bill ID (ASCII digits, no leading zeros) or null when the input is not a
 * valid bill ID. Accepts Persian/Arabic digits, spaces and dashes.
 */
export function normalizeBillId(input: unknown): string | null {
  const s = cleanNumeric(input);
  if (s === null || s.length < 6 || s.length > BILL_ID_MAX_LENGTH) return null;
  return mod11CheckDigit(s.slice(0, -1)) === s.charCodeAt(s.length - 1) - 48 ? s : null;
}

export function isValidBillId(input: unknown): boolean {
  return normalizeBillId(input) !== null;
}

/** Splits a valid bill ID; throws `BILL_ID_INVALID` otherwise. */
export function parseBillId(billId: string): BillIdParts {
  const s = normalizeBillId(billId);
  if (s === null) throw new IranValidationError('BILL_ID_INVALID', 'invalid bill ID', { billId });
  return {
    fileCode: s.slice(0, -5),
    companyCode: s.slice(-5, -2),
    serviceType: s.charCodeAt(s.length - 2) - 48,
  };
}

function requireBillId(billId: unknown): string {
  const s = normalizeBillId(billId);
  if (s === null) throw new IranValidationError('BILL_ID_INVALID', 'invalid bill ID', { billId });
  return s;
}

/** Validates an amount and returns amount / 1000 as a bigint. */
function amountThousands(amount: unknown): bigint {
  let a: bigint;
  if (typeof amount === 'bigint') {
    a = amount;
  } else if (typeof amount === 'number' && Number.isInteger(amount)) {
    if (!Number.isSafeInteger(amount)) {
      throw new IranValidationError(amount > 0 ? 'BILL_AMOUNT_TOO_LARGE' : 'BILL_AMOUNT_NOT_POSITIVE', 'amount out of range', {
        amount,
      });
    }
    a = BigInt(amount);
  } else {
    throw new IranValidationError('BILL_AMOUNT_NOT_INTEGER', 'amount must be an integer number of Rials', {
      amount: String(amount),
    });
  }
  if (a <= 0n) {
    throw new IranValidationError('BILL_AMOUNT_NOT_POSITIVE', 'amount must be positive', { amount: a.toString() });
  }
  if (a % 1000n !== 0n) {
    throw new IranValidationError('BILL_AMOUNT_NOT_THOUSANDS', 'amount must be a multiple of 1000 Rials', {
      amount: a.toString(),
    });
  }
  if (a > BILL_MAX_AMOUNT_RIALS) {
    throw new IranValidationError('BILL_AMOUNT_TOO_LARGE', `amount exceeds ${BILL_MAX_AMOUNT_RIALS} Rials`, {
      amount: a.toString(),
    });
  }
  return a / 1000n;
}

/** Builds the payment ID for a bill; throws IranValidationError with a specific code. */
export function buildPaymentId(input: BuildPaymentIdInput): string {
  const billId = requireBillId(input.billId);
  const thousands = amountThousands(input.amountRials);
  const { jalaliYear, period } = input;
  if (!Number.isInteger(jalaliYear) || jalaliYear < 0 || jalaliYear > 9999) {
    throw new IranValidationError('BILL_YEAR_INVALID', 'Jalali year must be an integer 0-9999', { jalaliYear });
  }
  if (!Number.isInteger(period) || period < 0 || period > 99) {
    throw new IranValidationError('BILL_PERIOD_INVALID', 'period must be an integer 0-99', { period });
  }
  const body = `${thousands}${jalaliYear % 10}${String(period).padStart(2, '0')}`;
  const withC1 = body + String(mod11CheckDigit(body));
  return withC1 + String(mod11CheckDigit(billId + withC1));
}

function normalizePaymentId(billId: unknown, paymentId: unknown): { bill: string; pay: string } | null {
  const bill = normalizeBillId(billId);
  const pay = cleanNumeric(paymentId);
  if (bill === null || pay === null) return null;
  if (pay.length < PAYMENT_ID_MIN_LENGTH || pay.length > PAYMENT_ID_MAX_LENGTH) return null;
  const c1 = pay.charCodeAt(pay.length - 2) - 48;
  const c2 = pay.charCodeAt(pay.length - 1) - 48;
  if (mod11CheckDigit(pay.slice(0, -2)) !== c1) return null;
  if (mod11CheckDigit(bill + pay.slice(0, -1)) !== c2) return null;
  return { bill, pay };
}

/** True when `paymentId` is well-formed and both its check digits match `billId`. */
export function isValidPaymentId(billId: unknown, paymentId: unknown): boolean {
  return normalizePaymentId(billId, paymentId) !== null;
}

/** Decodes a payment ID validated against its bill ID; throws `BILL_PAYMENT_ID_INVALID`. */
export function parsePaymentId(billId: string, paymentId: string): PaymentIdParts {
  const n = normalizePaymentId(billId, paymentId);
  if (n === null) {
    throw new IranValidationError('BILL_PAYMENT_ID_INVALID', 'invalid payment ID for this bill', { billId, paymentId });
  }
  const p = n.pay;
  return {
    amountRials: BigInt(p.slice(0, -5)) * 1000n,
    yearDigit: p.charCodeAt(p.length - 5) - 48,
    period: Number(p.slice(-4, -2)),
  };
}

/** 26-digit barcode; throws when the bill/payment pair is invalid. */
export function buildBarcode(billId: string, paymentId: string): string {
  const bill = requireBillId(billId);
  const n = normalizePaymentId(bill, paymentId);
  if (n === null) {
    throw new IranValidationError('BILL_PAYMENT_ID_INVALID', 'invalid payment ID for this bill', { billId, paymentId });
  }
  return n.bill.padStart(13, '0') + n.pay.padStart(13, '0');
}

/** Splits a 26-digit barcode into a validated bill/payment pair; throws `BILL_BARCODE_INVALID`. */
export function parseBarcode(barcode: string): { billId: string; paymentId: string } {
  const s = typeof barcode === 'string' ? normalizeDigits(barcode).replace(/\s/g, '') : '';
  const n = /^\d{26}$/.test(s) ? normalizePaymentId(s.slice(0, 13), s.slice(13)) : null;
  if (n === null) throw new IranValidationError('BILL_BARCODE_INVALID', 'invalid bill barcode', { barcode });
  return { billId: n.bill, paymentId: n.pay };
}
