import { DemoFile, seedDemo } from '../../src/cli/demo/demo-seed';
import { gatewayEnv, localPath, TEST_PUBLIC_URL } from '../helpers/payments';
import { createTestApp, TestApp } from '../helpers/test-app';

describe('payments demo data (demo.json payments sample)', () => {
  let t: TestApp;
  let demo: DemoFile;
  beforeAll(async () => {
    t = await createTestApp(gatewayEnv({ DEMO_CITY_PARCELS: '300' }));
    demo = await seedDemo(t.app, { ...t.config, database: { ...t.config.database, embedded: true } });
  });
  afterAll(() => t?.close());

  it('names a property with debts that no other sample uses, payable through the sandbox as described', async () => {
    const { payable, howTo } = demo.payments;
    expect(payable).not.toBeNull();
    expect([demo.billing.withDebts.renewalCode, demo.billing.fullyPaid.renewalCode, ...demo.properties.ownedByDemoCitizen]).not.toContain(payable!.renewalCode);
    expect(howTo['3 pay']).toContain(`${TEST_PUBLIC_URL}/api/v1/payments/result?paymentId=`);

    const debts = (await t.http().get('/api/v1/debts').query({ renewalCode: payable!.renewalCode, region: payable!.region }).expect(200)).body;
    expect(debts.settled).toBe(false);
    // as the hint says: no returnUrl, the payer lands on the Persian result page
    const started = (await t.http().post('/api/v1/payments').send({ billId: debts.bill.billId }).expect(201)).body;
    const pay = await t.http().post(`${localPath(started.redirectUrl)}/pay`).expect(303);
    const back = await t.http().get(localPath(pay.headers.location)).expect(303);
    expect(back.headers.location).toBe(`${TEST_PUBLIC_URL}/api/v1/payments/result?paymentId=${started.paymentId}`);
    const page = await t.http().get(localPath(back.headers.location)).expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('پرداخت موفق');
    expect((await t.http().get(`/api/v1/payments/${started.paymentId}`).expect(200)).body.status).toBe('paid');
    expect((await t.http().get('/api/v1/debts').query({ renewalCode: payable!.renewalCode }).expect(200)).body.settled).toBe(true);

    // the next seed names another property with debts; the other samples are unchanged
    const again = await seedDemo(t.app, { ...t.config, database: { ...t.config.database, embedded: true } });
    expect(again.payments.payable!.renewalCode).not.toBe(payable!.renewalCode);
    expect(again.billing).toEqual(demo.billing);
  });
});
