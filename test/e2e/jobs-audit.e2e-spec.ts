import { EntityManager } from '@mikro-orm/postgresql';
import { AuditService } from '../../src/modules/audit/audit.service';
import { run } from '../../src/database/sql';
import { JobsService, retryDelaySeconds } from '../../src/modules/jobs/jobs.service';
import { createTestApp, TestApp } from '../helpers/test-app';

describe('durable job queue (PostgreSQL outbox)', () => {
  let t: TestApp;
  let jobs: JobsService;
  const seen: Array<{ queue: string; payload: unknown; attempt: number }> = [];
  let failuresLeft = 0;

  beforeAll(async () => {
    t = await createTestApp();
    jobs = t.jobs;
    jobs.register<{ n: number }>('test.ok', async (payload, ctx) => {
      seen.push({ queue: ctx.queue, payload, attempt: ctx.attempt });
    });
    jobs.register('test.flaky', async (payload, ctx) => {
      seen.push({ queue: ctx.queue, payload, attempt: ctx.attempt });
      if (failuresLeft-- > 0) throw new Error('receiver down');
    });
    jobs.register('test.always-fails', async () => {
      throw new Error('permanent failure');
    });
  });
  afterAll(() => t?.close());
  beforeEach(() => {
    seen.length = 0;
  });

  const em = (): EntityManager => t.orm.em.fork();

  it('runs a job enqueued inside a committed transaction, exactly once', async () => {
    await em().transactional(async (tx) => {
      await run(tx, jobs.enqueue('test.ok', { n: 1 }));
    });
    expect(await jobs.drain()).toBe(1);
    expect(seen).toEqual([{ queue: 'test.ok', payload: { n: 1 }, attempt: 1 }]);
    expect(await jobs.drain()).toBe(0);
    const [row] = await t.sql<{ status: string }>(`select status from job where queue = 'test.ok'`);
    expect(row.status).toBe('completed');
  });

  it('completes the successes of a batch together and records each failure on its own job', async () => {
    const tx = em();
    const ok = await Promise.all([1, 2, 3].map(async (n) => (await run(tx, jobs.enqueue('test.ok', { n: 100 + n })))!));
    const bad = (await run(tx, jobs.enqueue('test.always-fails', { n: 104 }, { backoffSeconds: 60 })))!;
    await tx.flush();
    expect(await jobs.runDue()).toBe(4);
    const rows = await t.sql<{ id: string; status: string; finished_at: Date | null; locked_at: Date | null; last_error: string | null }>(
      `select id, status, finished_at, locked_at, last_error from job where id = any($1::uuid[])`,
      [[...ok.map((j) => j.id), bad.id]],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const job of ok) {
      expect(byId.get(job.id)).toMatchObject({ status: 'completed', locked_at: null, last_error: null });
      expect(byId.get(job.id)!.finished_at).not.toBeNull();
    }
    expect(byId.get(bad.id)).toMatchObject({ status: 'pending', finished_at: null, last_error: 'Error: permanent failure' });
    await t.sql(`delete from job where id = $1`, [bad.id]);
  });

  it('retries a job whose completion could not be written, like any failed job (never left active)', async () => {
    const tx = em();
    const job = (await run(tx, jobs.enqueue('test.ok', { n: 120 }, { backoffSeconds: 60 })))!;
    await tx.flush();
    const connection = t.orm.em.getConnection();
    const execute = connection.execute.bind(connection);
    const spy = jest.spyOn(connection, 'execute').mockImplementation(((sql: unknown, ...rest: unknown[]) =>
      typeof sql === 'string' && sql.includes(`status = 'completed'`)
        ? Promise.reject(new Error('connection lost'))
        : (execute as (...a: unknown[]) => unknown)(sql, ...rest)) as typeof connection.execute);
    try {
      expect(await jobs.runDue()).toBe(1);
    } finally {
      spy.mockRestore();
    }
    const [row] = await t.sql<{ status: string; last_error: string; locked_by: string | null }>(
      `select status, last_error, locked_by from job where id = $1`,
      [job.id],
    );
    expect(row).toEqual({ status: 'pending', last_error: 'Error: connection lost', locked_by: null });
    await t.sql(`delete from job where id = $1`, [job.id]);
  });

  it('gives the job of a crashed worker (locked for over 5 minutes) back to the queue, checking at most every 30 s', async () => {
    const tx = em();
    const job = (await run(tx, jobs.enqueue('test.ok', { n: 90 })))!;
    await tx.flush();
    await t.sql(`update job set status = 'active', attempts = 1, locked_at = now() - interval '6 minutes', locked_by = 'dead-worker' where id = $1`, [job.id]);
    const clock = jest.spyOn(Date, 'now');
    try {
      clock.mockReturnValue(Date.now() + 31_000); // past the check interval of any earlier poll
      expect(await jobs.drain()).toBe(1);
      expect(seen).toEqual([{ queue: 'test.ok', payload: { n: 90 }, attempt: 2 }]);
      // a second stuck job right after is left alone until the interval has passed again
      const tx2 = em();
      const other = (await run(tx2, jobs.enqueue('test.ok', { n: 91 })))!;
      await tx2.flush();
      await t.sql(`update job set status = 'active', locked_at = now() - interval '6 minutes' where id = $1`, [other.id]);
      expect(await jobs.drain()).toBe(0);
      clock.mockReturnValue(Date.now() + 62_000);
      expect(await jobs.drain()).toBe(1);
    } finally {
      clock.mockRestore();
    }
  });

  it('drops a job whose transaction rolls back', async () => {
    await expect(
      em().transactional(async (tx) => {
        await run(tx, jobs.enqueue('test.ok', { n: 2 }));
        await tx.flush();
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    expect(await jobs.drain()).toBe(0);
    expect(seen).toEqual([]);
    expect(await t.sql(`select 1 from job where payload->>'n' = '2'`)).toHaveLength(0);
  });

  it('retries a failing job with backoff and completes it when the receiver recovers', async () => {
    failuresLeft = 1;
    const tx = em();
    const job = (await run(tx, jobs.enqueue('test.flaky', { n: 3 }, { backoffSeconds: 30 })))!;
    await tx.flush();
    expect(await jobs.drain()).toBe(1);
    let [row] = await t.sql<{ status: string; attempts: number; last_error: string; delay: number }>(
      `select status, attempts, last_error, extract(epoch from run_at - now())::int as delay from job where id = $1`,
      [job.id],
    );
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: 'Error: receiver down' });
    expect(row.delay).toBeGreaterThanOrEqual(25);
    expect(row.delay).toBeLessThanOrEqual(34);
    // not due yet: nothing runs
    expect(await jobs.drain()).toBe(0);
    await t.sql(`update job set run_at = now() where id = $1`, [job.id]);
    expect(await jobs.drain()).toBe(1);
    [row] = await t.sql(`select status, attempts from job where id = $1`, [job.id]);
    expect(row).toMatchObject({ status: 'completed', attempts: 2 });
    expect(seen.map((s) => s.attempt)).toEqual([1, 2]);
  });

  it('dead-letters a job after its last attempt and can retry it by hand', async () => {
    const tx = em();
    const job = (await run(tx, jobs.enqueue('test.always-fails', {}, { maxAttempts: 2, backoffSeconds: 1 })))!;
    await tx.flush();
    await jobs.drain();
    await t.sql(`update job set run_at = now() where id = $1`, [job.id]);
    await jobs.drain();
    const [row] = await t.sql<{ status: string; attempts: number }>(`select status, attempts from job where id = $1`, [job.id]);
    expect(row).toEqual({ status: 'dead', attempts: 2 });
    expect(await jobs.retryDead(job.id)).toBe(true);
    const [again] = await t.sql<{ status: string }>(`select status from job where id = $1`, [job.id]);
    expect(again.status).toBe('pending');
  });

  it('creates one job for one dedupe key', async () => {
    const a = em();
    const first = await run(a, jobs.enqueue('test.ok', { n: 4 }, { dedupeKey: 'sms:once' }));
    expect(first).toMatchObject({ queue: 'test.ok' });
    const b = em();
    // the second enqueue of the key is a no-op, inside a transaction too (which still commits)
    const second = await b.transactional((tx) => run(tx, jobs.enqueue('test.ok', { n: 5 }, { dedupeKey: 'sms:once' })));
    expect(second).toBeNull();
    expect(await t.sql(`select payload->>'n' as n from job where dedupe_key = 'sms:once'`)).toEqual([{ n: '4' }]);
  });

  it('doubles the retry delay per attempt, capped at an hour', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4].map((a) => retryDelaySeconds(10, a, mid))).toEqual([10, 20, 40, 80]);
    expect(retryDelaySeconds(10, 20, mid)).toBe(3600);
  });
});

describe('audit log', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('records actor, action, target, before/after with secrets redacted, and refuses changes', async () => {
    const em = t.orm.em.fork();
    const audit = t.app.get(AuditService);
    await run(
      em,
      audit.record({
        action: 'thing.changed',
        target: { type: 'thing', id: 7 },
        before: { name: 'a', password: 'hunter2' },
        after: { name: 'b', nested: { refreshToken: 'r' } },
        actor: { type: 'staff', id: 'u1' },
      }),
    );
    const [row] = await t.sql<Record<string, unknown>>(`select * from audit_log where action = 'thing.changed'`);
    expect(row).toMatchObject({
      actor_type: 'staff',
      actor_id: 'u1',
      target_type: 'thing',
      target_id: '7',
      before: { name: 'a', password: '[redacted]' },
      after: { name: 'b', nested: { refreshToken: '[redacted]' } },
    });
    await expect(t.sql(`update audit_log set action = 'x'`)).rejects.toThrow(/append-only/);
    await expect(t.sql(`delete from audit_log`)).rejects.toThrow(/append-only/);
  });
});
