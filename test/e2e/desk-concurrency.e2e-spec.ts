import { StaffRole } from '../../src/modules/membership/entities/staff-user.entity';
import { DeskFinanceService } from '../../src/modules/desk/desk-finance.service';
import { answeredOfficeInquiry } from '../helpers/desk';
import { gatewayEnv } from '../helpers/payments';
import { signedStaffToken } from '../helpers/staff';
import { createTestApp, TestApp, usingRealPostgres } from '../helpers/test-app';

/**
 * Races at the desk need real PostgreSQL (the embedded engine serializes transactions).
 * Runs when DATABASE_URL is set (CI runs both engines).
 */
const describeReal = usingRealPostgres ? describe : describe.skip;
if (!usingRealPostgres) {
  // eslint-disable-next-line no-console
  console.info('desk concurrency tests skipped: they run on real PostgreSQL only (set DATABASE_URL)');
}

describeReal('desk on real PostgreSQL: races', () => {
  let t: TestApp;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await createTestApp(gatewayEnv({ DB_POOL_MAX: '20', CHROMIUM_PATH: '/nonexistent/chromium' }));
  });
  afterAll(() => t?.close());

  it('ten clerks claiming the same inquiry: exactly one holds it', async () => {
    const { inquiryId } = await answeredOfficeInquiry(t, 'submitted');
    const clerks = await Promise.all(
      Array.from({ length: 10 }, (_, i) => signedStaffToken(t, { username: `race.clerk.${i}`, roles: [StaffRole.RegionClerk], regions: [1] })),
    );
    const results = await Promise.all(clerks.map((c) => t.http().post(`/api/v1/desk/inquiries/${inquiryId}/claim`).set(auth(c.token))));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'DESK_CASE_CLAIMED')).toBe(true);
    const [row] = await t.sql<{ claimed_by: string }>(`select claimed_by from desk_case where inquiry_id = $1`, [inquiryId]);
    const winner = clerks[results.findIndex((r) => r.status === 200)];
    expect(row.claimed_by).toBe(winner.id);
  });

  it('five managers approving the same prepared answer at once: one certificate', async () => {
    const { inquiryId } = await answeredOfficeInquiry(t, 'prepared');
    const managers = await Promise.all(
      Array.from({ length: 5 }, (_, i) => signedStaffToken(t, { username: `race.manager.${i}`, roles: [StaffRole.RegionManager], regions: [1] })),
    );
    const results = await Promise.all(managers.map((m) => t.http().post(`/api/v1/desk/inquiries/${inquiryId}/answer/approve`).set(auth(m.token))));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
    const certs = await t.sql(`select number from certificate where inquiry_id = $1`, [inquiryId]);
    expect(certs).toHaveLength(1);
    const transitions = await t.sql(
      `select 1 from audit_log where target_type = 'inquiry' and target_id = $1 and action = 'inquiry.status_changed' and after->>'status' = 'answered'`,
      [inquiryId],
    );
    expect(transitions).toHaveLength(1);
  });

  it('the settlement job run twice at once moves the inquiry on once', async () => {
    const { inquiryId, renewalCode } = await answeredOfficeInquiry(t, 'submitted');
    const clerk = (await signedStaffToken(t, { username: 'race.clerk.s', roles: [StaffRole.RegionClerk], regions: [1] })).token;
    const desk = (path: string) => t.http().post(`/api/v1/desk/inquiries/${inquiryId}${path}`).set(auth(clerk));
    await desk('/claim').expect(200);
    await desk('/review').send({ documents: ['deed', 'national_card', 'office_letter'].map((kind) => ({ kind, verdict: 'accepted' })) }).expect(200);
    const bill = (await desk('/assess').expect(200)).body.desk.finances.bill;
    // settle the bill directly (as the bank channel would), without running the queued job
    const { BillingService } = await import('../../src/modules/billing/billing.service');
    await t.app.get(BillingService).settleBill(t.orm.em.fork(), bill.billId, { channel: 'bank', reference: 'race-ref-1', amountRials: bill.amountRials, paidAt: new Date() });
    const payload = { billId: bill.billId, paymentId: bill.paymentId, amountRials: String(bill.amountRials), paidAt: new Date().toISOString(), renewalCode };
    const desks = t.app.get(DeskFinanceService);
    await Promise.all([desks.paymentSettled(t.orm.em.fork(), payload), desks.paymentSettled(t.orm.em.fork(), payload)]);
    const moved = await t.sql(
      `select 1 from audit_log where target_type = 'inquiry' and target_id = $1 and action = 'inquiry.status_changed' and before->>'status' = 'awaiting_payment'`,
      [inquiryId],
    );
    expect(moved).toHaveLength(1);
    const [c] = await t.sql<{ finances: { paidBills: unknown[] } }>(`select finances from desk_case where inquiry_id = $1`, [inquiryId]);
    expect(c.finances.paidBills).toHaveLength(1);
    // the queued job (enqueued by the settlement) then finds nothing to do
    await t.jobs.drain();
    expect(await t.sql(`select 1 from audit_log where target_id = $1 and action = 'inquiry.status_changed' and before->>'status' = 'awaiting_payment'`, [inquiryId])).toHaveLength(1);
  });
});
