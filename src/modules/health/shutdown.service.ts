import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { APP_CONFIG } from '../../config/config.module';
import type { ResolvedConfig } from '../../config/app-config';
import { JobsService } from '../jobs/jobs.service';

/** How often idle keep-alive connections are closed while the server drains. */
const IDLE_SWEEP_MS = 50;

/**
 * Graceful shutdown of one instance (rolling restarts behind a load balancer):
 *
 * 1. `begin()` (main.ts, on SIGTERM or SIGINT): `/health/ready` answers 503 at once and the
 *    job worker takes no new jobs; requests, new ones included, are still served.
 * 2. `app.close()`: the jobs' destroy hook waits for the batch running now; then, before
 *    Nest disposes of the HTTP server, `beforeApplicationShutdown` waits out the rest of
 *    SHUTDOWN_DELAY_MS (so a load balancer polling readiness has stopped sending), stops
 *    accepting connections, answers what is in flight with `Connection: close`, closes
 *    keep-alive connections as they go idle, and after SHUTDOWN_GRACE_MS cuts off the rest.
 * 3. The ORM and the embedded engines close after that (their shutdown hooks, main.ts).
 */
@Injectable()
export class ShutdownService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ShutdownService.name);
  private drainingSince?: number;
  private jobsStopped?: Promise<void>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
    private readonly jobs: JobsService,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /** True from `begin()` on: readiness answers 503. */
  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  /** A shutdown signal arrived: readiness 503 from now on, no new jobs. Idempotent. */
  begin(): void {
    if (this.drainingSince !== undefined) return;
    this.drainingSince = Date.now();
    this.jobsStopped = this.jobs.stop();
  }

  async beforeApplicationShutdown(): Promise<void> {
    // app.close() without a signal (tests, start-up failure): drain without the delay
    const signalled = this.drainingSince !== undefined;
    this.begin();
    await this.jobsStopped;
    const wait = signalled ? this.config.shutdown.delayMs - (Date.now() - this.drainingSince!) : 0;
    if (wait > 0) await sleep(wait);
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server?.listening) return;
    const started = Date.now();
    const outcome = await drainServer(server, this.config.shutdown.graceMs);
    const took = Date.now() - started;
    if (outcome === 'drained') this.logger.log(`HTTP server drained in ${took} ms`);
    else this.logger.warn(`HTTP server: requests still running after ${this.config.shutdown.graceMs} ms were cut off`);
  }
}

/**
 * Stops accepting connections and resolves once every open one has closed: responses in
 * flight finish (with `Connection: close`), idle keep-alive connections are closed as they
 * appear; after `graceMs` the remaining connections are destroyed.
 */
export function drainServer(server: Server, graceMs: number): Promise<'drained' | 'cut off'> {
  return new Promise((resolve) => {
    const closeAfterResponse = (_req: IncomingMessage, res: ServerResponse) => {
      if (!res.headersSent) res.setHeader('Connection', 'close');
    };
    server.prependListener('request', closeAfterResponse);
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    const cutOff = setTimeout(() => {
      server.closeAllConnections();
      finish('cut off');
    }, graceMs);
    let done = false;
    const finish = (outcome: 'drained' | 'cut off') => {
      if (done) return;
      done = true;
      clearInterval(sweep);
      clearTimeout(cutOff);
      server.removeListener('request', closeAfterResponse);
      resolve(outcome);
    };
    server.close(() => finish('drained'));
    server.closeIdleConnections();
  });
}
