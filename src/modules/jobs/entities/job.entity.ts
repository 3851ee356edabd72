import { Entity, Enum, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { uuidv7 } from '@app/common';

export enum JobStatus {
  Pending = 'pending',
  Active = 'active',
  Completed = 'completed',
  /** Dead letter: attempts exhausted; kept for inspection and manual retry. */
  Dead = 'dead',
}

/** A durable job in the PostgreSQL-backed queue (transactional outbox). */
@Entity({ tableName: 'job' })
@Index({ name: 'job_poll_idx', properties: ['status', 'runAt'] })
export class Job {
  [OptionalProps]?: 'status' | 'attempts' | 'maxAttempts' | 'backoffSeconds' | 'runAt' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = uuidv7();

  @Property({ type: 'text' })
  queue: string;

  @Property({ type: 'json' })
  payload: Record<string, unknown>;

  @Enum({ items: () => JobStatus, nativeEnumName: undefined })
  status: JobStatus = JobStatus.Pending;

  @Property({ type: 'integer' })
  attempts: number = 0;

  @Property({ type: 'integer' })
  maxAttempts: number = 8;

  /** First retry delay; doubles on every further failure (capped at one hour). */
  @Property({ type: 'integer' })
  backoffSeconds: number = 10;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  runAt: Date = new Date();

  /** Makes enqueueing idempotent: a second job with the same key is not created. */
  @Property({ type: 'text', nullable: true, unique: 'job_dedupe_key_unique' })
  dedupeKey?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  lockedAt?: Date | null;

  @Property({ type: 'text', nullable: true })
  lockedBy?: string | null;

  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  finishedAt?: Date | null;
}
