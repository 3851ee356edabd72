import { DomainError } from '../errors/domain-error';
import { INPUT_LIMITS, NormalizeInputPipe, normalizeInput } from './normalize.pipe';

describe('input normalization', () => {
  it('converts Persian/Arabic digits, Arabic letters and trims, deeply', () => {
    expect(
      normalizeInput({ mobile: ' ۰۹۱۲۱۲۳۴۵۶۷ ', name: 'علي كريمي', nested: [{ code: '٠١٢٣' }], n: 5, flag: true, none: null }),
    ).toEqual({ mobile: '09121234567', name: 'علی کریمی', nested: [{ code: '0123' }], n: 5, flag: true, none: null });
  });

  it('leaves passwords and secrets exactly as typed', () => {
    expect(normalizeInput({ password: ' ۱۲۳ ', clientSecret: ' s ', username: ' علي ' })).toEqual({
      password: ' ۱۲۳ ',
      clientSecret: ' s ',
      username: 'علی',
    });
  });

  it('keeps the digits a person typed in free text (notes, reasons, titles), normalizing the rest', () => {
    expect(
      normalizeInput({ note: ' ۱۲ نسخه  ي ', reason: 'صفحه ٢ ناخوانا', title: 'تعرفه ۱۴۰۵', items: [{ description: 'بند ۳', amount: '۱۲۰' }], nationalId: '۰۰۱۲', notes: ['۷'] }),
    ).toEqual({ note: '۱۲ نسخه ی', reason: 'صفحه ٢ ناخوانا', title: 'تعرفه ۱۴۰۵', items: [{ description: 'بند ۳', amount: '120' }], nationalId: '0012', notes: ['۷'] });
    // only the exact key: a code field that merely contains the word is still an identifier
    expect(normalizeInput({ reasonCode: '۱۲', titleDeedNumber: '۳۴' })).toEqual({ reasonCode: '12', titleDeedNumber: '34' });
  });

  it('drops prototype-polluting keys', () => {
    const input = JSON.parse('{"__proto__": {"admin": true}, "a": "1"}');
    const out = normalizeInput(input) as Record<string, unknown>;
    expect(out).toEqual({ a: '1' });
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('applies to body, query and params, not to custom or file values', () => {
    const pipe = new NormalizeInputPipe();
    expect(pipe.transform('۱۲', { type: 'param' })).toBe('12');
    expect(pipe.transform({ q: '۱' }, { type: 'query' })).toEqual({ q: '1' });
    const buffer = Buffer.from('۱');
    expect(pipe.transform(buffer, { type: 'custom' })).toBe(buffer);
  });

  const codeOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      expect(err).toBeInstanceOf(DomainError);
      return (err as DomainError).code;
    }
    return 'no error';
  };
  const nested = (depth: number, leaf: unknown = 'x'): unknown => {
    let v = leaf;
    for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
    return v;
  };

  it('refuses input nested deeper than the limit without using the call stack (5000 levels, 1e5 levels)', () => {
    expect(codeOf(() => normalizeInput(JSON.parse('{"a":'.repeat(5000) + '1' + '}'.repeat(5000))))).toBe('INPUT_TOO_DEEP');
    expect(codeOf(() => normalizeInput(nested(100_000)))).toBe('INPUT_TOO_DEEP');
    expect(codeOf(() => normalizeInput(JSON.parse('['.repeat(5000) + ']'.repeat(5000))))).toBe('INPUT_TOO_DEEP');
    // the limit itself is accepted
    expect(normalizeInput(nested(INPUT_LIMITS.maxDepth, '۱'))).toEqual(nested(INPUT_LIMITS.maxDepth, '1'));
    expect(codeOf(() => normalizeInput(nested(INPUT_LIMITS.maxDepth + 1)))).toBe('INPUT_TOO_DEEP');
  });

  it('refuses more values than the limit', () => {
    expect(codeOf(() => normalizeInput({ list: new Array(INPUT_LIMITS.maxNodes).fill(1) }))).toBe('INPUT_TOO_LARGE');
    expect((normalizeInput({ list: new Array(INPUT_LIMITS.maxNodes - 2).fill('۲') }) as { list: string[] }).list[0]).toBe('2');
  });

  it('keeps key and element order', () => {
    const out = normalizeInput({ z: 1, a: { y: [3, 2, 1], b: '۱' }, m: null });
    expect(JSON.stringify(out)).toBe('{"z":1,"a":{"y":[3,2,1],"b":"1"},"m":null}');
  });

  it('refuses control characters: none in query values and params, only tab/LF/CR in body text, none in keys', () => {
    const pipe = new NormalizeInputPipe();
    expect(codeOf(() => pipe.transform('a\u0000b', { type: 'param', data: 'id' }))).toBe('INPUT_CONTROL_CHARACTER');
    expect(codeOf(() => pipe.transform({ q: '\u0000' }, { type: 'query' }))).toBe('INPUT_CONTROL_CHARACTER');
    expect(codeOf(() => pipe.transform({ q: 'a\tb' }, { type: 'query' }))).toBe('INPUT_CONTROL_CHARACTER');
    expect(codeOf(() => pipe.transform({ q: ['ok', 'x\u001b'] }, { type: 'query' }))).toBe('INPUT_CONTROL_CHARACTER');
    expect(codeOf(() => pipe.transform({ firstName: 'علی\u0000' }, { type: 'body' }))).toBe('INPUT_CONTROL_CHARACTER');
    expect(codeOf(() => pipe.transform({ note: 'a\u007fb' }, { type: 'body' }))).toBe('INPUT_CONTROL_CHARACTER');
    expect(codeOf(() => pipe.transform({ ['a\u0000']: 'x' }, { type: 'body' }))).toBe('INPUT_CONTROL_CHARACTER');
    expect(codeOf(() => pipe.transform({ password: 'p\u0000w' }, { type: 'body' }))).toBe('INPUT_CONTROL_CHARACTER');
    // accepted (and then folded like any whitespace by normalizePersianText)
    expect(pipe.transform({ note: 'line 1\r\nline\t2' }, { type: 'body' })).toEqual({ note: 'line 1 line 2' });
  });

  it('names the offending field', () => {
    const pipe = new NormalizeInputPipe();
    const fieldOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return (err as DomainError).fieldErrors.map((f) => f.field);
      }
      return [];
    };
    expect(fieldOf(() => pipe.transform({ owners: [{ name: 'ok' }, { name: '\u0000' }] }, { type: 'body' }))).toEqual(['owners.1.name']);
    expect(fieldOf(() => pipe.transform('\u0000', { type: 'param', data: 'renewalCode' }))).toEqual(['renewalCode']);
    expect(fieldOf(() => pipe.transform({ q: '\u0000' }, { type: 'query' }))).toEqual(['q']);
  });
});
