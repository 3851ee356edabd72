import * as iran from './index';

describe('@app/iran public API', () => {
  it('exports every helper', () => {
    const expected = [
      'IranValidationError',
      'normalizeDigits',
      'normalizePersianText',
      'normalizeDeep',
      'isValidNationalId',
      'normalizeNationalId',
      'maskNationalId',
      'generateNationalId',
      'isValidLegalId',
      'normalizeMobile',
      'maskMobile',
      'isValidSheba',
      'normalizeSheba',
      'isValidPostalCode',
      'normalizePostalCode',
      'mod11CheckDigit',
      'buildBillId',
      'isValidBillId',
      'parseBillId',
      'buildPaymentId',
      'isValidPaymentId',
      'parsePaymentId',
      'buildBarcode',
      'toJalali',
      'fromJalali',
      'formatJalali',
      'parseJalaliDate',
      'tehranDateTimeToUtc',
      'jalaliMonthLength',
      'isJalaliLeapYear',
      'persianDigits',
      'amountToPersianWords',
      'formatRials',
      'formatRialsFa',
    ];
    for (const name of expected) expect(typeof (iran as Record<string, unknown>)[name]).toBe('function');
  });

  it('is usable end to end from the barrel', () => {
    const billId = iran.buildBillId({ fileCode: '77483178', companyCode: '001', serviceType: 4 });
    const paymentId = iran.buildPaymentId({ billId, amountRials: 17_000n, jalaliYear: 1397, period: 1 });
    expect(iran.buildBarcode(billId, paymentId)).toBe('77483178001420000001770160');
    expect(iran.normalizeMobile('۰۹۱۲ ۱۲۳ ۴۵۶۷')).toBe('09121234567');
  });
});
