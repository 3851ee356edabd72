import { FakeZarinpal, startFakeZarinpal } from '../../../../test/helpers/fake-gateways';
import { domainError } from '../../../../test/helpers/errors';
import { GatewayStartInput } from './payment-gateway';
import { ZarinpalGateway } from './zarinpal.gateway';

const MERCHANT = '1344b5d4-0048-11e8-94db-005056a205be';
const PAYMENT_ID = '0193b2d4-7c1e-7a3b-9d2f-5e8c1a6b4f20';
const AMOUNT = 2_480_000;

const input: GatewayStartInput = {
  paymentId: PAYMENT_ID,
  amountRials: AMOUNT,
  callbackUrl: 'https://e-services.example.ir/api/v1/payments/callback/zarinpal',
  mobile: '09121234567',
  description: 'پرداخت عوارض پسماند ۱۴۰۵',
};

describe('ZarinpalGateway against a fake Zarinpal v4', () => {
  let fake: FakeZarinpal;
  let zarinpal: ZarinpalGateway;
  const make = (overrides: Partial<ConstructorParameters<typeof ZarinpalGateway>[0]> = {}) =>
    new ZarinpalGateway({ merchantId: MERCHANT, baseUrl: fake.url, timeoutMs: 400, ...overrides });

  /** start → the payer pays → the parsed callback's authority, ready to verify. */
  async function paid() {
    const { token } = await zarinpal.start(input);
    const callback = zarinpal.parseCallback(fake.pay(token));
    expect(callback).toEqual({ token, claimed: 'paid' });
    fake.requests.length = 0;
    return token;
  }

  beforeAll(async () => {
    fake = await startFakeZarinpal({ merchantId: MERCHANT });
    zarinpal = make();
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  describe('start', () => {
    it('opens a session for the stored amount in Rials with the merchant id, mobile and our payment id, and sends the browser to StartPay', async () => {
      const result = await zarinpal.start(input);
      expect(result.token).toMatch(/^A[0-9a-f]{35}$/);
      expect(result.redirectUrl).toBe(`${fake.url}/pg/StartPay/${result.token}`);
      const [req] = fake.requests;
      expect([req.method, req.path]).toEqual(['POST', '/pg/v4/payment/request.json']);
      expect(req.headers['content-type']).toMatch(/^application\/json/);
      expect(req.json).toEqual({
        merchant_id: MERCHANT,
        amount: AMOUNT,
        currency: 'IRR',
        callback_url: input.callbackUrl,
        description: input.description,
        metadata: { mobile: '09121234567', order_id: PAYMENT_ID },
      });
    });

    it('redirects to a separate StartPay host when configured', async () => {
      const result = await make({ startUrl: 'https://www.zarinpal.com/' }).start(input);
      expect(result.redirectUrl).toBe(`https://www.zarinpal.com/pg/StartPay/${result.token}`);
    });

    it('turns a refusal into PAYMENT_GATEWAY_REJECTED (502) with Zarinpal’s code and without the merchant id', async () => {
      const err = await domainError(make({ merchantId: '00000000-0000-0000-0000-000000000000' }).start(input));
      expect([err.code, err.status, err.extensions]).toEqual(['PAYMENT_GATEWAY_REJECTED', 502, { gateway: 'zarinpal', gatewayCode: -10 }]);

      fake.respondWith({ kind: 'code', code: -9, message: `merchant ${MERCHANT} validation error` }, 'request');
      const err2 = await domainError(zarinpal.start(input));
      expect(err2.extensions).toEqual({ gateway: 'zarinpal', gatewayCode: -9 });
      expect((err2.cause as Error).message).toContain('code -9');
      expect((err2.cause as Error).message).not.toContain(MERCHANT);
    });

    it('treats rate limiting (-12) as unavailable: try again later', async () => {
      fake.respondWith({ kind: 'code', code: -12 }, 'request');
      const err = await domainError(zarinpal.start(input));
      expect([err.code, err.status, err.retryAfterSeconds]).toEqual(['PAYMENT_GATEWAY_UNAVAILABLE', 503, 60]);
    });

    it.each([
      ['no answer in time', { kind: 'hang' } as const],
      ['HTTP 503', { kind: 'raw', httpStatus: 503, body: '<html>Service Unavailable</html>' } as const],
      ['a body that is not JSON', { kind: 'raw', httpStatus: 200, body: 'Success' } as const],
      ['code 100 without an authority', { kind: 'raw', httpStatus: 200, body: '{"data":{"code":100},"errors":[]}', contentType: 'application/json' } as const],
    ])('answers %s with PAYMENT_GATEWAY_UNAVAILABLE (503)', async (_name, behaviour) => {
      fake.respondWith(behaviour);
      const err = await domainError(zarinpal.start(input));
      expect([err.code, err.status]).toEqual(['PAYMENT_GATEWAY_UNAVAILABLE', 503]);
    });

    it('refuses amounts that are not a positive integer of Rials without calling Zarinpal', async () => {
      await expect(zarinpal.start({ ...input, amountRials: -5 })).rejects.toThrow(RangeError);
      expect(fake.requests).toHaveLength(0);
    });
  });

  describe('parseCallback', () => {
    it('reads Status=OK as claimed paid and NOK as failed', async () => {
      const { token } = await zarinpal.start(input);
      expect(zarinpal.parseCallback(fake.fail(token))).toEqual({ token, claimed: 'failed' });
      expect(zarinpal.parseCallback({ Authority: token, Status: 'OK' })).toEqual({ token, claimed: 'paid' });
    });

    it('drops a missing or malformed authority and treats anything but OK as failed (forged callbacks)', () => {
      expect(zarinpal.parseCallback({ Status: 'OK' })).toEqual({ token: null, claimed: 'paid' });
      expect(zarinpal.parseCallback({ Authority: '../../etc/passwd', Status: 'OK' }).token).toBeNull();
      expect(zarinpal.parseCallback({ Authority: 'A0000000000000000000000000000000000001', Status: 'ok' }).claimed).toBe('failed');
      expect(zarinpal.parseCallback({}).claimed).toBe('failed');
    });
  });

  describe('verify', () => {
    it('confirms a payment of exactly the stored amount: ref_id as bank reference and the masked card', async () => {
      const authority = await paid();
      const result = await zarinpal.verify({ token: authority, paymentId: PAYMENT_ID, amountRials: AMOUNT });
      expect(result).toEqual({
        outcome: 'paid',
        bankReference: String(fake.sessions.get(authority)!.refId),
        amountRials: AMOUNT,
        cardMask: '502229******5995',
      });
      const [req] = fake.requests;
      expect([req.method, req.path]).toEqual(['POST', '/pg/v4/payment/verify.json']);
      expect(req.json).toEqual({ merchant_id: MERCHANT, amount: AMOUNT, authority });
    });

    it('still answers paid for an already verified session (code 101)', async () => {
      const authority = await paid();
      const first = await zarinpal.verify({ token: authority, paymentId: PAYMENT_ID, amountRials: AMOUNT });
      const again = await zarinpal.verify({ token: authority, paymentId: PAYMENT_ID, amountRials: AMOUNT });
      expect(again).toEqual(first);
    });

    it('answers not_paid when the stored amount differs from the session’s (-50: Zarinpal does not verify it)', async () => {
      const authority = await paid();
      const result = await zarinpal.verify({ token: authority, paymentId: PAYMENT_ID, amountRials: AMOUNT + 1000 });
      expect(result).toMatchObject({ outcome: 'not_paid', reason: expect.stringMatching(/^ZARINPAL_-50: amount differs/) });
    });

    it('answers not_paid for a failed or cancelled payment (-51) and an unknown authority (-54)', async () => {
      const { token } = await zarinpal.start(input);
      fake.fail(token);
      expect(await zarinpal.verify({ token, paymentId: PAYMENT_ID, amountRials: AMOUNT })).toMatchObject({
        outcome: 'not_paid',
        reason: expect.stringMatching(/^ZARINPAL_-51: /),
      });
      expect(await zarinpal.verify({ token: 'A0000000000000000000000000000000forged', paymentId: PAYMENT_ID, amountRials: AMOUNT })).toMatchObject({
        outcome: 'not_paid',
        reason: expect.stringMatching(/^ZARINPAL_-54: /),
      });
    });

    it('answers not_paid for an authority of another merchant (-53)', async () => {
      const authority = await paid();
      fake.respondWith({ kind: 'code', code: -53 }, 'verify');
      expect(await zarinpal.verify({ token: authority, paymentId: PAYMENT_ID, amountRials: AMOUNT })).toMatchObject({ outcome: 'not_paid' });
    });

    it.each([-9, -10, -11, -12, -52, -99])('leaves code %i unknown (configuration, rate limit or unknown: nothing said about the money)', async (code) => {
      const authority = await paid();
      fake.respondWith({ kind: 'code', code }, 'verify');
      const result = await zarinpal.verify({ token: authority, paymentId: PAYMENT_ID, amountRials: AMOUNT });
      expect(result).toEqual({ outcome: 'unknown', reason: expect.stringMatching(new RegExp(`^ZARINPAL_${code}: `)) });
    });

    it('never reveals the merchant id in a reason', async () => {
      const authority = await paid();
      fake.respondWith({ kind: 'code', code: -10, message: `merchant ${MERCHANT} is not valid` }, 'verify');
      // -10 has no entry of its own, so the gateway's (redacted) text is the reason
      const result = await zarinpal.verify({ token: authority, paymentId: PAYMENT_ID, amountRials: AMOUNT });
      expect(JSON.stringify(result)).not.toContain(MERCHANT);
      expect(JSON.stringify(result)).toContain('***');
    });

    it.each([
      ['no answer in time', { kind: 'hang' } as const, /no answer within 400 ms/],
      ['HTTP 500', { kind: 'raw', httpStatus: 500, body: '{"data":{"code":100,"ref_id":1}}', contentType: 'application/json' } as const, /HTTP 500/],
      ['a body that is not JSON', { kind: 'raw', httpStatus: 200, body: '<html>Zarinpal</html>' } as const, /not JSON/],
      ['JSON without a code', { kind: 'raw', httpStatus: 200, body: '{"data":[],"errors":[]}', contentType: 'application/json' } as const, /unexpected body/],
      ['code 100 without ref_id', { kind: 'raw', httpStatus: 200, body: '{"data":{"code":100},"errors":[]}', contentType: 'application/json' } as const, /without ref_id/],
      ['an unknown success-like code', { kind: 'raw', httpStatus: 200, body: '{"data":{"code":102,"ref_id":5},"errors":[]}', contentType: 'application/json' } as const, /ZARINPAL_102/],
    ])('never throws on %s: unknown, for the reconciliation job', async (_name, behaviour, reason) => {
      const authority = await paid();
      fake.respondWith(behaviour, 'verify');
      const result = await zarinpal.verify({ token: authority, paymentId: PAYMENT_ID, amountRials: AMOUNT });
      expect(result).toEqual({ outcome: 'unknown', reason: expect.stringMatching(reason) });
    });

    it('is unknown when Zarinpal is unreachable', async () => {
      const result = await make({ baseUrl: 'http://127.0.0.1:9' }).verify({ token: 'A00000000000000000000000000000000001', paymentId: PAYMENT_ID, amountRials: AMOUNT });
      expect(result).toMatchObject({ outcome: 'unknown', reason: expect.stringMatching(/network error/) });
    });
  });

  describe('reverse', () => {
    it('reverses a verified session once, with the merchant id and authority', async () => {
      const authority = await paid();
      await zarinpal.verify({ token: authority, paymentId: PAYMENT_ID, amountRials: AMOUNT });
      fake.requests.length = 0;
      expect(await zarinpal.reverse({ token: authority, paymentId: PAYMENT_ID, amountRials: AMOUNT })).toBe(true);
      expect([fake.requests[0].path, fake.requests[0].json]).toEqual(['/pg/v4/payment/reverse.json', { merchant_id: MERCHANT, authority }]);
      expect(await zarinpal.reverse({ token: authority, paymentId: PAYMENT_ID, amountRials: AMOUNT })).toBe(false);
    });

    it('answers false for an unverified session, timeouts and garbage', async () => {
      const authority = await paid();
      expect(await zarinpal.reverse({ token: authority, paymentId: PAYMENT_ID, amountRials: AMOUNT })).toBe(false);
      fake.respondWith({ kind: 'hang' }, 'reverse');
      expect(await zarinpal.reverse({ token: authority, paymentId: PAYMENT_ID, amountRials: AMOUNT })).toBe(false);
      fake.respondWith({ kind: 'raw', httpStatus: 200, body: '{"data":{"code":"100"}}', contentType: 'application/json' }, 'reverse');
      expect(await zarinpal.reverse({ token: authority, paymentId: PAYMENT_ID, amountRials: AMOUNT })).toBe(false);
    });
  });
});
