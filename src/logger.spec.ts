import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import type { NextFunction, Request, Response } from 'express';
import { RequestContext } from '@app/common';
import type { ResolvedConfig } from './config/app-config';
import { accessLogMiddleware, createRootLogger } from './logger';

function capture(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const root = createRootLogger({ log: { level } } as ResolvedConfig, sink);
  return { root, lines };
}

function exchange(url: string, status: number, finished = true) {
  const res = Object.assign(new EventEmitter(), { statusCode: status, writableFinished: finished });
  const req = { url, originalUrl: url, method: 'GET', id: 'req-1' };
  return { req: req as unknown as Request, res: res as unknown as Response & EventEmitter };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('logging', () => {
  it('writes one access line per request, by status, without the query string', async () => {
    const { root, lines } = capture('info');
    const log = accessLogMiddleware(root);
    for (const [status, finished] of [
      [200, true],
      [404, true],
      [503, true],
      [200, false],
    ] as const) {
      const { req, res } = exchange('/api/v1/properties/1-2-34-56-0-0-0?mobile=09121234567', status, finished);
      const next = jest.fn() as NextFunction;
      log(req, res, next);
      expect(next).toHaveBeenCalledTimes(1);
      res.emit('close');
    }
    await flush();
    expect(lines.map((l) => [l.level, l.msg, (l.res as { statusCode: number }).statusCode])).toEqual([
      [30, 'request completed', 200],
      [40, 'request completed', 404],
      [50, 'request errored', 503],
      [50, 'request aborted', 200],
    ]);
    expect(lines[0]).toMatchObject({ reqId: 'req-1', req: { method: 'GET', url: '/api/v1/properties/1-2-34-56-0-0-0' } });
    expect(JSON.stringify(lines)).not.toContain('09121234567');
    expect(typeof lines[0].responseTime).toBe('number');
  });

  it('skips health probes and, at level warn, successful requests', async () => {
    const { root, lines } = capture('warn');
    const log = accessLogMiddleware(root);
    for (const [url, status] of [
      ['/health/ready', 503],
      ['/api/v1/regions', 200],
      ['/api/v1/regions', 401],
    ] as const) {
      const { req, res } = exchange(url, status);
      log(req, res, jest.fn());
      res.emit('close');
    }
    await flush();
    expect(lines.map((l) => (l.res as { statusCode: number }).statusCode)).toEqual([401]);
  });

  it('stamps every line written during a request with its id, and redacts secrets', async () => {
    const { root, lines } = capture('info');
    RequestContext.run({ requestId: 'abc-123' }, () => root.info({ user: { nationalId: '0012345678', password: 'p' } }, 'inside'));
    root.info('outside');
    await flush();
    expect(lines[0]).toMatchObject({ reqId: 'abc-123', msg: 'inside', user: { nationalId: '[redacted]', password: '[redacted]' } });
    expect(lines[1].reqId).toBeUndefined();
  });
});
