import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { CommonErrors, DomainError } from '@app/common';

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
    const w = rule.windowSeconds;
    // without a transaction to join: straight on the pool (no entity manager fork per check)
    const sql = em ?? this.orm.em.getConnection();
    const rows = await sql.execute<Array<{ count: number; window_start: Date; now: Date }>>(
        `insert into rate_limit_counter (key, window_start, count, expires_at)
         values (?, to_timestamp(floor(extract(epoch from now()) / ?) * ?), 1,
                 to_timestamp(floor(extract(epoch from now()) / ?) * ? + ?))
         on conflict (key, window_start) do update set count = rate_limit_counter.count + 1
         returning count, window_start, now() as now`,
        [rule.key, w, w, w, w, w],
      );
    const { count, window_start, now } = rows[0];
    const resetAt = new Date(new Date(window_start).getTime() + w * 1000);
    const retryAfterSeconds = Math.max(1, Math.ceil((resetAt.getTime() - new Date(now).getTime()) / 1000));
    return {
      allowed: Number(count) <= rule.limit,
      count: Number(count),
      limit: rule.limit,
      remaining: Math.max(0, rule.limit - Number(count)),
      retryAfterSeconds,
      resetAt,
    };
  }

  /** Counts a hit and throws RATE_LIMITED (429 + Retry-After) when over the limit. */
  async consume(
    rule: RateLimitRule,
    error?: (retryAfterSeconds: number) => DomainError,
    em?: EntityManager,
  ): Promise<RateLimitResult> {
    const result = await this.hit(rule, em);
    if (!result.allowed) {
      throw error
        ? error(result.retryAfterSeconds)
        : CommonErrors.RATE_LIMITED({ retryAfterSeconds: result.retryAfterSeconds });
    }
    return result;
  }

  /** Deletes expired windows; run periodically. */
  async purgeExpired(): Promise<number> {
    const res = await this.orm.em
      .fork()
      .execute<{ affectedRows?: number }>(`delete from rate_limit_counter where expires_at < now()`, [], 'run');
    return res.affectedRows ?? 0;
  }
}
