import { NormalizeInputPipe, normalizeInput } from './normalize.pipe';

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
});
