import { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { JobsService } from '../jobs/jobs.service';
import { APP_CONFIG } from '../../config/config.module';
import type { ResolvedConfig } from '../../config/app-config';
import { IdempotencyRecord, IdempotencyState } from './entities/idempotency-record.entity';
import { IntegrationErrors } from './integration.errors';

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
  ) {}

  /** Where jobs run, expired records are deleted hourly (one DELETE; harmless when several instances do it). */
  onApplicationBootstrap(): void {
    this.jobs.every('idempotency purge', PURGE_EVERY_MS, () => this.purgeExpired());
  }

  async claim(organizationId: string, key: string, requestHash: string): Promise<IdempotencyClaim> {
    if (!KEY.test(key)) throw IntegrationErrors.IDEMPOTENCY_KEY_INVALID();
    const scopeKey = `${organizationId}:${key}`;
    const em = this.orm.em.fork();
    await em.execute(
      `delete from idempotency_record where scope_key = ?
          and (expires_at < now() or (state = 'in_progress' and created_at < now() - make_interval(mins => ?)))`,
      [scopeKey, ABANDONED_MINUTES],
    );
    const inserted = await em.execute<Array<{ scope_key: string }>>(
      `insert into idempotency_record (scope_key, request_hash, state, created_at, expires_at)
       values (?, ?, 'in_progress', now(), now() + make_interval(hours => ?))
       on conflict (scope_key) do nothing returning scope_key`,
      [scopeKey, requestHash, IDEMPOTENCY_TTL_HOURS],
    );
    if (inserted.length) return { kind: 'claimed', scopeKey };
    const existing = await em.findOne(IdempotencyRecord, { scopeKey });
    if (!existing) return this.claim(organizationId, key, requestHash); // expired between the statements
    if (existing.requestHash !== requestHash) throw IntegrationErrors.IDEMPOTENCY_KEY_REUSED();
    if (existing.state === IdempotencyState.InProgress) throw IntegrationErrors.IDEMPOTENCY_IN_PROGRESS({ retryAfterSeconds: 1 });
    return { kind: 'replay', status: existing.responseStatus ?? 200, body: existing.responseBody ?? '', headers: existing.responseHeaders ?? {} };
  }

  async complete(scopeKey: string, status: number, body: string, headers: Record<string, string>): Promise<void> {
    await this.orm.em.fork().execute(
      `update idempotency_record set state = 'completed', response_status = ?, response_body = ?, response_headers = ?::jsonb
        where scope_key = ?`,
      [status, body, JSON.stringify(headers), scopeKey],
    );
  }

  /** Frees the key (the request failed on our side: the client may retry with it). */
  async release(scopeKey: string): Promise<void> {
    await this.orm.em.fork().execute(`delete from idempotency_record where scope_key = ? and state = 'in_progress'`, [scopeKey]);
  }

  async purgeExpired(): Promise<void> {
    await this.orm.em.fork().execute(`delete from idempotency_record where expires_at < now()`, [], 'run');
  }
}
