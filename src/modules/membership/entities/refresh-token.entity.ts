import { Entity, Index, Property } from '@mikro-orm/core';
import { BaseEntity } from '../../../database/base.entity';

/**
 * A rotating refresh token (stored as a SHA-256 hash). Tokens of one login form a family;
 * presenting an already-rotated token revokes the whole family (stolen-token defence).
 */
@Entity({ tableName: 'refresh_token' })
@Index({ name: 'refresh_token_family_idx', properties: ['family'] })
@Index({ name: 'refresh_token_subject_idx', properties: ['subjectType', 'subjectId'] })
export class RefreshToken extends BaseEntity<'revokedAt' | 'rotatedAt' | 'revokeReason'> {
  @Property({ type: 'text', unique: 'refresh_token_hash_unique', hidden: true })
  tokenHash: string;

  @Property({ type: 'uuid' })
  family: string;

  @Property({ type: 'text' })
  subjectType: 'citizen' | 'staff';

  @Property({ type: 'uuid' })
  subjectId: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  expiresAt: Date;

  /** Set when this token was exchanged for a new one. */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  rotatedAt?: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  revokedAt?: Date | null;

  @Property({ type: 'text', nullable: true })
  revokeReason?: string | null;
}
