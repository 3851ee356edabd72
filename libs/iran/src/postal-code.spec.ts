import { isValidPostalCode, normalizePostalCode } from './postal-code';

describe('isValidPostalCode / normalizePostalCode', () => {
  it.each([
    ['3413645185', '3413645185'],
    ['1619735744', '1619735744'],
    ['3414793011', '3414793011'],
    ['9991110000', '9991110000'],
  ])('accepts %s', (input, expected) => {
    expect(normalizePostalCode(input)).toBe(expected);
    expect(isValidPostalCode(input)).toBe(true);
  });

  it.each([
    ['34136-45185', '3413645185'],
    ['۳۴۱۳۶-۴۵۱۸۵', '3413645185'],
    ['٣٤١٣٦ ٤٥١٨٥', '3413645185'],
    [' 34136 45185 ', '3413645185'],
  ])('normalizes %j → %s', (input, expected) => {
    expect(normalizePostalCode(input)).toBe(expected);
  });

  it.each<[unknown, string]>([
    ['1111145185', 'first four digits identical'],
    ['9999345185', 'first four digits identical'],
    ['0413645185', '0 in the first part'],
    ['3213645185', '2 in the first part'],
    ['3413045185', '0 as the 5th digit'],
    ['3413245185', '2 as the 5th digit'],
    ['3413545185', '5 as the 5th digit'],
    ['3413645285', '2 in the second part'],
    ['341364518', '9 digits'],
    ['34136451851', '11 digits'],
    ['34136a5185', 'letter'],
    ['', 'empty'],
    [null, 'null'],
    [3413645185, 'number'],
  ])('rejects %j (%s)', (input) => {
    expect(isValidPostalCode(input)).toBe(false);
    expect(normalizePostalCode(input)).toBeNull();
  });

  it('accepts 0 in the second part and repeated digits that are not the first four', () => {
    expect(isValidPostalCode('1311100000')).toBe(true);
    expect(isValidPostalCode('1113100000')).toBe(true);
  });
});
