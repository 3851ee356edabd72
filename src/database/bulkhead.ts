import { AsyncResource } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CommonErrors, sendProblem } from '@app/common';

/** The classes of requests that share the pool; each has a limit of its own. */
export type RequestClass = 'public' | 'citizen' | 'organization' | 'staff';

export interface BulkheadSettings {
  /** Concurrent requests per class (0 = no limit). */
  limits: Record<RequestClass, number>;
  /** Requests per class that may wait for a slot; more are refused at once. */
  queue: number;
  /** Longest wait for a slot (0 = refuse at once when the class is full). */
  waitMs: number;
}

/** First path segment after the API prefix → class. Paths not named here (health, docs) pass unlimited. */
const CLASS_OF_SEGMENT: Record<string, RequestClass> = {
  properties: 'public',
  debts: 'public',
  guilds: 'public',
  regions: 'public',
  calculators: 'public',
  calendar: 'public',
  certificates: 'public',
  tracking: 'public',
  sandbox: 'public',
  me: 'citizen',
  auth: 'citizen',
  inquiries: 'citizen',
  payments: 'citizen',
  bank: 'organization',
  org: 'organization',
  oauth: 'organization',
  token: 'organization',
  statements: 'organization',
  'bill-payments': 'organization',
  organizations: 'staff',
  admin: 'staff',
  desk: 'staff',
  staff: 'staff',
};

interface Waiter {
  req: IncomingMessage;
  res: ServerResponse;
  go: () => void;
  deadline: number;
}

class Compartment {
  private active = 0;
  /** FIFO, so the head has the earliest deadline: one timer per compartment, none per request. */
  private readonly waiting: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly limit: number,
    private readonly queue: number,
    private readonly waitMs: number,
  ) {}

  /** Runs `next` now, or when a slot frees within the wait; refuses with DATABASE_BUSY otherwise. */
  enter(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    if (this.active < this.limit) return this.admit(res, next);
    if (this.waiting.length >= this.queue || this.waitMs <= 0) return refuse(req, res);
    this.waiting.push({
      req,
      res,
      // resumed from another request's 'close': in this request's own async context (request id, ORM context)
      go: AsyncResource.bind(() => this.admit(res, next)),
      deadline: Date.now() + this.waitMs,
    });
    this.timer ??= setTimeout(() => this.expire(), this.waitMs);
  }

  private admit(res: ServerResponse, next: () => void): void {
    this.active++;
    // 'close' follows 'finish' and also comes when the client goes away: the slot is freed once
    res.once('close', () => this.leave());
    next();
  }

  private leave(): void {
    this.active--;
    while (this.waiting.length && this.active < this.limit) {
      const waiter = this.waiting.shift()!;
      if (waiter.res.destroyed || waiter.res.writableEnded) continue; // gave up while waiting
      waiter.go();
    }
    if (!this.waiting.length && this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  /** Refuses the waiters whose wait is over, then waits for the next deadline. */
  private expire(): void {
    this.timer = undefined;
    const now = Date.now();
    while (this.waiting.length && this.waiting[0].deadline <= now) {
      const waiter = this.waiting.shift()!;
      refuse(waiter.req, waiter.res);
    }
    if (this.waiting.length) this.timer = setTimeout(() => this.expire(), this.waiting[0].deadline - now);
  }
}

/** 503 DATABASE_BUSY + Retry-After, answered here (Nest's routes and the hot reads alike). */
function refuse(req: IncomingMessage, res: ServerResponse): void {
  sendProblem(req as never, res as never, CommonErrors.DATABASE_BUSY({ retryAfterSeconds: 2 }));
}

/**
 * Bulkheads between the classes of requests that share the connection pool: public reads,
 * citizens, organizations (banks, offices) and staff (admin, desks) each get at most their
 * limit of requests in flight, so a class whose requests hang on a slow table holds only its
 * own share of the pool (DB_BULKHEAD_*; their sum plus the job worker's JOBS_CONCURRENCY fits
 * in DB_POOL_MAX — checked by the configuration). Requests past the limit wait in a bounded
 * queue for at most `waitMs`, then answer 503 DATABASE_BUSY with Retry-After. Classified by
 * the first path segment after the API prefix; health and docs are not limited. A
 * middleware of the common chain, so the hot public reads pass it too.
 */
export function bulkheadMiddleware(prefix: string, settings: BulkheadSettings) {
  const compartments = new Map<RequestClass, Compartment>();
  for (const [name, limit] of Object.entries(settings.limits) as Array<[RequestClass, number]>) {
    if (limit > 0) compartments.set(name, new Compartment(limit, settings.queue, settings.waitMs));
  }
  const start = `/${prefix.replace(/^\/+|\/+$/g, '')}/`;
  const byCompartment = new Map<string, Compartment>();
  for (const [segment, name] of Object.entries(CLASS_OF_SEGMENT)) {
    const compartment = compartments.get(name);
    if (compartment) byCompartment.set(segment, compartment);
  }
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    const url = req.url ?? '/';
    if (byCompartment.size === 0 || !url.startsWith(start)) return next();
    let end = start.length;
    while (end < url.length) {
      const c = url.charCodeAt(end);
      if (c === 47 /* / */ || c === 63 /* ? */) break;
      end++;
    }
    const compartment = byCompartment.get(url.slice(start.length, end).toLowerCase());
    if (!compartment) return next();
    compartment.enter(req, res, next);
  };
}
