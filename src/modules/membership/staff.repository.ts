import { Injectable } from '@nestjs/common';
import { query, type Query, type Row } from '../../database/sql';
import type { StaffRole } from './entities/staff-user.entity';

/** A staff account as administrators list it (no password hash). */
export interface StaffRow {
  id: string;
  username: string;
  fullName: string;
  mobile: string | null;
  roles: StaffRole[];
  regions: number[];
  active: boolean;
  lastLoginAt: Date | null;
  createdAt: Date;
}

const date = (v: unknown): Date | null => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(String(v)));

function toRow(r: Row): StaffRow {
  return {
    id: String(r.id),
    username: String(r.username),
    fullName: String(r.full_name),
    mobile: r.mobile == null ? null : String(r.mobile),
    roles: (r.roles as StaffRole[] | null) ?? [],
    regions: ((r.regions as unknown[] | null) ?? []).map(Number),
    active: Boolean(r.active),
    lastLoginAt: date(r.last_login_at),
    createdAt: date(r.created_at)!,
  };
}

/** The administrators' list of `staff_user` (the rest of the account's life goes through the entity in StaffService). */
@Injectable()
export class StaffRepository {
  /** A page of staff accounts by username, and the count of all of them. */
  page(limit: number, offset: number): Query<{ items: StaffRow[]; total: number }> {
    return query(
      `select id, username, full_name, mobile, roles, regions, active, last_login_at, created_at, count(*) over () as total
         from staff_user order by username, id limit ? offset ?`,
      [limit, offset],
      (rows) => ({ items: rows.map(toRow), total: rows.length ? Number(rows[0].total) : 0 }),
    );
  }
}
