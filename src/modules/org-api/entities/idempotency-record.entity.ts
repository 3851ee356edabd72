import { Entity, Enum, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

export enum IdempotencyState {
  InProgress = 'in_progress',
  Completed = 'completed',
}

/**
 * One `Idempotency-Key` of one organization: claimed by the first request (insert … on
 * conflict do nothing), then holding the response to replay for 24 h.
 */
@Entity({ tableName: 'idempotency_record' })
@Index({ name: 'idempotency_record_expires_idx', properties: ['expiresAt'] })
export class IdempotencyRecord {
  [OptionalProps]?: 'state' | 'createdAt';

  /** `<organization id>:<key>`. */
  @PrimaryKey({ type: 'text' })
  scopeKey: string;

  /** SHA-256 of method, path and body. */
  @Property({ type: 'text' })
  requestHash: string;

  @Enum({ items: () => IdempotencyState })
  state: IdempotencyState = IdempotencyState.InProgress;

  @Property({ type: 'smallint', nullable: true })
  responseStatus?: number | null;

  @Property({ type: 'text', nullable: true })
  responseBody?: string | null;

  @Property({ type: 'json', nullable: true })
  responseHeaders?: Record<string, string> | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  expiresAt: Date;
}
