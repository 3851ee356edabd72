import { run } from '../../src/database/sql';
import { CertificateReadModel } from '../../src/modules/certificates/certificate.read-model';
import { createTestDb, TestDb } from '../helpers/test-app';

describe('CertificateReadModel (real database)', () => {
  let db: TestDb;
  const model = new CertificateReadModel();
  beforeAll(async () => {
    db = await createTestDb();
    const staff = '00000000-0000-7000-8000-00000000aa01';
    for (const [n, region, at] of [[1, 1, '2026-11-02T08:00:00Z'], [2, 1, '2026-11-20T08:00:00Z'], [3, 2, '2026-10-20T08:00:00Z']] as const) {
      await db.sql(
        `insert into certificate (id, number, verification_code, inquiry_id, region, content, content_hash, jws, kid, issued_at, valid_until, prepared_by, approved_by)
         values ($1, $2, $3, $4, $5, '{}'::jsonb, 'h', 'j', 'k', $6, $6::timestamptz + interval '90 days', $7, $7)`,
        [n, `1405-${region}-00000${n}`, `V${n}`, `00000000-0000-7000-8000-0000000c000${n}`, region, at, staff],
      );
    }
  });
  afterAll(() => db?.close());

  it('counts the answers issued per region in a period', async () => {
    const issued = await run(db.em(), model.issuedPerRegion([1, 2, 3], new Date('2026-11-01T00:00:00Z'), new Date('2026-11-20T08:00:00Z')));
    expect([...issued.entries()]).toEqual([
      [1, 1],
      [2, 0],
      [3, 0],
    ]);
  });
});
