import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bulkheadMiddleware } from './bulkhead';

/** A server whose /api/v1 requests pass the bulkhead, then wait until the test releases them. */
async function serve(settings: Parameters<typeof bulkheadMiddleware>[1]) {
  const held: ServerResponse[] = [];
  const middleware = bulkheadMiddleware('api/v1', settings);
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) =>
    middleware(req, res, () => {
      if (req.url?.includes('hold')) held.push(res);
      else res.end('ok');
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const get = (path: string) => fetch(`${base}${path}`).then(async (r) => ({ status: r.status, retryAfter: r.headers.get('retry-after'), body: await r.text() }));
  const until = async (n: number) => {
    while (held.length < n) await new Promise((resolve) => setTimeout(resolve, 5));
  };
  return { held, get, until, close: () => new Promise((resolve) => {
      server.close(resolve);
      server.closeAllConnections();
    }) };
}

describe('bulkheadMiddleware', () => {
  it('lets a class hold only its limit; the next waits for a slot, one more is refused with a coded 503; other classes pass', async () => {
    const s = await serve({ limits: { public: 5, citizen: 2, organization: 1, staff: 1 }, queue: 1, waitMs: 5000 });
    try {
      const first = [s.get('/api/v1/me/hold'), s.get('/api/v1/me/hold')];
      await s.until(2);
      const queued = s.get('/api/v1/me/hold');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(s.held).toHaveLength(2); // the third waits
      const refused = await s.get('/api/v1/me'); // the queue (1) is full
      expect(refused.status).toBe(503);
      expect(JSON.parse(refused.body).code).toBe('DATABASE_BUSY');
      expect(refused.retryAfter).toBe('2');
      // the public class is not affected by the citizens' full compartment
      expect((await s.get('/api/v1/properties/1-1-1-1-0-0-0')).status).toBe(200);
      expect((await s.get('/health/ready')).status).toBe(200);
      s.held.shift()!.end('done'); // a slot frees: the waiting request runs
      await s.until(2);
      for (const res of s.held.splice(0)) res.end('done');
      expect((await Promise.all([...first, queued])).map((r) => r.status)).toEqual([200, 200, 200]);
    } finally {
      await s.close();
    }
  });

  it('refuses a waiting request once its wait is over', async () => {
    const s = await serve({ limits: { public: 1, citizen: 1, organization: 1, staff: 1 }, queue: 10, waitMs: 100 });
    try {
      const holding = s.get('/api/v1/admin/hold');
      await s.until(1);
      const started = Date.now();
      const waited = await s.get('/api/v1/desk/x');
      expect(waited.status).toBe(503);
      expect(Date.now() - started).toBeGreaterThanOrEqual(90);
      s.held[0].end('done');
      expect((await holding).status).toBe(200);
      expect((await s.get('/api/v1/desk/x')).status).toBe(200); // the slot was released
    } finally {
      await s.close();
    }
  });
});
