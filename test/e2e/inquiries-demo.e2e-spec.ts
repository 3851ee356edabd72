import { DemoFile, seedDemo } from '../../src/cli/demo-seed';
import { lastCode } from '../helpers/citizen';
import { createTestApp, TestApp } from '../helpers/test-app';

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
});
