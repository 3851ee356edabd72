import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { hostname } from 'node:os';
import { APP_CONFIG } from '../../config/config.module';
import type { ResolvedConfig } from '../../config/app-config';
import { tickBatcher, uuidv7 } from '@app/common';
import { type Cte, type Query, run, type SqlRunner } from '../../database/sql';
import { JobStatus } from './entities/job.entity';
import { ClaimedJob, EnqueuedJob, JobsRepository } from './jobs.repository';

export type { EnqueuedJob } from './jobs.repository';

export interface EnqueueOptions {
  /** Earliest time to run (default now). */
  runAt?: Date;
  maxAttempts?: number;
  /** First retry delay in seconds; doubles with every failure, capped at an hour. */
  backoffSeconds?: number;
  /** Idempotency key: enqueueing the same key twice creates one job. */
  dedupeKey?: string;
}

export interface JobContext {
  id: string;
  queue: string;
  attempt: number;
  maxAttempts: number;
  /** A fresh entity manager for the handler's own work (forked when first used). */
  readonly em: EntityManager;
  /** Plain SQL on the pool, outside any unit of work (knex `?` placeholders), for handlers that need none. */
  execute<T = Array<Record<string, unknown>>>(sql: string, params?: unknown[]): Promise<T>;
}

export type JobHandler<P = Record<string, unknown>> = (payload: P, ctx: JobContext) => Promise<void>;

const MAX_BACKOFF_SECONDS = 3600;
const DEFAULT_MAX_ATTEMPTS = 8;
const DEFAULT_BACKOFF_SECONDS = 10;
const STALE_LOCK_SECONDS = 300;
const STALE_CHECK_MS = 30_000;

/**
 * The durable job queue (a transactional outbox in PostgreSQL).
 *
 * `enqueue(...)` is a query the caller runs on its transaction (`run(tx, jobs.enqueue(...))`):
 * it commits or rolls back with the caller's data, and uses that transaction's connection
 * (required on the embedded engine, where a second connection would wait for the open
 * transaction). A dedupe key makes a second enqueue of the same key a no-op.
 *
 * The worker claims due jobs with `FOR UPDATE SKIP LOCKED` (safe with N instances),
 * retries failures with exponential backoff and moves exhausted jobs to `dead`.
 */
