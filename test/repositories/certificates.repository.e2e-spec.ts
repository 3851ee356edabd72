import { run } from '../../src/database/sql';
import { CertificatesRepository } from '../../src/modules/certificates/certificates.repository';
import { createTestDb, TestDb } from '../helpers/test-app';

describe('CertificatesRepository (real database)', () => {
  let db: TestDb;
  const repo = new CertificatesRepository();
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(() => db?.close());

  it('draws consecutive serials from the certificate id sequence', async () => {
    const first = await run(db.em(), repo.nextSerial());
    const second = await run(db.em(), repo.nextSerial());
    expect(first).toMatch(/^\d+$/);
    expect(BigInt(second)).toBe(BigInt(first) + 1n);
  });

  it('finds and locks a certificate by number in the caller’s transaction; undefined for an unknown number', async () => {
    const id = await run(db.em(), repo.nextSerial());
    const staff = '00000000-0000-7000-8000-00000000aa01';
    await db.sql(
      `insert into certificate (id, number, verification_code, inquiry_id, region, content, content_hash, jws, kid, issued_at, valid_until, prepared_by, approved_by)
       values ($1, '1405-1-000777', 'V777', '00000000-0000-7000-8000-0000000c0777', 1, '{}'::jsonb, 'h', 'j', 'k', now(), now() + interval '90 days', $2, $2)`,
      [id, staff],
    );
    const locked = await db.em().transactional(async (tx) => {
      const found = await run(tx, repo.lockByNumber('1405-1-000777'));
      // the row lock is held by this transaction
      const [held] = await tx.execute<Array<{ n: number }>>(
        `select count(*)::int as n from pg_locks l join pg_class c on c.oid = l.relation where c.relname = 'certificate' and l.mode = 'RowShareLock' and l.granted`,
      );
      return { found, held: Number(held.n) };
    });
    expect(locked).toEqual({ found: id, held: 1 });
    expect(await run(db.em(), repo.lockByNumber('1405-1-999999'))).toBeUndefined();
  });
});
