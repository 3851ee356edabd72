import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { CommonErrors, DomainError } from '@app/common';
import { onlyWhen, type SqlStatement } from '../../database/sql-batch';

/** A counter-key fragment for a client IP: hashed, so no address is stored. */
export function clientKey(ip: string | undefined): string {
  return createHash('sha256').update(ip ?? 'unknown').digest('base64url').slice(0, 22);
}

export interface RateLimitRule {
  /** Counter name, e.g. `otp:mobile:09121234567`. Hash anything personal before passing it. */
  key: string;
  limit: number;
  windowSeconds: number;
}

export interface RateLimitResult {
  allowed: boolean;
  count: number;
  limit: number;
  remaining: number;
  retryAfterSeconds: number;
  resetAt: Date;
}

/**
 * Fixed-window rate limiting shared by all instances through PostgreSQL: one upsert per
 * check. Used for everything that sends an SMS or checks a secret.
 */
@Injectable()
export class RateLimitService {
  constructor(private readonly orm: MikroORM) {}

  /** Counts one hit. Pass the caller's `em` inside a transaction (same connection). */
  async hit(rule: RateLimitRule, em?: EntityManager): Promise<RateLimitResult> {
    const { sql, params } = this.hitStatement(rule);
    // without a transaction to join: straight on the pool (no entity manager fork per check)
    const rows = await (em ?? this.orm.em.getConnection()).execute<Array<Record<string, unknown>>>(sql, params);
    return this.resultOf(rule, rows[0]);
  }

  /**
   * The statement that counts one hit of `rule`, for a caller that sends it in one round trip
   * with statements of its own (`executeBatch`, `composeWith`); `resultOf` reads the row it
   * returns. `gated` makes it a CTE of the caller's statement that counts only accepted
   * hits: the hit is counted only when the CTE named `gated.when` has a row, and never past
   * the limit, so a refusal (no row returned) leaves the counter as it was.
   */
  hitStatement(rule: RateLimitRule, gated?: { when: string }): SqlStatement {
    const w = rule.windowSeconds;
    return {
      sql: `insert into rate_limit_counter (key, window_start, count, expires_at)
            select ?, to_timestamp(floor(extract(epoch from now()) / ?) * ?), 1,
                   to_timestamp(floor(extract(epoch from now()) / ?) * ? + ?)${onlyWhen(gated?.when)}
            on conflict (key, window_start) do update set count = rate_limit_counter.count + 1${gated ? ' where rate_limit_counter.count < ?' : ''}
            returning count, window_start, now() as now`,
      params: [rule.key, w, w, w, w, w, ...(gated ? [rule.limit] : [])],
    };
  }

  /**
   * What the row of `hitStatement` means for `rule`. A gated hit refused at the limit
   * returns no row: pass `undefined` and the database's `now` of that statement.
   */
  resultOf(rule: RateLimitRule, row: Record<string, unknown> | undefined, now?: Date): RateLimitResult {
    if (!row) {
      if (!now) throw new Error('resultOf: a refused gated hit needs the statement time');
      const w = rule.windowSeconds * 1000;
      row = { count: rule.limit + 1, window_start: new Date(Math.floor(now.getTime() / w) * w), now };
    }
    const count = Number(row.count);
    const resetAt = new Date(new Date(row.window_start as string | Date).getTime() + rule.windowSeconds * 1000);
    const retryAfterSeconds = Math.max(1, Math.ceil((resetAt.getTime() - new Date(row.now as string | Date).getTime()) / 1000));
    return {
      allowed: count <= rule.limit,
      count,
      limit: rule.limit,
      remaining: Math.max(0, rule.limit - count),
      retryAfterSeconds,
      resetAt,
    };
  }

  /** Throws the rule's error (RATE_LIMITED, 429 + Retry-After, unless the caller names another) when a hit was over the limit. */
  assertAllowed(result: RateLimitResult, error?: (retryAfterSeconds: number) => DomainError): RateLimitResult {
    if (!result.allowed) {
      throw error ? error(result.retryAfterSeconds) : CommonErrors.RATE_LIMITED({ retryAfterSeconds: result.retryAfterSeconds });
    }
    return result;
  }

  /** Counts a hit and throws RATE_LIMITED (429 + Retry-After) when over the limit. */
  async consume(
    rule: RateLimitRule,
    error?: (retryAfterSeconds: number) => DomainError,
    em?: EntityManager,
  ): Promise<RateLimitResult> {
    return this.assertAllowed(await this.hit(rule, em), error);
  }

  /** Deletes expired windows; run periodically. */
  async purgeExpired(): Promise<number> {
    const res = await this.orm.em
      .fork()
      .execute<{ affectedRows?: number }>(`delete from rate_limit_counter where expires_at < now()`, [], 'run');
    return res.affectedRows ?? 0;
  }
}
