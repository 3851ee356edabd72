import { Entity, Enum, Property } from '@mikro-orm/core';
import { BaseEntity } from '../../../database/base.entity';

export enum StaffRole {
  Admin = 'admin',
  RegionManager = 'region_manager',
  RegionClerk = 'region_clerk',
  FinanceOfficer = 'finance_officer',
  Inspector = 'inspector',
}

/** A municipal staff member (region desk, finance, inspector) or administrator. */
@Entity({ tableName: 'staff_user' })
export class StaffUser extends BaseEntity<'active' | 'tokenEpoch' | 'lastLoginAt' | 'regions'> {
  @Property({ type: 'text', unique: 'staff_user_username_unique' })
  username: string;

  /** scrypt$N$r$p$salt$hash (see password.ts). */
  @Property({ type: 'text', hidden: true })
  passwordHash: string;

  @Property({ type: 'text' })
  fullName: string;

  @Property({ type: 'text', nullable: true })
  mobile?: string | null;

  @Enum({ items: () => StaffRole, array: true, type: 'text[]' })
  roles: StaffRole[];

  /** Regions (1, 2, 3) a non-admin is bound to; admins see all. */
  @Property({ type: 'integer[]', columnType: 'integer[]' })
  regions: number[] = [];

  @Property({ type: 'boolean' })
  active: boolean = true;

  /**
   * Bumped by every change that must end the account's access tokens at once (disabled,
   * roles, regions, password, logout); tokens carry it and the guard compares (see
   * PrincipalStateService).
   */
  @Property({ type: 'integer' })
  tokenEpoch: number = 0;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  lastLoginAt?: Date | null;
}
