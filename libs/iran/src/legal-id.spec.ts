import { isValidLegalId, legalIdCheckDigit, normalizeLegalId } from './legal-id';

/*
 * Hand computations (coef 29,27,23,19,17,29,27,23,19,17; dec = d9 + 2):
 *
 * 14000135580 (commonly cited): d = 1,4,0,0,0,1,3,5,5,8 | 0; dec = 10
 *   11*29=319, 14*27=378, 10*23=230, 10*19=190, 10*17=170,
 *   11*29=319, 13*27=351, 15*23=345, 15*19=285, 18*17=306
 *   s = 2893 = 263*11 → r = 0 = d10 ✓ VALID
 *
 * 10100302860 (also commonly cited): d = 1,0,1,0,0,3,0,2,8,6 | 0; dec = 8
 *   9*29=261, 8*27=216, 9*23=207, 8*19=152, 8*17=136,
 *   11*29=319, 8*27=216, 10*23=230, 16*19=304, 14*17=238
 *   s = 2279 = 207*11 + 2 → r = 2 ≠ 0 ✗ — this algorithm does NOT confirm it, so it is
 *   not used as a valid vector (its correct check digit would be 2: 10100302862).
 *
 * 10861975609 (constructed): d = 1,0,8,6,1,9,7,5,6,0 | 9; dec = 2
 *   3*29=87, 2*27=54, 10*23=230, 8*19=152, 3*17=51,
 *   11*29=319, 9*27=243, 7*23=161, 8*19=152, 2*17=34
 *   s = 1483 = 134*11 + 9 → r = 9 = d10 ✓ VALID
 *
 * 19906958480 (constructed, exercises r == 10 → 0): d = 1,9,9,0,6,9,5,8,4,8 | 0; dec = 10
 *   11*29=319, 19*27=513, 19*23=437, 10*19=190, 16*17=272,
 *   19*29=551, 15*27=405, 18*23=414, 14*19=266, 18*17=306
 *   s = 3673 = 333*11 + 10 → r = 10 → 0 = d10 ✓ VALID
 */
describe('legalIdCheckDigit', () => {
  it.each([
    ['1400013558', 0],
    ['1010030286', 2],
    ['1086197560', 9],
    ['1990695848', 0],
  ])('%s → %d', (body, check) => {
    expect(legalIdCheckDigit(body)).toBe(check);
  });

  it('rejects malformed bodies', () => {
    expect(() => legalIdCheckDigit('123')).toThrow(RangeError);
    expect(() => legalIdCheckDigit('12345678901')).toThrow(RangeError);
  });
});

describe('isValidLegalId', () => {
  it.each(['14000135580', '10861975609', '19906958480', '10100302862'])('accepts %s', (id) => {
    expect(isValidLegalId(id)).toBe(true);
    expect(normalizeLegalId(id)).toBe(id);
  });

  it('normalizes Persian digits and separators', () => {
    expect(normalizeLegalId('۱۴۰۰۰۱۳۵۵۸۰')).toBe('14000135580');
    expect(normalizeLegalId(' 1400-0135-580 ')).toBe('14000135580');
  });

  it.each<[unknown, string]>([
    ['10100302860', 'check digit should be 2'],
    ['14000135581', 'check digit off by one'],
    ['19906958481', 'r == 10 must map to 0, not 1'],
    ['00000000000', 'all zeros'],
    ['11111111111', 'repeated digits'],
    ['77777777777', 'repeated digits'],
    ['1400013558', '10 digits'],
    ['140001355800', '12 digits'],
    ['1400013558a', 'letter'],
    ['', 'empty'],
    [null, 'null'],
    [14000135580, 'number (not accepted: leading zeros would be lost)'],
  ])('rejects %j (%s)', (input) => {
    expect(isValidLegalId(input)).toBe(false);
  });

  it('rejects a zero serial part (digits 4..9) even with a matching check digit', () => {
    const body = '1230000004';
    const id = body + String(legalIdCheckDigit(body));
    expect(isValidLegalId(id)).toBe(false);
  });

  it('detects every single-digit substitution of the check digit', () => {
    for (const id of ['14000135580', '10861975609', '19906958480']) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === id[10]) continue;
        expect(isValidLegalId(id.slice(0, 10) + String(d))).toBe(false);
      }
    }
  });
});
