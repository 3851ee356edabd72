import { pgArray, pgArrayOf } from './pg-array';

describe('pgArray / pgArrayOf', () => {
  it('quotes every element and escapes quotes and backslashes', () => {
    expect(pgArray([])).toBe('{}');
    expect(pgArray([1, 2])).toBe('{"1","2"}');
    expect(pgArray(['0190a1b2-0000-7000-8000-000000000001'])).toBe('{"0190a1b2-0000-7000-8000-000000000001"}');
    expect(pgArray(['a,b', 'say "hi"', 'back\\slash', '{x}'])).toBe('{"a,b","say \\"hi\\"","back\\\\slash","{x}"}');
  });

  it('reads an array column back from an array or its literal', () => {
    expect(pgArrayOf(['a', 'b'])).toEqual(['a', 'b']);
    expect(pgArrayOf('{a,b}')).toEqual(['a', 'b']);
    expect(pgArrayOf('{}')).toEqual([]);
    expect(pgArrayOf(null)).toEqual([]);
  });
});
