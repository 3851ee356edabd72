import { Injectable } from '@nestjs/common';
import { jsonValue } from '../../database/json-value';
import { query, type Query, statement } from '../../database/sql';
import { IdempotencyState } from './entities/idempotency-record.entity';

/** A claimed `Idempotency-Key` (its stored response once completed). */
export interface IdempotencyRow {
  scopeKey: string;
  requestHash: string;
  state: IdempotencyState;
  responseStatus: number | null;
  responseBody: string | null;
  responseHeaders: Record<string, string> | null;
}

/** Every statement on `idempotency_record`. */
@Injectable()
export class IdempotencyRepository {
  /** Frees the key when its record expired or its in-progress claim is older than `abandonedMinutes`. */
  dropStale(scopeKey: string, abandonedMinutes: number): Query<void> {
    return statement(
      `delete from idempotency_record where scope_key = ?
          and (expires_at < now() or (state = 'in_progress' and created_at < now() - make_interval(mins => ?)))`,
      [scopeKey, abandonedMinutes],
    );
  }

  /** Claims the key for this request (true), or finds it taken (false): of two concurrent claims one wins. */
  claim(scopeKey: string, requestHash: string, ttlHours: number): Query<boolean> {
    return query(
      `insert into idempotency_record (scope_key, request_hash, state, created_at, expires_at)
       values (?, ?, 'in_progress', now(), now() + make_interval(hours => ?))
       on conflict (scope_key) do nothing returning scope_key`,
      [scopeKey, requestHash, ttlHours],
      (rows) => rows.length > 0,
    );
  }

  /** The key's record (undefined: none). */
  find(scopeKey: string): Query<IdempotencyRow | undefined> {
    return query(
      `select scope_key, request_hash, state, response_status, response_body, response_headers from idempotency_record where scope_key = ?`,
      [scopeKey],
      (rows) =>
        rows.map((r) => ({
          scopeKey: String(r.scope_key),
          requestHash: String(r.request_hash),
          state: r.state as IdempotencyState,
          responseStatus: r.response_status === null || r.response_status === undefined ? null : Number(r.response_status),
          responseBody: (r.response_body as string | null) ?? null,
          responseHeaders: r.response_headers ? jsonValue<Record<string, string>>(r.response_headers) : null,
        }))[0],
    );
  }

  /** Stores the response to replay. */
  complete(scopeKey: string, status: number, body: string, headers: Record<string, string>): Query<void> {
    return statement(
      `update idempotency_record set state = 'completed', response_status = ?, response_body = ?, response_headers = ?::jsonb
        where scope_key = ?`,
      [status, body, JSON.stringify(headers), scopeKey],
    );
  }

  /** Frees an in-progress claim (a completed one stays). */
  release(scopeKey: string): Query<void> {
    return statement(`delete from idempotency_record where scope_key = ? and state = 'in_progress'`, [scopeKey]);
  }

  /** Deletes every expired record. */
  purgeExpired(): Query<void> {
    return statement(`delete from idempotency_record where expires_at < now()`, []);
  }
}
