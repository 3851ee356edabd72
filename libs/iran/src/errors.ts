/**
 * Coded validation error thrown by `@app/iran` helpers.
 *
 * Deliberately free of Nest: the application's global exception filter (or a
 * service wrapping these helpers) maps `code` to a problem+json response. The
 * `code` strings are part of the public contract — do not rename them.
 */
export const IRAN_ERROR_CODES = [
  // bill-payment.ts
  'BILL_DIGITS_INVALID',
  'BILL_FILE_CODE_INVALID',
  'BILL_COMPANY_CODE_INVALID',
  'BILL_SERVICE_TYPE_INVALID',
  'BILL_ID_TOO_LONG',
  'BILL_ID_INVALID',
  'BILL_AMOUNT_NOT_INTEGER',
  'BILL_AMOUNT_NOT_POSITIVE',
  'BILL_AMOUNT_NOT_THOUSANDS',
  'BILL_AMOUNT_TOO_LARGE',
  'BILL_YEAR_INVALID',
  'BILL_PERIOD_INVALID',
  'BILL_PAYMENT_ID_INVALID',
  'BILL_BARCODE_INVALID',
  // jalali.ts
  'JALALI_DATE_INVALID',
  'GREGORIAN_DATE_INVALID',
  'DATE_INVALID',
  // amount-words.ts
  'AMOUNT_NOT_INTEGER',
  'AMOUNT_NEGATIVE',
  'AMOUNT_OUT_OF_RANGE',
  // renewal-code.ts
  'RENEWAL_CODE_INVALID',
  'RENEWAL_CODE_REGION_MISMATCH',
] as const;

export type IranErrorCode = (typeof IRAN_ERROR_CODES)[number];

export class IranValidationError extends Error {
  override readonly name = 'IranValidationError';

  constructor(
    readonly code: IranErrorCode,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

export function isIranValidationError(e: unknown): e is IranValidationError {
  return e instanceof IranValidationError;
}
