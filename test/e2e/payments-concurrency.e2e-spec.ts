import { FakeSep, startFakeSep } from '../helpers/fake-gateways';
import { currentBill, gatewayEnv, localPath, seedPropertiesWithDebts, TEST_RETURN_ORIGIN } from '../helpers/payments';
import { createTestApp, TestApp, usingRealPostgres } from '../helpers/test-app';

/**
 * Concurrency needs real PostgreSQL: the embedded engine serializes transactions, so these
 * races cannot happen there. Runs when DATABASE_URL is set (CI runs both engines).
 */
const describeReal = usingRealPostgres ? describe : describe.skip;
if (!usingRealPostgres) {
  // eslint-disable-next-line no-console
  console.info('payments concurrency tests skipped: they run on real PostgreSQL only (set DATABASE_URL)');
}

describeReal('payments on real PostgreSQL: concurrent identical callbacks settle exactly once', () => {
  let t: TestApp;
  let sep: FakeSep;
  const CODE = '1-2-36-1-0-0-0';
  const CODE3 = '1-2-36-3-0-0-0';
  const CODE2 = '1-2-36-2-0-0-0';
  const RETURN = `${TEST_RETURN_ORIGIN}/done`;

  beforeAll(async () => {
    sep = await startFakeSep({ terminalId: '13456789' });
    t = await createTestApp(gatewayEnv({ DB_POOL_MAX: '20', PAYMENT_GATEWAYS: 'sandbox,sep', SEP_TERMINAL_ID: '13456789', SEP_BASE_URL: sep.url }));
    await seedPropertiesWithDebts(t, [CODE, CODE2, CODE3]);
  });
  afterAll(async () => {
    await t?.close();
    await sep?.close();
  });

  const start = async (billId: string) =>
    (await t.http().post('/api/v1/payments').send({ billId, returnUrl: RETURN }).expect(201)).body as { paymentId: string; redirectUrl: string };

  it('100 identical callbacks: one settlement, the same redirect to all, demand totals intact', async () => {
    const bill = await currentBill(t, CODE);
    const before = await t.sql<{ n: string; total: string }>(`select count(*) as n, sum(amount_rials) as total from billing_demand where subject_code = $1`, [CODE]);
    const p = await start(bill.billId);
    const pay = await t.http().post(`${localPath(p.redirectUrl)}/pay`).expect(303);
    const callback = localPath(pay.headers.location);

    const responses = await Promise.all(Array.from({ length: 100 }, () => t.http().get(callback)));
    expect(responses.map((r) => r.status)).toEqual(Array(100).fill(303));
    for (const r of responses) expect(r.headers.location).toBe(`${RETURN}?paymentId=${p.paymentId}`);

    expect((await t.http().get(`/api/v1/payments/${p.paymentId}`).expect(200)).body.status).toBe('paid');
    const bills = await t.sql<{ id: string; status: string; paid_channel: string; items: Array<{ principalRials: string }> }>(
      `select id, status, paid_channel, items from billing_bill where bill_id = $1`,
      [bill.billId],
    );
    expect(bills).toHaveLength(1);
    expect(bills[0]).toMatchObject({ status: 'paid', paid_channel: 'gateway' });
    expect(await t.sql(`select count(*)::int as n from billing_bill where status = 'paid'`)).toEqual([{ n: 1 }]);
    expect(await t.sql(`select count(*)::int as n from billing_payment where status = 'paid'`)).toEqual([{ n: 1 }]);
    const demands = await t.sql<{ status: string; paid_bill_id: string; amount_rials: string }>(
      `select status, paid_bill_id, amount_rials from billing_demand where subject_code = $1`,
      [CODE],
    );
    expect(demands).toHaveLength(Number(before[0].n));
    expect(demands.every((d) => d.status === 'paid' && d.paid_bill_id === bills[0].id)).toBe(true);
    expect(demands.reduce((s, d) => s + BigInt(d.amount_rials), 0n)).toBe(BigInt(before[0].total));
    expect(bills[0].items.reduce((s, i) => s + BigInt(i.principalRials), 0n)).toBe(BigInt(before[0].total));
    expect(await t.sql(`select status from billing_sandbox_txn where payment_id = $1`, [p.paymentId])).toEqual([{ status: 'paid' }]);
  });

  it('100 identical SEP form callbacks (verify answers "already verified" to all but the first): one settlement', async () => {
    const bill = await currentBill(t, CODE3);
    const p = (await t.http().post('/api/v1/payments').send({ billId: bill.billId, returnUrl: RETURN, gateway: 'sep' }).expect(201)).body;
    const form = sep.pay(new URL(p.redirectUrl).searchParams.get('token')!);
    const responses = await Promise.all(Array.from({ length: 100 }, () => t.http().post('/api/v1/payments/callback/sep').type('form').send(form)));
    expect(responses.map((r) => r.status)).toEqual(Array(100).fill(303));
    expect((await t.http().get(`/api/v1/payments/${p.paymentId}`).expect(200)).body).toMatchObject({ status: 'paid', bankReference: form.RefNum });
    expect(await t.sql(`select status, payment_reference from billing_bill where bill_id = $1`, [bill.billId])).toEqual([{ status: 'paid', payment_reference: `sep:${form.RefNum}` }]);
    expect(await t.sql(`select count(*)::int as n from billing_demand where subject_code = $1 and status <> 'paid'`, [CODE3])).toEqual([{ n: 0 }]);
    expect(sep.requests.filter((r) => r.path.endsWith('/ReverseTransaction'))).toHaveLength(0);
  });

  it('10 payments of one bill all paid at the gateway, their callbacks racing: exactly one settles, the other nine are reversed', async () => {
    const bill = await currentBill(t, CODE2);
    const payments = await Promise.all(Array.from({ length: 10 }, () => start(bill.billId)));
    const callbacks: string[] = [];
    for (const p of payments) callbacks.push(localPath((await t.http().post(`${localPath(p.redirectUrl)}/pay`).expect(303)).headers.location));
    const responses = await Promise.all(callbacks.flatMap((c) => [t.http().get(c), t.http().get(c)]));
    expect(responses.every((r) => r.status === 303)).toBe(true);
    const rows = await t.sql<{ status: string; n: number }>(
      `select status, count(*)::int as n from billing_payment where bill_id = $1 group by status order by status`,
      [bill.billId],
    );
    expect(rows).toEqual([
      { status: 'paid', n: 1 },
      { status: 'reversed', n: 9 },
    ]);
    expect(await t.sql(`select count(*)::int as n from billing_sandbox_txn where status = 'reversed'`)).toEqual([{ n: 9 }]);
    expect(await t.sql(`select count(*)::int as n from billing_demand where subject_code = $1 and status <> 'paid'`, [CODE2])).toEqual([{ n: 0 }]);
  });
});
