import { Entity, Index, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { BaseEntity } from '../../../database/base.entity';
import { Organization } from '../../membership/entities/organization.entity';

/**
 * An organization's webhook receiver. The signing secret is kept as written (HMAC needs
 * the key itself); it is shown to the organization once, never logged or listed.
 */
@Entity({ tableName: 'webhook_endpoint' })
@Index({ name: 'webhook_endpoint_org_idx', properties: ['organization', 'active'] })
export class WebhookEndpoint extends BaseEntity<'active' | 'description'> {
  @ManyToOne(() => Organization, { deleteRule: 'cascade' })
  organization: Rel<Organization>;

  @Property({ type: 'text' })
  url: string;

  /** Subscribed event types, e.g. `inquiry.answered`. */
  @Property({ type: 'json' })
  events: string[];

  @Property({ type: 'text', nullable: true })
  description?: string | null = null;

  @Property({ type: 'text', lazy: true })
  secret: string;

  @Property({ type: 'boolean' })
  active: boolean = true;
}
