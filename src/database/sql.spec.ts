import type { EntityManager } from '@mikro-orm/postgresql';
import { firstRow, query, runOnPool, toPgPlaceholders } from './sql';

describe('sql', () => {
  it('numbers the placeholders for PostgreSQL', () => {
    expect(toPgPlaceholders('select ? where a = ? and b = ?')).toBe('select $1 where a = $2 and b = $3');
  });

  it('runOnPool runs the statement on the connection through its public execute and reads its rows', async () => {
    const calls: Array<[string, unknown[]]> = [];
    const connection = { execute: async (sql: string, params: unknown[]) => (calls.push([sql, params]), [{ x: 5 }]) };
    const em = { getConnection: () => connection } as unknown as Pick<EntityManager, 'getConnection'>;
    const q = query('select ? as x', [5], firstRow((r) => Number(r.x)));
    expect(await runOnPool(em, q)).toBe(5);
    expect(calls).toEqual([['select ? as x', [5]]]);
  });

  it('firstRow reads the first row, or undefined when there is none', () => {
    const read = firstRow((r) => String(r.id));
    expect(read([{ id: 1 }, { id: 2 }])).toBe('1');
    expect(read([])).toBeUndefined();
  });
});
