import { Agent, request as httpRequest, IncomingMessage } from 'node:http';
import type { Server } from 'node:net';
import { ShutdownService } from '../../src/modules/health/shutdown.service';
import { createTestApp, TestApp } from '../helpers/test-app';

interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

/**
 * Graceful shutdown in one process (the two-instance rolling restart is
 * scripts/rolling-restart.ts): readiness turns 503 first, the instance keeps serving
 * through SHUTDOWN_DELAY_MS, a request in flight when the port closes still gets its
 * answer, and one still running after SHUTDOWN_GRACE_MS is cut off.
 */
describe('graceful shutdown', () => {
  let t: TestApp;
  let port: number;
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });

  beforeAll(async () => {
    t = await createTestApp({ SHUTDOWN_DELAY_MS: '400', SHUTDOWN_GRACE_MS: '1500', JOBS_WORKER_ENABLED: 'true', JOBS_POLL_INTERVAL_MS: '50' });
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as { port: number }).port;
  });
  afterAll(async () => {
    agent.destroy();
    await t?.close().catch(() => undefined);
  });

  const get = (path: string) =>
    new Promise<Answer>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path, agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    });
  /** A POST whose body is sent in two halves: the request is in flight until `finish()`. */
  const slowPost = (path: string, json: unknown) => {
    const body = Buffer.from(JSON.stringify(json));
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      path,
      method: 'POST',
      agent: false,
      headers: { 'Content-Type': 'application/json', 'Content-Length': body.length },
    });
    const answered = new Promise<Answer>((resolve, reject) => {
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
      });
      req.on('error', reject);
    });
    req.write(body.subarray(0, 5));
    return { answered, finish: () => req.end(body.subarray(5)) };
  };
  /** Resolves once the server has stopped accepting connections (what `server.close()` does first). */
  const portClosed = async (server: Server) => {
    while (server.listening) await new Promise((r) => setImmediate(r));
  };

  /** Status of the SMS to a mobile (queued until the job worker has sent it). */
  const sms = async (mobile: string) => (await t.sql<{ status: string }>(`select status from sms_message where mobile = $1`, [mobile]))[0]?.status;

  it('readiness 503 at once; new requests served during the delay; in-flight requests answered; no new jobs; the rest cut off after the grace period', async () => {
    expect((await get('/health/ready')).status).toBe(200);
    // the job worker runs while the instance is up
    const before = slowPost('/api/v1/auth/otp', { mobile: '09121110097' });
    before.finish();
    expect((await before.answered).status).toBe(202);
    for (let i = 0; i < 200 && (await sms('09121110097')) !== 'sent'; i++) await new Promise((r) => setTimeout(r, 25));
    expect(await sms('09121110097')).toBe('sent');

    // two requests in flight before the signal: one finishes while draining, one never does
    const finishing = slowPost('/api/v1/auth/otp', { mobile: '09121110099' });
    const stuck = slowPost('/api/v1/auth/otp', { mobile: '09121110098' });

    const polls = jest.spyOn(t.jobs, 'runDue');
    t.app.get(ShutdownService).begin(); // what SIGTERM does in main.ts
    const startedAt = Date.now();
    const ready = await get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.headers['retry-after']).toBe('5');
    expect(JSON.parse(ready.body)).toMatchObject({ status: 'not_ready', draining: true });
    // still serving new requests (a load balancer has not noticed yet)
    expect((await get('/health/live')).status).toBe(200);

    const closing = t.app.close(); // the database is dropped later, in afterAll
    const server = t.app.getHttpServer() as Server;
    await portClosed(server);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(390); // SHUTDOWN_DELAY_MS
    // new connections are refused now
    await expect(get('/health/live')).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    finishing.finish();
    const answer = await finishing.answered;
    expect(answer.status).toBe(202);
    expect(answer.headers.connection).toBe('close');
    expect(await t.sql(`select count(*)::int as n from sms_message where mobile = $1`, ['09121110099'])).toEqual([{ n: 1 }]);

    // the other never sends its body: cut off once SHUTDOWN_GRACE_MS has passed
    await expect(stuck.answered).rejects.toMatchObject({ code: 'ECONNRESET' });
    await closing;
    // no job was claimed since the signal: the OTP answered while draining left its SMS job for another instance
    expect(polls).not.toHaveBeenCalled();
    expect(await sms('09121110099')).toBe('queued');
    expect(await t.sql(`select status, count(*)::int as n from job group by status order by status`)).toEqual([
      { status: 'completed', n: 1 },
      { status: 'pending', n: 1 },
    ]);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(400 + 1500 - 10);
  });
});
