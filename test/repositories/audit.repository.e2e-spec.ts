import { AuditRepository } from '../../src/modules/audit/audit.repository';
import { cte, query, run, runAll, withCtes } from '../../src/database/sql';
import { createTestDb, TestDb } from '../helpers/test-app';

const entry = (id: string, action: string, at: string, targetId = 't1') => ({
  id,
  at: new Date(at),
  actorType: 'staff',
  actorId: 'u1',
  action,
  targetType: 'thing',
  targetId,
  before: { n: 1 },
  after: null,
  metadata: { why: 'test' },
  requestId: 'r1',
  ip: '127.0.0.1',
});

describe('AuditRepository (real database)', () => {
  let db: TestDb;
  const repo = new AuditRepository();
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(() => db?.close());

  it('inserts an entry and reads a target newest first, filtered by action and limited', async () => {
    await runAll(db.em(), [
      repo.insert(entry('00000000-0000-7000-8000-000000000001', 'a.one', '2026-01-01T10:00:00Z')),
      repo.insert(entry('00000000-0000-7000-8000-000000000002', 'a.two', '2026-01-01T11:00:00Z')),
      repo.insert(entry('00000000-0000-7000-8000-000000000003', 'a.one', '2026-01-01T12:00:00Z')),
      repo.insert(entry('00000000-0000-7000-8000-000000000004', 'a.one', '2026-01-01T13:00:00Z', 'other')),
    ]);
    const all = await run(db.em(), repo.forTarget('thing', 't1', 10));
    expect(all.map((r) => r.action)).toEqual(['a.one', 'a.two', 'a.one']);
    expect(all[0]).toEqual({
      id: '00000000-0000-7000-8000-000000000003',
      at: new Date('2026-01-01T12:00:00Z'),
      actorType: 'staff',
      actorId: 'u1',
      action: 'a.one',
      targetType: 'thing',
      targetId: 't1',
      before: { n: 1 },
      after: null,
      metadata: { why: 'test' },
    });
    const ones = await run(db.em(), repo.forTarget('thing', 't1', 1, ['a.one']));
    expect(ones.map((r) => r.id)).toEqual(['00000000-0000-7000-8000-000000000003']);
    const [stored] = await db.sql<{ request_id: string; ip: string }>(`select request_id, ip from audit_log where id = $1`, ['00000000-0000-7000-8000-000000000001']);
    expect(stored).toEqual({ request_id: 'r1', ip: '127.0.0.1' });
  });

  it('writes a conditional entry only when the handle it is given wrote a row', async () => {
    const none = cte(query(`select 1 as x where false`, [], () => undefined));
    const some = cte(query(`select 1 as x`, [], () => undefined));
    await run(db.em(), withCtes([none], { ...repo.insert(entry('00000000-0000-7000-8000-000000000010', 'cond.no', '2026-01-02T00:00:00Z'), none) }));
    await run(db.em(), withCtes([some], { ...repo.insert(entry('00000000-0000-7000-8000-000000000011', 'cond.yes', '2026-01-02T00:00:00Z'), some) }));
    const rows = await db.sql<{ action: string }>(`select action from audit_log where action like 'cond.%'`);
    expect(rows.map((r) => r.action)).toEqual(['cond.yes']);
  });

  it('rolls the entry back with the caller’s transaction', async () => {
    await expect(
      db.em().transactional(async (tx) => {
        await run(tx, repo.insert(entry('00000000-0000-7000-8000-000000000020', 'rolled.back', '2026-01-03T00:00:00Z')));
        throw new Error('the caller fails');
      }),
    ).rejects.toThrow('the caller fails');
    expect(await db.sql(`select 1 from audit_log where action = 'rolled.back'`)).toHaveLength(0);
  });
});
