import { DriverException } from '@mikro-orm/core';
import { CommonErrors } from '@app/common';
import { composeWith, executeBatch, readThenWrite } from '../../src/database/sql-batch';
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

describe('composeWith and readThenWrite', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());
  const counter = (key: string, count: number) => ({
    sql: `insert into rate_limit_counter (key, window_start, count, expires_at) values (?, now(), ?, now() + interval '1 minute')`,
    params: [key, count],
  });
  const countOf = async (key: string) => (await t.sql<{ count: number }>('select count from rate_limit_counter where key = $1', [key]))[0]?.count;

  it('composeWith: CTEs then the final statement, parameters in order; a gated write happens only when its gate has a row', async () => {
    const key = `compose-spec-${Date.now()}`;
    const statement = composeWith(
      [
        { name: 'gate', sql: 'select where ?::int > 0', params: [1] },
        { name: 'w', sql: `insert into rate_limit_counter (key, window_start, count, expires_at) select ?, now(), 3, now() where exists (select from gate)`, params: [key] },
        { name: 'closed', sql: 'select where ?::int > 0', params: [0] },
        { name: 'x', sql: `insert into rate_limit_counter (key, window_start, count, expires_at) select ?, now(), 4, now() where exists (select from closed)`, params: [`${key}-x`] },
      ],
      { sql: 'select ?::text as tail', params: ['end'] },
    );
    expect(statement.params).toEqual([1, key, 0, `${key}-x`, 'end']);
    expect(await t.orm.em.getConnection().execute(statement.sql, statement.params)).toEqual([{ tail: 'end' }]);
    expect(await countOf(key)).toBe(3);
    expect(await countOf(`${key}-x`)).toBeUndefined();
  });

  it('readThenWrite: the reads reach the decision, the writes commit, the answer comes from their rows', async () => {
    const key = `rtw-spec-${Date.now()}`;
    await t.orm.em.getConnection().execute(counter(key, 5).sql, counter(key, 5).params);
    const out = await readThenWrite(t.orm.em, [{ sql: 'select count from rate_limit_counter where key = ? for update', params: [key] }], ([[row]]) => ({
      writes: [{ sql: 'update rate_limit_counter set count = count + ? where key = ? returning count', params: [Number(row.count), key] }],
      result: ([[updated]]) => updated.count,
    }));
    expect(out).toBe(10);
    expect(await countOf(key)).toBe(10);
  });

  it('readThenWrite: a decision to write nothing still commits what the reads did and ends their locks', async () => {
    const key = `rtw-spec-none-${Date.now()}`;
    await readThenWrite(t.orm.em, [counter(key, 7)], () => ({ writes: [], result: () => undefined }));
    expect(await countOf(key)).toBe(7);
    const lock = { sql: 'select count from rate_limit_counter where key = ? for update', params: [key] };
    await readThenWrite(t.orm.em, [lock], () => ({ writes: [], result: () => undefined }));
    // no lock is left behind: another connection locks the row at once (nowait fails if it is held)
    expect(await t.sql('select count from rate_limit_counter where key = $1 for update nowait', [key])).toEqual([{ count: 7 }]);
  });

  it('readThenWrite: a refusal in the decision or a failing write rolls everything back, and the pool stays usable', async () => {
    const key = `rtw-spec-fail-${Date.now()}`;
    await expect(
      readThenWrite(t.orm.em, [counter(key, 1)], () => {
        throw CommonErrors.NOT_FOUND();
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await countOf(key)).toBeUndefined();
    const failed = readThenWrite(t.orm.em, [counter(key, 1)], () => ({ writes: [counter(`${key}-2`, 2), { sql: 'select 1 / 0', params: [] }], result: () => 'never' }));
    await expect(failed).rejects.toBeInstanceOf(DriverException);
    await expect(failed).rejects.toThrow(/division by zero/);
    expect(await countOf(key)).toBeUndefined();
    expect(await countOf(`${key}-2`)).toBeUndefined();
    // every pooled connection still works (none was left inside an aborted transaction)
    const all = await Promise.all(Array.from({ length: 12 }, (_, i) => readThenWrite(t.orm.em, [{ sql: 'select ?::int as i', params: [i] }], ([[r]]) => ({ writes: [], result: () => r.i }))));
    expect(all).toEqual(Array.from({ length: 12 }, (_, i) => i));
  });
});
