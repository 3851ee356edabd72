import type { EntityManager } from '@mikro-orm/postgresql';
import { preparedRead, toPgPlaceholders } from './prepared-read';

describe('preparedRead', () => {
  it('numbers the placeholders for PostgreSQL', () => {
    expect(toPgPlaceholders('select ? where a = ? and b = ?')).toBe('select $1 where a = $2 and b = $3');
  });

  it('runs the statement on the connection through its public execute, with its parameters', async () => {
    const calls: Array<[string, unknown[]]> = [];
    const connection = { execute: async (sql: string, params: unknown[]) => (calls.push([sql, params]), [{ ok: 1 }]) };
    const em = { getConnection: () => connection } as Pick<EntityManager, 'getConnection'> as EntityManager;
    expect(await preparedRead(em, true, 'spec_one', 'select ? as x', [5])).toEqual([{ ok: 1 }]);
    expect(calls).toEqual([['select ? as x', [5]]]);
  });
});
