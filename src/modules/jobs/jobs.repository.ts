import { Injectable } from '@nestjs/common';
import { jsonValue } from '../../database/json-value';
import { pgArray } from '../../database/pg-array';
import { type Cte, onlyWhenCte, query, type Query, type Row, statement } from '../../database/sql';
import { JobStatus } from './entities/job.entity';

/** A `job` row as enqueued. */
export interface NewJobRow {
  id: string;
  queue: string;
  payload: Record<string, unknown>;
  maxAttempts: number;
  backoffSeconds: number;
  runAt: Date;
  dedupeKey: string | null;
}

/** A job as enqueued (none: its dedupe key was taken, or the condition wrote no row). */
export interface EnqueuedJob {
  id: string;
  queue: string;
  runAt: Date;
}

/** A job claimed by a worker. */
export interface ClaimedJob {
  id: string;
  queue: string;
  payload: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
  backoffSeconds: number;
}

const date = (v: unknown) => (v instanceof Date ? v : new Date(String(v)));

/** Every statement on `job`. */
@Injectable()
export class JobsRepository {
  /**
   * One job; a job with the same dedupe key makes it a no-op (`null`), and so does `when`
   * (a CTE of the caller's statement) without a row.
   */
  insert(j: NewJobRow, when?: Cte): Query<EnqueuedJob | null> {
    return query(
      `insert into job (id, queue, payload, status, attempts, max_attempts, backoff_seconds, run_at, dedupe_key, created_at)
       select ?, ?, ?::jsonb, ?, 0, ?, ?, ?, ?, now()${onlyWhenCte(when)}
       on conflict (dedupe_key) do nothing
       returning id, queue, run_at`,
      [j.id, j.queue, JSON.stringify(j.payload), JobStatus.Pending, j.maxAttempts, j.backoffSeconds, j.runAt, j.dedupeKey],
      (rows: Row[]) => (rows[0] ? { id: String(rows[0].id), queue: String(rows[0].queue), runAt: date(rows[0].run_at) } : null),
    );
  }

  /** Puts jobs whose worker stopped answering (locked longer than `staleSeconds`) back in the queue. */
  releaseStale(staleSeconds: number): Query<void> {
    return statement(
      `update job set status = 'pending', locked_at = null, locked_by = null
        where status = 'active' and locked_at < now() - make_interval(secs => ?)`,
      [staleSeconds],
    );
  }

  /** Locks up to `limit` due jobs of `queues` for `workerId` (skipping those another worker holds) and counts the attempt. */
  claim(workerId: string, queues: string[], limit: number): Query<ClaimedJob[]> {
    return query(
      `update job set status = 'active', locked_at = now(), locked_by = ?, attempts = attempts + 1
        where id in (
          select id from job
           where status = 'pending' and run_at <= now() and queue = any(?::text[])
           order by run_at
           limit ?
           for update skip locked)
      returning id, queue, payload, attempts, max_attempts, backoff_seconds`,
      [workerId, pgArray(queues), limit],
      (rows: Row[]) =>
        rows.map((r) => ({
          id: String(r.id),
          queue: String(r.queue),
          payload: jsonValue<Record<string, unknown>>(r.payload),
          attempts: Number(r.attempts),
          maxAttempts: Number(r.max_attempts),
          backoffSeconds: Number(r.backoff_seconds),
        })),
    );
  }

  /** Marks jobs completed, only those still locked by `workerId` (a stale-lock release may have handed one to another). */
  complete(ids: string[], workerId: string): Query<void> {
    return statement(
      `update job set status = 'completed', finished_at = now(), locked_at = null, last_error = null
        where id = any(?::uuid[]) and status = 'active' and locked_by = ?`,
      [pgArray(ids), workerId],
    );
  }

  /** Dead-letters a job whose attempts are exhausted. */
  kill(id: string, error: string): Query<void> {
    return statement(`update job set status = 'dead', finished_at = now(), locked_at = null, last_error = ? where id = ?`, [error, id]);
  }

  /** Puts a failed job back in the queue to run in `delaySeconds`. */
  retryLater(id: string, error: string, delaySeconds: number): Query<void> {
    return statement(
      `update job set status = 'pending', locked_at = null, locked_by = null, last_error = ?,
              run_at = now() + make_interval(secs => ?) where id = ?`,
      [error, delaySeconds, id],
    );
  }

  /** Queue depth by queue and status. */
  stats(): Query<Array<{ queue: string; status: JobStatus; count: number }>> {
    return query(`select queue, status, count(*) as count from job group by queue, status order by queue, status`, [], (rows: Row[]) =>
      rows.map((r) => ({ queue: String(r.queue), status: r.status as JobStatus, count: Number(r.count) })),
    );
  }

  /** Moves a dead-lettered job back to pending; whether there was one. */
  retryDead(id: string): Query<boolean> {
    return query(
      `update job set status = 'pending', attempts = 0, run_at = now(), finished_at = null where id = ? and status = 'dead' returning id`,
      [id],
      (rows: Row[]) => rows.length > 0,
    );
  }
}
