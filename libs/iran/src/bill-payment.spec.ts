import fc from 'fast-check';
import {
  BILL_SERVICE_TYPES,
  buildBarcode,
  buildBillId,
  buildPaymentId,
  isValidBillId,
  isValidPaymentId,
  mod11CheckDigit,
  normalizeBillId,
  parseBarcode,
  parseBillId,
  parsePaymentId,
} from './bill-payment';
import { IranValidationError } from './errors';

/*
 * Spec vector: bill 7748317800142, payment 1770160, barcode 77483178001420000001770160.
 *
 * Bill check digit over 774831780014 — digits from the right 4,1,0,0,8,7,1,3,8,4,7,7
 * with weights 2,3,4,5,6,7,2,3,4,5,6,7:
 *   8+3+0+0+48+49+2+9+32+20+42+49 = 262; 262 mod 11 = 9 (253 = 23*11) → 11-9 = 2 ✓
 *   parts: fileCode 77483178, companyCode 001, serviceType 4.
 * Payment 1770160 = "17" (17,000 Rials) + year digit 7 + period 01 + c1 6 + c2 0:
 *   c1 over 17701 — from the right 1,0,7,7,1 × 2,3,4,5,6 = 2+0+28+35+6 = 71;
 *   71 mod 11 = 5 → 11-5 = 6 ✓
 *   c2 over 7748317800142 177016 — from the right 6,1,0,7,7,1,2,4,1,0,0,8,7,1,3,8,4,7,7
 *   × 2,3,4,5,6,7,2,3,4,5,6,7,2,3,4,5,6,7,2:
 *   12+3+0+35+42+7+4+12+4+0+0+56+14+3+12+40+24+49+14 = 331; 331 mod 11 = 1 → 0 ✓
 *
 * Municipal vector (constructed): fileCode 1234, company 101, service 6 → body 12341016:
 *   from the right 6,1,0,1,4,3,2,1 × 2,3,4,5,6,7,2,3 = 12+3+0+5+24+21+4+3 = 72;
 *   72 mod 11 = 6 → check 5 → bill 123410165.
 *   Payment 1,250,000 Rials, year 1403, period 5 → body 1250 3 05 = 1250305:
 *   c1: from the right 5,0,3,0,5,2,1 × 2,3,4,5,6,7,2 = 10+0+12+0+30+14+2 = 68; 68 mod 11 = 2 → 9
 *   c2 over 123410165 12503059: from the right 9,5,0,3,0,5,2,1,5,6,1,0,1,4,3,2,1
 *   × 2,3,4,5,6,7,2,3,4,5,6,7,2,3,4,5,6:
 *   18+15+0+15+0+35+4+3+20+30+6+0+2+12+12+10+6 = 188; 188 mod 11 = 1 → 0
 *   → payment 125030590, barcode 0000123410165 0000125030590.
 */
const SPEC_BILL = '7748317800142';
const SPEC_PAYMENT = '1770160';
const SPEC_BARCODE = '77483178001420000001770160';

function expectCode(fn: () => unknown, code: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(IranValidationError);
  expect((caught as IranValidationError).code).toBe(code);
}

describe('mod11CheckDigit', () => {
  it.each([
    ['774831780014', 2],
    ['17701', 6],
    ['7748317800142177016', 0], // r = 1 → 0
    ['12341016', 5],
    ['1250305', 9],
    ['12340010', 0], // s = 55, r = 0 → 0
    ['0', 0],
    ['1', 9], // 1*2 = 2 → 11-2 = 9
    ['5', 1], // 5*2 = 10 → 11-10 = 1
    ['0000012341016', 5], // leading zeros do not change the sum
  ])('%s → %d', (digits, expected) => {
    expect(mod11CheckDigit(digits)).toBe(expected);
  });

  it.each(['', '12a', '۱۲', ' 12'])('rejects %j', (digits) => {
    expectCode(() => mod11CheckDigit(digits), 'BILL_DIGITS_INVALID');
  });
});

