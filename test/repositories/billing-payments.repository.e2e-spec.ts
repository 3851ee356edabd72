import { run, runAll } from '../../src/database/sql';
import { PaymentStatus } from '../../src/modules/billing/payments/payment.entity';
import { PaymentsRepository } from '../../src/modules/billing/payments/payments.repository';
import { SandboxTxnStatus } from '../../src/modules/billing/payments/sandbox-transaction.entity';
import { SandboxTransactionsRepository } from '../../src/modules/billing/payments/sandbox-transactions.repository';
import { createTestDb, TestDb } from '../helpers/test-app';

describe('PaymentsRepository and SandboxTransactionsRepository (real database)', () => {
  let db: TestDb;
  const payments = new PaymentsRepository();
  const sandbox = new SandboxTransactionsRepository();
  const newPayment = (billId: string) => ({ billId, billPaymentId: `P${billId}`, gateway: 'sandbox' as const, amountRials: 1_500_000n, returnUrl: 'http://localhost/back' });

  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(() => db?.close());

  it('creates a payment, finds it by id and token, and lists it for staff with filters', async () => {
    const id = await run(db.em(), payments.insert(newPayment('B1')));
    await run(db.em(), payments.setToken(id, 'tok-1'));
    const pub = await run(db.em(), payments.publicById(id));
    expect(pub).toMatchObject({ id, billId: 'B1', billPaymentId: 'PB1', gateway: 'sandbox', amountRials: 1_500_000n, status: 'pending', paidAt: null, bankReference: null });
    expect(pub!.createdAt).toBeInstanceOf(Date);
    expect(await run(db.em(), payments.byToken('sandbox', 'tok-1'))).toEqual({ id, returnUrl: 'http://localhost/back' });
    expect(await run(db.em(), payments.byToken('sep', 'tok-1'))).toBeUndefined();
    const state = await run(db.em(), payments.state(id, 24));
    expect(state).toMatchObject({ id, status: 'pending', gatewayToken: 'tok-1', recent: true, callbackAt: null });
    expect(await run(db.em(), payments.state(id, 0))).toMatchObject({ recent: false });

    const other = await run(db.em(), payments.insert(newPayment('B2')));
    await run(db.em(), payments.fail(other, 'gateway start failed'));
    const all = await run(db.em(), payments.adminPage({}, 10, 0));
    expect(all.total).toBe(2);
    const failed = await run(db.em(), payments.adminPage({ status: 'failed' }, 10, 0));
    expect(failed).toMatchObject({ total: 1, items: [{ id: other, status: 'failed', failureReason: 'gateway start failed', attempts: 0, needsReview: false }] });
    expect(await run(db.em(), payments.adminPage({ billId: 'B1', needsReview: false }, 1, 0))).toMatchObject({ total: 1, items: [{ id }] });
    expect(await run(db.em(), payments.adminPage({ billId: 'B1' }, 10, 5))).toEqual({ items: [], total: 0 });
    // `onlyPending` leaves a payment that is no longer pending alone
    await run(db.em(), payments.fail(other, 'changed', true));
    expect(await run(db.em(), payments.adminById(other))).toMatchObject({ failureReason: 'gateway start failed' });
  });

  it('applies verify answers: callback, unknown, paid, reference taken, reversal', async () => {
    const id = await run(db.em(), payments.insert(newPayment('B3')));
    await run(db.em(), payments.markCallback(id, 'ref-g'));
    await run(db.em(), payments.markCallback(id, 'ref-other'));
    let a = (await run(db.em(), payments.adminById(id)))!;
    expect(a.gatewayReference).toBe('ref-g');
    await run(db.em(), payments.verifyUnknown(id, 'no answer', true));
    a = (await run(db.em(), payments.adminById(id)))!;
    expect(a).toMatchObject({ lastVerifyError: 'no answer', attempts: 1 });
    expect((await run(db.em(), payments.state(id, 24)))!.callbackAt).toBeNull();

    const paidAt = new Date('2026-01-05T10:00:00Z');
    await db.em().transactional(async (tx) => {
      const locked = await run(tx, payments.lock(id));
      expect(locked).toMatchObject({ id, billId: 'B3', status: 'pending', amountRials: 1_500_000n });
      expect(locked!.now).toBeInstanceOf(Date);
      expect(await run(tx, payments.referenceTaken('sandbox', 'BANK-1', id))).toBe(false);
      await run(tx, payments.markPaid(id, { paidAt, bankReference: 'BANK-1', gatewayReference: null, rrn: '123', traceNo: '456', cardMask: '6037****0000' }));
    });
    expect(await run(db.em(), payments.publicById(id))).toMatchObject({ status: 'paid', paidAt, bankReference: 'BANK-1', rrn: '123', traceNo: '456', cardMask: '6037****0000' });
    expect(await run(db.em(), payments.adminById(id))).toMatchObject({ gatewayReference: 'ref-g', lastVerifyError: null, attempts: 2 });

    const second = await run(db.em(), payments.insert(newPayment('B3')));
    expect(await run(db.em(), payments.referenceTaken('sandbox', 'BANK-1', second))).toBe(true);
    await run(db.em(), payments.failReferenceUsed(second));
    expect(await run(db.em(), payments.adminById(second))).toMatchObject({ status: 'failed', failureReason: expect.stringMatching(/^PAYMENT_REFERENCE_USED/) });

    const third = await run(db.em(), payments.insert(newPayment('B4')));
    await run(db.em(), payments.startReversal(third, { bankReference: 'BANK-3', gatewayReference: 'g3', failureReason: 'BILL_EXPIRED', needsReview: true }));
    await run(db.em(), payments.reversalRefused(third));
    expect(await run(db.em(), payments.adminById(third))).toMatchObject({ status: 'reversing', needsReview: true, lastVerifyError: expect.stringMatching(/refused/) });
    await run(db.em(), payments.reversed(third, PaymentStatus.Reversed, false));
    const r = (await run(db.em(), payments.adminById(third)))!;
    expect(r).toMatchObject({ status: 'reversed', needsReview: false, failureReason: 'BILL_EXPIRED' });
    expect(r.reversedAt).toBeInstanceOf(Date);

    const fourth = await run(db.em(), payments.insert(newPayment('B5')));
    await run(db.em(), payments.close(fourth, PaymentStatus.Cancelled, 'cancelled by the payer'));
    await run(db.em(), payments.verifyStillClosed(fourth));
    expect(await run(db.em(), payments.adminById(fourth))).toMatchObject({ status: 'cancelled', failureReason: 'cancelled by the payer', attempts: 2 });
  });

  it('runs a sandbox transaction: start, page, pay once, verify, reverse; cancel only while pending', async () => {
    const paymentId = await run(db.em(), payments.insert(newPayment('B6')));
    const token = 'a'.repeat(32);
    await run(db.em(), sandbox.insert({ token, paymentId, amountRials: 1_500_000n, callbackUrl: 'http://localhost/cb', description: 'd', sessionMinutes: 15 }));
    expect(await run(db.em(), sandbox.byToken(token))).toMatchObject({ token, paymentId, amountRials: 1_500_000n, description: 'd', callbackUrl: 'http://localhost/cb', status: 'pending', expired: false });
    expect(await run(db.em(), sandbox.verify(token, paymentId))).toMatchObject({ status: SandboxTxnStatus.Pending, expired: false, bankReference: null });
    expect(await run(db.em(), sandbox.verify(token, '00000000-0000-4000-8000-000000000000'))).toBeUndefined();
    const [paid, again] = await runAll(db.em(), [
      sandbox.pay(token, { bankReference: 'SBX1', rrn: '1', traceNo: '2' }),
      sandbox.pay(token, { bankReference: 'SBX2', rrn: '3', traceNo: '4' }),
    ]);
    expect([paid, again]).toEqual([true, false]);
    expect(await run(db.em(), sandbox.cancel(token))).toBe(false);
    expect(await run(db.em(), sandbox.verify(token, paymentId))).toEqual({ status: 'paid', expired: false, amountRials: 1_500_000n, bankReference: 'SBX1', rrn: '1', traceNo: '2' });
    expect(await run(db.em(), sandbox.reverse(token, paymentId))).toBe(true);
    expect(await run(db.em(), sandbox.reverse(token, paymentId))).toBe(false);
    const other = 'b'.repeat(32);
    await run(db.em(), sandbox.insert({ token: other, paymentId, amountRials: 1n, callbackUrl: 'http://localhost/cb', description: 'd', sessionMinutes: 15 }));
    expect(await run(db.em(), sandbox.cancel(other))).toBe(true);
    expect(await run(db.em(), sandbox.byToken(other))).toMatchObject({ status: 'cancelled' });
    expect(await run(db.em(), sandbox.byToken('c'.repeat(32)))).toBeUndefined();
  });
});
