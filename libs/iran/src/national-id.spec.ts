import fc from 'fast-check';
import { generateNationalId, isValidNationalId, maskNationalId, normalizeNationalId } from './national-id';

/**
 * Published valid IDs, each checked by hand (weights 10..2 over d0..d8):
 *
 * 0499370899: 0*10+4*9+9*8+9*7+3*6+7*5+0*4+8*3+9*2 = 0+36+72+63+18+35+0+24+18 = 266
 *             266 mod 11 = 2 (264 = 24*11) → check 11-2 = 9 = d9 ✓
 * 0790419904: 0+63+72+0+24+5+36+27+0 = 227; 227 mod 11 = 7 → 11-7 = 4 ✓
 * 0084575948: 0+0+64+28+30+35+20+27+8 = 212; 212 mod 11 = 3 → 11-3 = 8 ✓
 * 0067749828: 0+0+48+49+42+20+36+24+4 = 223; 223 mod 11 = 3 → 8 ✓
 * 0013542419: 0+0+8+21+30+20+8+12+2 = 101;   101 mod 11 = 2 → 9 ✓
 * 0010350829: 0+0+8+0+18+25+0+24+4 = 79;     79 mod 11 = 2  → 9 ✓
 *
 * 1111111111: 1*(10+9+…+2) = 54; 54 mod 11 = 10 → 11-10 = 1 = d9, so the checksum
 *             passes, but repeated-digit IDs are rejected explicitly.
 * 0012345678: d0..d8 = 0,0,1,2,3,4,5,6,7
 *             → 1*8+2*7+3*6+4*5+5*4+6*3+7*2 = 8+14+18+20+20+18+14 = 112;
 *             112 mod 11 = 2 → check 9 ≠ 8 → invalid.
 */
const VALID = ['0499370899', '0790419904', '0084575948', '0067749828', '0013542419', '0010350829'];

describe('isValidNationalId / normalizeNationalId', () => {
  it.each(VALID)('accepts published vector %s', (id) => {
    expect(isValidNationalId(id)).toBe(true);
    expect(normalizeNationalId(id)).toBe(id);
  });

  it.each([
    ['۰۴۹۹۳۷۰۸۹۹', '0499370899'], // Persian digits
    ['٠٤٩٩٣٧٠٨٩٩', '0499370899'], // Arabic-Indic digits
    ['001-354241-9', '0013542419'], // as printed on the card
    [' 0013 542 419 ', '0013542419'],
    ['13542419', '0013542419'], // 8 digits: two leading zeros lost
    ['084575948', '0084575948'], // 9 digits: one leading zero lost
    [13542419 as unknown as string, '0013542419'], // number from a spreadsheet
  ])('normalizes %j → %s', (input, expected) => {
    expect(normalizeNationalId(input)).toBe(expected);
  });

  it.each<[unknown, string]>([
    ['0499370898', 'wrong check digit (expected 9)'],
    ['0012345678', 'wrong check digit (expected 9)'],
    ['1111111111', 'repeated digits (checksum passes)'],
    ['0000000000', 'repeated digits'],
    ['9999999999', 'repeated digits'],
    ['00000000', '8 zeros pad to repeated digits'],
    ['3542419', 'too short: 7 digits are not padded'],
    ['04993708990', 'too long'],
    ['049937089a', 'letter'],
    ['0499.370899', 'dot'],
    ['', 'empty'],
    [null, 'null'],
    [undefined, 'undefined'],
    [{}, 'object'],
  ])('rejects %j (%s)', (input) => {
    expect(isValidNationalId(input)).toBe(false);
    expect(normalizeNationalId(input)).toBeNull();
  });

  it('detects every single-digit substitution of a valid ID', () => {
    for (const id of VALID) {
      for (let pos = 0; pos < 10; pos++) {
        for (let d = 0; d <= 9; d++) {
          if (String(d) === id[pos]) continue;
          const bad = id.slice(0, pos) + String(d) + id.slice(pos + 1);
          expect(isValidNationalId(bad)).toBe(false);
        }
      }
    }
  });
});

describe('maskNationalId', () => {
  it.each([
    ['0012345678', '001****678'],
    ['0499370899', '049****899'],
    ['۰۴۹۹۳۷۰۸۹۹', '049****899'],
    ['13542419', '001****419'],
    ['12', '**********'],
    ['not an id', '**********'],
  ])('%j → %s', (input, expected) => {
    expect(maskNationalId(input)).toBe(expected);
  });
});

describe('generateNationalId', () => {
  it('is deterministic', () => {
    expect(generateNationalId(42)).toBe(generateNationalId(42));
    expect(generateNationalId(-7)).toBe(generateNationalId(-7));
  });

  it('seed 0 → body 123456789 (offset of the affine map) with check digit 1', () => {
    // 1*10+2*9+3*8+4*7+5*6+6*5+7*4+8*3+9*2 = 10+18+24+28+30+30+28+24+18 = 210;
    // 210 mod 11 = 1 (209 = 19*11); r < 2 → check = r = 1.
    expect(generateNationalId(0)).toBe('1234567891');
  });

  it('always produces valid, non-repeated IDs', () => {
    fc.assert(
      fc.property(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (seed) => {
        const id = generateNationalId(seed);
        expect(id).toMatch(/^\d{10}$/);
        expect(id).not.toMatch(/^(\d)\1{9}$/);
        expect(isValidNationalId(id)).toBe(true);
      }),
    );
  });

  it('gives distinct IDs for distinct seeds', () => {
    const ids = new Set<string>();
    for (let seed = 0; seed < 5000; seed++) ids.add(generateNationalId(seed));
    expect(ids.size).toBe(5000);
  });

  it('honours a prefix and skips the repeated-digit ID', () => {
    const withPrefix = generateNationalId(3, { prefix: '431' });
    expect(withPrefix.startsWith('431')).toBe(true);
    expect(isValidNationalId(withPrefix)).toBe(true);
    // prefix 11111111 leaves one free body digit: 10 seeds, one of which (body 1) would give
    // 1111111111. All 10 seeds must still produce valid, non-repeated IDs.
    const all = Array.from({ length: 10 }, (_, s) => generateNationalId(s, { prefix: '11111111' }));
    for (const id of all) {
      expect(id).not.toBe('1111111111');
      expect(isValidNationalId(id)).toBe(true);
    }
  });

  it('rejects bad arguments', () => {
    expect(() => generateNationalId(1.5)).toThrow(RangeError);
    expect(() => generateNationalId(Number.NaN)).toThrow(RangeError);
    expect(() => generateNationalId(1, { prefix: '123456789' })).toThrow(RangeError);
    expect(() => generateNationalId(1, { prefix: '12a' })).toThrow(RangeError);
  });
});
