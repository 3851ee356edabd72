import { executeBatch } from '../../src/database/sql-batch';
import { createTestApp, TestApp } from '../helpers/test-app';

describe('executeBatch: several statements in one round trip', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('returns each statement’s rows in order, one statement or several', async () => {
    const conn = t.orm.em.getConnection();
    expect(await executeBatch(conn, [])).toEqual([]);
    expect(await executeBatch(conn, [{ sql: 'select ?::int as a', params: [1] }])).toEqual([[{ a: 1 }]]);
    const out = await executeBatch(conn, [
      { sql: 'select ?::int as a', params: [1] },
      { sql: 'select x from generate_series(1, ?) as x', params: [3] },
      { sql: `select ?::text as s`, params: ["it's ?"] },
    ]);
    expect(out).toEqual([[{ a: 1 }], [{ x: 1 }, { x: 2 }, { x: 3 }], [{ s: "it's ?" }]]);
  });

  it('sees, in a later statement, what an earlier one of the batch wrote', async () => {
    const key = `batch-spec-${Date.now()}`;
    const [, [row]] = await executeBatch(t.orm.em.getConnection(), [
      { sql: `insert into rate_limit_counter (key, window_start, count, expires_at) values (?, now(), 7, now() + interval '1 minute')`, params: [key] },
      { sql: 'select count from rate_limit_counter where key = ?', params: [key] },
    ]);
    expect(row).toEqual({ count: 7 });
  });

  it('outside a transaction, undoes the whole batch when one statement fails', async () => {
    const key = `batch-spec-fail-${Date.now()}`;
    await expect(
      executeBatch(t.orm.em.getConnection(), [
        { sql: `insert into rate_limit_counter (key, window_start, count, expires_at) values (?, now(), 1, now() + interval '1 minute')`, params: [key] },
        { sql: 'select 1 / 0', params: [] },
      ]),
    ).rejects.toThrow(/division by zero/);
    expect(await t.sql('select 1 from rate_limit_counter where key = $1', [key])).toEqual([]);
  });
});