@Injectable()
export class JobsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(JobsService.name);
  private readonly handlers = new Map<string, JobHandler<never>>();
  private readonly workerId = `${hostname()}:${process.pid}`;
  private timer?: NodeJS.Timeout;
  private running = false;
  /** When stale locks were last released (a crashed worker's jobs); checked at most every STALE_CHECK_MS. */
  private staleCheckedAt = 0;
  private stopped = false;
  private inflight?: Promise<number>;
  /** Maintenance tasks of `every`. */
  private readonly periodic: NodeJS.Timeout[] = [];
  /**
   * Marks a job completed. The successes of one event-loop turn share one UPDATE (jobs of a
   * batch often finish together); each caller still waits for its own row to be written, so
   * a job is never reported done before it is marked, and a failed UPDATE fails every job
   * of that turn exactly as a failed single UPDATE would. Only a job still locked by this
   * worker is marked (a stale-lock release may have handed it to another).
   */
  private readonly markCompleted = tickBatcher<string, void>(async (ids) => {
    await run(this.pool, this.repository.complete(ids, this.workerId));
    return ids.map(() => undefined);
  });

  /** Statements outside any unit of work, straight on the pool. */
  private readonly pool: SqlRunner = { execute: (sql: string, params?: unknown[]) => this.orm.em.getConnection().execute(sql, params) };

  constructor(
    private readonly orm: MikroORM,
    private readonly repository: JobsRepository,
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
  ) {}

  /**
   * One job, as a query the caller runs on its transaction (`run(tx, jobs.enqueue(...))`) or
   * sends with its own statements (`runAll`, `withCtes`): it commits or rolls back with the
   * caller's rows. A job with the same `dedupeKey` makes it a no-op (`null`), inside or
   * outside a transaction; with `when` it is written only when that part of the caller's
   * statement wrote a row.
   */
  enqueue(queue: string, payload: Record<string, unknown>, options: EnqueueOptions = {}, when?: Cte): Query<EnqueuedJob | null> {
    return this.repository.insert(
      {
        id: uuidv7(),
        queue,
        payload,
        maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
        backoffSeconds: options.backoffSeconds ?? DEFAULT_BACKOFF_SECONDS,
        runAt: options.runAt ?? new Date(),
        dedupeKey: options.dedupeKey ?? null,
      },
      when,
    );
  }

  /**
   * Runs a maintenance task every `everyMs` where the job worker runs (JOBS_WORKER_ENABLED),
   * until the worker stops (shutdown): for idempotent clean-ups that several instances may
   * run at once (one DELETE of what has expired). A failure is logged; the next round tries again.
   */
  every(name: string, everyMs: number, task: () => Promise<unknown>): void {
    if (!this.config.jobs.workerEnabled || this.stopped) return;
    const timer = setInterval(() => {
      task().catch((err: unknown) => this.logger.warn({ err }, `${name} failed`));
    }, everyMs);
    timer.unref();
    this.periodic.push(timer);
  }

  /** Registers the handler of a queue (call from a module's onModuleInit). */
  register<P>(queue: string, handler: JobHandler<P>): void {
    if (this.handlers.has(queue)) throw new Error(`job handler for "${queue}" registered twice`);
    this.handlers.set(queue, handler as JobHandler<never>);
  }

  onApplicationBootstrap(): void {
    if (this.config.jobs.workerEnabled) this.schedule(this.config.jobs.pollIntervalMs);
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  /**
   * Takes no new jobs from now on and resolves when the batch running now has finished
   * (graceful shutdown calls it on SIGTERM, before the HTTP server drains).
   */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    for (const timer of this.periodic.splice(0)) clearInterval(timer);
    await this.inflight?.catch(() => undefined);
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.inflight = this.runDue().catch((err) => {
        this.logger.warn({ err }, 'job poll failed');
        return 0;
      });
      void this.inflight.then((n) => this.schedule(n > 0 ? 0 : this.config.jobs.pollIntervalMs));
    }, delay);
    this.timer.unref();
  }

  /**
   * Claims and runs the jobs that are due now (one batch). Returns how many ran. Tests
   * call `drain()` to run until nothing is due.
   */
  async runDue(limit = this.config.jobs.concurrency): Promise<number> {
    if (this.running || this.handlers.size === 0) return 0;
    this.running = true;
    try {
      // a busy worker polls continuously: release stale locks now and then, not every poll
      if (Date.now() - this.staleCheckedAt >= STALE_CHECK_MS) {
        this.staleCheckedAt = Date.now();
        await run(this.pool, this.repository.releaseStale(STALE_LOCK_SECONDS));
      }
      const claimed = await run(this.pool, this.repository.claim(this.workerId, [...this.handlers.keys()], limit));
      await Promise.all(claimed.map((row) => this.runOne(row)));
      return claimed.length;
    } finally {
      this.running = false;
    }
  }

  /** Runs due jobs until none is left (jobs scheduled in the future are not waited for). */
  async drain(maxRounds = 100): Promise<number> {
    let total = 0;
    for (let i = 0; i < maxRounds; i++) {
      const n = await this.runDue();
      if (n === 0) break;
      total += n;
    }
    return total;
  }

  private async runOne(row: ClaimedJob): Promise<void> {
    const handler = this.handlers.get(row.queue)!;
    const root = this.orm.em;
    const conn = root.getConnection();
    let em: EntityManager | undefined;
    try {
      await handler(row.payload as never, {
        id: row.id,
        queue: row.queue,
        attempt: row.attempts,
        maxAttempts: row.maxAttempts,
        get em() {
          return (em ??= root.fork());
        },
        execute: <T,>(sql: string, params: unknown[] = []) => conn.execute(sql, params) as unknown as Promise<T>,
      });
      await this.markCompleted(row.id);
    } catch (err) {
      const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      if (row.attempts >= row.maxAttempts) {
        this.logger.error({ jobId: row.id, queue: row.queue, attempt: row.attempts }, `job dead-lettered: ${message}`);
        await run(this.pool, this.repository.kill(row.id, message.slice(0, 2000)));
      } else {
        const delay = retryDelaySeconds(row.backoffSeconds, row.attempts);
        this.logger.warn({ jobId: row.id, queue: row.queue, attempt: row.attempts, retryIn: delay }, `job failed: ${message}`);
        await run(this.pool, this.repository.retryLater(row.id, message.slice(0, 2000), delay));
      }
    }
  }

  /** Queue depth by queue and status, for health and admin views. */
  stats(): Promise<Array<{ queue: string; status: JobStatus; count: number }>> {
    return run(this.pool, this.repository.stats());
  }

  /** Moves a dead-lettered job back to pending (admin action). */
  retryDead(jobId: string): Promise<boolean> {
    return run(this.pool, this.repository.retryDead(jobId));
  }
}

/** base × 2^(attempt-1), capped at an hour, with ±10 % jitter. */
export function retryDelaySeconds(base: number, attempt: number, random = Math.random): number {
  const raw = Math.min(MAX_BACKOFF_SECONDS, base * 2 ** Math.max(0, attempt - 1));
  return Math.max(1, Math.round(raw * (0.9 + 0.2 * random())));
}
