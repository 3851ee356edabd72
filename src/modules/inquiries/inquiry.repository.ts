import { Injectable } from '@nestjs/common';
import { jsonValue } from '../../database/json-value';
import { type Cte, query, type Query, type Row, statement } from '../../database/sql';
import { InquiryStatus, InquiryType } from './domain/inquiry-status';
import { ApplicantRole, RequestingOrganization, InquirySnapshot } from './entities/inquiry.entity';

/**
 * An `inquiry` row: the one shape of an inquiry outside its entity's table definition, read
 * and written only here (the citizen steps, the desk, cancellation and settlement alike).
 */
export interface InquiryRow {
  id: string;
  citizenId: string;
  propertyId: string;
  type: InquiryType;
  status: InquiryStatus;
  renewalCode: string;
  region: number;
  applicantRole: ApplicantRole;
  principalNationalId: string | null;
  undertakingsVersion: string;
  undertakingsAcceptedAt: Date;
  organization: RequestingOrganization | null;
  notaryOfficeNumber: string | null;
  snapshot: InquirySnapshot;
  confirmedAt: Date | null;
  trackingCode: string | null;
  submittedAt: Date | null;
  reviewDueAt: Date | null;
  visitSlotId: string | null;
  visitStartsAt: Date | null;
  statusChangedAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

/** The column of each member (one list, for reading, inserting and updating). */
const COLUMN = {
  id: 'id',
  citizenId: 'citizen_id',
  propertyId: 'property_id',
  type: 'type',
  status: 'status',
  renewalCode: 'renewal_code',
  region: 'region',
  applicantRole: 'applicant_role',
  principalNationalId: 'principal_national_id',
  undertakingsVersion: 'undertakings_version',
  undertakingsAcceptedAt: 'undertakings_accepted_at',
  organization: 'organization',
  notaryOfficeNumber: 'notary_office_number',
  snapshot: 'snapshot',
  confirmedAt: 'confirmed_at',
  trackingCode: 'tracking_code',
  submittedAt: 'submitted_at',
  reviewDueAt: 'review_due_at',
  visitSlotId: 'visit_slot_id',
  visitStartsAt: 'visit_starts_at',
  statusChangedAt: 'status_changed_at',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
} as const satisfies Record<keyof InquiryRow, string>;

const MEMBERS = Object.keys(COLUMN) as Array<keyof InquiryRow>;
const JSON_MEMBERS = new Set<keyof InquiryRow>(['organization', 'snapshot']);
const COLUMNS = MEMBERS.map((m) => COLUMN[m]).join(', ');

/** Members a change may set (the rest are fixed when the draft is made). */
export type InquiryChanges = Partial<
  Pick<InquiryRow, 'status' | 'statusChangedAt' | 'confirmedAt' | 'trackingCode' | 'submittedAt' | 'reviewDueAt' | 'visitSlotId' | 'visitStartsAt'>
>;

/** A line of a member's own list of inquiries. */
export interface InquiryListRow {
  id: string;
  type: InquiryType;
  status: InquiryStatus;
  renewalCode: string;
  trackingCode: string | null;
  submittedAt: Date | null;
  createdAt: Date;
}

/** What the public tracking page shows of an inquiry. */
export type TrackedInquiry = Pick<InquiryRow, 'type' | 'status' | 'region' | 'renewalCode' | 'submittedAt' | 'reviewDueAt' | 'statusChangedAt'>;

export const date = (v: unknown): Date | null => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(String(v)));
const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

/** An `inquiry` row as the member-shaped `InquiryRow`. */
function toRow(r: Row): InquiryRow {
  return {
    id: String(r.id),
    citizenId: String(r.citizen_id),
    propertyId: String(r.property_id),
    type: r.type as InquiryType,
    status: r.status as InquiryStatus,
    renewalCode: String(r.renewal_code),
    region: Number(r.region),
    applicantRole: r.applicant_role as ApplicantRole,
    principalNationalId: text(r.principal_national_id),
    undertakingsVersion: String(r.undertakings_version),
    undertakingsAcceptedAt: date(r.undertakings_accepted_at)!,
    organization: r.organization ? jsonValue<RequestingOrganization>(r.organization) : null,
    notaryOfficeNumber: text(r.notary_office_number),
    snapshot: jsonValue<InquirySnapshot>(r.snapshot),
    confirmedAt: date(r.confirmed_at),
    trackingCode: text(r.tracking_code),
    submittedAt: date(r.submitted_at),
    reviewDueAt: date(r.review_due_at),
    visitSlotId: text(r.visit_slot_id),
    visitStartsAt: date(r.visit_starts_at),
    statusChangedAt: date(r.status_changed_at)!,
    createdAt: date(r.created_at)!,
    updatedAt: date(r.updated_at)!,
  };
}

