import { firstRow, query, runPage, toPgPlaceholders, type Row, type SqlRunner } from './sql';

describe('sql', () => {
  it('numbers the placeholders for PostgreSQL', () => {
    expect(toPgPlaceholders('select ? where a = ? and b = ?')).toBe('select $1 where a = $2 and b = $3');
  });

  it('firstRow reads the first row, or undefined when there is none', () => {
    const read = firstRow((r) => String(r.id));
    expect(read([{ id: 1 }, { id: 2 }])).toBe('1');
    expect(read([])).toBeUndefined();
  });

  it('runPage keeps the total past the last page with one more round trip, and only there', async () => {
    // a list of 5 rows whose total rides on each row, as `count(*) over ()` makes it
    const list = [1, 2, 3, 4, 5];
    const calls: unknown[][] = [];
    const db: SqlRunner = {
      execute: (async (_sql: string, params: unknown[]) => {
        calls.push(params);
        const [limit, offset] = params as number[];
        return list.slice(offset, offset + limit).map((id) => ({ id, total: list.length }));
      }) as SqlRunner['execute'],
    };
    const page = (limit: number, offset: number) =>
      query('select id, count(*) over () as total from t limit ? offset ?', [limit, offset], (rows: Row[]) => ({
        items: rows.map((r) => Number(r.id)),
        total: rows.length ? Number(rows[0].total) : 0,
      }));
    expect(await runPage(db, page, 2, 2)).toEqual({ items: [3, 4], total: 5 });
    expect(calls).toEqual([[2, 2]]);
    expect(await runPage(db, page, 2, 10)).toEqual({ items: [], total: 5 });
    expect(calls.slice(1)).toEqual([[2, 10], [1, 0]]);
    // an empty list's first page is simply empty
    list.length = 0;
    expect(await runPage(db, page, 2, 0)).toEqual({ items: [], total: 0 });
    expect(calls).toHaveLength(4);
  });
});
