import { cte, run, statement, withCtes } from '../../src/database/sql';
import { RateLimitRepository } from '../../src/modules/rate-limit/rate-limit.repository';
import { createTestDb, TestDb } from '../helpers/test-app';

describe('RateLimitRepository (real database)', () => {
  let db: TestDb;
  const repo = new RateLimitRepository();
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(() => db?.close());

  it('counts hits of a key in its fixed window', async () => {
    const first = await run(db.em(), repo.hit('k:a', 60));
    const second = await run(db.em(), repo.hit('k:a', 60));
    const other = await run(db.em(), repo.hit('k:b', 60));
    expect([first!.count, second!.count, other!.count]).toEqual([1, 2, 1]);
    expect(first!.windowStart.getTime() % 60_000).toBe(0);
    expect(first!.now.getTime() - first!.windowStart.getTime()).toBeLessThan(60_000);
    expect(first!.now.getTime()).toBeGreaterThanOrEqual(first!.windowStart.getTime());
  });

  it('never counts past the cap and counts a gated hit only when the handle produced a row', async () => {
    expect((await run(db.em(), repo.hit('k:cap', 3600, 2)))!.count).toBe(1);
    expect((await run(db.em(), repo.hit('k:cap', 3600, 2)))!.count).toBe(2);
    expect(await run(db.em(), repo.hit('k:cap', 3600, 2))).toBeNull();
    const none = cte(statement(`select 1 as x where false`, []));
    expect(await run(db.em(), withCtes([none], repo.hit('k:gated', 3600, 5, none)))).toBeNull();
    const some = cte(statement(`select 1 as x`, []));
    expect((await run(db.em(), withCtes([some], repo.hit('k:gated', 3600, 5, some))))!.count).toBe(1);
    const rows = await db.sql<{ key: string; count: number }>(`select key, count from rate_limit_counter where key in ('k:cap', 'k:gated') order by key`);
    expect(rows).toEqual([
      { key: 'k:cap', count: 2 },
      { key: 'k:gated', count: 1 },
    ]);
  });

  it('purges expired windows only', async () => {
    await run(db.em(), repo.hit('k:old', 60));
    await db.sql(`update rate_limit_counter set expires_at = now() - interval '1 second' where key = 'k:old'`);
    const before = await db.sql<{ n: number }>(`select count(*)::int as n from rate_limit_counter`);
    expect(await run(db.em(), repo.purgeExpired())).toBe(1);
    const after = await db.sql<{ n: number }>(`select count(*)::int as n from rate_limit_counter`);
    expect(after[0].n).toBe(before[0].n - 1);
    expect(await db.sql(`select 1 from rate_limit_counter where key = 'k:old'`)).toEqual([]);
  });
});
