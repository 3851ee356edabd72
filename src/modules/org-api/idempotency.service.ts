import { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { JobsService } from '../jobs/jobs.service';
import { APP_CONFIG } from '../../config/config.module';
import type { ResolvedConfig } from '../../config/app-config';
import { run } from '../../database/sql';
import { IdempotencyState } from './entities/idempotency-record.entity';
import { IdempotencyRepository } from './idempotency.repository';
import { OrgApiErrors } from './org-api.errors';

export const IDEMPOTENCY_TTL_HOURS = 24;
/** An in-progress claim older than this is treated as abandoned (a crashed process). */
const ABANDONED_MINUTES = 10;
const KEY = /^[A-Za-z0-9._:-]{1,200}$/;
const PURGE_EVERY_MS = 3600_000;

export type IdempotencyClaim =
  | { kind: 'claimed'; scopeKey: string }
  | { kind: 'replay'; status: number; body: string; headers: Record<string, string> };

/** Headers of a stored response that a replay repeats. */
export const REPLAYED_HEADERS = ['content-type', 'content-language', 'location'];

/**
 * `Idempotency-Key` records: the first request claims the key with one
 * `insert … on conflict do nothing`, so of two concurrent requests exactly one runs; the
 * other is refused with IDEMPOTENCY_IN_PROGRESS. A finished response is kept for 24 h and
 * replayed for the same request; a different request with the key is IDEMPOTENCY_KEY_REUSED.
 */
@Injectable()
export class IdempotencyService implements OnApplicationBootstrap {
  constructor(
    private readonly orm: MikroORM,
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
    private readonly jobs: JobsService,
    private readonly records: IdempotencyRepository,
  ) {}

  /** Where jobs run, expired records are deleted hourly (one DELETE; harmless when several instances do it). */
  onApplicationBootstrap(): void {
    this.jobs.every('idempotency purge', PURGE_EVERY_MS, () => this.purgeExpired());
  }

  async claim(organizationId: string, key: string, requestHash: string): Promise<IdempotencyClaim> {
    if (!KEY.test(key)) throw OrgApiErrors.IDEMPOTENCY_KEY_INVALID();
    const scopeKey = `${organizationId}:${key}`;
    const em = this.orm.em.fork();
    await run(em, this.records.dropStale(scopeKey, ABANDONED_MINUTES));
    if (await run(em, this.records.claim(scopeKey, requestHash, IDEMPOTENCY_TTL_HOURS))) return { kind: 'claimed', scopeKey };
    const existing = await run(em, this.records.find(scopeKey));
    if (!existing) return this.claim(organizationId, key, requestHash); // expired between the statements
    if (existing.requestHash !== requestHash) throw OrgApiErrors.IDEMPOTENCY_KEY_REUSED();
    if (existing.state === IdempotencyState.InProgress) throw OrgApiErrors.IDEMPOTENCY_IN_PROGRESS({ retryAfterSeconds: 1 });
    return { kind: 'replay', status: existing.responseStatus ?? 200, body: existing.responseBody ?? '', headers: existing.responseHeaders ?? {} };
  }

  async complete(scopeKey: string, status: number, body: string, headers: Record<string, string>): Promise<void> {
    await run(this.orm.em.fork(), this.records.complete(scopeKey, status, body, headers));
  }

  /** Frees the key (the request failed on our side: the client may retry with it). */
  async release(scopeKey: string): Promise<void> {
    await run(this.orm.em.fork(), this.records.release(scopeKey));
  }

  async purgeExpired(): Promise<void> {
    await run(this.orm.em.fork(), this.records.purgeExpired());
  }
}
