import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/** Fixed-window counters shared by every application instance (no Redis needed). */
@Entity({ tableName: 'rate_limit_counter' })
@Index({ name: 'rate_limit_counter_expires_idx', properties: ['expiresAt'] })
export class RateLimitCounter {
  @PrimaryKey({ type: 'text' })
  key: string;

  @PrimaryKey({ type: 'datetime', columnType: 'timestamptz' })
  windowStart: Date;

  @Property({ type: 'integer' })
  count: number;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  expiresAt: Date;
}
