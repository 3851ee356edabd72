import type { EntityManager } from '@mikro-orm/postgresql';
import { preparedRead, toPgPlaceholders } from './prepared-read';

describe('preparedRead', () => {
  const fakeEm = () => {
    const queries: Array<{ name: string; text: string; values: unknown[] }> = [];
    const released: unknown[] = [];
    const connection = { query: async (q: { name: string; text: string; values: unknown[] }) => (queries.push(q), { rows: [{ ok: 1 }] }) };
    const pool = { acquireConnection: async () => connection, releaseConnection: async (c: unknown) => void released.push(c) };
    const em = { getConnection: () => ({ getKnex: () => ({ client: pool }) }) } as unknown as EntityManager;
    return { em, queries, released };
  };

  it('numbers the placeholders for PostgreSQL', () => {
    expect(toPgPlaceholders('select ? where a = ? and b = ?')).toBe('select $1 where a = $2 and b = $3');
  });

  it('runs a named statement and gives the connection back', async () => {
    const { em, queries, released } = fakeEm();
    expect(await preparedRead(em, true, 'spec_one', 'select ? as x', [5])).toEqual([{ ok: 1 }]);
    expect(queries).toEqual([{ name: 'spec_one', text: 'select $1 as x', values: [5] }]);
    expect(released).toHaveLength(1);
  });

  it('refuses a second statement under a name already in use (it would run the first)', async () => {
    const { em, queries } = fakeEm();
    await preparedRead(em, true, 'spec_two', 'select ? as x', [1]);
    await expect(preparedRead(em, true, 'spec_two', 'select ? as y', [1])).rejects.toThrow('prepared statement "spec_two" is already another statement');
    expect(queries).toHaveLength(1);
  });
});
