import { run, runAll } from '../../src/database/sql';
import { InquiryStatus, InquiryType } from '../../src/modules/inquiries/domain/inquiry-status';
import { InquiryQueueReadModel } from '../../src/modules/inquiries/inquiry-queue.read-model';
import { InquiryRepository } from '../../src/modules/inquiries/inquiry.repository';
import { createTestDb, TestDb } from '../helpers/test-app';
import { arrangeOwners, draftRow } from './inquiry-fixtures';

const id = (n: number) => `00000000-0000-7000-8000-0000000e00${String(n).padStart(2, '0')}`;
const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
const hours = (h: number) => new Date(NOW.getTime() + h * 3600_000);

describe('InquiryQueueReadModel (real database)', () => {
  let db: TestDb;
  const model = new InquiryQueueReadModel();
  beforeAll(async () => {
    db = await createTestDb();
    await arrangeOwners(db);
    const repo = new InquiryRepository();
    await runAll(db.em(), [
      repo.insert(draftRow(id(1))),
      repo.insert(draftRow(id(2), { status: InquiryStatus.Submitted, trackingCode: '100000000001', submittedAt: hours(-30), reviewDueAt: hours(-2) })),
      repo.insert(draftRow(id(3), { status: InquiryStatus.InReview, trackingCode: '100000000002', submittedAt: hours(-3), reviewDueAt: hours(5) })),
      repo.insert(draftRow(id(4), { status: InquiryStatus.AwaitingPayment, trackingCode: '100000000003', submittedAt: hours(-40), reviewDueAt: hours(-20) })),
      repo.insert(
        draftRow(id(5), {
          type: InquiryType.Notary, organization: null, notaryOfficeNumber: '12', region: 2, status: InquiryStatus.VisitScheduled,
          trackingCode: '100000000004', submittedAt: hours(-50), reviewDueAt: null, visitSlotId: '2-20261110-1000', visitStartsAt: hours(3),
        }),
      ),
    ]);
  });
  afterAll(() => db?.close());

  it('pages the queue most urgent first, filtered by region, status, type, due time and search', async () => {
    const active = [InquiryStatus.Submitted, InquiryStatus.InReview, InquiryStatus.AwaitingPayment, InquiryStatus.VisitScheduled];
    const all = await run(db.em(), model.page({ regions: [1, 2], statuses: active }, 10, 0));
    expect(all.total).toBe(4);
    expect(all.items.map((i) => i.id)).toEqual([id(4), id(2), id(3), id(5)]);
    expect(all.items[1]).toEqual({
      id: id(2), type: 'office', status: 'submitted', region: 1, renewalCode: '1-1-1-1-0-0-0', trackingCode: '100000000001', submittedAt: hours(-30), reviewDueAt: hours(-2),
    });
    const second = await run(db.em(), model.page({ regions: [1, 2], statuses: active }, 1, 1));
    expect([second.total, second.items.map((i) => i.id)]).toEqual([4, [id(2)]]);
    expect((await run(db.em(), model.page({ regions: [2], statuses: active }, 10, 0))).items.map((i) => i.id)).toEqual([id(5)]);
    expect((await run(db.em(), model.page({ regions: [1, 2], statuses: active, type: InquiryType.Notary }, 10, 0))).items.map((i) => i.id)).toEqual([id(5)]);
    // overdue reviews only count while under review (the awaiting-payment one is not)
    expect((await run(db.em(), model.page({ regions: [1, 2], statuses: active, due: { before: NOW } }, 10, 0))).items.map((i) => i.id)).toEqual([id(2)]);
    expect((await run(db.em(), model.page({ regions: [1, 2], statuses: active, due: { from: NOW, before: hours(6) } }, 10, 0))).items.map((i) => i.id)).toEqual([id(3)]);
    expect((await run(db.em(), model.page({ regions: [1, 2], statuses: active, search: '100000000003' }, 10, 0))).items.map((i) => i.id)).toEqual([id(4)]);
    expect((await run(db.em(), model.page({ regions: [1, 2], statuses: active, search: '1-1-1%' }, 10, 0))).total).toBe(4);
  });

  it('counts statuses without drafts, lists the day’s visits and the regions’ figures', async () => {
    expect(await run(db.em(), model.statusCounts([1]))).toEqual([
      { status: 'awaiting_payment', count: 1 },
      { status: 'in_review', count: 1 },
      { status: 'submitted', count: 1 },
    ]);
    expect(await run(db.em(), model.visits([1, 2], hours(-1), hours(24)))).toEqual([
      { id: id(5), trackingCode: '100000000004', region: 2, renewalCode: '1-1-1-1-0-0-0', status: 'visit_scheduled', startsAt: hours(3) },
    ]);
    expect(await run(db.em(), model.visits([1], hours(-1), hours(24)))).toEqual([]);
    const figures = await run(db.em(), model.regionFigures([1, 2, 3], hours(-35), NOW, NOW));
    expect([...figures.entries()]).toEqual([
      [1, { received: 2, overdue: 1 }],
      [2, { received: 0, overdue: 0 }],
      [3, { received: 0, overdue: 0 }],
    ]);
  });

  it('finds overdue reviews (at the database’s now) and the files awaiting payment', async () => {
    expect(await run(db.em(), model.overdueReviews())).toEqual([{ id: id(2), region: 1, status: 'submitted', reviewDueAt: hours(-2) }]);
    await db.sql(`update inquiry set review_due_at = now() - interval '1 hour' where id = $1`, [id(3)]);
    const overdue = await run(db.em(), model.overdueReviews());
    expect(overdue.map((o) => [o.id, o.region, o.status]).sort()).toEqual([[id(2), 1, 'submitted'], [id(3), 1, 'in_review']]);
    expect(overdue.every((o) => o.reviewDueAt instanceof Date && o.reviewDueAt < new Date())).toBe(true);
    expect(await run(db.em(), model.awaitingPayment('1-1-1-1-0-0-0'))).toEqual([id(4)]);
    expect(await run(db.em(), model.awaitingPayment('9-9-9-9-0-0-0'))).toEqual([]);
  });
});
