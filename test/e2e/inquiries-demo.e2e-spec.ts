import { MikroORM } from '@mikro-orm/postgresql';
import { DemoFile, seedDemo } from '../../src/cli/demo/demo-seed';
import { InquiryStatus } from '../../src/modules/inquiries/domain/inquiry-status';
import { InquiryWorkflowService } from '../../src/modules/inquiries/inquiry-workflow.service';
import { scanJpeg } from '../helpers/inquiries';
import { lastCode } from '../helpers/citizen';
import { createTestApp, TestApp } from '../helpers/test-app';
import { run, runAll } from '../../src/database/sql';

describe('inquiries with the sandbox demo data (demo.json)', () => {
  let t: TestApp;
  let demo: DemoFile;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp({ DEMO_CITY_PARCELS: '400' });
    demo = await seedDemo(t.app, { ...t.config, database: { ...t.config.database, embedded: true } });
    await t.http().post('/api/v1/auth/otp').send({ mobile: demo.citizen.mobile }).expect(202);
    const login = await t.http().post('/api/v1/auth/otp/verify').send({ mobile: demo.citizen.mobile, code: await lastCode(t, demo.citizen.mobile) }).expect(200);
    token = login.body.accessToken;
  });
  afterAll(() => t?.close());

  const draft = (s: { renewalCode: string; region: number; lastRequestNumber: string | null }) =>
    t
      .http()
      .post('/api/v1/inquiries')
      .set('Authorization', `Bearer ${token}`)
      .send({
        type: 'office',
        renewalCode: s.renewalCode,
        region: s.region,
        lastRequestNumber: s.lastRequestNumber ?? 'none',
        undertakingsVersion: 'office-1404-01',
        undertakingsAccepted: true,
        organization: { kind: 'bank', name: 'بانک نمونه', letterNumber: '12/345', letterDate: '1404/08/20' },
      });

  it('lists an eligible, an ineligible and an indebted property of the demo citizen that behave as described', async () => {
    const { eligible, notEligible, withDebts } = demo.inquiries;
    expect(eligible).toMatchObject({ eligible: true, settled: true });
    expect(notEligible.eligible).toBe(false);
    expect(withDebts).toMatchObject({ eligible: true, settled: false });
    // the knowledge check expects the same number the demo city lists
    expect(eligible.lastRequestNumber).toBe(demo.properties.demoCitizen.eligible.lastRequestNumber);

    const ok = await draft(eligible).expect(201);
    expect(ok.body.records.debts).toMatchObject({ settled: true });
    expect((await draft(notEligible).expect(422)).body.code).toBe('NOT_ELIGIBLE');
    const indebted = await draft(withDebts).expect(201);
    expect(indebted.body.records.debts.settled).toBe(false);
    expect(indebted.body.records.debts.totalRials).toBeGreaterThan(0);
    expect(indebted.body.records.debts.bill.billId).toMatch(/^\d+$/);
  });

  it('shows the bill to pay on the public tracking page once the desk asks for payment', async () => {
    const { withDebts } = demo.inquiries;
    const auth = { Authorization: `Bearer ${token}` };
    const id = (await draft(withDebts).expect(201)).body.id as string;
    await t.http().post(`/api/v1/inquiries/${id}/confirm`).set(auth).expect(200);
    for (const kind of ['deed', 'national_card', 'office_letter']) {
      await t.http().put(`/api/v1/inquiries/${id}/documents/${kind}`).set(auth).attach('file', await scanJpeg(), { filename: 'p.jpg' }).expect(200);
    }
    const { trackingCode } = (await t.http().post(`/api/v1/inquiries/${id}/submit`).set(auth).expect(200)).body;
    // what the desk (issue 7) does, through the workflow's transition API
    const workflow = t.app.get(InquiryWorkflowService);
    await (t.app.get(MikroORM) as MikroORM).em.fork().transactional(async (tx) => {
      const inquiry = await run(tx, workflow.lock(id));
      await runAll(tx, workflow.transition(inquiry, InquiryStatus.InReview, 'staff'));
      await runAll(tx, workflow.transition(inquiry, InquiryStatus.AwaitingPayment, 'system', { reason: 'بدهی عوارض نوسازی و پسماند' }));
    });
    const tracked = await t.http().get(`/api/v1/tracking/${trackingCode}`).expect(200);
    expect(tracked.body).toMatchObject({ status: 'awaiting_payment', step: 4, next: { code: 'pay_debts' } });
    expect(tracked.body.next.bill).toMatchObject({ billId: expect.stringMatching(/^\d+$/), paymentId: expect.stringMatching(/^\d+$/) });
    expect(tracked.body.next.bill.amountRials).toBeGreaterThan(0);
    const history = (await t.http().get(`/api/v1/inquiries/${id}`).set(auth).expect(200)).body.history;
    expect(history.map((h: { to: string }) => h.to)).toEqual(['draft', 'submitted', 'in_review', 'awaiting_payment']);
    expect(history.at(-1)).toMatchObject({ by: 'system', reason: 'بدهی عوارض نوسازی و پسماند' });
    // an impossible transition is refused
    await expect(
      (t.app.get(MikroORM) as MikroORM).em.fork().transactional(async (tx) => {
        await runAll(tx, workflow.transition(await run(tx, workflow.lock(id)), InquiryStatus.Draft, 'staff'));
      }),
    ).rejects.toMatchObject({ code: 'INQUIRY_STATUS_CONFLICT' });
  });
});
