import { isValidMobile, maskMobile, normalizeMobile } from './mobile';

describe('normalizeMobile', () => {
  it.each([
    ['09121234567', '09121234567'],
    ['9121234567', '09121234567'],
    ['+989121234567', '09121234567'],
    ['00989121234567', '09121234567'],
    ['989121234567', '09121234567'],
    ['+98 (0) 912 123 4567', '09121234567'],
    ['۰۹۱۲۱۲۳۴۵۶۷', '09121234567'],
    ['٠٩١٢١٢٣٤٥٦٧', '09121234567'],
    ['+۹۸ ۹۱۲-۱۲۳-۴۵۶۷', '09121234567'],
    ['(0912) 123-4567', '09121234567'],
    ['0912.123.4567', '09121234567'],
    ['\u200E+98 935 111 2233\u200F', '09351112233'],
    ['09901234567', '09901234567'],
    // 10 digits starting with 98: read as 0989…, not as country code + 8 digits
    ['9891234567', '09891234567'],
    ['989891234567', '09891234567'],
  ])('%j → %s', (input, expected) => {
    expect(normalizeMobile(input)).toBe(expected);
    expect(isValidMobile(input)).toBe(true);
  });

  it.each<[unknown, string]>([
    ['0912123456', '10 digits with leading 0'],
    ['091212345678', '12 digits with leading 0'],
    ['02112345678', 'Tehran landline'],
    ['08112345678', 'not 09'],
    ['+9802112345678', 'landline with country code'],
    ['+19121234567', 'foreign country code'],
    ['9121234567+', 'plus not at start'],
    ['0912123456a', 'letter'],
    ['0912_123_4567', 'underscore is not a separator'],
    ['', 'empty'],
    [null, 'null'],
    [9121234567, 'number'],
  ])('rejects %j (%s)', (input) => {
    expect(normalizeMobile(input)).toBeNull();
    expect(isValidMobile(input)).toBe(false);
  });
});

describe('maskMobile', () => {
  it.each([
    ['09121234567', '0912***4567'],
    ['+989351112233', '0935***2233'],
    ['۰۹۱۲۱۲۳۴۵۶۷', '0912***4567'],
    ['garbage', '***********'],
  ])('%j → %s', (input, expected) => {
    expect(maskMobile(input)).toBe(expected);
  });
});
