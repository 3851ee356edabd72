import { Entity, Index, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { BaseEntity } from '../../../database/base.entity';
import { WebhookDelivery } from './webhook-delivery.entity';

/** Every try of a delivery: HTTP status (or none), duration and error. */
@Entity({ tableName: 'webhook_attempt' })
@Index({ name: 'webhook_attempt_delivery_idx', properties: ['delivery', 'attempt'] })
export class WebhookAttempt extends BaseEntity {
  @ManyToOne(() => WebhookDelivery, { deleteRule: 'cascade' })
  delivery: Rel<WebhookDelivery>;

  @Property({ type: 'integer' })
  attempt: number;

  @Property({ type: 'smallint', nullable: true })
  statusCode?: number | null;

  @Property({ type: 'integer' })
  durationMs: number;

  @Property({ type: 'text', nullable: true })
  error?: string | null;
}
