import { Entity, Enum, Index, Property } from '@mikro-orm/core';
import { BaseEntity } from '../../../database/base.entity';

export enum OtpPurpose {
  CitizenLogin = 'citizen_login',
  StaffSecondFactor = 'staff_2fa',
  /** A member's new mobile number, before it replaces the old one (POST /me/mobile). */
  MobileChange = 'mobile_change',
}

/** One SMS code. Only a keyed hash (HMAC-SHA256) of the code is stored. */
@Entity({ tableName: 'otp_challenge' })
@Index({ name: 'otp_challenge_mobile_idx', properties: ['mobile', 'purpose', 'createdAt'] })
export class OtpChallenge extends BaseEntity<'attempts' | 'consumedAt' | 'staffUserId'> {
  @Property({ type: 'text' })
  mobile: string;

  @Enum({ items: () => OtpPurpose })
  purpose: OtpPurpose;

  @Property({ type: 'text', hidden: true })
  codeHash: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  expiresAt: Date;

  @Property({ type: 'integer' })
  attempts: number = 0;

  @Property({ type: 'integer' })
  maxAttempts: number;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  consumedAt?: Date | null;

  /** For staff second factors: whose login this completes. */
  @Property({ type: 'uuid', nullable: true })
  staffUserId?: string | null;
}
