import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { CommonErrors, DomainError } from '@app/common';
import { type Cte, type Query, run } from '../../database/sql';
import { type HitRow, RateLimitRepository } from './rate-limit.repository';

export { type HitRow, readHit } from './rate-limit.repository';

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
  constructor(
    private readonly orm: MikroORM,
    private readonly repository: RateLimitRepository,
  ) {}

  /**
   * Counts one hit of `rule`: a query the caller runs (`run(em, limits.hit(rule))`, on its
   * transaction when it has one) or sends with statements of its own (`runAll`, `withCtes`).
   * `gated` makes it count only accepted hits: only when that part of the caller's statement
   * wrote a row, and never past the limit, so a refusal (`null`, no row) leaves the counter
   * as it was.
   */
  hit(rule: RateLimitRule): Query<RateLimitResult>;
  hit(rule: RateLimitRule, gated: Cte): Query<RateLimitResult | null>;
  hit(rule: RateLimitRule, gated?: Cte): Query<RateLimitResult | null> {
    const q = this.repository.hit(rule.key, rule.windowSeconds, gated ? rule.limit : undefined, gated);
    return {
      ...q,
      read: (rows) => {
        const row = q.read(rows);
        return row ? this.resultOf(rule, row) : null;
      },
    };
  }

  /**
   * What a hit's row means for `rule` (`hit` reads it; a caller whose statement returns the
   * row as JSON passes `readHit(json)`). A gated hit refused at the limit has no row: pass
   * `undefined` and the database's `now` of that statement.
   */
  resultOf(rule: RateLimitRule, row: HitRow | undefined, now?: Date): RateLimitResult {
    if (!row) {
      if (!now) throw new Error('resultOf: a refused gated hit needs the statement time');
      const w = rule.windowSeconds * 1000;
      row = { count: rule.limit + 1, windowStart: new Date(Math.floor(now.getTime() / w) * w), now };
    }
    const count = row.count;
    const resetAt = new Date(row.windowStart.getTime() + rule.windowSeconds * 1000);
    const retryAfterSeconds = Math.max(1, Math.ceil((resetAt.getTime() - row.now.getTime()) / 1000));
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
    return this.assertAllowed(await run(em ?? this.orm.em, this.hit(rule)), error);
  }

  /** Deletes expired windows; run periodically. */
  purgeExpired(): Promise<number> {
    return run(this.orm.em, this.repository.purgeExpired());
  }
}