/** Every statement on `inquiry`. */
@Injectable()
export class InquiryRepository {
  /** A new inquiry (a draft); `returning id`, so it can be a CTE others write only after. */
  insert(row: InquiryRow): Query<void> {
    return statement(
      `insert into inquiry (${COLUMNS}) values (${MEMBERS.map((m) => (JSON_MEMBERS.has(m) ? '?::jsonb' : '?')).join(', ')}) returning id`,
      MEMBERS.map((m) => (JSON_MEMBERS.has(m) ? json(row[m]) : (row[m] ?? null))),
    );
  }

  /** The inquiry, or null. */
  find(id: string): Query<InquiryRow | null> {
    return query(`select ${COLUMNS} from inquiry where id = ?`, [id], (rows) => (rows[0] ? toRow(rows[0]) : null));
  }

  /** The inquiry, row-locked until the transaction ends, or null. */
  lock(id: string): Query<InquiryRow | null> {
    return query(`select ${COLUMNS} from inquiry where id = ? for update`, [id], (rows) => (rows[0] ? toRow(rows[0]) : null));
  }

  /** Sets `changes` (and `updatedAt`); with `when`, only when that CTE of the caller's statement has a row. */
  update(id: string, changes: InquiryChanges & { updatedAt: Date }, when?: Cte): Query<void> {
    const members = Object.keys(changes) as Array<keyof typeof changes>;
    for (const m of members) if (!(m in COLUMN)) throw new Error(`inquiry member ${String(m)} cannot be updated`);
    return statement(
      `update inquiry set ${members.map((m) => `${COLUMN[m]} = ?`).join(', ')} where id = ?${when ? ` and exists (select from ${when.name})` : ''}`,
      [...members.map((m) => changes[m] ?? null), id],
    );
  }

  /** Whether a tracking code is given already. */
  trackingCodeTaken(code: string): Query<boolean> {
    return query(`select 1 from inquiry where tracking_code = ?`, [code], (rows) => rows.length > 0);
  }

  /** A member's inquiries, newest first, a page of them and the count of all. */
  ofCitizen(citizenId: string, status: InquiryStatus | undefined, limit: number, offset: number): Query<{ items: InquiryListRow[]; total: number }> {
    return query(
      `select id, type, status, renewal_code, tracking_code, submitted_at, created_at, count(*) over () as total
         from inquiry where citizen_id = ? ${status ? 'and status = ?' : ''}
        order by created_at desc, id desc limit ? offset ?`,
      status ? [citizenId, status, limit, offset] : [citizenId, limit, offset],
      (rows) => ({
        items: rows.map((r) => ({
          id: String(r.id),
          type: r.type as InquiryType,
          status: r.status as InquiryStatus,
          renewalCode: String(r.renewal_code),
          trackingCode: text(r.tracking_code),
          submittedAt: date(r.submitted_at),
          createdAt: date(r.created_at)!,
        })),
        total: rows.length ? Number(rows[0].total) : 0,
      }),
    );
  }

  /** The inquiry with this tracking code, as the tracking page shows it; null when there is none. */
  tracked(code: string): Query<TrackedInquiry | null> {
    return query(
      `select type, status, region, renewal_code, submitted_at, review_due_at, status_changed_at from inquiry where tracking_code = ?`,
      [code],
      ([r]) =>
        r
          ? {
              type: r.type as InquiryType,
              status: r.status as InquiryStatus,
              region: Number(r.region),
              renewalCode: String(r.renewal_code),
              submittedAt: date(r.submitted_at),
              reviewDueAt: date(r.review_due_at),
              statusChangedAt: date(r.status_changed_at)!,
            }
          : null,
    );
  }
}
