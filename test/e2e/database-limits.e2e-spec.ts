import { MikroORM } from '@mikro-orm/postgresql';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { toDomainError } from '@app/common';
import { createApp } from '../../src/app.factory';
import { loadConfig, ResolvedConfig } from '../../src/config/app-config';
import { createOrmOptions } from '../../src/database/orm-options';
import { prepare } from '../../src/prepare';
import { registerCitizen } from '../helpers/citizen';
import { currentBill, gatewayEnv, seedPropertiesWithDebts, TEST_RETURN_ORIGIN } from '../helpers/payments';
import { createTestApp, TestApp, usingRealPostgres } from '../helpers/test-app';

/**
 * Issue 18: time limits that end the work, no transaction left open on a pooled
 * connection, no pool starvation, a refusing database answered 503. Real PostgreSQL only:
 * the embedded engine is one PGlite session — a lock held by another client blocks the whole
 * engine, it has no statement/lock timers, no `allow_connections`, and every pooled
 * connection shares one backend pid.
 */
const describeReal = usingRealPostgres ? describe : describe.skip;

const APP_NAME = 'qazvin-citizen-services';

/** A separate session on the test's database (the "other client" holding a lock). */
async function session(url: string): Promise<Client> {
  const c = new Client({ connectionString: url, application_name: 'test-lock-holder' });
  await c.connect();
  return c;
}

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const dbName = (t: TestApp) => new URL(t.config.database.url).pathname.slice(1);

