import { Entity, Enum, Index, Property } from '@mikro-orm/core';
import { BaseEntity } from '../../../database/base.entity';

export enum SmsStatus {
  Queued = 'queued',
  Sent = 'sent',
  Failed = 'failed',
}

/**
 * Every SMS the system sends (the outbox). With the sandbox provider the rendered body is
 * kept so integrators and tests can read codes; with real providers secret parameters
 * (one-time codes) are stored masked.
 */
@Entity({ tableName: 'sms_message' })
@Index({ name: 'sms_message_mobile_idx', properties: ['mobile', 'createdAt'] })
export class SmsMessage extends BaseEntity<'status' | 'attempts' | 'providerMessageId' | 'lastError' | 'sentAt'> {
  @Property({ type: 'text' })
  mobile: string;

  /** Template key, e.g. `otp_login`, `staff_2fa`, `inquiry_submitted`. */
  @Property({ type: 'text' })
  template: string;

  /** Rendered Persian text (secrets masked unless the sandbox provider sent it). */
  @Property({ type: 'text' })
  body: string;

  @Property({ type: 'text' })
  provider: string;

  @Enum({ items: () => SmsStatus })
  status: SmsStatus = SmsStatus.Queued;

  @Property({ type: 'integer' })
  attempts: number = 0;

  @Property({ type: 'text', nullable: true })
  providerMessageId?: string | null;

  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  sentAt?: Date | null;
}
