import { FakeSep, FakeZarinpal, startFakeSep, startFakeZarinpal } from '../helpers/fake-gateways';
import { currentBill, gatewayEnv, reconcileDueNow, seedPropertiesWithDebts, TEST_RETURN_ORIGIN } from '../helpers/payments';
import { createTestApp, TestApp } from '../helpers/test-app';

const TERMINAL = '13456789';
const MERCHANT = '1f3a6c2e-8b4d-4e7a-9c1b-2d3e4f5a6b7c';

/** Saman (SEP) and Zarinpal end to end against the local fake servers; the sandbox is off here. */
describe('payments through SEP and Zarinpal (fake servers)', () => {
  let t: TestApp;
  let sep: FakeSep;
  let zp: FakeZarinpal;
  let finance: string;
  const P = ['1-2-35-1-0-0-0', '1-2-35-2-0-0-0', '1-2-35-3-0-0-0', '1-2-35-4-0-0-0', '1-2-35-5-0-0-0', '1-2-35-6-0-0-0', '1-2-35-7-0-0-0', '1-2-35-8-0-0-0', '1-2-35-9-0-0-0', '1-2-35-10-0-0-0', '1-2-35-11-0-0-0', '1-2-35-12-0-0-0'];
  const RETURN = `${TEST_RETURN_ORIGIN}/done`;

  beforeAll(async () => {
    sep = await startFakeSep({ terminalId: TERMINAL });
    zp = await startFakeZarinpal({ merchantId: MERCHANT });
    t = await createTestApp(
      gatewayEnv({
        PAYMENT_GATEWAYS: 'sep,zarinpal',
        SEP_TERMINAL_ID: TERMINAL,
        SEP_BASE_URL: sep.url,
        ZARINPAL_MERCHANT_ID: MERCHANT,
        ZARINPAL_BASE_URL: zp.url,
      }),
    );
    finance = await seedPropertiesWithDebts(t, P);
  });
  afterAll(async () => {
    await t?.close();
    await sep?.close();
    await zp?.close();
  });
  beforeEach(() => {
    sep.respondWith({ kind: 'normal' });
    zp.respondWith({ kind: 'normal' });
  });

  const start = async (code: string, gateway?: 'sep' | 'zarinpal') => {
    const bill = await currentBill(t, code);
    const res = await t.http().post('/api/v1/payments').send({ billId: bill.billId, returnUrl: RETURN, ...(gateway ? { gateway } : {}) }).expect(201);
    return { bill, ...(res.body as { paymentId: string; redirectUrl: string; gateway: string }) };
  };
  const status = async (id: string) => (await t.http().get(`/api/v1/payments/${id}`).expect(200)).body;
  const billStatus = async (billId: string) => (await t.sql<{ status: string }>(`select status from billing_bill where bill_id = $1`, [billId]))[0].status;
  const sepToken = (redirectUrl: string) => new URL(redirectUrl).searchParams.get('token')!;
  const zpAuthority = (redirectUrl: string) => redirectUrl.split('/').pop()!;
  const sepCallback = (form: Record<string, string>) => t.http().post('/api/v1/payments/callback/sep').type('form').send(form);
  const zpCallback = (query: Record<string, string>) => t.http().get('/api/v1/payments/callback/zarinpal').query(query);

  it('SEP (the default, first of PAYMENT_GATEWAYS): token, payment page, form callback, verify with RefNum and the stored amount, settled', async () => {
    const p = await start(P[0]);
    expect(p.gateway).toBe('sep');
    expect(p.redirectUrl.startsWith(`${sep.url}/OnlinePG/SendToken?token=`)).toBe(true);
    const tokenReq = sep.requests.find((r) => r.path === '/onlinepg/onlinepg')!;
    expect(tokenReq.json).toMatchObject({ action: 'token', TerminalId: TERMINAL, Amount: p.bill.amountRials, ResNum: p.paymentId, RedirectUrl: 'http://pay.test/api/v1/payments/callback/sep' });

    const back = await sepCallback(sep.pay(sepToken(p.redirectUrl))).expect(303);
    expect(back.headers.location).toBe(`${RETURN}?paymentId=${p.paymentId}`);
    const s = await status(p.paymentId);
    expect(s).toMatchObject({ status: 'paid', gateway: 'sep' });
    expect(s.bankReference).toMatch(/^GmshtyjwKSu\d{10}$/);
    expect(await billStatus(p.bill.billId)).toBe('paid');
    const verify = sep.requests.filter((r) => r.path.endsWith('/VerifyTransaction'));
    expect(verify).toHaveLength(1);
    expect(verify[0].json).toEqual({ RefNum: s.bankReference, TerminalNumber: Number(TERMINAL) });
    const receipt = (await t.http().get(`/api/v1/payments/${p.paymentId}/receipt`).expect(200)).body;
    expect(receipt).toMatchObject({ gateway: 'sep', bankReference: s.bankReference, cardMask: '621986****7512' });
    expect(receipt.rrn).toMatch(/^\d{12}$/);
    // the callback again: no second verify is needed, nothing changes
    await sepCallback({ Token: sepToken(p.redirectUrl), State: 'OK', Status: '2', RefNum: s.bankReference }).expect(303);
    expect(sep.requests.filter((r) => r.path.endsWith('/VerifyTransaction'))).toHaveLength(1);
  });

  it('SEP amount mismatch: reversed at SEP, marked amount_mismatch, bill stays unpaid', async () => {
    const p = await start(P[1]);
    const token = sepToken(p.redirectUrl);
    await sepCallback(sep.pay(token, { amount: p.bill.amountRials - 1000 })).expect(303);
    expect((await status(p.paymentId)).status).toBe('amount_mismatch');
    expect(sep.sessions.get(token)!.reversed).toBe(true);
    expect(await billStatus(p.bill.billId)).toBe('open');
    const [row] = await t.sql<{ failure_reason: string; needs_review: boolean; reversed_at: Date | null }>(
      `select failure_reason, needs_review, reversed_at from billing_payment where id = $1`,
      [p.paymentId],
    );
    expect(row.failure_reason).toMatch(/^AMOUNT_MISMATCH/);
    expect(row.needs_review).toBe(false);
    expect(row.reversed_at).not.toBeNull();
  });

  it('SEP amount mismatch whose reversal SEP refuses: flagged for a person, reconciliation retries the reversal', async () => {
    const p = await start(P[2]);
    const token = sepToken(p.redirectUrl);
    sep.respondWith({ kind: 'raw', httpStatus: 502, body: '<html>Bad Gateway</html>' }, 'reverse');
    await sepCallback(sep.pay(token, { amount: p.bill.amountRials + 5000 })).expect(303);
    expect((await status(p.paymentId)).status).toBe('reversing');
    expect(await t.sql(`select needs_review from billing_payment where id = $1`, [p.paymentId])).toEqual([{ needs_review: true }]);
    expect(await billStatus(p.bill.billId)).toBe('open');

    expect(await t.sql(`select count(*)::int as n from job where queue = 'payments.reconcile' and dedupe_key = $1 and run_at > now()`, [`payment-reverse:${p.paymentId}`])).toEqual([{ n: 1 }]);

    // finance sees it among the payments needing a person; anonymous callers do not
    await t.http().get('/api/v1/admin/billing/payments').query({ needsReview: 'true' }).expect(401);
    const review = (await t.http().get('/api/v1/admin/billing/payments').query({ needsReview: 'true' }).set('Authorization', `Bearer ${finance}`).expect(200)).body;
    expect(review.meta.total).toBe(1);
    expect(review.items[0]).toMatchObject({ paymentId: p.paymentId, status: 'reversing', needsReview: true, gateway: 'sep', bankReference: null });
    expect(review.items[0].failureReason).toMatch(/^AMOUNT_MISMATCH/);
    expect(review.items[0].verifiedReference).toBe(review.items[0].gatewayReference);
    // asking again while SEP still refuses changes nothing
    const again = (await t.http().post(`/api/v1/admin/billing/payments/${p.paymentId}/reconcile`).set('Authorization', `Bearer ${finance}`).expect(200)).body;
    expect(again).toMatchObject({ status: 'reversing', needsReview: true });

    sep.respondWith({ kind: 'normal' });
    await reconcileDueNow(t, p.paymentId);
    await t.jobs.drain();
    expect((await status(p.paymentId)).status).toBe('amount_mismatch');
    expect(sep.sessions.get(token)!.reversed).toBe(true);
    expect(await t.sql(`select needs_review from billing_payment where id = $1`, [p.paymentId])).toEqual([{ needs_review: false }]);
  });

  it('staff list and re-check payments; bad filters are coded', async () => {
    const list = (await t.http().get('/api/v1/admin/billing/payments').query({ status: 'paid', pageSize: 50 }).set('Authorization', `Bearer ${finance}`).expect(200)).body;
    expect(list.items.every((i: { status: string }) => i.status === 'paid')).toBe(true);
    for (const q of [{ status: 'done' }, { needsReview: 'maybe' }, { billId: 'x' }, { pageSize: 500 }]) {
      expect((await t.http().get('/api/v1/admin/billing/payments').query(q).set('Authorization', `Bearer ${finance}`).expect(400)).body.code).toBe('VALIDATION_FAILED');
    }
    expect((await t.http().post('/api/v1/admin/billing/payments/00000000-0000-4000-8000-000000000000/reconcile').set('Authorization', `Bearer ${finance}`).expect(404)).body.code).toBe(
      'PAYMENT_NOT_FOUND',
    );
  });

  it('SEP cancel and failure: a return without RefNum cannot be verified, so pending until the session is over, then failed', async () => {
    const a = await start(P[3]);
    await sepCallback(sep.cancel(sepToken(a.redirectUrl))).expect(303);
    expect((await status(a.paymentId)).status).toBe('pending');
    const [row] = await t.sql<{ last_verify_error: string }>(`select last_verify_error from billing_payment where id = $1`, [a.paymentId]);
    expect(row.last_verify_error).toMatch(/^callback says cancelled, not confirmed: SEP: no RefNum/);
    const b = await start(P[3]);
    await sepCallback(sep.fail(sepToken(b.redirectUrl))).expect(303);
    expect((await status(b.paymentId)).status).toBe('pending');
    expect(sep.requests.filter((r) => r.path.endsWith('/VerifyTransaction') && r.json?.RefNum === '')).toHaveLength(0);
    for (const p of [a, b]) await reconcileDueNow(t, p.paymentId);
    await t.jobs.drain();
    expect((await status(a.paymentId)).status).toBe('failed');
    expect((await status(b.paymentId)).status).toBe('failed');
    expect(await billStatus(a.bill.billId)).toBe('open');
  });

  it('SEP verify times out: pending; the reconciliation job settles it later with the stored RefNum', async () => {
    const p = await start(P[4]);
    sep.respondWith({ kind: 'hang' }, 'verify');
    const form = sep.pay(sepToken(p.redirectUrl));
    await sepCallback(form).expect(303);
    expect((await status(p.paymentId)).status).toBe('pending');
    const [row] = await t.sql<{ last_verify_error: string; gateway_reference: string }>(`select last_verify_error, gateway_reference from billing_payment where id = $1`, [p.paymentId]);
    expect(row.last_verify_error).toMatch(/no answer within 500 ms/);
    expect(row.gateway_reference).toBe(form.RefNum);

    // still down at the first reconciliation: stays pending, the job is retried later
    await reconcileDueNow(t, p.paymentId);
    await t.jobs.drain();
    expect((await status(p.paymentId)).status).toBe('pending');

    sep.respondWith({ kind: 'normal' });
    await reconcileDueNow(t, p.paymentId);
    await t.jobs.drain();
    expect((await status(p.paymentId)).status).toBe('paid');
    expect(await billStatus(p.bill.billId)).toBe('paid');
    const debts = (await t.http().get('/api/v1/debts').query({ renewalCode: P[4] }).expect(200)).body;
    expect(debts.totalRials).toBe(0);
  });

  it('SEP token request fails: coded 503 / 502, the payment is failed', async () => {
    sep.respondWith({ kind: 'hang' }, 'token');
    const bill = await currentBill(t, P[5]);
    const down = await t.http().post('/api/v1/payments').send({ billId: bill.billId, returnUrl: RETURN }).expect(503);
    expect(down.body.code).toBe('PAYMENT_GATEWAY_UNAVAILABLE');
    expect(down.headers['retry-after']).toBeDefined();
    sep.respondWith({ kind: 'code', code: 12 }, 'token');
    expect((await t.http().post('/api/v1/payments').send({ billId: bill.billId, returnUrl: RETURN }).expect(502)).body.code).toBe('PAYMENT_GATEWAY_REJECTED');
    expect(await t.sql(`select status, failure_reason from billing_payment where bill_id = $1 order by created_at`, [bill.billId])).toEqual([
      { status: 'failed', failure_reason: 'PAYMENT_GATEWAY_UNAVAILABLE' },
      { status: 'failed', failure_reason: 'PAYMENT_GATEWAY_REJECTED' },
    ]);
  });

  it('Zarinpal: authority, StartPay, GET callback, verify with the stored amount, settled', async () => {
    const p = await start(P[5], 'zarinpal');
    expect(p.redirectUrl).toMatch(new RegExp(`^${zp.url}/pg/StartPay/A0{19}[0-9a-f]{16}$`));
    const back = await zpCallback(zp.pay(zpAuthority(p.redirectUrl))).expect(303);
    expect(back.headers.location).toBe(`${RETURN}?paymentId=${p.paymentId}`);
    const s = await status(p.paymentId);
    expect(s).toMatchObject({ status: 'paid', gateway: 'zarinpal' });
    expect(s.bankReference).toMatch(/^2\d{9}$/);
    const verify = zp.requests.find((r) => r.path === '/pg/v4/payment/verify.json')!;
    expect(verify.json).toEqual({ merchant_id: MERCHANT, amount: p.bill.amountRials, authority: zpAuthority(p.redirectUrl) });
    expect(await billStatus(p.bill.billId)).toBe('paid');
  });

  it('Zarinpal NOK and a forged OK: failed, nothing settled', async () => {
    const a = await start(P[6], 'zarinpal');
    await zpCallback(zp.fail(zpAuthority(a.redirectUrl))).expect(303);
    expect((await status(a.paymentId)).status).toBe('failed');
    const b = await start(P[6], 'zarinpal');
    await zpCallback({ Authority: zpAuthority(b.redirectUrl), Status: 'OK' }).expect(303); // never paid at Zarinpal
    expect((await status(b.paymentId)).status).toBe('failed');
    expect(await billStatus(a.bill.billId)).toBe('open');
    // Zarinpal refuses to verify a session opened for another amount (-50) and returns the money itself
    const c = await start(P[6], 'zarinpal');
    zp.pay(zpAuthority(c.redirectUrl));
    zp.respondWith({ kind: 'code', code: -50 }, 'verify');
    await zpCallback({ Authority: zpAuthority(c.redirectUrl), Status: 'OK' }).expect(303);
    expect((await status(c.paymentId)).status).toBe('failed');
    expect((await t.sql<{ failure_reason: string }>(`select failure_reason from billing_payment where id = $1`, [c.paymentId]))[0].failure_reason).toMatch(/^ZARINPAL_-50/);
    expect(await billStatus(a.bill.billId)).toBe('open');
    // an authority Zarinpal never issued for us
    expect((await zpCallback({ Authority: `A${'0'.repeat(35)}`, Status: 'OK' }).expect(404)).body.code).toBe('PAYMENT_CALLBACK_INVALID');
  });

  it('Zarinpal verify times out: pending; reconciliation settles it later', async () => {
    const p = await start(P[7], 'zarinpal');
    zp.respondWith({ kind: 'hang' }, 'verify');
    await zpCallback(zp.pay(zpAuthority(p.redirectUrl))).expect(303);
    expect((await status(p.paymentId)).status).toBe('pending');
    zp.respondWith({ kind: 'raw', httpStatus: 502, body: '<html>502</html>' }, 'verify');
    await reconcileDueNow(t, p.paymentId);
    await t.jobs.drain();
    expect((await status(p.paymentId)).status).toBe('pending');
    zp.respondWith({ kind: 'normal' });
    await reconcileDueNow(t, p.paymentId);
    await t.jobs.drain();
    expect((await status(p.paymentId)).status).toBe('paid');
    expect(await billStatus(p.bill.billId)).toBe('paid');
  });

  it('the sandbox gateway is off here: its routes answer like unknown ones, and it cannot be chosen', async () => {
    const res = await t.http().get(`/api/v1/sandbox/gateway/${'a'.repeat(32)}`).expect(404);
    expect(res.body.code).toBe('ROUTE_NOT_FOUND');
    expect((await t.http().post(`/api/v1/sandbox/gateway/${'a'.repeat(32)}/pay`).expect(404)).body.code).toBe('ROUTE_NOT_FOUND');
    expect((await t.http().get('/api/v1/sandbox/gateway-countdown.js').expect(404)).body.code).toBe('ROUTE_NOT_FOUND');
    const bill = await currentBill(t, P[3]);
    const chosen = await t.http().post('/api/v1/payments').send({ billId: bill.billId, returnUrl: RETURN, gateway: 'sandbox' }).expect(400);
    expect(chosen.body.code).toBe('PAYMENT_GATEWAY_NOT_ENABLED');
    expect((await t.http().get('/api/v1/payments/callback/sandbox').query({ token: 'a'.repeat(32), status: 'OK' }).expect(404)).body.code).toBe('PAYMENT_CALLBACK_INVALID');
  });

  it('SEP: a forged cancel return leaves the payment pending; the payer pays and the genuine return settles the bill', async () => {
    const p = await start(P[8]);
    const token = sepToken(p.redirectUrl);
    await sepCallback({ Token: token, State: 'CanceledByUser', Status: '1', RefNum: '' }).expect(303); // the SEP session is still open
    expect((await status(p.paymentId)).status).toBe('pending');
    await sepCallback(sep.pay(token)).expect(303);
    expect((await status(p.paymentId)).status).toBe('paid');
    expect(await billStatus(p.bill.billId)).toBe('paid');
    expect(await t.sql(`select needs_review from billing_payment where id = $1`, [p.paymentId])).toEqual([{ needs_review: false }]);
  });

  it('Zarinpal: a forged NOK fails the payment; the payer pays on the still-open page and never returns: reconciliation settles', async () => {
    const p = await start(P[9], 'zarinpal');
    const authority = zpAuthority(p.redirectUrl);
    await zpCallback({ Authority: authority, Status: 'NOK' }).expect(303);
    // Zarinpal answers -51 for a session not paid yet: as far as anyone can tell, failed
    expect((await status(p.paymentId)).status).toBe('failed');
    zp.pay(authority);
    await reconcileDueNow(t, p.paymentId);
    await t.jobs.drain();
    expect((await status(p.paymentId)).status).toBe('paid');
    expect(await billStatus(p.bill.billId)).toBe('paid');
    expect(await t.sql(`select needs_review, failure_reason from billing_payment where id = $1`, [p.paymentId])).toEqual([
      { needs_review: false, failure_reason: null },
    ]);
  });

  it('Zarinpal: a failed payment found paid after its bill was paid another way: reversed at Zarinpal and flagged for review', async () => {
    const a = await start(P[10], 'zarinpal');
    const b = await start(P[10], 'zarinpal');
    await zpCallback({ Authority: zpAuthority(a.redirectUrl), Status: 'NOK' }).expect(303);
    expect((await status(a.paymentId)).status).toBe('failed');
    await zpCallback(zp.pay(zpAuthority(b.redirectUrl))).expect(303);
    expect(await billStatus(b.bill.billId)).toBe('paid');
    zp.pay(zpAuthority(a.redirectUrl));
    await reconcileDueNow(t, a.paymentId);
    await t.jobs.drain();
    expect((await status(a.paymentId)).status).toBe('reversed');
    expect(zp.sessions.get(zpAuthority(a.redirectUrl))!.reversed).toBe(true);
    expect(await t.sql(`select failure_reason, needs_review from billing_payment where id = $1`, [a.paymentId])).toEqual([
      { failure_reason: 'PAID_AFTER_FAILED: BILL_ALREADY_PAID', needs_review: true },
    ]);
    expect(await t.sql(`select count(*)::int as n from billing_bill where bill_id = $1 and status = 'paid'`, [b.bill.billId])).toEqual([{ n: 1 }]);
  });

  it('Zarinpal: the genuine OK return of a failed payment while Zarinpal does not answer: a re-check is scheduled and settles it', async () => {
    const p = await start(P[11], 'zarinpal');
    const authority = zpAuthority(p.redirectUrl);
    await zpCallback({ Authority: authority, Status: 'NOK' }).expect(303);
    expect((await status(p.paymentId)).status).toBe('failed');
    // the creation-time reconciliation has already run and finished
    await reconcileDueNow(t, p.paymentId);
    await t.jobs.drain();
    expect(await t.sql(`select status from job where queue = 'payments.reconcile' and payload->>'paymentId' = $1`, [p.paymentId])).toEqual([{ status: 'completed' }]);
    zp.respondWith({ kind: 'hang' }, 'verify');
    await zpCallback(zp.pay(authority)).expect(303);
    expect((await status(p.paymentId)).status).toBe('failed');
    expect(await t.sql(`select count(*)::int as n from job where dedupe_key = $1 and status = 'pending'`, [`payment-recheck:${p.paymentId}`])).toEqual([{ n: 1 }]);
    zp.respondWith({ kind: 'normal' });
    await reconcileDueNow(t, p.paymentId);
    await t.jobs.drain();
    expect((await status(p.paymentId)).status).toBe('paid');
    expect(await billStatus(p.bill.billId)).toBe('paid');
  });
});