/** The application's connections to the test database that sit idle inside a transaction. */
async function appIdleInTransaction(t: TestApp): Promise<number> {
  return admin(async (c) => {
    const { rows } = await c.query<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity where datname = $1 and application_name = $2 and state like 'idle in transaction%'`,
      [dbName(t), APP_NAME],
    );
    return rows[0].n;
  });
}

const timed = async <T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> => {
  const started = Date.now();
  const value = await fn();
  return { ms: Date.now() - started, value };
};

describeReal('server-side limits: a locked row ends in a prompt 503 and leaves no transaction open', () => {
  let t: TestApp;
  let finance: string;
  let paymentId: string;
  const P = ['1-2-40-10-0-0-0'];

  beforeAll(async () => {
    t = await createTestApp(gatewayEnv({ DB_LOCK_TIMEOUT_MS: '1000', DB_STATEMENT_TIMEOUT_MS: '5000', DB_QUERY_TIMEOUT_MS: '20000' }));
    finance = await seedPropertiesWithDebts(t, P);
    const bill = await currentBill(t, P[0]);
    const started = await t.http().post('/api/v1/payments').send({ billId: bill.billId, returnUrl: `${TEST_RETURN_ORIGIN}/done` }).expect(201);
    paymentId = started.body.paymentId;
  });
  afterAll(() => t?.close());

  it('reconcile of a row locked elsewhere: 503 DATABASE_BUSY within the lock timeout; nothing idle in transaction; later writes commit by themselves', async () => {
    const holder = await session(t.config.database.url);
    try {
      await holder.query('begin');
      await holder.query('select id from billing_payment where id = $1 for update', [paymentId]);

      const { ms, value: res } = await timed(() =>
        t.http().post(`/api/v1/admin/billing/payments/${paymentId}/reconcile`).set('Authorization', `Bearer ${finance}`).set('Accept-Language', 'en'),
      );
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('DATABASE_BUSY');
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      // the server cancelled the wait after DB_LOCK_TIMEOUT_MS (1 s): not the client's 20 s
      expect(ms).toBeLessThan(5000);

      // PostgreSQL rolled the request's transaction back: no pooled connection waits inside it
      expect(await appIdleInTransaction(t)).toBe(0);

      // a later request's write while the holder still holds its lock
      const before = (await holder.query<{ now: Date }>('select clock_timestamp() as now')).rows[0].now;
      const mobile = '09121110001';
      await t.http().post('/api/v1/auth/otp').send({ mobile }).expect(202);
      // committed by itself: visible to another session now, with its own time (not a stale transaction's start)
      const [otp] = await t.sql<{ created_at: Date }>('select created_at from otp_challenge where mobile = $1', [mobile]);
      expect(otp).toBeDefined();
      expect(otp.created_at.getTime()).toBeGreaterThanOrEqual(before.getTime() - 5);
      expect(await appIdleInTransaction(t)).toBe(0);

      // the lock holder is unharmed and can commit
      await holder.query('update billing_payment set updated_at = updated_at where id = $1', [paymentId]);
      await holder.query('commit');
    } finally {
      await holder.end();
    }
    // the OTP row survives the holder's end, and reconcile works again
    expect(await t.sql('select 1 from otp_challenge where mobile = $1', ['09121110001'])).toHaveLength(1);
    await t.http().post(`/api/v1/admin/billing/payments/${paymentId}/reconcile`).set('Authorization', `Bearer ${finance}`).expect(200);
  });
});

describeReal('bulkheads, the client-side backstop and a refusing database', () => {
  let t: TestApp;
  let citizen: string;
  const P = ['1-2-40-20-0-0-0'];

  beforeAll(async () => {
    // no server-side limits here: the lock on `citizen` holds the /me requests for as long as it lasts
    t = await createTestApp({
      DB_STATEMENT_TIMEOUT_MS: '0',
      DB_LOCK_TIMEOUT_MS: '0',
      DB_QUERY_TIMEOUT_MS: '4000',
      DB_POOL_MAX: '10',
      DB_BULKHEAD_PUBLIC: '3',
      DB_BULKHEAD_CITIZEN: '3',
      DB_BULKHEAD_ORGANIZATION: '1',
      DB_BULKHEAD_STAFF: '1',
      DB_BULKHEAD_WAIT_MS: '1000',
    });
    await seedPropertiesWithDebts(t, P);
    citizen = (await registerCitizen(t, '09121110002')).accessToken;
  });
  afterAll(() => t?.close());

  const lookup = () => t.http().get(`/api/v1/properties/${P[0]}`);
  const ready = () => t.http().get('/health/ready');

  it('lock table citizen + 30 GET /me: public lookups and readiness keep their normal time; /me answers 200 or a coded 503', async () => {
    // baseline in this test, this machine, this moment
    let baseline = 0;
    for (let i = 0; i < 5; i++) {
      const a = await timed(() => lookup().expect(200));
      const b = await timed(() => ready().expect(200));
      baseline = Math.max(baseline, a.ms, b.ms);
    }
    const holder = await session(t.config.database.url);
    let me: Array<Promise<{ status: number; body: { code?: string }; headers: Record<string, string> }>> = [];
    try {
      await holder.query('begin');
      await holder.query('lock table citizen in access exclusive mode');
      me = Array.from({ length: 30 }, () => t.http().get('/api/v1/me').set('Authorization', `Bearer ${citizen}`).then((r) => r));
      // the /me requests are in: 3 hold connections blocked on the lock, the rest wait for a slot
      await new Promise((resolve) => setTimeout(resolve, 300));
      const during: number[] = [];
      for (let i = 0; i < 5; i++) {
        during.push((await timed(() => lookup().expect(200))).ms);
        during.push((await timed(() => ready().expect(200))).ms);
      }
      // generous: ten times the slowest baseline answer, at least 500 ms (before: 20+ s, readiness 503)
      expect(Math.max(...during)).toBeLessThan(Math.max(500, baseline * 10));
      // only the citizens' share of the pool is blocked
      const blocked = await admin(async (c) =>
        (
          await c.query<{ n: number }>(
            `select count(*)::int as n from pg_stat_activity where datname = $1 and application_name = $2 and wait_event_type = 'Lock'`,
            [dbName(t), APP_NAME],
          )
        ).rows[0].n,
      );
      expect(blocked).toBeLessThanOrEqual(3);
      await new Promise((resolve) => setTimeout(resolve, 1200)); // past DB_BULKHEAD_WAIT_MS: the queued ones were refused
    } finally {
      await holder.query('commit').catch(() => undefined);
      await holder.end();
    }
    const answers = await Promise.all(me);
    for (const r of answers) {
      if (r.status !== 200) {
        expect(r.status).toBe(503);
        expect(r.body.code).toBe('DATABASE_BUSY');
        expect(r.headers['retry-after']).toBeDefined();
      }
    }
    expect(answers.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(3);
    expect(answers.filter((r) => r.status === 503).length).toBeGreaterThan(0);
    await t.http().get('/api/v1/me').set('Authorization', `Bearer ${citizen}`).expect(200);
  });

  it('a client-side timeout inside a transaction destroys that connection: the pool never hands it out again', async () => {
    const orm = t.app.get(MikroORM) as MikroORM;
    let pid = 0;
    const failed = await orm.em
      .fork()
      .transactional(async (tx) => {
        [{ pid }] = await tx.execute<Array<{ pid: number }>>('select pg_backend_pid() as pid');
        await tx.execute(`insert into audit_log (id, at, actor_type, action) values (gen_random_uuid(), now(), 'system', 'test.stale')`);
        await tx.execute('select pg_sleep(8)'); // past DB_QUERY_TIMEOUT_MS (4 s)
      })
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(failed).toBeDefined();
    expect(toDomainError(failed)).toMatchObject({ status: 503 });
    expect(pid).toBeGreaterThan(0);
    // every pooled connection in use at once: none of them is the destroyed one
    const pids = await Promise.all(
      Array.from({ length: 10 }, () =>
        orm.em.fork().transactional(async (tx) => {
          const [row] = await tx.execute<Array<{ pid: number }>>('select pg_backend_pid() as pid');
          await tx.execute('select pg_sleep(0.05)');
          return row.pid;
        }),
      ),
    );
    expect(pids).not.toContain(pid);
    // its transaction died with it: the insert is not there, and no app connection idles inside a transaction
    expect(await t.sql(`select 1 from audit_log where action = 'test.stale'`)).toHaveLength(0);
    expect(await appIdleInTransaction(t)).toBe(0);
  });

  it('a database refusing connections (allow_connections false, backends terminated): 503 DATABASE_UNAVAILABLE with Retry-After, then 200 again', async () => {
    await lookup().expect(200);
    const name = dbName(t);
    await admin(async (c) => {
      await c.query(`alter database "${name}" with allow_connections false`);
      await c.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);
    });
    try {
      for (const path of [`/api/v1/properties/${P[0]}`, '/api/v1/me']) {
        const res = await t.http().get(path).set('Authorization', `Bearer ${citizen}`).set('Accept-Language', 'en');
        expect([res.status, res.body.code]).toEqual([503, 'DATABASE_UNAVAILABLE']);
        expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      }
      await ready().expect(503);
    } finally {
      await admin((c) => c.query(`alter database "${name}" with allow_connections true`));
    }
    await lookup().expect(200);
    await t.http().get('/api/v1/me').set('Authorization', `Bearer ${citizen}`).expect(200);
  });
});

describeReal('start-up runs without the request limits', () => {
  const name = `qazvin_test_fresh_${randomBytes(4).toString('hex')}`;
  const url = (() => {
    const u = new URL(process.env.DATABASE_URL || 'postgres://x@127.0.0.1/x');
    u.pathname = `/${name}`;
    return u.toString();
  })();
  beforeAll(() => admin((c) => c.query(`create database "${name}"`)));
  afterAll(() => admin((c) => c.query(`drop database if exists "${name}" with (force)`)));

  it('migrates a fresh database (create extension postgis, …) under request limits far shorter than the migrations take', async () => {
    const base = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'qazvin-data-')),
      DATABASE_URL: url,
      JOBS_WORKER_ENABLED: 'false',
      // what a request may take: 50 ms on the server, 100 ms on the client
      DB_STATEMENT_TIMEOUT_MS: '50',
      DB_QUERY_TIMEOUT_MS: '100',
    });
    const config: ResolvedConfig = {
      ...base,
      database: { ...base.database, url, migrateOnStart: true },
      storage: { ...base.storage, endPoint: '127.0.0.1', port: 1, useSSL: false, accessKey: 'x', secretKey: 'x' },
      auth: { ...base.auth, jwtSecret: randomBytes(32).toString('hex') },
      demo: { ...base.demo, seed: false },
    };
    const app = await createApp(config);
    try {
      await prepare(app, config);
    } finally {
      await app.close();
    }
    const c = await session(url);
    try {
      expect((await c.query<{ n: number }>('select count(*)::int as n from mikro_orm_migrations')).rows[0].n).toBeGreaterThan(0);
      expect((await c.query(`select 1 from pg_extension where extname = 'postgis'`)).rowCount).toBe(1);
    } finally {
      await c.end();
    }
    // and the application's own sessions do carry the request limit
    const orm = await MikroORM.init(createOrmOptions({ url, session: config.database.session }));
    try {
      expect(await orm.em.getConnection().execute('show statement_timeout')).toEqual([{ statement_timeout: '50ms' }]);
    } finally {
      await orm.close(true);
    }
  });
});