describe('bill ID', () => {
  it('validates and parses the spec vector', () => {
    expect(isValidBillId(SPEC_BILL)).toBe(true);
    expect(parseBillId(SPEC_BILL)).toEqual({ fileCode: '77483178', companyCode: '001', serviceType: 4 });
    expect(buildBillId({ fileCode: '77483178', companyCode: '001', serviceType: 4 })).toBe(SPEC_BILL);
  });

  it('builds the municipal vector', () => {
    expect(buildBillId({ fileCode: 1234, companyCode: 101, serviceType: BILL_SERVICE_TYPES.MUNICIPALITY })).toBe(
      '123410165',
    );
    expect(buildBillId({ fileCode: '۱۲۳۴', companyCode: '101', serviceType: 6 })).toBe('123410165');
    expect(parseBillId('123410165')).toEqual({ fileCode: '1234', companyCode: '101', serviceType: 6 });
  });

  it('normalizes user input', () => {
    expect(normalizeBillId('۷۷۴۸۳۱۷۸۰۰۱۴۲')).toBe(SPEC_BILL);
    expect(normalizeBillId(' 7748317-800142 ')).toBe(SPEC_BILL);
    expect(normalizeBillId('0007748317800142')).toBe(SPEC_BILL); // zero-padded as in a barcode
  });

  it.each<[unknown, string]>([
    ['7748317800143', 'wrong check digit'],
    ['7748317800141', 'wrong check digit'],
    ['7748317800042', 'changed company code'],
    ['77483178001420', 'digit appended (14 digits)'],
    ['12345', 'too short for file+company+service+check'],
    ['774831780014a', 'letter'],
    ['', 'empty'],
    [null, 'null'],
    [7748317800142, 'number'],
  ])('rejects %j (%s)', (input) => {
    expect(isValidBillId(input)).toBe(false);
  });

  it('parseBillId throws BILL_ID_INVALID', () => {
    expectCode(() => parseBillId('7748317800143'), 'BILL_ID_INVALID');
  });

  it.each([
    [{ fileCode: '', companyCode: '001', serviceType: 6 }, 'BILL_FILE_CODE_INVALID'],
    [{ fileCode: '0123', companyCode: '001', serviceType: 6 }, 'BILL_FILE_CODE_INVALID'],
    [{ fileCode: 0, companyCode: '001', serviceType: 6 }, 'BILL_FILE_CODE_INVALID'],
    [{ fileCode: -5, companyCode: '001', serviceType: 6 }, 'BILL_FILE_CODE_INVALID'],
    [{ fileCode: 1.5, companyCode: '001', serviceType: 6 }, 'BILL_FILE_CODE_INVALID'],
    [{ fileCode: '12a', companyCode: '001', serviceType: 6 }, 'BILL_FILE_CODE_INVALID'],
    [{ fileCode: '123', companyCode: '1001', serviceType: 6 }, 'BILL_COMPANY_CODE_INVALID'],
    [{ fileCode: '123', companyCode: 'ab', serviceType: 6 }, 'BILL_COMPANY_CODE_INVALID'],
    [{ fileCode: '123', companyCode: '001', serviceType: 10 }, 'BILL_SERVICE_TYPE_INVALID'],
    [{ fileCode: '123', companyCode: '001', serviceType: -1 }, 'BILL_SERVICE_TYPE_INVALID'],
    [{ fileCode: '123456789', companyCode: '001', serviceType: 6 }, 'BILL_ID_TOO_LONG'],
  ])('buildBillId(%j) throws %s', (input, code) => {
    expectCode(() => buildBillId(input), code);
  });

  it('round-trips build → isValid → parse (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 99_999_999 }),
        fc.integer({ min: 0, max: 999 }),
        fc.integer({ min: 0, max: 9 }),
        (file, company, serviceType) => {
          const fileCode = String(file);
          const companyCode = String(company).padStart(3, '0');
          const id = buildBillId({ fileCode, companyCode, serviceType });
          expect(id.length).toBeLessThanOrEqual(13);
          expect(isValidBillId(id)).toBe(true);
          expect(parseBillId(id)).toEqual({ fileCode, companyCode, serviceType });
        },
      ),
    );
  });

  /*
   * Blind spot of this check-digit mapping (r = 0 and r = 1 both give 0):
   * 123400160 is valid (body 12340016: 12+3+0+0+24+21+4+3 = 67, r = 1 → 0) and so is
   * 123400100, one substitution away (body 12340010: 0+3+0+0+24+21+4+3 = 55, r = 0 → 0).
   */
  it('documents the r ∈ {0,1} blind spot with a hand-computed pair', () => {
    expect(isValidBillId('123400160')).toBe(true);
    expect(isValidBillId('123400100')).toBe(true);
  });

  it('detects every single-digit substitution when the check digit is not 0 (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 99_999_999 }),
        fc.integer({ min: 0, max: 999 }),
        fc.integer({ min: 0, max: 9 }),
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        (file, company, serviceType, posSeed, delta) => {
          const id = buildBillId({ fileCode: String(file), companyCode: company, serviceType });
          fc.pre(!id.endsWith('0'));
          const pos = posSeed % id.length;
          const digit = (Number(id[pos]) + delta) % 10;
          const corrupted = id.slice(0, pos) + String(digit) + id.slice(pos + 1);
          expect(isValidBillId(corrupted)).toBe(false);
        },
      ),
    );
  });

  it('detects every substitution of the check digit itself (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 99_999_999 }),
        fc.integer({ min: 0, max: 999 }),
        fc.integer({ min: 1, max: 9 }),
        (file, company, delta) => {
          const id = buildBillId({ fileCode: String(file), companyCode: company, serviceType: 6 });
          const last = (Number(id[id.length - 1]) + delta) % 10;
          expect(isValidBillId(id.slice(0, -1) + String(last))).toBe(false);
        },
      ),
    );
  });
});

