import { MikroORM } from '@mikro-orm/postgresql';
import { CallHandler, ExecutionContext, Inject, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { Observable, of } from 'rxjs';
import { Actor, CommonErrors } from '@app/common';
import { APP_CONFIG } from '../../config/config.module';
import type { ResolvedConfig } from '../../config/app-config';
import { AuditService } from '../audit/audit.service';
import { RateLimitService } from '../rate-limit/rate-limit.service';
import { IdempotencyService, REPLAYED_HEADERS } from './idempotency.service';
import { OrgApiErrors } from './org-api.errors';
import { run } from '../../database/sql';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * Every call made with an organization's token passes here: it is on every controller such
 * a token can reach (`@OrgApi()`, see OrgApiModule; a test checks the coverage) and lets
 * other principals through untouched:
 * 1. per-client rate limit (ORG_RATE_LIMIT_PER_MINUTE) and daily quota (ORG_QUOTA_PER_DAY):
 *    `RateLimit-Limit/Remaining/Reset` on every answer, 429 with `Retry-After` beyond;
 * 2. `Idempotency-Key` on POST/PUT/PATCH/DELETE (see IdempotencyService);
 * 3. one audit entry per call with the SHA-256 of the request (method, URL, body) and of
 *    the response body as sent.
 */
@Injectable()
export class OrgApiInterceptor implements NestInterceptor {
  private readonly logger = new Logger(OrgApiInterceptor.name);

  constructor(
    private readonly limits: RateLimitService,
    private readonly idempotency: IdempotencyService,
    private readonly audit: AuditService,
    private readonly orm: MikroORM,
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
  ) {}

  /** Other principals and anonymous calls pass straight through, synchronously (no promise, no I/O). */
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> | Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request & { user?: Actor }>();
    const actor = req.user;
    if (actor?.type !== 'organization' || !actor.id) return next.handle();
    return this.organizationCall(req, context.switchToHttp().getResponse<Response>(), actor, actor.id, next);
  }

  private async organizationCall(req: Request, res: Response, actor: Actor, organizationId: string, next: CallHandler): Promise<Observable<unknown>> {
    const requestHash = sha256(`${req.method} ${req.originalUrl}\n${req.body === undefined ? '' : JSON.stringify(req.body)}`);
    const key = headerValue(req.headers['idempotency-key']);
    const meta: Record<string, unknown> = { method: req.method, path: req.originalUrl.slice(0, 500), requestSha256: requestHash };
    if (key) meta.idempotencyKey = key.slice(0, 200);
    let idempotencyScope: string | null = null;

    // hash the response body as it leaves (JSON, problem+json and streamed files alike)
    const responseHash = createHash('sha256');
    const feed = (chunk: unknown, encoding: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
      responseHash.update(typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8') : (chunk as Uint8Array));
    };
    const originalWrite = res.write.bind(res) as (...args: unknown[]) => boolean;
    const originalEnd = res.end.bind(res) as (...args: unknown[]) => Response;
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      feed(chunk, rest[0]);
      return originalWrite(chunk, ...rest);
    }) as Response['write'];
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (meta.responseSha256 === undefined) {
        feed(chunk, rest[0]);
        meta.responseSha256 = responseHash.digest('hex');
      }
      return originalEnd(chunk, ...rest);
    }) as Response['end'];

    // store the answer for the Idempotency-Key before it is sent
    const originalSend = res.send.bind(res) as (body?: unknown) => Response;
    res.send = ((body?: unknown) => {
      if (!idempotencyScope) return originalSend(body);
      const text = body === undefined ? '' : Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : JSON.stringify(body);
      const scope = idempotencyScope;
      idempotencyScope = null;
      const status = res.statusCode;
      const work =
        status >= 500
          ? this.idempotency.release(scope)
          : this.idempotency.complete(scope, status, text, pickHeaders(res));
      work.catch((err) => this.logger.error({ err }, 'idempotency record not saved')).finally(() => originalSend(body));
      return res;
    }) as Response['send'];
    res.once('finish', () => {
      run(
        this.orm.em.fork(),
        this.audit.record({
          action: 'org_api.call',
          actor: { type: 'organization', id: organizationId, clientId: actor.clientId },
          target: { type: 'api_client', id: actor.clientId ?? null },
          metadata: { ...meta, status: res.statusCode },
        }),
      ).catch((err) => this.logger.error({ err }, 'organization call not audited'));
    });

    await this.rateLimit(actor, res);

    if (key && MUTATING.has(req.method)) {
      const claim = await this.idempotency.claim(organizationId, key, requestHash);
      if (claim.kind === 'replay') {
        meta.replayed = true;
        for (const [name, value] of Object.entries(claim.headers)) res.setHeader(name, value);
        res.setHeader('Idempotent-Replayed', 'true');
        res.status(claim.status);
        // the route's own status (@HttpCode) must not overwrite the stored one
        res.status = (() => res) as Response['status'];
        const isJson = /json/.test(claim.headers['content-type'] ?? '');
        return of(claim.body === '' ? undefined : isJson ? JSON.parse(claim.body) : claim.body);
      }
      idempotencyScope = claim.scopeKey;
    }
    return next.handle();
  }

  private async rateLimit(actor: Actor, res: Response): Promise<void> {
    const client = actor.clientId ?? actor.id!;
    const { orgRateLimitPerMinute, orgQuotaPerDay } = this.config.integration;
    const quota = await run(this.orm.em, this.limits.hit({ key: `org:quota:${client}`, limit: orgQuotaPerDay, windowSeconds: 86400 }));
    const minute = await run(this.orm.em, this.limits.hit({ key: `org:rate:${client}`, limit: orgRateLimitPerMinute, windowSeconds: 60 }));
    const shown = quota.allowed ? minute : quota;
    res.setHeader('RateLimit-Limit', String(shown.limit));
    res.setHeader('RateLimit-Remaining', String(shown.remaining));
    res.setHeader('RateLimit-Reset', String(shown.retryAfterSeconds));
    if (!quota.allowed) throw OrgApiErrors.QUOTA_EXCEEDED({ retryAfterSeconds: quota.retryAfterSeconds });
    if (!minute.allowed) throw CommonErrors.RATE_LIMITED({ retryAfterSeconds: minute.retryAfterSeconds });
  }
}

function headerValue(v: string | string[] | undefined): string | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s === '' ? undefined : s;
}

function pickHeaders(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const v = res.getHeader(name);
    if (v !== undefined) out[name] = String(v);
  }
  return out;
}
