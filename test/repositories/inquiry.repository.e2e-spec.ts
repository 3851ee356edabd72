import { cte, query, run, runAll, withCtes } from '../../src/database/sql';
import { InquiryStatus } from '../../src/modules/inquiries/domain/inquiry-status';
import { InquiryRepository } from '../../src/modules/inquiries/inquiry.repository';
import { createTestDb, TestDb } from '../helpers/test-app';
import { arrangeOwners, CITIZEN, draftRow } from './inquiry-fixtures';

const A = '00000000-0000-7000-8000-0000000a0001';
const B = '00000000-0000-7000-8000-0000000a0002';

describe('InquiryRepository (real database)', () => {
  let db: TestDb;
  const repo = new InquiryRepository();
  beforeAll(async () => {
    db = await createTestDb();
    await arrangeOwners(db);
    await runAll(db.em(), [
      repo.insert(draftRow(A)),
      repo.insert(draftRow(B, { createdAt: new Date('2026-11-02T08:00:00Z'), status: InquiryStatus.Submitted, trackingCode: '123456789012', submittedAt: new Date('2026-11-02T09:00:00Z') })),
    ]);
  });
  afterAll(() => db?.close());

  it('reads back every member as inserted (JSON and dates converted once)', async () => {
    expect(await run(db.em(), repo.find(A))).toEqual(draftRow(A));
    expect(await run(db.em(), repo.find('00000000-0000-7000-8000-0000000a0099'))).toBeNull();
    const [stored] = await db.sql<{ organization: unknown; region: number }>(`select organization, region from inquiry where id = $1`, [A]);
    expect(stored).toEqual({ organization: { kind: 'bank', name: 'بانک آزمون', letterNumber: '12/345', letterDate: '1404/08/10' }, region: 1 });
  });

  it('updates the given members only, and conditionally on a handle', async () => {
    const at = new Date('2026-11-03T10:00:00Z');
    await run(db.em(), repo.update(A, { confirmedAt: at, updatedAt: at }));
    const none = cte(query(`select 1 as x where false`, [], () => undefined));
    await run(db.em(), withCtes([none], { ...repo.update(A, { status: InquiryStatus.Cancelled, updatedAt: at }, none) }));
    const row = await run(db.em(), repo.find(A));
    expect(row).toMatchObject({ confirmedAt: at, updatedAt: at, status: InquiryStatus.Draft, trackingCode: null });
  });

  it('locks inside the caller’s transaction and rolls back with it', async () => {
    await expect(
      db.em().transactional(async (tx) => {
        const locked = await run(tx, repo.lock(B));
        expect(locked?.status).toBe(InquiryStatus.Submitted);
        await run(tx, repo.update(B, { status: InquiryStatus.InReview, updatedAt: new Date() }));
        throw new Error('the caller fails');
      }),
    ).rejects.toThrow('the caller fails');
    expect((await run(db.em(), repo.find(B)))?.status).toBe(InquiryStatus.Submitted);
  });

  it('lists a member’s inquiries newest first with the total, tracks and finds taken codes', async () => {
    const all = await run(db.em(), repo.ofCitizen(CITIZEN, undefined, 1, 0));
    expect(all.total).toBe(2);
    expect(all.items).toEqual([
      { id: B, type: 'office', status: 'submitted', renewalCode: '1-1-1-1-0-0-0', trackingCode: '123456789012', submittedAt: new Date('2026-11-02T09:00:00Z'), createdAt: new Date('2026-11-02T08:00:00Z') },
    ]);
    expect((await run(db.em(), repo.ofCitizen(CITIZEN, InquiryStatus.Draft, 10, 0))).items.map((i) => i.id)).toEqual([A]);
    expect(await run(db.em(), repo.tracked('123456789012'))).toMatchObject({ status: 'submitted', region: 1, reviewDueAt: null, submittedAt: new Date('2026-11-02T09:00:00Z') });
    expect(await run(db.em(), repo.tracked('000000000000'))).toBeNull();
    expect(await runAll(db.em(), [repo.trackingCodeTaken('123456789012'), repo.trackingCodeTaken('000000000000')])).toEqual([true, false]);
  });
});
