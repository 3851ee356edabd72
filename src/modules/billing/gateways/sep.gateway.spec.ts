import { FakeSep, startFakeSep } from '../../../../test/helpers/fake-gateways';
import { domainError } from '../../../../test/helpers/errors';
import { GatewayStartInput } from './payment-gateway';
import { SepGateway } from './sep.gateway';

const TERMINAL = '13456789';
const PAYMENT_ID = '0193b2d4-7c1e-7a3b-9d2f-5e8c1a6b4f20';
const AMOUNT = 1_250_000;

const input: GatewayStartInput = {
  paymentId: PAYMENT_ID,
  amountRials: AMOUNT,
  callbackUrl: 'https://e-services.example.ir/api/v1/payments/callback/sep',
  mobile: '09121234567',
  description: 'پرداخت عوارض نوسازی',
};

describe('SepGateway against a fake SEP', () => {
  let fake: FakeSep;
  let sep: SepGateway;
  const make = (overrides: Partial<ConstructorParameters<typeof SepGateway>[0]> = {}) =>
    new SepGateway({ terminalId: TERMINAL, baseUrl: fake.url, timeoutMs: 400, ...overrides });

  /** start → the payer pays → the callback as parsed, ready to verify. */
  async function paid(options: { amount?: number } = {}) {
    const { token } = await sep.start(input);
    const callback = sep.parseCallback(fake.pay(token, options));
    fake.requests.length = 0;
    return { token, reference: callback.reference ?? undefined, callback };
  }

  beforeAll(async () => {
    fake = await startFakeSep({ terminalId: TERMINAL });
    sep = make();
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  describe('start', () => {
    it('asks for a token with the stored amount, our payment id as ResNum and the terminal id, and sends the browser to SendToken', async () => {
      const result = await sep.start(input);
      expect(result.token).toMatch(/^[0-9a-f]{32}$/);
      expect(result.redirectUrl).toBe(`${fake.url}/OnlinePG/SendToken?token=${result.token}`);
      const [req] = fake.requests;
      expect([req.method, req.path]).toEqual(['POST', '/onlinepg/onlinepg']);
      expect(req.headers['content-type']).toMatch(/^application\/json/);
      expect(req.json).toEqual({
        action: 'token',
        TerminalId: TERMINAL,
        Amount: AMOUNT,
        ResNum: PAYMENT_ID,
        RedirectUrl: input.callbackUrl,
        CellNumber: '09121234567',
      });
    });

    it('leaves CellNumber out when the mobile is not known', async () => {
      await sep.start({ ...input, mobile: undefined });
      expect(fake.requests[0].json).not.toHaveProperty('CellNumber');
    });

    it('refuses amounts that are not a positive integer of Rials without calling SEP', async () => {
      await expect(sep.start({ ...input, amountRials: 1250.5 })).rejects.toThrow(RangeError);
      await expect(sep.start({ ...input, amountRials: 0 })).rejects.toThrow(RangeError);
      expect(fake.requests).toHaveLength(0);
    });

    it('turns a refusal (status -1) into PAYMENT_GATEWAY_REJECTED (502) naming the code, never the terminal id', async () => {
      const wrongTerminal = make({ terminalId: '99999999' });
      const err = await domainError(wrongTerminal.start(input));
      expect([err.code, err.status]).toEqual(['PAYMENT_GATEWAY_REJECTED', 502]);
      expect(err.extensions).toEqual({ gateway: 'sep', gatewayCode: '12' });
      expect(String((err.cause as Error).message)).toContain('errorCode 12');

      fake.respondWith({ kind: 'code', code: 8, message: `IP not allowed for terminal ${TERMINAL}` }, 'token');
      const err2 = await domainError(sep.start(input));
      expect(err2.code).toBe('PAYMENT_GATEWAY_REJECTED');
      expect(JSON.stringify({ message: err2.message, cause: (err2.cause as Error).message, ext: err2.extensions })).not.toContain(TERMINAL);
    });

    it.each([
      ['no answer in time', { kind: 'hang' } as const],
      ['a 502 page', { kind: 'raw', httpStatus: 502, body: '<html>Bad Gateway</html>' } as const],
      ['a body that is not JSON', { kind: 'raw', httpStatus: 200, body: 'OK<br>', contentType: 'text/html' } as const],
      ['JSON without a status', { kind: 'raw', httpStatus: 200, body: '{"foo":1}', contentType: 'application/json' } as const],
    ])('answers %s with PAYMENT_GATEWAY_UNAVAILABLE (503, retry later)', async (_name, behaviour) => {
      fake.respondWith(behaviour);
      const err = await domainError(sep.start(input));
      expect([err.code, err.status, err.retryAfterSeconds]).toEqual(['PAYMENT_GATEWAY_UNAVAILABLE', 503, 60]);
    });

    it('answers a refused connection with PAYMENT_GATEWAY_UNAVAILABLE', async () => {
      const closed = make({ baseUrl: 'http://127.0.0.1:9' });
      const err = await domainError(closed.start(input));
      expect(err.code).toBe('PAYMENT_GATEWAY_UNAVAILABLE');
      expect((err.cause as Error).message).toMatch(/network error/);
    });
  });

  describe('parseCallback', () => {
    it('reads a successful callback: token, RefNum as the reference, claimed paid', async () => {
      const { token } = await sep.start(input);
      const form = fake.pay(token);
      expect(sep.parseCallback(form)).toEqual({ token, claimed: 'paid', reference: form.RefNum });
    });

    it('reads a cancel and a failure', async () => {
      const a = await sep.start(input);
      expect(sep.parseCallback(fake.cancel(a.token))).toEqual({ token: a.token, claimed: 'cancelled', reference: null });
      const b = await sep.start(input);
      expect(sep.parseCallback(fake.fail(b.token))).toEqual({ token: b.token, claimed: 'failed', reference: null });
    });

    it('accepts the field names in any letter case', () => {
      expect(sep.parseCallback({ token: 'abc123', state: 'OK', status: '2', refnum: 'R123' })).toEqual({
        token: 'abc123',
        claimed: 'paid',
        reference: 'R123',
      });
    });

    it('never claims paid unless State OK, Status 2 and a RefNum agree', () => {
      expect(sep.parseCallback({ Token: 'abc123', State: 'OK', Status: '3', RefNum: 'R1' }).claimed).toBe('failed');
      expect(sep.parseCallback({ Token: 'abc123', State: 'Failed', Status: '2', RefNum: 'R1' }).claimed).toBe('failed');
      expect(sep.parseCallback({ Token: 'abc123', State: 'OK', Status: '2' }).claimed).toBe('failed');
      expect(sep.parseCallback({}).claimed).toBe('failed');
    });

    it('drops a missing or malformed token and RefNum (forged callbacks)', () => {
      expect(sep.parseCallback({ State: 'OK', Status: '2', RefNum: 'R1' }).token).toBeNull();
      const forged = sep.parseCallback({ Token: '<script>alert(1)</script>', State: 'OK', Status: '2', RefNum: "1' OR '1'='1" });
      expect(forged).toEqual({ token: null, claimed: 'failed', reference: null });
      expect(sep.parseCallback({ Token: 'x'.repeat(500) }).token).toBeNull();
    });
  });

  describe('verify', () => {
    it('confirms a payment of exactly the stored amount: RefNum as bank reference, masked card, RRN and trace number', async () => {
      const { token, reference, callback } = await paid();
      const form = fake.sessions.get(token)!;
      const result = await sep.verify({ token, paymentId: PAYMENT_ID, amountRials: AMOUNT, reference });
      expect(result).toEqual({
        outcome: 'paid',
        bankReference: callback.reference,
        amountRials: AMOUNT,
        cardMask: '621986****7512',
        rrn: form.rrn,
        traceNo: form.traceNo,
      });
      const [req] = fake.requests;
      expect([req.method, req.path]).toEqual(['POST', '/verifyTxnRandomSessionkey/ipg/VerifyTransaction']);
      expect(req.json).toEqual({ RefNum: reference, TerminalNumber: Number(TERMINAL) });
    });

    it('still answers paid when SEP says the transaction was already verified (ResultCode 2)', async () => {
      const { token, reference } = await paid();
      await sep.verify({ token, paymentId: PAYMENT_ID, amountRials: AMOUNT, reference });
      const again = await sep.verify({ token, paymentId: PAYMENT_ID, amountRials: AMOUNT, reference });
      expect(again).toMatchObject({ outcome: 'paid', bankReference: reference, amountRials: AMOUNT });
    });

    it('reports an amount mismatch with the amount SEP moved when it differs from the stored one', async () => {
      const { token, reference } = await paid({ amount: 1_000 });
      const result = await sep.verify({ token, paymentId: PAYMENT_ID, amountRials: AMOUNT, reference });
      expect(result).toEqual({ outcome: 'amount_mismatch', bankReference: reference, amountRials: 1_000 });
    });

    it('answers not_paid for a RefNum SEP does not know (a forged callback)', async () => {
      const { token } = await sep.start(input);
      const forged = await sep.verify({ token, paymentId: PAYMENT_ID, amountRials: AMOUNT, reference: 'ForgedRefNum123' });
      expect(forged).toEqual({ outcome: 'not_paid', reason: 'SEP_-2: transaction not found' });
    });

    it('answers not_paid when the 30-minute verify window passed (ResultCode -6: SEP reversed it)', async () => {
      const { token, reference } = await paid();
      fake.respondWith({ kind: 'code', code: -6 }, 'verify');
      const result = await sep.verify({ token, paymentId: PAYMENT_ID, amountRials: AMOUNT, reference });
      expect(result).toMatchObject({ outcome: 'not_paid' });
      expect((result as { reason: string }).reason).toMatch(/^SEP_-6: /);
    });

    it.each([-104, -105, -106, -1, 999])('leaves ResultCode %i unknown (terminal, IP or unknown code: nothing said about the money)', async (code) => {
      const { token, reference } = await paid();
      fake.respondWith({ kind: 'code', code }, 'verify');
      const result = await sep.verify({ token, paymentId: PAYMENT_ID, amountRials: AMOUNT, reference });
      expect(result).toMatchObject({ outcome: 'unknown' });
      expect((result as { reason: string }).reason).toMatch(new RegExp(`^SEP_${code}: `));
    });

    it('leaves a wrongly configured terminal unknown (SEP answers -105)', async () => {
      const { token, reference } = await paid();
      const result = await make({ terminalId: '11111111' }).verify({ token, paymentId: PAYMENT_ID, amountRials: AMOUNT, reference });
      expect(result).toMatchObject({ outcome: 'unknown', reason: expect.stringMatching(/^SEP_-105: /) });
      expect((result as { reason: string }).reason).not.toContain('11111111');
    });

    it.each([
      ['no answer in time', { kind: 'hang' } as const, /no answer within 400 ms/],
      ['HTTP 500', { kind: 'raw', httpStatus: 500, body: '{"ResultCode":0,"Success":true}', contentType: 'application/json' } as const, /HTTP 500/],
      ['a body that is not JSON', { kind: 'raw', httpStatus: 200, body: '<html>maintenance</html>' } as const, /not JSON/],
      ['ResultCode 0 without TransactionDetail', { kind: 'raw', httpStatus: 200, body: '{"ResultCode":0,"Success":true}', contentType: 'application/json' } as const, /TransactionDetail/],
      ['ResultCode 0 with Success false', { kind: 'raw', httpStatus: 200, body: '{"ResultCode":0,"Success":false,"TransactionDetail":{}}', contentType: 'application/json' } as const, /Success/],
      [
        'amounts that are not integers',
        { kind: 'raw', httpStatus: 200, body: '{"ResultCode":0,"Success":true,"TransactionDetail":{"OrginalAmount":"12.5"}}', contentType: 'application/json' } as const,
        /amounts/,
      ],
    ])('never throws on %s: unknown, for the reconciliation job', async (_name, behaviour, reason) => {
      const { token, reference } = await paid();
      fake.respondWith(behaviour, 'verify');
      const result = await sep.verify({ token, paymentId: PAYMENT_ID, amountRials: AMOUNT, reference });
      expect(result).toEqual({ outcome: 'unknown', reason: expect.stringMatching(reason) });
    });

    it('is unknown without the RefNum, and does not call SEP', async () => {
      const { token } = await paid();
      const result = await sep.verify({ token, paymentId: PAYMENT_ID, amountRials: AMOUNT });
      expect(result).toMatchObject({ outcome: 'unknown', reason: expect.stringMatching(/RefNum/) });
      expect(fake.requests).toHaveLength(0);
    });

    it('is unknown when SEP is unreachable', async () => {
      const result = await make({ baseUrl: 'http://127.0.0.1:9' }).verify({ token: 't', paymentId: PAYMENT_ID, amountRials: AMOUNT, reference: 'R1' });
      expect(result).toMatchObject({ outcome: 'unknown', reason: expect.stringMatching(/network error/) });
    });
  });

  describe('reverse', () => {
    it('reverses a verified transaction once, with RefNum and terminal number', async () => {
      const { token, reference } = await paid({ amount: 1_000 });
      await sep.verify({ token, paymentId: PAYMENT_ID, amountRials: AMOUNT, reference });
      fake.requests.length = 0;
      expect(await sep.reverse({ token, paymentId: PAYMENT_ID, amountRials: AMOUNT, reference })).toBe(true);
      const [req] = fake.requests;
      expect([req.path, req.json]).toEqual(['/verifyTxnRandomSessionkey/ipg/ReverseTransaction', { RefNum: reference, TerminalNumber: Number(TERMINAL) }]);
      expect(await sep.reverse({ token, paymentId: PAYMENT_ID, amountRials: AMOUNT, reference })).toBe(false);
    });

    it('answers false on unknown RefNums, missing RefNums, timeouts and garbage', async () => {
      const { token, reference } = await paid();
      expect(await sep.reverse({ token, paymentId: PAYMENT_ID, amountRials: AMOUNT, reference: 'NoSuchRef' })).toBe(false);
      expect(await sep.reverse({ token, paymentId: PAYMENT_ID, amountRials: AMOUNT })).toBe(false);
      fake.respondWith({ kind: 'hang' }, 'reverse');
      expect(await sep.reverse({ token, paymentId: PAYMENT_ID, amountRials: AMOUNT, reference })).toBe(false);
      fake.respondWith({ kind: 'raw', httpStatus: 200, body: 'garbage' }, 'reverse');
      expect(await sep.reverse({ token, paymentId: PAYMENT_ID, amountRials: AMOUNT, reference })).toBe(false);
    });
  });
});