describe('payment ID', () => {
  it('validates and parses the spec vector', () => {
    expect(isValidPaymentId(SPEC_BILL, SPEC_PAYMENT)).toBe(true);
    expect(parsePaymentId(SPEC_BILL, SPEC_PAYMENT)).toEqual({ amountRials: 17_000n, yearDigit: 7, period: 1 });
    expect(buildPaymentId({ billId: SPEC_BILL, amountRials: 17_000, jalaliYear: 1397, period: 1 })).toBe(SPEC_PAYMENT);
  });

  it('builds the municipal vector from number and bigint amounts', () => {
    const input = { billId: '123410165', jalaliYear: 1403, period: 5 };
    expect(buildPaymentId({ ...input, amountRials: 1_250_000 })).toBe('125030590');
    expect(buildPaymentId({ ...input, amountRials: 1_250_000n })).toBe('125030590');
    expect(parsePaymentId('123410165', '۱۲۵۰۳۰۵۹۰')).toEqual({ amountRials: 1_250_000n, yearDigit: 3, period: 5 });
  });

  it('accepts the largest amount (13-digit payment ID)', () => {
    const p = buildPaymentId({ billId: SPEC_BILL, amountRials: 99_999_999_000n, jalaliYear: 1403, period: 12 });
    expect(p).toHaveLength(13);
    expect(p.startsWith('99999999312')).toBe(true);
    expect(parsePaymentId(SPEC_BILL, p).amountRials).toBe(99_999_999_000n);
  });

  it.each<[string, unknown, string]>([
    [SPEC_BILL, '1770161', 'check 2 wrong'],
    [SPEC_BILL, '1770150', 'check 1 wrong'],
    [SPEC_BILL, '1870160', 'amount changed'],
    ['7748317800143', SPEC_PAYMENT, 'invalid bill ID'],
    ['123410165', SPEC_PAYMENT, 'payment of another bill'],
    [SPEC_BILL, '16010', 'too short'],
    [SPEC_BILL, '12345678901234', 'too long'],
    [SPEC_BILL, '17701a0', 'letter'],
    [SPEC_BILL, '', 'empty'],
    [SPEC_BILL, null, 'null'],
  ])('rejects bill %j payment %j (%s)', (bill, payment) => {
    expect(isValidPaymentId(bill, payment)).toBe(false);
  });

  it('parsePaymentId throws BILL_PAYMENT_ID_INVALID', () => {
    expectCode(() => parsePaymentId(SPEC_BILL, '1770161'), 'BILL_PAYMENT_ID_INVALID');
  });

  it.each([
    ['{ amountRials: 17_500 }', { amountRials: 17_500 }, 'BILL_AMOUNT_NOT_THOUSANDS'],
    ['{ amountRials: 999n }', { amountRials: 999n }, 'BILL_AMOUNT_NOT_THOUSANDS'],
    ['{ amountRials: 1000.5 }', { amountRials: 1000.5 }, 'BILL_AMOUNT_NOT_INTEGER'],
    ['{ amountRials: Number.NaN }', { amountRials: Number.NaN }, 'BILL_AMOUNT_NOT_INTEGER'],
    ['{ amountRials: Number.POSITIVE_INFINITY }', { amountRials: Number.POSITIVE_INFINITY }, 'BILL_AMOUNT_NOT_INTEGER'],
    ['{ amountRials: "17000" } (string)', { amountRials: '17000' as unknown as number }, 'BILL_AMOUNT_NOT_INTEGER'],
    ['{ amountRials: 0 }', { amountRials: 0 }, 'BILL_AMOUNT_NOT_POSITIVE'],
    ['{ amountRials: -1000 }', { amountRials: -1000 }, 'BILL_AMOUNT_NOT_POSITIVE'],
    ['{ amountRials: -1000n }', { amountRials: -1000n }, 'BILL_AMOUNT_NOT_POSITIVE'],
    ['{ amountRials: 100_000_000_000n }', { amountRials: 100_000_000_000n }, 'BILL_AMOUNT_TOO_LARGE'],
    ['{ amountRials: 2 ** 60 }', { amountRials: 2 ** 60 }, 'BILL_AMOUNT_TOO_LARGE'],
    ['{ jalaliYear: 1403.5 }', { jalaliYear: 1403.5 }, 'BILL_YEAR_INVALID'],
    ['{ jalaliYear: -1 }', { jalaliYear: -1 }, 'BILL_YEAR_INVALID'],
    ['{ period: 100 }', { period: 100 }, 'BILL_PERIOD_INVALID'],
    ['{ period: -1 }', { period: -1 }, 'BILL_PERIOD_INVALID'],
    ['{ period: 1.5 }', { period: 1.5 }, 'BILL_PERIOD_INVALID'],
    ['{ billId: 7748317800143 }', { billId: '7748317800143' }, 'BILL_ID_INVALID'],
  ])('buildPaymentId with %s throws %s', (_label, override, code) => {
    expectCode(
      () => buildPaymentId({ billId: SPEC_BILL, amountRials: 17_000, jalaliYear: 1397, period: 1, ...override }),
      code,
    );
  });

  it('round-trips build → isValid → parse (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 99_999_999 }),
        fc.integer({ min: 0, max: 999 }),
        fc.integer({ min: 1, max: 99_999_999 }),
        fc.integer({ min: 1300, max: 1599 }),
        fc.integer({ min: 0, max: 99 }),
        (file, company, thousands, jalaliYear, period) => {
          const billId = buildBillId({ fileCode: String(file), companyCode: company, serviceType: 6 });
          const amountRials = BigInt(thousands) * 1000n;
          const paymentId = buildPaymentId({ billId, amountRials, jalaliYear, period });
          expect(paymentId.length).toBeGreaterThanOrEqual(6);
          expect(paymentId.length).toBeLessThanOrEqual(13);
          expect(isValidPaymentId(billId, paymentId)).toBe(true);
          expect(parsePaymentId(billId, paymentId)).toEqual({ amountRials, yearDigit: jalaliYear % 10, period });
          const barcode = buildBarcode(billId, paymentId);
          expect(barcode).toHaveLength(26);
          expect(parseBarcode(barcode)).toEqual({ billId, paymentId });
        },
      ),
    );
  });
});

describe('barcode', () => {
  it('builds the spec vector', () => {
    expect(buildBarcode(SPEC_BILL, SPEC_PAYMENT)).toBe(SPEC_BARCODE);
    expect(parseBarcode(SPEC_BARCODE)).toEqual({ billId: SPEC_BILL, paymentId: SPEC_PAYMENT });
  });

  it('builds the municipal vector', () => {
    expect(buildBarcode('123410165', '125030590')).toBe('00001234101650000125030590');
  });

  it('refuses invalid pairs', () => {
    expectCode(() => buildBarcode('7748317800143', SPEC_PAYMENT), 'BILL_ID_INVALID');
    expectCode(() => buildBarcode(SPEC_BILL, '1770161'), 'BILL_PAYMENT_ID_INVALID');
    expectCode(() => parseBarcode('77483178001420000001770161'), 'BILL_BARCODE_INVALID');
    expectCode(() => parseBarcode('7748317800142000000177016'), 'BILL_BARCODE_INVALID');
    expectCode(() => parseBarcode(''), 'BILL_BARCODE_INVALID');
  });
});
