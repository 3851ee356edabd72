import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { HttpIdentityProvider } from './http-identity.provider';

type Reply = { status: number; body: string } | 'hang';

/** A local stand-in for the licensed inquiry service: answers from a queue of replies, records requests. */
class FakeInquiryServer {
  readonly requests: Array<{ path: string; headers: IncomingMessage['headers']; json: unknown }> = [];
  private replies: Reply[] = [];
  private readonly hanging: ServerResponse[] = [];
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        this.requests.push({ path: req.url ?? '', headers: req.headers, json: JSON.parse(body || 'null') });
        const reply = this.replies.length > 1 ? this.replies.shift()! : this.replies[0];
        if (!reply || reply === 'hang') return void this.hanging.push(res);
        res.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body);
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The following requests are answered in this order (the last one repeats). */
  answer(...replies: Reply[]): void {
    this.replies = replies;
    this.requests.length = 0;
  }

  async stop(): Promise<void> {
    for (const r of this.hanging) r.destroy();
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

const json = (status: number, body: unknown): Reply => ({ status, body: JSON.stringify(body) });

describe('HttpIdentityProvider against a fake inquiry service', () => {
  const fake = new FakeInquiryServer();
  let provider: HttpIdentityProvider;

  beforeAll(async () => {
    await fake.start();
    provider = new HttpIdentityProvider({ baseUrl: fake.url, businessId: 'biz-1', token: 'tok-secret', timeoutMs: 300, retries: 1, backoffMs: 10 });
  });
  afterAll(() => fake.stop());

  it('match: sends the business id, the token and the pair; isMatched true → matched', async () => {
    fake.answer(json(200, { isMatched: true }));
    await expect(provider.matchMobile('0499370899', '09121234567')).resolves.toEqual({ result: 'matched' });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0].path).toBe('/shahkar/v1/match');
    expect(fake.requests[0].headers.authorization).toBe('Bearer tok-secret');
    expect(fake.requests[0].headers['x-business-id']).toBe('biz-1');
    expect(fake.requests[0].json).toEqual({ nationalId: '0499370899', mobile: '09121234567' });
  });

  it('mismatch: isMatched false → not_matched, no retry', async () => {
    fake.answer(json(200, { isMatched: false }));
    await expect(provider.matchMobile('0499370899', '09121234567')).resolves.toEqual({ result: 'not_matched' });
    expect(fake.requests).toHaveLength(1);
  });

  it('invalid national ID: 400 INVALID_NATIONAL_ID → not_matched (invalid_national_id); civil record → not_found', async () => {
    fake.answer(json(400, { code: 'INVALID_NATIONAL_ID', message: 'کد ملی نامعتبر' }));
    await expect(provider.matchMobile('0000000001', '09121234567')).resolves.toEqual({ result: 'not_matched', reason: 'invalid_national_id' });
    await expect(provider.civilRecord('0000000001', '1370/06/31')).resolves.toEqual({ result: 'not_found' });
  });

  it('timeout: retried, then unavailable', async () => {
    fake.answer('hang');
    await expect(provider.matchMobile('0499370899', '09121234567')).resolves.toEqual({ result: 'unavailable', reason: 'TIMEOUT' });
    expect(fake.requests).toHaveLength(2);
  });

  it('5xx: retried, and a recovery on the retry is used', async () => {
    fake.answer(json(503, { message: 'busy' }), json(200, { isMatched: true }));
    await expect(provider.matchMobile('0499370899', '09121234567')).resolves.toEqual({ result: 'matched' });
    expect(fake.requests).toHaveLength(2);
    fake.answer({ status: 502, body: '<html>bad gateway</html>' });
    await expect(provider.matchMobile('0499370899', '09121234567')).resolves.toEqual({ result: 'unavailable', reason: 'HTTP_502' });
    expect(fake.requests).toHaveLength(2);
  });

  it('malformed body: a 200 that is not the contract → unavailable (never a match), not retried', async () => {
    for (const body of ['not json at all', JSON.stringify({ isMatched: 'yes' }), JSON.stringify({})]) {
      fake.answer({ status: 200, body });
      await expect(provider.matchMobile('0499370899', '09121234567')).resolves.toEqual({ result: 'unavailable', reason: 'MALFORMED_BODY' });
      expect(fake.requests).toHaveLength(1);
    }
    fake.answer(json(200, { firstName: 'علی', lastName: 'محمدی' }));
    await expect(provider.civilRecord('0499370899', '1370/06/31')).resolves.toEqual({ result: 'unavailable', reason: 'MALFORMED_BODY' });
  });

  it('refused credentials (401) → unavailable, not retried', async () => {
    fake.answer(json(401, { message: 'bad token' }));
    await expect(provider.matchMobile('0499370899', '09121234567')).resolves.toEqual({ result: 'unavailable', reason: 'HTTP_401' });
    expect(fake.requests).toHaveLength(1);
  });

  it('civil record: found with names and alive; 404 → not_found', async () => {
    fake.answer(json(200, { firstName: 'علی', lastName: 'محمدی', fatherName: 'حسن', alive: true }));
    await expect(provider.civilRecord('0499370899', '1370/06/31')).resolves.toEqual({ result: 'found', firstName: 'علی', lastName: 'محمدی', fatherName: 'حسن', alive: true });
    expect(fake.requests[0]).toMatchObject({ path: '/civil-registry/v1/identity', json: { nationalId: '0499370899', birthDate: '1370/06/31' } });
    fake.answer(json(404, { code: 'NOT_FOUND' }));
    await expect(provider.civilRecord('0499370899', '1370/06/30')).resolves.toEqual({ result: 'not_found' });
  });

  it('a closed port: network error → unavailable', async () => {
    const closed = new HttpIdentityProvider({ baseUrl: 'http://127.0.0.1:1', businessId: 'b', token: 't', timeoutMs: 300, retries: 0 });
    const answer = await closed.matchMobile('0499370899', '09121234567');
    expect(answer.result).toBe('unavailable');
  });
});
