import type { EntityManager } from '@mikro-orm/postgresql';
import type { ResolvedConfig } from '../../src/config/app-config';
import { ReadPool } from '../../src/database/read-pool';
import { firstRow, query } from '../../src/database/sql';
import { PropertiesRepository } from '../../src/modules/properties/properties.repository';
import { createTestDb, TestDb } from '../helpers/test-app';

const usingRealPostgres = !!process.env.DATABASE_URL;

/** The settings the read pool reads: one connection, so every statement runs in the same session. */
function configFor(url: string): ResolvedConfig {
  const database = {
    url,
    embedded: !usingRealPostgres,
    poolMax: 1,
    acquireTimeoutMs: 5_000,
    queryTimeoutMs: 15_000,
    session: usingRealPostgres ? { statementTimeoutMs: 2_000, lockTimeoutMs: 1_000, idleInTransactionTimeoutMs: 5_000 } : undefined,
    bulkheads: { limits: { public: 1, citizen: 1, organization: 1, staff: 1 }, queue: 0, waitMs: 0 },
  };
  return { database } as unknown as ResolvedConfig;
}

describe('ReadPool: the hot public reads’ statements (real database)', () => {
  let db: TestDb;
  let reads: ReadPool;
  beforeAll(async () => {
    db = await createTestDb();
    reads = new ReadPool(db.orm.em as EntityManager, configFor(db.orm.config.get('clientUrl')!));
  });
  afterAll(async () => {
    await reads?.onApplicationShutdown();
    await db?.close();
  });

  it('runs a query with its parameters and reads its rows', async () => {
    const q = query('select ?::int + ?::int as n, ?::text as t', [2, 3, 'قزوین'], firstRow((r) => ({ n: Number(r.n), t: String(r.t) })));
    expect(await reads.run(q)).toEqual({ n: 5, t: 'قزوین' });
    expect(await reads.run(query('select 1 as x where false', [], firstRow((r) => r.x)))).toBeUndefined();
  });

  it('answers a repository’s read as the ORM’s connection does', async () => {
    const repo = new PropertiesRepository();
    const q = repo.summary('1-1-1-1-0-0-0');
    const viaOrm = q.read(await db.em().getConnection().execute(q.sql, q.params));
    expect(await reads.run(q)).toEqual(viaOrm);
  });

  (usingRealPostgres ? it : it.skip)('on PostgreSQL: prepares each statement once per connection and reuses it', async () => {
    const names = query('select name from pg_prepared_statements order by name', [], (rows) => rows.map((r) => String(r.name)));
    const before = await reads.run(names);
    const q = query('select ?::int * 2 as n', [21], firstRow((r) => Number(r.n)));
    expect(await reads.run(q)).toBe(42);
    expect(await reads.run(q)).toBe(42);
    const after = await reads.run(names);
    const added = after.filter((n) => !before.includes(n));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatch(/^r_[0-9a-f]{20}$/);
  });

  (usingRealPostgres ? it : it.skip)('on PostgreSQL: the session has the configured statement timeout (DATABASE_BUSY, not a hang)', async () => {
    const timeout = await reads.run(query('show statement_timeout', [], firstRow((r) => String(r.statement_timeout))));
    expect(timeout).toBe('2s');
    await expect(reads.run(query('select pg_sleep(5)', [], () => undefined))).rejects.toMatchObject({ code: '57014' });
  });
});
