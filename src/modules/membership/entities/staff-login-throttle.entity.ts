import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Failed staff sign-ins of one username (`u:<hash>`) or one username from one client IP
 * (`u:<hash>:ip:<hash>`), whether or not the username exists: after a number of free
 * failures each further one makes the next attempt wait twice as long (see
 * StaffLoginThrottle). Names and addresses are stored hashed.
 */
@Entity({ tableName: 'staff_login_throttle' })
@Index({ name: 'staff_login_throttle_last_failure_idx', properties: ['lastFailureAt'] })
export class StaffLoginThrottleRow {
  @PrimaryKey({ type: 'text' })
  key: string;

  /** Attempts counted since the last successful sign-in (or since the memory window ran out). */
  @Property({ type: 'integer' })
  failures: number;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  lastFailureAt: Date;

  /** No attempt is looked at before this time. */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  blockedUntil?: Date | null;
}
