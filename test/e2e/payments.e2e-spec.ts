import { randomBytes } from 'node:crypto';
import { BILL_SERVICE_TYPES, buildBillId } from '@app/iran';
import { currentBill, gatewayEnv, localPath, reconcileDueNow, seedPropertiesWithDebts, TEST_PUBLIC_URL, TEST_RETURN_ORIGIN } from '../helpers/payments';
import { createTestApp, TestApp } from '../helpers/test-app';

/** The sandbox gateway (the embedded default) end to end over HTTP. */
describe('payments through the sandbox gateway', () => {
  let t: TestApp;
  let finance: string;
  const P = ['1-2-34-60-0-0-0', '1-2-34-61-0-0-0', '1-2-34-62-0-0-0', '1-2-34-63-0-0-0', '1-2-34-64-0-0-0', '1-2-34-65-0-0-0', '1-2-34-66-0-0-0', '1-2-34-67-0-0-0', '1-2-34-68-0-0-0', '1-2-34-69-0-0-0', '1-2-34-70-0-0-0'];
  const RETURN = `${TEST_RETURN_ORIGIN}/payments/done?from=portal`;

  beforeAll(async () => {
    t = await createTestApp(gatewayEnv());
    finance = await seedPropertiesWithDebts(t, P);
  });
  afterAll(() => t?.close());

  const start = async (billId: string, body: Record<string, unknown> = {}) => {
    const res = await t.http().post('/api/v1/payments').send({ billId, returnUrl: RETURN, ...body });
    expect(res.status).toBe(201);
    return res.body as { paymentId: string; redirectUrl: string; gateway: string; amountRials: number };
  };
  /** The payer presses a button on the sandbox page; returns the callback path the gateway redirects to. */
  const press = async (redirectUrl: string, button: 'pay' | 'cancel') => {
    const res = await t.http().post(`${localPath(redirectUrl)}/${button}`).expect(303);
    expect(res.headers.location.startsWith(`${TEST_PUBLIC_URL}/api/v1/payments/callback/sandbox?`)).toBe(true);
    return localPath(res.headers.location);
  };
  const status = async (id: string) => (await t.http().get(`/api/v1/payments/${id}`).expect(200)).body;
  const tokenOf = (redirectUrl: string) => redirectUrl.split('/').pop()!;

  it('pays a bill end to end: page, pay, callback, settled, debts zero, history and receipt', async () => {
    const bill = await currentBill(t, P[0]);
    const started = await start(bill.billId);
    expect(started.gateway).toBe('sandbox');
    expect(started.amountRials).toBe(bill.amountRials);
    expect(started.redirectUrl).toMatch(new RegExp(`^${TEST_PUBLIC_URL}/api/v1/sandbox/gateway/[a-f0-9]{32}$`));
    expect(await status(started.paymentId)).toMatchObject({ status: 'pending', billId: bill.billId, amountRials: bill.amountRials, paidAt: null });

    // the gateway page: Persian, RTL, amount in Persian digits and words, merchant, countdown from a same-origin script
    const page = await t.http().get(localPath(started.redirectUrl)).expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
    // form-action covers the redirect chain pay → callback → returnUrl (another allowed origin)
    expect(page.headers['content-security-policy']).toMatch(new RegExp(`form-action 'self' [^;]*${TEST_RETURN_ORIGIN}`));
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.text).toContain('<html lang="fa" dir="rtl">');
    expect(page.text).toContain('شهرداری قزوین');
    const { formatRialsFa, amountToPersianWords } = await import('@app/iran');
    expect(page.text).toContain(formatRialsFa(bill.amountRials));
    expect(page.text).toContain(amountToPersianWords(bill.amountRials));
    expect(page.text).toContain('id="countdown"');
    expect(page.text).not.toMatch(/<script>(?!<\/script>)/); // no inline script
    const script = page.text.match(/<script src="([^"]+)"/)![1];
    expect((await t.http().get(script).expect(200)).headers['content-type']).toMatch(/javascript/);
    expect(page.text).toContain(`action="/api/v1/sandbox/gateway/${tokenOf(started.redirectUrl)}/pay"`);

    const callback = await press(started.redirectUrl, 'pay');
    const back = await t.http().get(callback).expect(303);
    expect(back.headers.location).toBe(`${RETURN}&paymentId=${started.paymentId}`);
    expect(back.headers.location).not.toMatch(/status|paid/i);

    const paid = await status(started.paymentId);
    expect(paid).toMatchObject({ status: 'paid', billId: bill.billId, billPaymentId: bill.paymentId, amountRials: bill.amountRials });
    expect(paid.bankReference).toMatch(/^SBX\d{13}$/);
    expect(paid.paidAtJalali).toMatch(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}$/);
    expect(JSON.stringify(paid)).not.toMatch(/returnUrl|card|603799/);

    const debts = (await t.http().get('/api/v1/debts').query({ renewalCode: P[0] }).expect(200)).body;
    expect(debts).toMatchObject({ totalRials: 0, settled: true, bill: null, items: [] });

    const history = (await t.http().get(`/api/v1/properties/${P[0]}/payments`).set('Authorization', `Bearer ${finance}`).expect(200)).body;
    expect(history.items).toHaveLength(1);
    expect(history.items[0]).toMatchObject({ billId: bill.billId, paymentId: bill.paymentId, amountRials: bill.amountRials, channel: 'gateway' });

    const receipt = (await t.http().get(`/api/v1/payments/${started.paymentId}/receipt`).expect(200)).body;
    expect(receipt).toMatchObject({
      paymentId: started.paymentId,
      billId: bill.billId,
      billPaymentId: bill.paymentId,
      amountRials: bill.amountRials,
      amountInWords: `${amountToPersianWords(bill.amountRials)} ریال`,
      gateway: 'sandbox',
      bankReference: paid.bankReference,
      cardMask: '603799******0000',
    });
    expect(receipt.items.length).toBeGreaterThanOrEqual(6); // renewal + waste of three years
    expect(receipt.items.reduce((s: number, i: { amountRials: number }) => s + i.amountRials, 0)).toBeGreaterThanOrEqual(bill.amountRials);
    // the rounding, shown: amount due (the items), rounded payable (what was paid), waived difference
    const due = receipt.items.reduce((s: number, i: { amountRials: number }) => s + i.amountRials, 0);
    expect(receipt).toMatchObject({ dueRials: due, roundedPayableRials: bill.amountRials, roundingWaivedRials: due - bill.amountRials });
    expect(receipt.roundedPayableRials).toBe(Math.floor(due / 1000) * 1000);

    for (const req of [
      t.http().get(`/api/v1/payments/${started.paymentId}/receipt?format=html`),
      t.http().get(`/api/v1/payments/${started.paymentId}/receipt`).set('Accept', 'text/html'),
    ]) {
      const html = await req.expect(200);
      expect(html.headers['content-type']).toMatch(/^text\/html/);
      expect(html.text).toContain('dir="rtl"');
      expect(html.text).toContain(formatRialsFa(bill.amountRials));
      expect(html.text).toContain(amountToPersianWords(bill.amountRials));
      expect(html.text).toContain(bill.billId);
      expect(html.text).toContain(paid.bankReference);
      expect(html.text).toContain('عوارض نوسازی');
      expect(html.text).toContain('به وقت تهران');
      expect(html.text).toContain(`جمع بدهی</th><td>${formatRialsFa(due)} ریال`);
      expect(html.text).toMatch(new RegExp(`تفاوت گرد کردن.*بخشوده.*<td>${formatRialsFa(due - bill.amountRials)} ریال`));
    }

    // the same callback again (a reload) changes nothing and answers the same
    expect((await t.http().get(callback).expect(303)).headers.location).toBe(back.headers.location);
    expect(await t.sql(`select count(*)::int as n from billing_bill where bill_id = $1 and status = 'paid'`, [bill.billId])).toEqual([{ n: 1 }]);

    // paying the paid bill again: coded error
    const again = await t.http().post('/api/v1/payments').send({ billId: bill.billId, returnUrl: RETURN }).expect(409);
    expect(again.body.code).toBe('BILL_ALREADY_PAID');
  });

  it('a cancelled payment: status cancelled, bill still open, no receipt', async () => {
    const bill = await currentBill(t, P[1]);
    const started = await start(bill.billId);
    const back = await t.http().get(await press(started.redirectUrl, 'cancel')).expect(303);
    expect(back.headers.location).toBe(`${RETURN}&paymentId=${started.paymentId}`);
    expect((await status(started.paymentId)).status).toBe('cancelled');
    expect((await t.http().get('/api/v1/debts').query({ renewalCode: P[1] }).expect(200)).body.bill.billId).toBe(bill.billId);
    expect((await t.http().get(`/api/v1/payments/${started.paymentId}/receipt`).expect(409)).body.code).toBe('PAYMENT_NOT_PAID');
    // the page now says it is cancelled and offers no buttons; pressing pay again only repeats the cancel
    const page = await t.http().get(localPath(started.redirectUrl)).expect(200);
    expect(page.text).toContain('لغو شده');
    expect(page.text).not.toContain('/pay"');
    expect(await press(started.redirectUrl, 'pay')).toContain('status=CANCELLED');
    expect((await status(started.paymentId)).status).toBe('cancelled');
  });

  it('forged callbacks settle nothing: unknown token, wrong gateway, success claimed for an unpaid transaction', async () => {
    const bill = await currentBill(t, P[2]);
    const started = await start(bill.billId);
    const token = tokenOf(started.redirectUrl);

    const unknown = await t.http().get('/api/v1/payments/callback/sandbox').query({ token: randomBytes(16).toString('hex'), status: 'OK' }).expect(404);
    expect(unknown.body.code).toBe('PAYMENT_CALLBACK_INVALID');
    expect((await t.http().get('/api/v1/payments/callback/sandbox').query({ status: 'OK' }).expect(404)).body.code).toBe('PAYMENT_CALLBACK_INVALID');
    expect((await t.http().get('/api/v1/payments/callback/paypal').query({ token, status: 'OK' }).expect(404)).body.code).toBe('PAYMENT_CALLBACK_INVALID');
    // a sandbox token at another gateway's callback (sep is not even enabled here)
    expect((await t.http().post('/api/v1/payments/callback/sep').type('form').send({ Token: token, State: 'OK', Status: '2', RefNum: 'X1' }).expect(404)).body.code).toBe(
      'PAYMENT_CALLBACK_INVALID',
    );

    // success claimed (GET and form POST) while the payer never paid: the gateway says the session is still
    // open and unpaid, nothing is settled and the payment stays pending
    const forged = await t.http().get('/api/v1/payments/callback/sandbox').query({ token, status: 'OK' }).expect(303);
    expect(forged.headers.location).toBe(`${RETURN}&paymentId=${started.paymentId}`);
    await t.http().post('/api/v1/payments/callback/sandbox').type('form').send({ token, status: 'OK' }).expect(303);
    expect((await status(started.paymentId)).status).toBe('pending');
    // the refuted claim does not date the payment
    expect(await t.sql(`select callback_at from billing_payment where id = $1`, [started.paymentId])).toEqual([{ callback_at: null }]);
    expect(await t.sql(`select status from billing_bill where bill_id = $1`, [bill.billId])).toEqual([{ status: 'open' }]);
    expect(await t.sql(`select count(*)::int as n from billing_demand where subject_code = $1 and status = 'paid'`, [P[2]])).toEqual([{ n: 0 }]);

    // the payer then really pays: the gateway's own callback is verified again and settles it
    await t.http().get(await press(started.redirectUrl, 'pay')).expect(303);
    expect((await status(started.paymentId)).status).toBe('paid');
    expect(await t.sql(`select status from billing_bill where bill_id = $1`, [bill.billId])).toEqual([{ status: 'paid' }]);
  });

  it('a token only ever speaks for its own payment', async () => {
    const billA = await currentBill(t, P[5]);
    const billB = await currentBill(t, P[6]);
    const a = await start(billA.billId);
    const b = await start(billB.billId, { returnUrl: `${TEST_RETURN_ORIGIN}/b` });
    await press(b.redirectUrl, 'pay');
    // B's paid token, presented as if it were A's return: it settles B (its own payment) and sends the browser to B's return URL
    const res = await t.http().get('/api/v1/payments/callback/sandbox').query({ token: tokenOf(b.redirectUrl), status: 'OK', paymentId: a.paymentId }).expect(303);
    expect(res.headers.location).toBe(`${TEST_RETURN_ORIGIN}/b?paymentId=${b.paymentId}`);
    expect((await status(b.paymentId)).status).toBe('paid');
    expect((await status(a.paymentId)).status).toBe('pending');
    expect(await t.sql(`select status from billing_bill where bill_id = $1`, [billA.billId])).toEqual([{ status: 'open' }]);
  });

  it('an expired bill: refused at start; expired between payment and verify: the money is reversed', async () => {
    const bill = await currentBill(t, P[3]);
    const started = await start(bill.billId);
    await t.sql(`update billing_bill set expires_at = now() - interval '1 minute' where bill_id = $1`, [bill.billId]);
    const refused = await t.http().post('/api/v1/payments').send({ billId: bill.billId, returnUrl: RETURN }).expect(409);
    expect(refused.body.code).toBe('BILL_EXPIRED');

    await t.http().get(await press(started.redirectUrl, 'pay')).expect(303);
    const s = await status(started.paymentId);
    expect(s.status).toBe('reversed');
    expect(s.bankReference).toBeNull();
    expect(await t.sql(`select status from billing_sandbox_txn where payment_id = $1`, [started.paymentId])).toEqual([{ status: 'reversed' }]);
    expect(await t.sql(`select status from billing_bill where bill_id = $1`, [bill.billId])).toEqual([{ status: 'open' }]);
    expect(await t.sql(`select failure_reason, needs_review from billing_payment where id = $1`, [started.paymentId])).toEqual([
      { failure_reason: 'BILL_EXPIRED', needs_review: false },
    ]);
  });

  it('two payments of one bill both paid at the gateway: the first settles, the second is reversed', async () => {
    const bill = await currentBill(t, P[4]);
    const first = await start(bill.billId);
    const second = await start(bill.billId);
    const cb1 = await press(first.redirectUrl, 'pay');
    const cb2 = await press(second.redirectUrl, 'pay');
    await t.http().get(cb1).expect(303);
    await t.http().get(cb2).expect(303);
    expect((await status(first.paymentId)).status).toBe('paid');
    expect((await status(second.paymentId)).status).toBe('reversed');
    expect(await t.sql(`select failure_reason from billing_payment where id = $1`, [second.paymentId])).toEqual([{ failure_reason: 'BILL_ALREADY_PAID' }]);
    expect(await t.sql(`select count(*)::int as n from billing_bill where bill_id = $1 and status = 'paid'`, [bill.billId])).toEqual([{ n: 1 }]);
  });

  it('reconciliation: a payment abandoned at the gateway stays pending while the page is open, fails once the session is over', async () => {
    const bill = await currentBill(t, P[1]);
    const started = await start(bill.billId);
    await reconcileDueNow(t, started.paymentId);
    await t.jobs.drain();
    expect((await status(started.paymentId)).status).toBe('pending');
    expect(await t.sql(`select status from job where queue = 'payments.reconcile' and payload->>'paymentId' = $1`, [started.paymentId])).toEqual([
      { status: 'pending' },
    ]);
    await t.sql(`update billing_sandbox_txn set expires_at = now() - interval '1 minute' where payment_id = $1`, [started.paymentId]);
    await reconcileDueNow(t, started.paymentId);
    await t.jobs.drain();
    expect((await status(started.paymentId)).status).toBe('failed');
    expect(await t.sql(`select status from job where queue = 'payments.reconcile' and payload->>'paymentId' = $1`, [started.paymentId])).toEqual([
      { status: 'completed' },
    ]);
  });

  it('a forged CANCELLED callback closes nothing: the payer pays on the still-open page and the bill settles', async () => {
    const bill = await currentBill(t, P[7]);
    const started = await start(bill.billId);
    const token = tokenOf(started.redirectUrl);
    const forged = await t.http().get('/api/v1/payments/callback/sandbox').query({ token, status: 'CANCELLED' }).expect(303);
    expect(forged.headers.location).toBe(`${RETURN}&paymentId=${started.paymentId}`);
    // the gateway was asked: its session is still open, so the payment is not closed
    expect((await status(started.paymentId)).status).toBe('pending');
    const [row] = await t.sql<{ last_verify_error: string }>(`select last_verify_error from billing_payment where id = $1`, [started.paymentId]);
    expect(row.last_verify_error).toBe('callback says cancelled, not confirmed: SANDBOX: the session is still open (not paid yet)');
    // the page still offers to pay; the payer does, and the gateway's own return settles the bill
    expect((await t.http().get(localPath(started.redirectUrl)).expect(200)).text).toContain('/pay"');
    await t.http().get(await press(started.redirectUrl, 'pay')).expect(303);
    expect((await status(started.paymentId)).status).toBe('paid');
    expect(await t.sql(`select status from billing_bill where bill_id = $1`, [bill.billId])).toEqual([{ status: 'paid' }]);
    expect(await t.sql(`select needs_review, failure_reason from billing_payment where id = $1`, [started.paymentId])).toEqual([
      { needs_review: false, failure_reason: null },
    ]);
  });

  it('a forged CANCELLED callback, then the payer pays and never comes back: reconciliation settles the bill', async () => {
    const bill = await currentBill(t, P[8]);
    const started = await start(bill.billId);
    await t.http().get('/api/v1/payments/callback/sandbox').query({ token: tokenOf(started.redirectUrl), status: 'CANCELLED' }).expect(303);
    await press(started.redirectUrl, 'pay'); // the browser never follows the gateway's redirect back
    expect((await status(started.paymentId)).status).toBe('pending');
    await reconcileDueNow(t, started.paymentId);
    await t.jobs.drain();
    expect((await status(started.paymentId)).status).toBe('paid');
    expect(await t.sql(`select status from billing_bill where bill_id = $1`, [bill.billId])).toEqual([{ status: 'paid' }]);
    expect(await t.sql(`select status from job where queue = 'payments.reconcile' and payload->>'paymentId' = $1`, [started.paymentId])).toEqual([
      { status: 'completed' },
    ]);
  });

  it('money found paid on a payment already cancelled: settles the bill if it can, else reversed and flagged for review', async () => {
    // a payment closed as cancelled (as this service did on a bare callback) whose page the payer went on to pay in
    const closeAsCancelled = (id: string) =>
      t.sql(`update billing_payment set status = 'cancelled', failure_reason = 'cancelled by the payer' where id = $1`, [id]);
    const billA = await currentBill(t, P[9]);
    const a = await start(billA.billId);
    await closeAsCancelled(a.paymentId);
    await press(a.redirectUrl, 'pay');
    // reconciliation (here the staff's "ask again now") asks the gateway: paid, and the bill is still payable
    const settled = (await t.http().post(`/api/v1/admin/billing/payments/${a.paymentId}/reconcile`).set('Authorization', `Bearer ${finance}`).expect(200)).body;
    expect(settled).toMatchObject({ status: 'paid', needsReview: false, failureReason: null });
    expect(await t.sql(`select status from billing_bill where bill_id = $1`, [billA.billId])).toEqual([{ status: 'paid' }]);

    // the bill was paid another way meanwhile: the money goes back and a person is asked to look
    const billB = await currentBill(t, P[10]);
    const b = await start(billB.billId);
    const other = await start(billB.billId);
    await closeAsCancelled(b.paymentId);
    await t.http().get(await press(other.redirectUrl, 'pay')).expect(303);
    await press(b.redirectUrl, 'pay');
    await reconcileDueNow(t, b.paymentId);
    await t.jobs.drain();
    expect((await status(b.paymentId)).status).toBe('reversed');
    expect(await t.sql(`select failure_reason, needs_review from billing_payment where id = $1`, [b.paymentId])).toEqual([
      { failure_reason: 'PAID_AFTER_CANCELLED: BILL_ALREADY_PAID', needs_review: true },
    ]);
    expect(await t.sql(`select status from billing_sandbox_txn where payment_id = $1`, [b.paymentId])).toEqual([{ status: 'reversed' }]);
    const review = (await t.http().get('/api/v1/admin/billing/payments').query({ needsReview: 'true', billId: billB.billId }).set('Authorization', `Bearer ${finance}`).expect(200))
      .body;
    expect(review.items.map((i: { paymentId: string }) => i.paymentId)).toEqual([b.paymentId]);
    expect(await t.sql(`select count(*)::int as n from billing_bill where bill_id = $1 and status = 'paid'`, [billB.billId])).toEqual([{ n: 1 }]);
  });

  it('bad input is coded, never a 500', async () => {
    const bill = await currentBill(t, P[1]);
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ billId: bill.billId, returnUrl: 'https://evil.example/x' }, 400, 'RETURN_URL_NOT_ALLOWED'],
      [{ billId: bill.billId, returnUrl: 'javascript:alert(1)' }, 400, 'RETURN_URL_NOT_ALLOWED'],
      [{ billId: bill.billId, returnUrl: `https://user:pw@shahr.example/x` }, 400, 'RETURN_URL_NOT_ALLOWED'],
      [{ billId: bill.billId, returnUrl: '/relative' }, 400, 'RETURN_URL_NOT_ALLOWED'],
      [{ billId: bill.billId, returnUrl: 42 }, 400, 'VALIDATION_FAILED'],
      [{ billId: 'abc', returnUrl: RETURN }, 400, 'VALIDATION_FAILED'],
      [{ billId: bill.billId, returnUrl: RETURN, gateway: 'paypal' }, 400, 'VALIDATION_FAILED'],
      [{ billId: bill.billId, returnUrl: RETURN, gateway: 'zarinpal' }, 400, 'PAYMENT_GATEWAY_NOT_ENABLED'],
      [{ billId: bill.billId.slice(0, -1) + String((Number(bill.billId.at(-1)) + 1) % 10), returnUrl: RETURN }, 400, 'BILL_ID_INVALID'],
      // well-formed (check digit right) but never issued
      [{ billId: buildBillId({ fileCode: 987654, companyCode: 999, serviceType: BILL_SERVICE_TYPES.MUNICIPALITY }), returnUrl: RETURN }, 404, 'BILL_NOT_FOUND'],
    ];
    for (const [body, code, problem] of cases) {
      const res = await t.http().post('/api/v1/payments').send(body);
      expect([res.status, res.body.code]).toEqual([code, problem]);
    }
    // PUBLIC_URL's own origin is allowed too, and Persian digits in the bill ID are accepted
    const fa = bill.billId.replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d)));
    await t.http().post('/api/v1/payments').send({ billId: fa, returnUrl: `${TEST_PUBLIC_URL}/done` }).expect(201);

    expect((await t.http().get('/api/v1/payments/not-a-uuid').expect(404)).body.code).toBe('PAYMENT_NOT_FOUND');
    expect((await t.http().get('/api/v1/payments/00000000-0000-4000-8000-000000000000').expect(404)).body.code).toBe('PAYMENT_NOT_FOUND');
    expect((await t.http().get('/api/v1/payments/00000000-0000-4000-8000-000000000000/receipt').expect(404)).body.code).toBe('PAYMENT_NOT_FOUND');
    expect((await t.http().get('/api/v1/sandbox/gateway/nope').expect(404)).body.code).toBe('SANDBOX_TRANSACTION_NOT_FOUND');
    expect((await t.http().post(`/api/v1/sandbox/gateway/${'a'.repeat(32)}/pay`).expect(404)).body.code).toBe('SANDBOX_TRANSACTION_NOT_FOUND');
  });
});
