import { buildSheba, isValidSheba, mod97, normalizeSheba } from './sheba';

/*
 * IR820540102680020817909002 (well-known example, bank code 054):
 *   rearranged: 0540102680020817909002 + 1827 + 82 = 0540102680020817909002182782
 *   chunked mod 97:  054010268 mod 97 = 86   (97*556806 = 54010182; 54010268-54010182 = 86)
 *                    860020817 mod 97 = 96
 *                    969090021 mod 97 = 75
 *                    7582782   mod 97 = 1    → valid ✓
 *
 * IR050170000000123456789012 (constructed, bank code 017, BBAN 0170000000123456789012):
 *   check digits: 0170000000123456789012 + 1827 + 00 mod 97 = 93 → 98 - 93 = 05
 *   verification: 017000000 mod 97 = 71; 710123456 mod 97 = 36; 367890121 mod 97 = 64;
 *                 6482705 mod 97 = 1 → valid ✓
 */
const WELL_KNOWN = 'IR820540102680020817909002';
const CONSTRUCTED = 'IR050170000000123456789012';

describe('mod97', () => {
  it.each([
    ['0', 0],
    ['97', 0],
    ['98', 1],
    ['054010268', 86],
    ['0540102680020817909002182782', 1],
    ['0170000000123456789012182700', 93],
  ])('%s mod 97 = %d', (digits, expected) => {
    expect(mod97(digits)).toBe(expected);
  });

  it('agrees with BigInt on long inputs', () => {
    const n = '123456789012345678901234567890123456789';
    expect(mod97(n)).toBe(Number(BigInt(n) % 97n));
  });

  it('rejects non-digits', () => {
    expect(() => mod97('12a')).toThrow(RangeError);
    expect(() => mod97('')).toThrow(RangeError);
  });
});

describe('isValidSheba / normalizeSheba', () => {
  it.each([WELL_KNOWN, CONSTRUCTED])('accepts %s', (s) => {
    expect(isValidSheba(s)).toBe(true);
    expect(normalizeSheba(s)).toBe(s);
  });

  it.each([
    ['ir820540102680020817909002', WELL_KNOWN],
    ['IR82 0540 1026 8002 0817 9090 02', WELL_KNOWN],
    ['IR82-0540-1026-8002-0817-9090-02', WELL_KNOWN],
    ['IR۸۲۰۵۴۰۱۰۲۶۸۰۰۲۰۸۱۷۹۰۹۰۰۲', WELL_KNOWN],
    ['  ir 05 0170 0000 0012 3456 7890 12 ', CONSTRUCTED],
    ['820540102680020817909002', WELL_KNOWN],
  ])('%j → %s', (input, expected) => {
    expect(normalizeSheba(input)).toBe(expected);
  });

  it.each<[unknown, string]>([
    ['IR820540102680020817909003', 'last digit changed'],
    ['IR830540102680020817909002', 'check digits changed'],
    ['IR820540102680020817990902', 'adjacent digits swapped'],
    ['DE820540102680020817909002', 'not IR'],
    ['IR82054010268002081790900', 'too short'],
    ['IR8205401026800208179090021', 'too long'],
    ['IR82054010268002081790900X', 'letter in BBAN'],
    ['', 'empty'],
    [null, 'null'],
  ])('rejects %j (%s)', (input) => {
    expect(isValidSheba(input)).toBe(false);
    expect(normalizeSheba(input)).toBeNull();
  });
});

describe('buildSheba', () => {
  it('computes the check digits of known vectors', () => {
    expect(buildSheba('0540102680020817909002')).toBe(WELL_KNOWN);
    expect(buildSheba('0170000000123456789012')).toBe(CONSTRUCTED);
  });

  it('rejects a malformed BBAN', () => {
    expect(() => buildSheba('123')).toThrow(RangeError);
  });
});
