import { DemoFile, seedDemo } from '../../src/cli/demo/demo-seed';
import { createTestApp, TestApp } from '../helpers/test-app';

describe('billing demo data (demo.json billing samples)', () => {
  let t: TestApp;
  let demo: DemoFile;
  beforeAll(async () => {
    t = await createTestApp({ DEMO_CITY_PARCELS: '300' });
    demo = await seedDemo(t.app, { ...t.config, database: { ...t.config.database, embedded: true } });
  });
  afterAll(() => t?.close());

  it('lists a property with debts, a fully paid one and guild codes that work as described', async () => {
    const { withDebts, fullyPaid, guilds } = demo.billing;
    const debts = await t.http().get('/api/v1/debts').query({ renewalCode: withDebts.renewalCode, region: withDebts.region }).expect(200);
    expect(debts.body.settled).toBe(false);
    expect(debts.body.items.length).toBeGreaterThanOrEqual(4);
    expect(debts.body.bill.amountRials).toBeGreaterThan(0);
    const paid = await t.http().get('/api/v1/debts').query({ renewalCode: fullyPaid.renewalCode, region: fullyPaid.region }).expect(200);
    expect(paid.body).toMatchObject({ settled: true, bill: null });
    const owing = await t.http().get('/api/v1/debts').query({ guildCode: guilds[0].guildCode }).expect(200);
    expect(owing.body.settled).toBe(false);
    const paidGuild = await t.http().get('/api/v1/debts').query({ guildCode: guilds[1].guildCode }).expect(200);
    expect(paidGuild.body.settled).toBe(true);

    // the demo bank can pay the bill of the property with debts
    const bank = demo.organizations[0];
    const token = (await t.http().post(bank.tokenUrl).send({ grant_type: 'client_credentials', client_id: bank.clientId, client_secret: bank.clientSecret }).expect(200)).body.access_token;
    const { billId, paymentId, amountRials } = debts.body.bill;
    await t.http().post('/api/v1/bank/bill-payments').set('Authorization', `Bearer ${token}`)
      .send({ billId, paymentId, amount: amountRials, bankReference: 'DEMO-1', paidAt: new Date().toISOString() }).expect(200);

    // a second run changes nothing
    const again = await seedDemo(t.app, { ...t.config, database: { ...t.config.database, embedded: true } });
    expect(again.billing).toEqual(demo.billing);
    expect(await t.sql(`select count(*)::int as n from guild_licence`)).toEqual([{ n: 2 }]);
  });
});
