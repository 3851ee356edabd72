import { FakeSmsServer, startFakeSmsIr } from '../../../../test/helpers/fake-sms-servers';
import { OutgoingSms, SmsProviderError } from './sms-provider';
import { SMSIR_STATUSES, SmsIrProvider } from './smsir.provider';

const API_KEY = 'smsir-Secret-Key-51c0e2';

const otp: OutgoingSms = {
  id: '0193b2d4-7c1e-7a3b-9d2f-5e8c1a6b4f20',
  mobile: '09121234567',
  template: 'staff_2fa',
  text: 'کد تأیید: 482917',
  params: { code: '482917' },
};
const plain: OutgoingSms = { ...otp, template: 'text', text: 'پاسخ استعلام صادر شد.', params: { text: 'پاسخ استعلام صادر شد.' } };

async function failure(promise: Promise<unknown>): Promise<SmsProviderError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SmsProviderError);
  return err as SmsProviderError;
}

describe('SmsIrProvider', () => {
  let fake: FakeSmsServer;
  let provider: SmsIrProvider;
  const make = (overrides: Partial<ConstructorParameters<typeof SmsIrProvider>[0]> = {}) =>
    new SmsIrProvider({ apiKey: API_KEY, baseUrl: fake.url, lineNumber: '30007732000000', otpTemplateId: 123456, timeoutMs: 400, ...overrides });

  beforeAll(async () => {
    fake = await startFakeSmsIr({ apiKey: API_KEY });
    provider = make();
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  describe('requests', () => {
    it('sends one-time codes through send/verify with the x-api-key header and the CODE parameter', async () => {
      expect(await provider.send(otp)).toEqual({ providerMessageId: '89545112' });
      const [req] = fake.requests;
      expect(req.method).toBe('POST');
      expect(req.path).toBe('/v1/send/verify');
      expect(req.headers['x-api-key']).toBe(API_KEY);
      expect(req.headers['content-type']).toMatch(/^application\/json/);
      expect(req.json).toEqual({ mobile: '09121234567', templateId: 123456, parameters: [{ name: 'CODE', value: '482917' }] });
    });

    it('sends other messages through send/bulk to the one mobile, the line as a number', async () => {
      const result = await provider.send(plain);
      expect(result.providerMessageId).toMatch(/^\d+$/);
      const [req] = fake.requests;
      expect(req.path).toBe('/v1/send/bulk');
      expect(req.headers['x-api-key']).toBe(API_KEY);
      expect(req.json).toEqual({ lineNumber: 30007732000000, messageText: 'پاسخ استعلام صادر شد.', mobiles: ['09121234567'] });
    });

    it('refuses an OTP message without a code, as a permanent error, without calling SMS.ir', async () => {
      const err = await failure(provider.send({ ...otp, params: {} }));
      expect([err.code, err.retryable]).toEqual(['INVALID_PARAMS', false]);
      expect(fake.requests).toHaveLength(0);
    });
  });

  describe('error classification', () => {
    // Problems of the message itself: retrying the same message can never succeed.
    const permanent = [103, 104, 105, 106, 107, 108, 109, 110, 114, 115, 116, 117];
    // System errors, rate limits, key, account, line, credit, template and plan configuration.
    const retryable = [0, 10, 11, 12, 13, 14, 20, 101, 102, 113, 118, 119, 123];

    it('classifies every documented status', () => {
      expect([...permanent, ...retryable].sort()).toEqual(Object.keys(SMSIR_STATUSES).map(Number).sort());
    });

    it.each(permanent)('status %i fails the message for good', async (status) => {
      fake.respondWith({ kind: 'status', status });
      const err = await failure(provider.send(otp));
      expect([err.code, err.retryable]).toEqual([`SMSIR_${status}`, false]);
    });

    it.each(retryable)('status %i is retried', async (status) => {
      fake.respondWith({ kind: 'status', status });
      const err = await failure(provider.send(plain));
      expect([err.code, err.retryable]).toEqual([`SMSIR_${status}`, true]);
    });

    it('names the reason and keeps SMS.ir’s own text', async () => {
      fake.respondWith({ kind: 'status', status: 102 });
      const err = await failure(provider.send(otp));
      expect(err.message).toBe('SMS.ir 102: insufficient credit (اعتبار کافی نمیباشد)');
    });

    it('fails a bulk message whose recipient is blacklisted (message id 0) or rejected (null)', async () => {
      fake.respondWith({ kind: 'raw', httpStatus: 200, contentType: 'application/json', body: '{"status":1,"message":"موفق","data":{"packId":"p","messageIds":[0],"cost":0}}' });
      const blacklisted = await failure(provider.send(plain));
      expect([blacklisted.code, blacklisted.retryable]).toEqual(['SMSIR_BLACKLISTED', false]);
      fake.respondWith({ kind: 'raw', httpStatus: 200, contentType: 'application/json', body: '{"status":1,"message":"موفق","data":{"packId":"p","messageIds":[null],"cost":0}}' });
      const rejected = await failure(provider.send(plain));
      expect([rejected.code, rejected.retryable]).toEqual(['SMSIR_REJECTED', false]);
    });

    it('retries an undocumented status rather than losing the message', async () => {
      fake.respondWith({ kind: 'status', status: 150 });
      const err = await failure(provider.send(otp));
      expect([err.code, err.retryable]).toEqual(['SMSIR_150', true]);
    });

    it.each([500, 502, 503, 429, 401])('retries a bare HTTP %i without SMS.ir JSON', async (httpStatus) => {
      fake.respondWith({ kind: 'raw', httpStatus, body: 'Service Unavailable' });
      const err = await failure(provider.send(otp));
      expect([err.code, err.retryable]).toEqual([`HTTP_${httpStatus}`, true]);
    });

    it('gives up waiting after the timeout and retries', async () => {
      fake.respondWith({ kind: 'hang' });
      const err = await failure(provider.send(otp));
      expect([err.code, err.retryable]).toEqual(['TIMEOUT', true]);
    });

    it('retries when SMS.ir cannot be reached', async () => {
      const err = await failure(make({ baseUrl: 'http://127.0.0.1:1' }).send(otp));
      expect([err.code, err.retryable]).toEqual(['NETWORK', true]);
    });
  });

  describe('the API key never reaches an error message', () => {
    it('with a wrong key (status 10, HTTP 401)', async () => {
      const wrongKey = 'smsir-Wrong-Key-0000';
      const err = await failure(make({ apiKey: wrongKey }).send(otp));
      expect([err.code, err.retryable]).toEqual(['SMSIR_10', true]);
      expect(err.message).not.toContain(wrongKey);
    });

    it('when the provider echoes it, and on timeouts and network errors', async () => {
      fake.respondWith({ kind: 'status', status: 10, message: `invalid key ${API_KEY}` });
      const echoed = await failure(provider.send(otp));
      fake.respondWith({ kind: 'raw', httpStatus: 500, body: `x-api-key: ${API_KEY}` });
      const page = await failure(provider.send(otp));
      fake.respondWith({ kind: 'hang' });
      const timeout = await failure(provider.send(otp));
      const network = await failure(make({ baseUrl: 'http://127.0.0.1:1' }).send(otp));
      for (const err of [echoed, page, timeout, network]) expect(err.message).not.toContain(API_KEY);
      expect(echoed.message).toContain('***');
    });
  });
});
