import { cte, query, run, statement, withCtes } from '../../src/database/sql';
import { JobsRepository } from '../../src/modules/jobs/jobs.repository';
import { createTestDb, TestDb } from '../helpers/test-app';

const job = (id: string, queue: string, dedupeKey: string | null = null, runAt = new Date(Date.now() - 1000)) => ({
  id,
  queue,
  payload: { n: id.slice(-2) },
  maxAttempts: 3,
  backoffSeconds: 10,
  runAt,
  dedupeKey,
});

describe('JobsRepository (real database)', () => {
  let db: TestDb;
  const repo = new JobsRepository();
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(() => db?.close());
  afterEach(() => db.sql(`delete from job`));

  it('enqueues a job and returns it; a second job with the same dedupe key is a no-op', async () => {
    const first = await run(db.em(), repo.insert(job('00000000-0000-7000-8000-000000000001', 'q.a', 'key-1')));
    expect(first).toMatchObject({ id: '00000000-0000-7000-8000-000000000001', queue: 'q.a' });
    expect(first!.runAt).toBeInstanceOf(Date);
    const second = await run(db.em(), repo.insert(job('00000000-0000-7000-8000-000000000002', 'q.a', 'key-1')));
    expect(second).toBeNull();
    const rows = await db.sql<{ id: string; payload: unknown; status: string; max_attempts: number; dedupe_key: string }>(
      `select id, payload, status, max_attempts, dedupe_key from job`,
    );
    expect(rows).toEqual([{ id: '00000000-0000-7000-8000-000000000001', payload: { n: '01' }, status: 'pending', max_attempts: 3, dedupe_key: 'key-1' }]);
  });

  it('dedupes inside a transaction, and a transaction that rolls back leaves nothing', async () => {
    await expect(
      db.em().transactional(async (tx) => {
        expect(await run(tx, repo.insert(job('00000000-0000-7000-8000-000000000011', 'q.a', 'key-2')))).not.toBeNull();
        expect(await run(tx, repo.insert(job('00000000-0000-7000-8000-000000000012', 'q.a', 'key-2')))).toBeNull();
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await db.sql(`select id from job`)).toEqual([]);
    // the key is free again after the rollback
    expect(await run(db.em(), repo.insert(job('00000000-0000-7000-8000-000000000013', 'q.a', 'key-2')))).not.toBeNull();
  });

  it('enqueues conditionally: nothing when the handle produced no row', async () => {
    const none = cte(statement(`select 1 as x where false`, []));
    const some = cte(query(`select 1 as x`, [], () => undefined));
    const skipped = await run(db.em(), withCtes([none], repo.insert(job('00000000-0000-7000-8000-000000000021', 'q.c'), none)));
    const written = await run(db.em(), withCtes([some], repo.insert(job('00000000-0000-7000-8000-000000000022', 'q.c'), some)));
    expect(skipped).toBeNull();
    expect(written).toMatchObject({ id: '00000000-0000-7000-8000-000000000022' });
    expect(await db.sql(`select id from job`)).toEqual([{ id: '00000000-0000-7000-8000-000000000022' }]);
  });

  it('claims due jobs of the given queues, completes, fails, retries and dead-letters them', async () => {
    const em = db.em();
    await run(em, repo.insert(job('00000000-0000-7000-8000-000000000031', 'q.a')));
    await run(em, repo.insert(job('00000000-0000-7000-8000-000000000032', 'q.a')));
    await run(em, repo.insert(job('00000000-0000-7000-8000-000000000033', 'q.other')));
    await run(em, repo.insert(job('00000000-0000-7000-8000-000000000034', 'q.a', null, new Date(Date.now() + 3600_000))));
    const claimed = await run(em, repo.claim('w1', ['q.a'], 10));
    expect(claimed.map((c) => c.id).sort()).toEqual(['00000000-0000-7000-8000-000000000031', '00000000-0000-7000-8000-000000000032']);
    expect(claimed[0]).toMatchObject({ queue: 'q.a', attempts: 1, maxAttempts: 3, backoffSeconds: 10 });
    expect(claimed[0].payload).toEqual({ n: claimed[0].id.slice(-2) });
    expect(await run(em, repo.claim('w2', ['q.a'], 10))).toEqual([]);

    // only the worker holding the lock completes it
    await run(em, repo.complete(['00000000-0000-7000-8000-000000000031'], 'w2'));
    await run(em, repo.complete(['00000000-0000-7000-8000-000000000031'], 'w1'));
    await run(em, repo.retryLater('00000000-0000-7000-8000-000000000032', 'Error: down', 30));
    const rows = await db.sql<{ id: string; status: string; last_error: string | null; locked_by: string | null; delay: number }>(
      `select id, status, last_error, locked_by, extract(epoch from run_at - now())::int as delay from job where id in ($1, $2) order by id`,
      ['00000000-0000-7000-8000-000000000031', '00000000-0000-7000-8000-000000000032'],
    );
    expect(rows[0]).toMatchObject({ status: 'completed', last_error: null });
    expect(rows[1]).toMatchObject({ status: 'pending', last_error: 'Error: down', locked_by: null });
    expect(rows[1].delay).toBeGreaterThanOrEqual(28);

    await run(em, repo.kill('00000000-0000-7000-8000-000000000032', 'Error: gone'));
    expect(await run(em, repo.stats())).toEqual([
      { queue: 'q.a', status: 'completed', count: 1 },
      { queue: 'q.a', status: 'dead', count: 1 },
      { queue: 'q.a', status: 'pending', count: 1 },
      { queue: 'q.other', status: 'pending', count: 1 },
    ]);
    expect(await run(em, repo.retryDead('00000000-0000-7000-8000-000000000032'))).toBe(true);
    expect(await run(em, repo.retryDead('00000000-0000-7000-8000-000000000032'))).toBe(false);
    const [again] = await db.sql<{ status: string; attempts: number }>(`select status, attempts from job where id = $1`, ['00000000-0000-7000-8000-000000000032']);
    expect(again).toEqual({ status: 'pending', attempts: 0 });
  });

  it('releases only locks older than the stale limit', async () => {
    const em = db.em();
    await run(em, repo.insert(job('00000000-0000-7000-8000-000000000041', 'q.a')));
    await run(em, repo.insert(job('00000000-0000-7000-8000-000000000042', 'q.a')));
    await run(em, repo.claim('w1', ['q.a'], 10));
    await db.sql(`update job set locked_at = now() - interval '10 minutes' where id = $1`, ['00000000-0000-7000-8000-000000000041']);
    await run(em, repo.releaseStale(300));
    const rows = await db.sql<{ id: string; status: string; locked_by: string | null }>(`select id, status, locked_by from job order by id`);
    expect(rows).toEqual([
      { id: '00000000-0000-7000-8000-000000000041', status: 'pending', locked_by: null },
      { id: '00000000-0000-7000-8000-000000000042', status: 'active', locked_by: 'w1' },
    ]);
  });
});
