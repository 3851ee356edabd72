import { Entity, Enum, Index, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { BaseEntity } from '../../../database/base.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';

export enum WebhookDeliveryStatus {
  Pending = 'pending',
  Delivered = 'delivered',
  /** Gave up: 24 h of retries passed, or the URL is no longer allowed. */
  Failed = 'failed',
}

/** One event for one endpoint: the signed JSON body and the outcome of its attempts. */
@Entity({ tableName: 'webhook_delivery' })
@Index({ name: 'webhook_delivery_org_idx', properties: ['organizationId', 'createdAt'] })
@Index({ name: 'webhook_delivery_endpoint_idx', properties: ['endpoint'] })
export class WebhookDelivery extends BaseEntity<'status' | 'attempts' | 'redeliveryOf'> {
  @ManyToOne(() => WebhookEndpoint, { deleteRule: 'cascade' })
  endpoint: Rel<WebhookEndpoint>;

  /** Copied from the endpoint so listing an organization's deliveries needs no join. */
  @Property({ type: 'uuid' })
  organizationId: string;

  /** The event's id (`evt_…`): the same for every endpoint and for redeliveries; receivers dedupe on it. */
  @Property({ type: 'text' })
  eventId: string;

  @Property({ type: 'text' })
  event: string;

  /** The exact JSON body that is signed and sent. */
  @Property({ type: 'text' })
  body: string;

  @Enum({ items: () => WebhookDeliveryStatus })
  status: WebhookDeliveryStatus = WebhookDeliveryStatus.Pending;

  @Property({ type: 'integer' })
  attempts: number = 0;

  @Property({ type: 'smallint', nullable: true })
  lastStatusCode?: number | null;

  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  deliveredAt?: Date | null;

  @Property({ type: 'uuid', nullable: true })
  redeliveryOf?: string | null = null;
}
