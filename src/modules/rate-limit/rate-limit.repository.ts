import { Injectable } from '@nestjs/common';
import { type Cte, onlyWhenCte, query, type Query, type Row } from '../../database/sql';

/** A counter's window after a hit, with the statement's time. */
export interface HitRow {
  count: number;
  windowStart: Date;
  now: Date;
}

const date = (v: unknown) => (v instanceof Date ? v : new Date(String(v)));

/** A hit's row (also one a caller's statement returns as JSON: `row_to_json`). */
export function readHit(r: Row): HitRow {
  return { count: Number(r.count), windowStart: date(r.window_start), now: date(r.now) };
}

/** Every statement on `rate_limit_counter`. */
@Injectable()
export class RateLimitRepository {
  /**
   * Counts one hit of `key` in the current fixed window of `windowSeconds`. With `capAt` the
   * counter never goes past it (a hit at the cap returns no row and counts nothing); with
   * `when` the hit counts only when that CTE of the caller's statement has a row.
   */
  hit(key: string, windowSeconds: number, capAt?: number, when?: Cte): Query<HitRow | null> {
    const w = windowSeconds;
    return query(
      `insert into rate_limit_counter (key, window_start, count, expires_at)
       select ?, to_timestamp(floor(extract(epoch from now()) / ?) * ?), 1,
              to_timestamp(floor(extract(epoch from now()) / ?) * ? + ?)${onlyWhenCte(when)}
       on conflict (key, window_start) do update set count = rate_limit_counter.count + 1${capAt !== undefined ? ' where rate_limit_counter.count < ?' : ''}
       returning count, window_start, now() as now`,
      [key, w, w, w, w, w, ...(capAt !== undefined ? [capAt] : [])],
      (rows: Row[]) => (rows[0] ? readHit(rows[0]) : null),
    );
  }

  /** Deletes expired windows; how many. */
  purgeExpired(): Query<number> {
    return query(`delete from rate_limit_counter where expires_at < now() returning 1 as x`, [], (rows: Row[]) => rows.length);
  }
}
