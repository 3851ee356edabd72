import { Entity, Property } from '@mikro-orm/core';
import { BaseEntity } from '../../../database/base.entity';

/** A registered citizen (member), identified by mobile number and national ID. */
@Entity({ tableName: 'citizen' })
export class Citizen extends BaseEntity<'active' | 'email' | 'tokenEpoch' | 'identityVerifiedAt' | 'identityVerifiedBy'> {
  /** Canonical `09xxxxxxxxx`. */
  @Property({ type: 'text', unique: 'citizen_mobile_unique' })
  mobile: string;

  /** 10-digit national ID (کد ملی), checksum-validated. */
  @Property({ type: 'text', unique: 'citizen_national_id_unique' })
  nationalId: string;

  @Property({ type: 'text' })
  firstName: string;

  @Property({ type: 'text' })
  lastName: string;

  @Property({ type: 'text' })
  fatherName: string;

  /** Jalali `YYYY/MM/DD`. */
  @Property({ type: 'text' })
  birthDateJalali: string;

  @Property({ type: 'date', columnType: 'date' })
  birthDate: string;

  @Property({ type: 'text', nullable: true })
  email?: string | null;

  @Property({ type: 'boolean' })
  active: boolean = true;

  /** When the member's identity was verified (registries or a region desk); null: unverified (members registered before verification existed). */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  identityVerifiedAt?: Date | null;

  /** How: `registry` (mobile-ownership and civil registries) or `desk` (in person at a region desk). */
  @Property({ type: 'text', nullable: true })
  identityVerifiedBy?: IdentityVerificationMethod | null;

  /** Bumped when an admin deactivates the member and at logout: ends its access tokens (see PrincipalStateService). */
  @Property({ type: 'integer' })
  tokenEpoch: number = 0;
}

export type IdentityVerificationMethod = 'registry' | 'desk';
