import { FakeSmsServer, startFakeKavenegar } from '../../../../test/helpers/fake-sms-servers';
import { KAVENEGAR_STATUSES, KavenegarProvider } from './kavenegar.provider';
import { OutgoingSms, SmsProviderError } from './sms-provider';

const API_KEY = 'kv-Secret-Key-7f3a9c';

const otp: OutgoingSms = {
  id: '0193b2d4-7c1e-7a3b-9d2f-5e8c1a6b4f20',
  mobile: '09121234567',
  template: 'otp_login',
  text: 'کد ورود شما: 482917',
  params: { code: '482917' },
};
const plain: OutgoingSms = { ...otp, template: 'text', text: 'درخواست شما ثبت شد.', params: { text: 'درخواست شما ثبت شد.' } };

async function failure(promise: Promise<unknown>): Promise<SmsProviderError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SmsProviderError);
  return err as SmsProviderError;
}

describe('KavenegarProvider', () => {
  let fake: FakeSmsServer;
  let provider: KavenegarProvider;
  const make = (overrides: Partial<ConstructorParameters<typeof KavenegarProvider>[0]> = {}) =>
    new KavenegarProvider({ apiKey: API_KEY, baseUrl: fake.url, sender: '10004346', otpTemplate: 'qazvin-otp', timeoutMs: 400, ...overrides });

  beforeAll(async () => {
    fake = await startFakeKavenegar({ apiKey: API_KEY });
    provider = make();
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  describe('requests', () => {
    it('sends one-time codes through Verify Lookup with receptor, token and the panel template', async () => {
      const result = await provider.send(otp);
      expect(result).toEqual({ providerMessageId: '8792343' });
      expect(fake.requests).toHaveLength(1);
      const [req] = fake.requests;
      expect(req.method).toBe('POST');
      expect(req.path).toBe(`/v1/${API_KEY}/verify/lookup.json`);
      expect(req.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
      expect(req.form).toEqual({ receptor: '09121234567', token: '482917', template: 'qazvin-otp' });
    });

    it('uses Verify Lookup for the staff second factor too', async () => {
      await provider.send({ ...otp, template: 'staff_2fa' });
      expect(fake.requests[0].path).toBe(`/v1/${API_KEY}/verify/lookup.json`);
    });

    it('sends other messages through sms/send with receptor, message and sender', async () => {
      const result = await provider.send(plain);
      expect(result.providerMessageId).toMatch(/^\d+$/);
      const [req] = fake.requests;
      expect(req.path).toBe(`/v1/${API_KEY}/sms/send.json`);
      expect(req.form).toEqual({ receptor: '09121234567', message: 'درخواست شما ثبت شد.', sender: '10004346' });
    });

    it('leaves the sender out when none is configured (the account default line)', async () => {
      await make({ sender: undefined }).send(plain);
      expect(fake.requests[0].form).toEqual({ receptor: '09121234567', message: 'درخواست شما ثبت شد.' });
    });

    it('accepts a base URL with a trailing slash', async () => {
      await make({ baseUrl: `${fake.url}/` }).send(otp);
      expect(fake.requests[0].path).toBe(`/v1/${API_KEY}/verify/lookup.json`);
    });

    it('refuses an OTP message without a code, as a permanent error, without calling Kavenegar', async () => {
      const err = await failure(provider.send({ ...otp, params: {} }));
      expect([err.code, err.retryable]).toEqual(['INVALID_PARAMS', false]);
      expect(fake.requests).toHaveLength(0);
    });
  });

  describe('error classification', () => {
    // Problems of the message itself: retrying the same message can never succeed.
    const permanent = [400, 406, 411, 413, 414, 417, 419, 420, 422, 428, 431];
    // Credit, account, key, IP, line, template configuration, rate limits, provider trouble:
    // someone fixes it meanwhile, so the message waits instead of being lost.
    const retryable = [401, 402, 403, 404, 405, 407, 408, 409, 412, 416, 418, 424, 426, 427, 429, 432, 451, 501];

    it('classifies every documented status', () => {
      expect([...permanent, ...retryable].sort()).toEqual(Object.keys(KAVENEGAR_STATUSES).map(Number).sort());
    });

    it.each(permanent)('status %i fails the message for good', async (status) => {
      fake.respondWith({ kind: 'status', status });
      const err = await failure(provider.send(otp));
      expect(err.code).toBe(`KAVENEGAR_${status}`);
      expect(err.retryable).toBe(false);
      expect(err.message).toContain(`Kavenegar ${status}`);
    });

    it.each(retryable.filter((s) => s !== 407))('status %i is retried', async (status) => {
      fake.respondWith({ kind: 'status', status });
      const err = await failure(provider.send(otp));
      expect([err.code, err.retryable]).toEqual([`KAVENEGAR_${status}`, true]);
    });

    it('status 407 (IP not allowed) is retried; fetch reports an HTTP 407 as a network error', async () => {
      fake.respondWith({ kind: 'status', status: 407 });
      const err = await failure(provider.send(otp));
      expect([err.code, err.retryable]).toEqual(['NETWORK', true]);
      expect(err.message).toContain('HTTP 407');
    });

    it('names the reason and keeps Kavenegar’s own text', async () => {
      fake.respondWith({ kind: 'status', status: 418 });
      const err = await failure(provider.send(plain));
      expect(err.message).toBe('Kavenegar 418: insufficient credit (اعتبار حساب شما کافی نیست)');
    });

    it('retries an undocumented status rather than losing the message', async () => {
      fake.respondWith({ kind: 'status', status: 499, message: 'چیزی تازه' });
      const err = await failure(provider.send(otp));
      expect([err.code, err.retryable]).toEqual(['KAVENEGAR_499', true]);
    });

    it('retries a 5xx page of a proxy (no Kavenegar JSON)', async () => {
      fake.respondWith({ kind: 'raw', httpStatus: 502, body: '<html><h1>502 Bad Gateway</h1></html>' });
      const err = await failure(provider.send(otp));
      expect([err.code, err.retryable]).toEqual(['HTTP_502', true]);
    });

    it('retries a success envelope without a message id', async () => {
      fake.respondWith({ kind: 'raw', httpStatus: 200, body: '{"return":{"status":200,"message":"تایید شد"},"entries":[]}' });
      const err = await failure(provider.send(otp));
      expect([err.code, err.retryable]).toEqual(['MALFORMED_RESPONSE', true]);
    });

    it('gives up waiting after the timeout and retries', async () => {
      fake.respondWith({ kind: 'hang' });
      const started = Date.now();
      const err = await failure(provider.send(otp));
      expect([err.code, err.retryable]).toEqual(['TIMEOUT', true]);
      expect(Date.now() - started).toBeLessThan(3000);
    });

    it('retries when Kavenegar cannot be reached', async () => {
      const closed = await startFakeKavenegar({ apiKey: API_KEY });
      await closed.close();
      const err = await failure(make({ baseUrl: closed.url }).send(otp));
      expect([err.code, err.retryable]).toEqual(['NETWORK', true]);
      expect(err.message).toMatch(/ECONNREFUSED/);
    });
  });

  describe('the API key (part of the URL path) never reaches an error message', () => {
    it('with a wrong key (403)', async () => {
      const wrongKey = 'kv-Wrong-Key-0000';
      const err = await failure(make({ apiKey: wrongKey }).send(otp));
      expect([err.code, err.retryable]).toEqual(['KAVENEGAR_403', true]);
      expect(err.message).not.toContain(wrongKey);
    });

    it('when the provider or a proxy echoes the key or the URL', async () => {
      fake.respondWith({ kind: 'status', status: 403, message: `key ${API_KEY} rejected` });
      const echoed = await failure(provider.send(otp));
      fake.respondWith({ kind: 'raw', httpStatus: 504, body: `Gateway timeout for /v1/${API_KEY}/verify/lookup.json` });
      const proxied = await failure(provider.send(otp));
      for (const err of [echoed, proxied]) {
        expect(err.message).not.toContain(API_KEY);
        expect(err.message).toContain('***');
      }
    });

    it('on timeouts and network errors', async () => {
      fake.respondWith({ kind: 'hang' });
      const timeout = await failure(provider.send(otp));
      const network = await failure(make({ baseUrl: 'http://127.0.0.1:1' }).send(otp));
      for (const err of [timeout, network]) {
        expect(err.message).not.toContain(API_KEY);
        expect(String(err.stack)).not.toContain(API_KEY);
      }
    });
  });
});
