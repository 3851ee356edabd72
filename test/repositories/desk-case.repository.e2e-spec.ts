import { run } from '../../src/database/sql';
import { DeskCaseRepository } from '../../src/modules/desk/desk-case.repository';
import { createTestDb, TestDb } from '../helpers/test-app';

const id = (n: number) => `00000000-0000-7000-8000-0000000f00${String(n).padStart(2, '0')}`;
const STAFF = '00000000-0000-7000-8000-00000000aa01';

describe('DeskCaseRepository (real database)', () => {
  let db: TestDb;
  const repo = new DeskCaseRepository();
  beforeAll(async () => {
    db = await createTestDb();
    await db.sql(
      `insert into desk_case (inquiry_id, region, claimed_by, reviewed_at, review_working_hours, created_at, updated_at) values
         ($1, 1, $4, '2026-11-05T08:00:00Z', 2, now(), now()),
         ($2, 1, null, '2026-11-06T08:00:00Z', 4, now(), now()),
         ($3, 2, null, '2026-12-06T08:00:00Z', 9, now(), now())`,
      [id(1), id(2), id(3), STAFF],
    );
  });
  afterAll(() => db?.close());

  it('reads the holders of a page of cases', async () => {
    expect([...(await run(db.em(), repo.claims([id(1), id(2), id(9)]))).entries()]).toEqual([[id(1), STAFF]]);
  });

  it('marks overdue reviews once per review cycle', async () => {
    const due = new Date('2026-11-10T08:00:00Z');
    const first = await run(db.em(), repo.markOverdue([{ inquiryId: id(1), region: 1, dueAt: due }, { inquiryId: id(5), region: 2, dueAt: due }]));
    expect(first.sort((a, b) => a.inquiryId.localeCompare(b.inquiryId))).toEqual([{ inquiryId: id(1), region: 1 }, { inquiryId: id(5), region: 2 }]);
    expect(await run(db.em(), repo.markOverdue([{ inquiryId: id(1), region: 1, dueAt: due }]))).toEqual([]);
    // a resubmission has a later due time than the last mark: marked again
    expect(await run(db.em(), repo.markOverdue([{ inquiryId: id(1), region: 1, dueAt: new Date(Date.now() + 3600_000) }]))).toEqual([{ inquiryId: id(1), region: 1 }]);
    expect(await run(db.em(), repo.markOverdue([]))).toEqual([]);
    const [created] = await db.sql<{ region: number; overdue: boolean }>(`select region, overdue_at is not null as overdue from desk_case where inquiry_id = $1`, [id(5)]);
    expect(created).toEqual({ region: 2, overdue: true });
  });

  it('gives the median review time per region over a period', async () => {
    const medians = await run(db.em(), repo.medianReviewHours([1, 2, 3], new Date('2026-11-01T00:00:00Z'), new Date('2026-12-01T00:00:00Z')));
    expect([...medians.entries()]).toEqual([
      [1, 3],
      [2, null],
      [3, null],
    ]);
  });
});
