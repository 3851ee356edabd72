import { Injectable } from '@nestjs/common';
import { cte, query, type Query, type Row, statement, withCtes } from '../../database/sql';
import type { InquiryStatus } from '../inquiries/domain/inquiry-status';
import { InquiryProgressReadModel } from '../inquiries/inquiry-progress.read-model';
import { OrganizationReadModel } from '../membership/organization.read-model';
import { OrgInquiryRequestStatus } from './entities/org-inquiry-request.entity';

/** An organization's request as the organization sees it, with the progress of the citizen's inquiry once there is one. */
export interface OrgRequestLine {
  id: string;
  inquiryId: string | null;
  requestStatus: OrgInquiryRequestStatus;
  expiresAt: Date;
  renewalCode: string;
  region: number;
  nationalId: string;
  letterNumber: string;
  letterDate: string;
  createdAt: Date;
  consentedAt: Date | null;
  /** The inquiry's (null before consent). */
  status: InquiryStatus | null;
  trackingCode: string | null;
  submittedAt: Date | null;
  reviewDueAt: Date | null;
}

/** What an organization's list filters on. */
export interface OrgRequestFilter {
  /** A consent status (`expired`: awaiting consent past its time). */
  requestStatus?: 'awaiting_consent' | 'expired' | 'consented' | 'declined';
  /** The inquiry's status. */
  inquiryStatus?: InquiryStatus;
  from?: Date;
  to?: Date;
}

/** A request as the member it names sees it, with the organization's name and kind. */
export interface MemberRequestLine {
  id: string;
  organizationName: string;
  organizationKind: string;
  renewalCode: string;
  region: number;
  letterNumber: string;
  letterDate: string;
  status: OrgInquiryRequestStatus;
  expiresAt: Date;
  inquiryId: string | null;
}

/** A request following an inquiry that is still under way, to tell its organization. */
export interface Follower {
  requestId: string;
  organizationId: string;
  trackingCode: string | null;
  status: InquiryStatus;
}

const date = (v: unknown): Date | null => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(String(v)));
const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function toLine(r: Row): OrgRequestLine {
  return {
    id: String(r.id),
    inquiryId: text(r.inquiry_id),
    requestStatus: r.request_status as OrgInquiryRequestStatus,
    expiresAt: date(r.expires_at)!,
    renewalCode: String(r.renewal_code),
    region: Number(r.region),
    nationalId: String(r.national_id),
    letterNumber: String(r.letter_number),
    letterDate: String(r.letter_date),
    createdAt: date(r.created_at)!,
    consentedAt: date(r.consented_at),
    status: (r.status as InquiryStatus | null) ?? null,
    trackingCode: text(r.tracking_code),
    submittedAt: date(r.submitted_at),
    reviewDueAt: date(r.review_due_at),
  };
}

/** The inquiries' progress as the CTE `progress` (see InquiryProgressReadModel.all). */
const PROGRESS = 'progress';
const SELECT = `select r.id, r.inquiry_id, r.status as request_status, r.expires_at, r.renewal_code, r.region, r.national_id, r.letter_number, r.letter_date,
                       r.created_at, r.consented_at, i.status, i.tracking_code, i.submitted_at, i.review_due_at, count(*) over () as total
                  from org_inquiry_request r left join ${PROGRESS} i on i.id = r.inquiry_id`;

/**
 * Every statement on `org_inquiry_request` (the entity form creates a request and reads a
 * member's; see OrgInquiriesService). The inquiry's side comes from the inquiries module's
 * InquiryProgressReadModel, composed as a CTE: this module never names the `inquiry` table.
 */
@Injectable()
export class OrgInquiryRequestRepository {
  constructor(
    private readonly progress: InquiryProgressReadModel,
    private readonly organizations: OrganizationReadModel,
  ) {}

  /** A page of the requests naming a member (their mobile and national ID), newest first, and the count of all of them. */
  forMember(mobile: string, nationalId: string, limit: number, offset: number): Query<{ items: MemberRequestLine[]; total: number }> {
    const orgs = cte(this.organizations.all(), 'org');
    return withCtes(
      [orgs],
      query(
        `select r.id, o.name as organization_name, o.kind as organization_kind, r.renewal_code, r.region, r.letter_number, r.letter_date,
                r.status, r.expires_at, r.inquiry_id, count(*) over () as total
           from org_inquiry_request r join ${orgs.name} o on o.id = r.organization_id
          where r.mobile = ? and r.national_id = ?
          order by r.created_at desc, r.id desc limit ? offset ?`,
        [mobile, nationalId, limit, offset],
        (rows) => ({
          items: rows.map((r) => ({
            id: String(r.id),
            organizationName: String(r.organization_name),
            organizationKind: String(r.organization_kind),
            renewalCode: String(r.renewal_code),
            region: Number(r.region),
            letterNumber: String(r.letter_number),
            letterDate: String(r.letter_date),
            status: r.status as OrgInquiryRequestStatus,
            expiresAt: date(r.expires_at)!,
            inquiryId: text(r.inquiry_id),
          })),
          total: rows.length ? Number(rows[0].total) : 0,
        }),
      ),
    );
  }

