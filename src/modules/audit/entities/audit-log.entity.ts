import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { uuidv7 } from '@app/common';

/**
 * Append-only record of who did what to which record. A database trigger (first
 * migration) rejects UPDATE and DELETE on this table.
 */
@Entity({ tableName: 'audit_log' })
@Index({ name: 'audit_log_target_idx', properties: ['targetType', 'targetId', 'at'] })
@Index({ name: 'audit_log_actor_idx', properties: ['actorType', 'actorId', 'at'] })
export class AuditLog {
  @PrimaryKey({ type: 'uuid' })
  id: string = uuidv7();

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  at: Date = new Date();

  @Property({ type: 'text' })
  actorType: string;

  @Property({ type: 'text', nullable: true })
  actorId?: string | null;

  /** Dotted verb, e.g. `calendar.day.updated`, `staff.login.failed`. */
  @Property({ type: 'text' })
  action: string;

  @Property({ type: 'text', nullable: true })
  targetType?: string | null;

  @Property({ type: 'text', nullable: true })
  targetId?: string | null;

  @Property({ type: 'json', nullable: true })
  before?: Record<string, unknown> | null;

  @Property({ type: 'json', nullable: true })
  after?: Record<string, unknown> | null;

  @Property({ type: 'json', nullable: true })
  metadata?: Record<string, unknown> | null;

  @Property({ type: 'text', nullable: true })
  requestId?: string | null;

  @Property({ type: 'text', nullable: true })
  ip?: string | null;
}
