import { firstRow, toPgPlaceholders } from './sql';

describe('sql', () => {
  it('numbers the placeholders for PostgreSQL', () => {
    expect(toPgPlaceholders('select ? where a = ? and b = ?')).toBe('select $1 where a = $2 and b = $3');
  });


  it('firstRow reads the first row, or undefined when there is none', () => {
    const read = firstRow((r) => String(r.id));
    expect(read([{ id: 1 }, { id: 2 }])).toBe('1');
    expect(read([])).toBeUndefined();
  });
});