  /** A page of an organization's requests, newest first, and the count of all that match. */
  page(organizationId: string, f: OrgRequestFilter, limit: number, offset: number): Query<{ items: OrgRequestLine[]; total: number }> {
    const where: string[] = ['r.organization_id = ?'];
    const params: unknown[] = [organizationId];
    const add = (clause: string, ...values: unknown[]) => {
      where.push(clause);
      params.push(...values);
    };
    if (f.requestStatus === 'expired') add(`r.status = 'awaiting_consent' and r.expires_at < now()`);
    else if (f.requestStatus === 'awaiting_consent') add(`r.status = 'awaiting_consent' and r.expires_at >= now()`);
    else if (f.requestStatus) add('r.status = ?', f.requestStatus);
    if (f.inquiryStatus) add('i.status = ?', f.inquiryStatus);
    if (f.from) add('r.created_at >= ?', f.from);
    if (f.to) add('r.created_at < ?', f.to);
    return withCtes(
      [cte(this.progress.all(), PROGRESS)],
      query(`${SELECT} where ${where.join(' and ')} order by r.created_at desc, r.id desc limit ? offset ?`, [...params, limit, offset], (rows) => ({
        items: rows.map(toLine),
        total: rows.length ? Number(rows[0].total) : 0,
      })),
    );
  }

  /** One of the organization's requests by its id, or by its inquiry's tracking code (undefined: not theirs, or none). */
  findOwn(organizationId: string, ref: { id: string } | { trackingCode: string }): Query<OrgRequestLine | undefined> {
    const [clause, value] = 'id' in ref ? ['r.id = ?', ref.id] : ['i.tracking_code = ?', ref.trackingCode];
    return withCtes(
      [cte(this.progress.all(), PROGRESS)],
      query(`${SELECT} where r.organization_id = ? and ${clause}`, [organizationId, value], (rows) => rows.map(toLine)[0]),
    );
  }

  /** A row when some organization asked for this inquiry (none otherwise): the condition of a write made only for those. */
  followedInquiry(inquiryId: string): Query<void> {
    return statement(`select from org_inquiry_request where inquiry_id = ?`, [inquiryId]);
  }

  /** The requests following the property's inquiries still under way, with each inquiry's tracking code and status. */
  followersOfOpenInquiries(renewalCode: string): Query<Follower[]> {
    return withCtes(
      [cte(this.progress.openOnProperty(renewalCode), 'open_inquiry')],
      query(
        `select r.id, r.organization_id, i.tracking_code, i.status from org_inquiry_request r join open_inquiry i on i.id = r.inquiry_id order by r.created_at, r.id`,
        [],
        (rows) =>
          rows.map((r) => ({ requestId: String(r.id), organizationId: String(r.organization_id), trackingCode: text(r.tracking_code), status: r.status as InquiryStatus })),
      ),
    );
  }

  /** Marks a pending, unexpired request consented (false: it was not pending; of two concurrent consents one wins). */
  claimConsent(id: string): Query<boolean> {
    return query(
      `update org_inquiry_request set status = 'consented', consented_at = now(), updated_at = now()
        where id = ? and status = 'awaiting_consent' and expires_at > now() returning id`,
      [id],
      (rows) => rows.length > 0,
    );
  }

  /** Links the consented request to the inquiry made for it. */
  linkInquiry(id: string, inquiryId: string): Query<void> {
    return statement(`update org_inquiry_request set inquiry_id = ?, updated_at = now() where id = ?`, [inquiryId, id]);
  }

  /** Undoes a consent whose inquiry could not be made (the request awaits consent again). */
  undoConsent(id: string): Query<void> {
    return statement(`update org_inquiry_request set status = 'awaiting_consent', consented_at = null, updated_at = now() where id = ? and inquiry_id is null`, [id]);
  }
}
