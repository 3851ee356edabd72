import { Injectable } from '@nestjs/common';
import { query, type Query, type Row } from '../../database/sql';
import { InquiryStatus } from './domain/inquiry-status';
import { date } from './inquiry.repository';

/**
 * How far an inquiry has come, as another module shows it beside its own rows. As a CTE
 * (`cte(progress.all(), name)`) its columns are `id, status, tracking_code, submitted_at,
 * review_due_at`; the composing statement joins on `id`.
 */
export interface InquiryProgress {
  id: string;
  status: InquiryStatus;
  trackingCode: string | null;
  submittedAt: Date | null;
  reviewDueAt: Date | null;
}

/** Statuses after which nothing more happens to an inquiry (a draft has not started). */
const NOT_OPEN = `('draft', 'answered', 'rejected', 'cancelled')`;

const read = (rows: Row[]): InquiryProgress[] =>
  rows.map((r) => ({
    id: String(r.id),
    status: r.status as InquiryStatus,
    trackingCode: (r.tracking_code as string | null) ?? null,
    submittedAt: date(r.submitted_at),
    reviewDueAt: date(r.review_due_at),
  }));

/**
 * The progress of inquiries, for modules that keep their own link to an inquiry (the
 * integration module's organization requests): a read model the inquiries module exports,
 * so no other module names the `inquiry` table. Each query is composed into the caller's
 * statement as a CTE (one round trip; PostgreSQL inlines a CTE referenced once, so a
 * join or a filter on it uses the inquiry's indexes).
 */
@Injectable()
export class InquiryProgressReadModel {
  /** Every inquiry's progress (compose as a CTE and join on `id`). */
  all(): Query<InquiryProgress[]> {
    return query(`select id, status, tracking_code, submitted_at, review_due_at from inquiry`, [], read);
  }

  /** The inquiries of a property still under way (submitted and neither answered, rejected nor cancelled). */
  openOnProperty(renewalCode: string): Query<InquiryProgress[]> {
    return query(
      `select id, status, tracking_code, submitted_at, review_due_at from inquiry where renewal_code = ? and status not in ${NOT_OPEN}`,
      [renewalCode],
      read,
    );
  }
}
