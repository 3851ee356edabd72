import { normalizeDeep, normalizeDigits, normalizePersianText } from './normalize';

describe('normalizeDigits', () => {
  it.each([
    ['۰۱۲۳۴۵۶۷۸۹', '0123456789'], // Persian U+06F0..U+06F9
    ['٠١٢٣٤٥٦٧٨٩', '0123456789'], // Arabic-Indic U+0660..U+0669
    ['\u06F0\u06F9\u0660\u0669', '0909'],
    ['۰۹۱۲-۱۲۳-۴۵۶۷', '0912-123-4567'],
    ['abc 123', 'abc 123'],
    ['پلاک ۱۲ واحد ٣', 'پلاک 12 واحد 3'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(normalizeDigits(input)).toBe(expected);
  });
});

describe('normalizePersianText', () => {
  it.each([
    // Arabic yeh (U+064A) and alef maksura (U+0649) → Persian yeh (U+06CC)
    ['\u0639\u0644\u064A', '\u0639\u0644\u06CC'],
    ['\u0645\u0648\u0633\u0649', '\u0645\u0648\u0633\u06CC'],
    // Arabic kaf (U+0643) → Persian keheh (U+06A9)
    ['\u0643\u062A\u0627\u0628', '\u06A9\u062A\u0627\u0628'],
    // digits, trim, whitespace collapse (tabs, newlines, NBSP)
    ['  قزوین \t\n  خیابان   ۱۲  ', 'قزوین خیابان 12'],
    ['a\u00A0\u00A0b', 'a b'],
    // ZWNJ (U+200C) kept
    ['می\u200Cشود', 'می\u200Cشود'],
    // zero-width space / joiner / word joiner / BOM removed
    ['\uFEFFab\u200Bc\u200Dd\u2060e', 'abcde'],
    // bidi marks removed
    ['\u200E0912\u200F\u202A1\u202B2\u202C3\u202D4\u202E5\u2066\u2069\u061C', '091212345'],
    ['', ''],
    ['   ', ''],
  ])('%j → %j', (input, expected) => {
    expect(normalizePersianText(input)).toBe(expected);
  });

  it('keeps line breaks on request', () => {
    expect(normalizePersianText('  خط  ۱ \r\n  خط\t۲\r  ', { keepNewlines: true })).toBe('خط 1\nخط 2');
  });
});

describe('normalizeDeep', () => {
  it('normalizes strings in nested plain objects and arrays without mutating', () => {
    const input = {
      name: ' \u0639\u0644\u064A ',
      tags: ['\u0643', { code: '۱۲۳' }],
      n: 5,
      b: true,
      nil: null,
      u: undefined,
    };
    const snapshot = JSON.parse(JSON.stringify(input)) as unknown;
    const out = normalizeDeep(input);
    expect(out).toEqual({
      name: '\u0639\u0644\u06CC',
      tags: ['\u06A9', { code: '123' }],
      n: 5,
      b: true,
      nil: null,
      u: undefined,
    });
    expect(out).not.toBe(input);
    expect(out.tags).not.toBe(input.tags);
    expect(JSON.parse(JSON.stringify(input))).toEqual(snapshot);
  });

  it('leaves non-plain objects untouched (same reference)', () => {
    const buf = Buffer.from('۱۲');
    const date = new Date('2024-03-20T00:00:00Z');
    class Box {
      constructor(public v: string) {}
    }
    const box = new Box(' ۱ ');
    const map = new Map([['k', ' ۱ ']]);
    const out = normalizeDeep({ buf, date, box, map, s: '۱' });
    expect(out.buf).toBe(buf);
    expect(out.date).toBe(date);
    expect(out.box).toBe(box);
    expect(box.v).toBe(' ۱ ');
    expect(out.map).toBe(map);
    expect(out.s).toBe('1');
  });

  it('normalizes a top-level string and passes primitives through', () => {
    expect(normalizeDeep(' ۴۲ ')).toBe('42');
    expect(normalizeDeep(42)).toBe(42);
    expect(normalizeDeep(null)).toBeNull();
  });

  it('drops own __proto__ keys (prototype pollution guard)', () => {
    const payload = JSON.parse('{"a":"۱","__proto__":{"polluted":"yes"},"nested":{"__proto__":{"x":1}}}') as Record<
      string,
      unknown
    >;
    const out = normalizeDeep(payload);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['a', 'nested']);
    expect((out as { polluted?: string }).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(out.nested)).toBe(Object.prototype);
    expect(({} as { polluted?: string }).polluted).toBeUndefined();
  });

  it('keeps null-prototype objects null-prototype', () => {
    const o = Object.create(null) as Record<string, unknown>;
    o.x = ' \u064A ';
    const out = normalizeDeep(o);
    expect(Object.getPrototypeOf(out)).toBeNull();
    expect(out.x).toBe('\u06CC');
  });

  it('survives cycles and preserves shared references', () => {
    const shared = { s: '۱' };
    const a: Record<string, unknown> = { left: shared, right: shared };
    a.self = a;
    const out = normalizeDeep(a);
    expect(out.self).toBe(out);
    expect(out.left).toBe(out.right);
    expect(out.left).toEqual({ s: '1' });
  });
});
