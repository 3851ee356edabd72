import { IranValidationError } from './errors';
import {
  assertRenewalCodeRegion,
  formatRenewalCode,
  isUnitCode,
  parcelKey,
  parseRenewalCode,
  RENEWAL_CODE_PARTS,
  type RenewalCodeParts,
  renewalCodePrefix,
  tryParseRenewalCode,
} from './renewal-code';

/** Calls fn, expects an IranValidationError and returns it. */
function caught(fn: () => unknown): IranValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(IranValidationError);
    return e as IranValidationError;
  }
  throw new Error('expected an IranValidationError, nothing was thrown');
}

const PARTS: RenewalCodeParts = { region: 1, district: 2, block: 34, parcel: 56, building: 0, apartment: 0, shop: 0 };

describe('parseRenewalCode: valid input', () => {
  it.each<[string, string]>([
    ['1-2-34-56-0-0-0', 'canonical'],
    ['۱-۲-۳۴-۵۶-۰-۰-۰', 'Persian digits'],
    ['١-٢-٣٤-٥٦-٠-٠-٠', 'Arabic-Indic digits'],
    ['۱-2-٣٤-56-۰-٠-0', 'Persian, Arabic-Indic and ASCII digits mixed'],
    ['1/2/34/56/0/0/0', 'slash'],
    ['1.2.34.56.0.0.0', 'dot'],
    ['1 2 34 56 0 0 0', 'space'],
    ['1   2 34\t56 0 0 0', 'runs of spaces and a tab count as one separator'],
    ['1\u00A02\u00A034 56 0 0 0', 'no-break spaces'],
    ['1–2–34–56–0–0–0', 'en dash U+2013'],
    ['1−2−34−56−0−0−0', 'minus sign U+2212'],
    ['1-2/34.56 0–0−0', 'every separator, mixed'],
    ['1 - 2 / 34 . 56 - 0 - 0 - 0', 'spaces around separators'],
    ['  1-2-34-56-0-0-0 \n', 'surrounding whitespace'],
    ['01-002-0034-000056-0-00-000', 'leading zeros'],
    ['\u200F۱-۲-۳۴-۵۶-۰-۰-۰\u200E', 'bidi marks from RTL copy/paste'],
    ['1-2-3\u200C4-56-0-0-0', 'ZWNJ inside a part is invisible and removed'],
  ])('%j (%s) → 1-2-34-56-0-0-0', (input) => {
    expect(parseRenewalCode(input)).toEqual({ ...PARTS, canonical: '1-2-34-56-0-0-0' });
  });

  it.each<[string, string, Partial<RenewalCodeParts>]>([
    ['3-14-205-1178-2-15-4', '3-14-205-1178-2-15-4', { region: 3, building: 2, apartment: 15, shop: 4 }],
    ['9-999999-999999-999999-999999-999999-999999', '9-999999-999999-999999-999999-999999-999999', { region: 9 }],
    ['۲-۱-۱-۱-۰-۰-۱', '2-1-1-1-0-0-1', { region: 2, district: 1, block: 1, parcel: 1, shop: 1 }],
    ['1-1-1-1-000000-0-0', '1-1-1-1-0-0-0', { building: 0 }],
  ])('%j → %s', (input, canonical, parts) => {
    const code = parseRenewalCode(input);
    expect(code.canonical).toBe(canonical);
    expect(code).toMatchObject(parts);
  });

  it('returns numbers for every part, in RENEWAL_CODE_PARTS order', () => {
    const code = parseRenewalCode('1-2-3-4-5-6-7');
    expect(RENEWAL_CODE_PARTS.map((p) => code[p])).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});

describe('parseRenewalCode: invalid input', () => {
  it.each<[unknown, Record<string, unknown>, string]>([
    ['1-2-34-56-0-0', { reason: 'expected 7 parts, got 6' }, '6 parts'],
    ['1-2-34-56', { reason: 'expected 7 parts, got 4' }, '4 parts'],
    ['1-2-34-56-0-0-0-0', { reason: 'expected 7 parts, got 8' }, '8 parts'],
    ['1234560000', { reason: 'expected 7 parts, got 1' }, 'digits without separators'],
    ['', { reason: 'empty input' }, 'empty'],
    ['   ', { reason: 'empty input' }, 'only spaces'],
    [null, { reason: 'expected a string' }, 'null'],
    [1234, { reason: 'expected a string' }, 'number'],
    ['1--2-34-56-0-0', { part: 'district', reason: 'is empty' }, 'empty part (7 pieces)'],
    ['1--2-34-56-0-0-0', { reason: expect.stringMatching(/^empty part at position 2/) as unknown }, 'empty part'],
    ['1-2-34-56-0-0-0-', { reason: expect.stringMatching(/^empty part at position 8/) as unknown }, 'trailing dash'],
    ['-1-2-34-56-0-0-0', { reason: expect.stringMatching(/^empty part at position 1/) as unknown }, 'leading dash'],
    ['1-2--34-56-0-0-0', { reason: expect.stringMatching(/^empty part at position 3/) as unknown }, 'negative block'],
    ['1 -/ 2-34-56-0-0-0', { reason: expect.stringMatching(/^empty part at position 2/) as unknown }, 'two separators'],
    ['0-2-34-56-0-0-0', { part: 'region', reason: 'must be ≥ 1' }, 'region 0'],
    ['000-2-34-56-0-0-0', { part: 'region', reason: 'must be ≥ 1' }, 'region 000'],
    ['10-2-34-56-0-0-0', { part: 'region', reason: 'must be ≤ 9' }, 'region 10'],
    ['1-0-34-56-0-0-0', { part: 'district', reason: 'must be ≥ 1' }, 'district 0'],
    ['1-2-0-56-0-0-0', { part: 'block', reason: 'must be ≥ 1' }, 'block 0'],
    ['1-2-34-0-0-0-0', { part: 'parcel', reason: 'must be ≥ 1' }, 'parcel 0'],
    ['1-2-1234567-56-0-0-0', { part: 'block', reason: 'has more than 6 digits' }, '7-digit part'],
    ['1-2-34-56-0-0-0000000', { part: 'shop', reason: 'has more than 6 digits' }, '7 digits, all zeros'],
    ['1-2-3a-56-0-0-0', { part: 'block', reason: 'unexpected character "a" (U+0061)' }, 'letter'],
    ['1-2-34-56-0-0-x', { part: 'shop', reason: 'unexpected character "x" (U+0078)' }, 'letter as a part'],
    ['1-2-34-الف-0-0-0', { part: 'parcel', reason: 'unexpected character "ا" (U+0627)' }, 'Persian letter'],
    ['1-2-34-56e1-0-0-0', { part: 'parcel', reason: 'unexpected character "e" (U+0065)' }, 'exponent'],
    ['1-2-34-5.5e1-0-0', { part: 'building', reason: 'unexpected character "e" (U+0065)' }, '"." separates parts'],
    ['1-2-+34-56-0-0-0', { part: 'block', reason: 'unexpected character "+" (U+002B)' }, 'plus sign'],
    ['1—2-34-56-0-0-0', { part: 'region', reason: 'unexpected character "—" (U+2014)' }, 'em dash'],
    ['1‐2-34-56-0-0-0', { part: 'region', reason: 'unexpected character "‐" (U+2010)' }, 'hyphen U+2010'],
    ['1-2‑34-56-0-0-0', { part: 'district', reason: 'unexpected character "‑" (U+2011)' }, 'non-breaking hyphen'],
    ['1－2-34-56-0-0-0', { part: 'region', reason: 'unexpected character "－" (U+FF0D)' }, 'fullwidth hyphen'],
    ['1،2،34،56،0،0،0', { part: 'region', reason: 'unexpected character "،" (U+060C)' }, 'Arabic comma'],
    ['1,2,34,56,0,0,0', { part: 'region', reason: 'unexpected character "," (U+002C)' }, 'comma'],
    ['1٫2-34-56-0-0-0', { part: 'region', reason: 'unexpected character "٫" (U+066B)' }, 'Arabic decimal separator'],
    ['1_2-34-56-0-0-0', { part: 'region', reason: 'unexpected character "_" (U+005F)' }, 'underscore'],
    ['1\n2-34-56-0-0-0', { part: 'region', reason: 'unexpected character "\n" (U+000A)' }, 'line break inside'],
    ['１-2-34-56-0-0-0', { part: 'region', reason: 'unexpected character "１" (U+FF11)' }, 'fullwidth digit'],
    ['1-2-34-56-0-0-0-0-0', { reason: 'expected 7 parts, got 9' }, '9 parts'],
    ['1-2-34-56-0-0-0-0-0-x', {}, 'bad character past the 7th part (no part name)'],
  ])('%j (%s)', (input, details) => {
    const e = caught(() => parseRenewalCode(input as string));
    expect(e.code).toBe('RENEWAL_CODE_INVALID');
    expect(e.details).toEqual(expect.objectContaining(details));
    expect(tryParseRenewalCode(input as string)).toBeNull();
  });

  it('does not name a part beyond the seventh', () => {
    const e = caught(() => parseRenewalCode('1-2-34-56-0-0-0-0-x'));
    expect(e.details).toEqual({ reason: 'unexpected character "x" (U+0078)' });
  });

  it('does not reverse an RTL-typed code: the reversed code is read as written', () => {
    // 0-0-0-56-34-2-1 is 1-2-34-56-0-0-0 backwards: region 0 is rejected, not reversed.
    expect(caught(() => parseRenewalCode('0-0-0-56-34-2-1')).details).toEqual({ part: 'region', reason: 'must be ≥ 1' });
    // A reversal that happens to be valid is parsed as written, never guessed.
    expect(parseRenewalCode('5-4-3-2-1-1-1').canonical).toBe('5-4-3-2-1-1-1');
  });

  it('has a message that names the part', () => {
    expect(caught(() => parseRenewalCode('1-2-0-56-0-0-0')).message).toBe('invalid renewal code: block must be ≥ 1');
    expect(caught(() => parseRenewalCode('1-2-34')).message).toBe('invalid renewal code: expected 7 parts, got 3');
  });
});

describe('tryParseRenewalCode', () => {
  it('returns the code when valid and null when not', () => {
    expect(tryParseRenewalCode('۱/۲/۳۴/۵۶/۰/۰/۰')).toEqual({ ...PARTS, canonical: '1-2-34-56-0-0-0' });
    expect(tryParseRenewalCode('1-2-34')).toBeNull();
    expect(tryParseRenewalCode(undefined as unknown as string)).toBeNull();
  });
});

describe('formatRenewalCode', () => {
  it.each<[RenewalCodeParts, string]>([
    [PARTS, '1-2-34-56-0-0-0'],
    [{ region: 3, district: 14, block: 205, parcel: 1178, building: 2, apartment: 15, shop: 4 }, '3-14-205-1178-2-15-4'],
    [{ region: 9, district: 999999, block: 1, parcel: 1, building: 999999, apartment: 0, shop: 0 }, '9-999999-1-1-999999-0-0'],
  ])('%j → %s', (parts, expected) => {
    expect(formatRenewalCode(parts)).toBe(expected);
  });

  it('ignores and recomputes a canonical property', () => {
    expect(formatRenewalCode({ ...PARTS, canonical: 'stale' } as RenewalCodeParts)).toBe('1-2-34-56-0-0-0');
  });

  it('round-trips with parseRenewalCode', () => {
    const code = parseRenewalCode('02 / 7 / 0103 / 44 / 1 / 3 / 0');
    expect(formatRenewalCode(code)).toBe(code.canonical);
    expect(parseRenewalCode(formatRenewalCode(code))).toEqual(code);
  });

  it.each<[Record<string, unknown>, Record<string, unknown>]>([
    [{ ...PARTS, region: 0 }, { part: 'region', reason: 'must be ≥ 1' }],
    [{ ...PARTS, region: 10 }, { part: 'region', reason: 'must be ≤ 9' }],
    [{ ...PARTS, district: 0 }, { part: 'district', reason: 'must be ≥ 1' }],
    [{ ...PARTS, block: 0 }, { part: 'block', reason: 'must be ≥ 1' }],
    [{ ...PARTS, parcel: 0 }, { part: 'parcel', reason: 'must be ≥ 1' }],
    [{ ...PARTS, building: -1 }, { part: 'building', reason: 'must be ≥ 0' }],
    [{ ...PARTS, apartment: 1_000_000 }, { part: 'apartment', reason: 'has more than 6 digits' }],
    [{ ...PARTS, shop: 1.5 }, { part: 'shop', reason: 'must be an integer' }],
    [{ ...PARTS, block: Number.NaN }, { part: 'block', reason: 'must be an integer' }],
    [{ ...PARTS, block: Infinity }, { part: 'block', reason: 'must be an integer' }],
    [{ ...PARTS, block: '34' }, { part: 'block', reason: 'must be an integer' }],
    [{ region: 1, district: 2, block: 34, parcel: 56 }, { part: 'building', reason: 'must be an integer' }],
  ])('rejects %j', (parts, details) => {
    const e = caught(() => formatRenewalCode(parts as unknown as RenewalCodeParts));
    expect(e.code).toBe('RENEWAL_CODE_INVALID');
    expect(e.details).toEqual(details);
  });

  it('rejects a non-object', () => {
    expect(caught(() => formatRenewalCode(null as unknown as RenewalCodeParts)).code).toBe('RENEWAL_CODE_INVALID');
  });
});

describe('assertRenewalCodeRegion', () => {
  const code = parseRenewalCode('2-5-34-56-0-0-0');

  it.each<[number | string]>([[2], ['2'], ['۲'], ['٢'], [' 02 '], ['\u200F۲']])('accepts region %j', (region) => {
    expect(() => assertRenewalCodeRegion(code, region)).not.toThrow();
  });

  it.each<[unknown]>([[1], ['3'], ['۱'], [0], [12], [2.5], [Number.NaN], [''], ['two'], ['2-'], [null]])(
    'rejects region %j',
    (region) => {
      const e = caught(() => assertRenewalCodeRegion(code, region as number | string));
      expect(e.code).toBe('RENEWAL_CODE_REGION_MISMATCH');
      expect(e.details).toEqual({ codeRegion: 2, givenRegion: region });
    },
  );

  it('says which regions differ', () => {
    expect(caught(() => assertRenewalCodeRegion(code, '۳')).message).toBe(
      'renewal code is in region 2, not region 3',
    );
  });
});

describe('renewalCodePrefix', () => {
  it.each<[string, string]>([
    ['1', '1-'],
    ['۱', '1-'],
    ['1-', '1-'],
    ['1-2', '1-2-'],
    ['۱-۲-34', '1-2-34-'],
    ['١/٢/٣٤', '1-2-34-'],
    ['01-002-034', '1-2-34-'],
    ['1 2 34 56', '1-2-34-56-'],
    ['1 - 2 - 34 -', '1-2-34-'],
    ['1–2−34.56/0', '1-2-34-56-0-'],
    ['1-2-34-56-0-0', '1-2-34-56-0-0-'],
    ['1-2-34-56-0-0-', '1-2-34-56-0-0-'],
    ['1-2-34-56-0-0-0', '1-2-34-56-0-0-0'],
    ['  ۱-۲-۳۴-۵۶-۰-۰-۰  ', '1-2-34-56-0-0-0'],
  ])('%j → %j', (input, expected) => {
    expect(renewalCodePrefix(input)).toBe(expected);
  });

  it.each<[unknown, string]>([
    ['', 'empty'],
    ['  ', 'blank'],
    ['-', 'only a separator'],
    ['-1', 'leading separator'],
    ['1--', 'two trailing separators'],
    ['1--2', 'empty part'],
    ['0', 'region 0'],
    ['10-2', 'region 10'],
    ['1-0', 'district 0'],
    ['1-2-0', 'block 0'],
    ['1-2-34-0', 'parcel 0'],
    ['1-2-1234567', '7-digit part'],
    ['1-2-3a', 'letter'],
    ['1-2-%', 'LIKE wildcard'],
    ['1-2-_', 'LIKE wildcard'],
    ['1—2', 'em dash'],
    ['1-2-34-56-0-0-0-', 'complete code with a trailing separator'],
    ['1-2-34-56-0-0-0-0', '8 parts'],
    [null, 'not a string'],
  ])('%j → null (%s)', (input) => {
    expect(renewalCodePrefix(input as string)).toBeNull();
  });

  it('makes LIKE prefix || "%" match only codes that start with whole parts', () => {
    const stored = ['1-2-3-1-0-0-0', '1-2-34-56-0-0-0', '1-2-34-56-1-2-0', '1-2-345-1-0-0-0', '1-20-34-1-0-0-0'];
    const like = (prefix: string) => stored.filter((c) => c.startsWith(prefix));
    expect(like(renewalCodePrefix('1-2-3')!)).toEqual(['1-2-3-1-0-0-0']);
    expect(like(renewalCodePrefix('1-2-34')!)).toEqual(['1-2-34-56-0-0-0', '1-2-34-56-1-2-0']);
    expect(like(renewalCodePrefix('1-2')!)).toEqual(stored.slice(0, 4));
    expect(like(renewalCodePrefix('1-2-34-56-0-0-0')!)).toEqual(['1-2-34-56-0-0-0']);
  });
});

describe('parcelKey / isUnitCode', () => {
  it.each<[string, string, boolean]>([
    ['1-2-34-56-0-0-0', '1-2-34-56-0-0-0', false],
    ['1-2-34-56-3-0-0', '1-2-34-56-0-0-0', true],
    ['1-2-34-56-0-12-0', '1-2-34-56-0-0-0', true],
    ['1-2-34-56-0-0-7', '1-2-34-56-0-0-0', true],
    ['۱-۲-۳۴-۵۶-۳-۱۲-۱', '1-2-34-56-0-0-0', true],
  ])('%j → parcel %s, unit %s', (input, parcel, unit) => {
    const code = parseRenewalCode(input);
    expect(parcelKey(code)).toBe(parcel);
    expect(isUnitCode(code)).toBe(unit);
    // Strings are parsed first.
    expect(parcelKey(input)).toBe(parcel);
    expect(isUnitCode(input)).toBe(unit);
  });

  it('accepts plain parts without canonical', () => {
    expect(parcelKey({ ...PARTS, apartment: 4 })).toBe('1-2-34-56-0-0-0');
    expect(isUnitCode({ ...PARTS, shop: 1 })).toBe(true);
  });

  it('throws RENEWAL_CODE_INVALID for a malformed string or invalid parts', () => {
    expect(caught(() => parcelKey('1-2-34')).code).toBe('RENEWAL_CODE_INVALID');
    expect(caught(() => isUnitCode('1-2-34')).code).toBe('RENEWAL_CODE_INVALID');
    expect(caught(() => parcelKey({ ...PARTS, block: 0 })).details).toEqual({ part: 'block', reason: 'must be ≥ 1' });
  });
});

describe('@app/iran barrel', () => {
  it('exports the renewal-code helpers', async () => {
    const iran = (await import('./index')) as Record<string, unknown>;
    for (const name of [
      'parseRenewalCode',
      'tryParseRenewalCode',
      'formatRenewalCode',
      'assertRenewalCodeRegion',
      'renewalCodePrefix',
      'parcelKey',
      'isUnitCode',
    ]) {
      expect(typeof iran[name]).toBe('function');
    }
  });
});
