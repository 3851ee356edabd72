import { Injectable } from '@nestjs/common';
import { pgArray } from '../../database/pg-array';
import { query, type Query } from '../../database/sql';
import { InquiryStatus, InquiryType } from './domain/inquiry-status';
import { date } from './inquiry.repository';

/** What the desk's queue filters on (regions: those in the staff member's view). */
export interface QueueFilter {
  regions: number[];
  /** One status, or any of these. */
  statuses: InquiryStatus[];
  type?: InquiryType;
  /** Reviews due before `dueBefore` (and, with `dueFrom`, not before it). */
  due?: { from?: Date; before: Date };
  /** A tracking code, or the start of a renewal code. */
  search?: string;
}

/** One line of the desk's queue. */
export interface QueueLine {
  id: string;
  type: InquiryType;
  status: InquiryStatus;
  region: number;
  renewalCode: string;
  trackingCode: string | null;
  submittedAt: Date | null;
  reviewDueAt: Date | null;
}

/** A notary inquiry's site visit on the day's list. */
export interface VisitLine {
  id: string;
  trackingCode: string | null;
  region: number;
  renewalCode: string;
  status: InquiryStatus;
  startsAt: Date;
}

/** An inquiry whose review is past its due time. */
export interface OverdueReview {
  id: string;
  region: number;
  status: InquiryStatus;
  reviewDueAt: Date;
}

/** Statuses in which the review clock runs. */
const UNDER_REVIEW = `('submitted', 'in_review')`;

/**
 * The inquiries as the region desks read them (queue, visit list, figures, overdue reviews,
 * files awaiting payment): a read model the inquiries module exports, so the desk never
 * names the `inquiry` table.
 */
@Injectable()
export class InquiryQueueReadModel {
  /** A page of the queue, most urgent first, and the count of all lines. */
  page(f: QueueFilter, limit: number, offset: number): Query<{ items: QueueLine[]; total: number }> {
    const where: string[] = ['region = any(?::smallint[])', 'status = any(?::text[])'];
    const params: unknown[] = [pgArray(f.regions), pgArray(f.statuses)];
    if (f.type) {
      where.push('type = ?');
      params.push(f.type);
    }
    if (f.due) {
      where.push(`status in ${UNDER_REVIEW} and review_due_at ${f.due.from ? 'between ? and ?' : '< ?'}`);
      params.push(...(f.due.from ? [f.due.from, f.due.before] : [f.due.before]));
    }
    if (f.search) {
      where.push('(tracking_code = ? or renewal_code like ?)');
      params.push(f.search, `${f.search.replace(/[%_\\]/g, '')}%`);
    }
    return query(
      `select id, type, status, region, renewal_code, tracking_code, submitted_at, review_due_at, count(*) over () as total
         from inquiry where ${where.join(' and ')}
        order by review_due_at asc nulls last, submitted_at asc, id
        limit ? offset ?`,
      [...params, limit, offset],
      (rows) => ({
        items: rows.map((r) => ({
          id: String(r.id),
          type: r.type as InquiryType,
          status: r.status as InquiryStatus,
          region: Number(r.region),
          renewalCode: String(r.renewal_code),
          trackingCode: (r.tracking_code as string | null) ?? null,
          submittedAt: date(r.submitted_at),
          reviewDueAt: date(r.review_due_at),
        })),
        total: rows.length ? Number(rows[0].total) : 0,
      }),
    );
  }

  /** How many submitted inquiries of these regions are in each status. */
  statusCounts(regions: number[]): Query<Array<{ status: InquiryStatus; count: number }>> {
    return query(
      `select status, count(*) as n from inquiry where region = any(?::smallint[]) and status <> 'draft' group by status order by status`,
      [pgArray(regions)],
      (rows) => rows.map((r) => ({ status: r.status as InquiryStatus, count: Number(r.n) })),
    );
  }

  /** Site visits of notary inquiries of these regions in [from, to), in time order. */
  visits(regions: number[], from: Date, to: Date): Query<VisitLine[]> {
    return query(
      `select id, tracking_code, region, renewal_code, status, visit_starts_at from inquiry
        where type = 'notary' and region = any(?::smallint[]) and visit_starts_at >= ? and visit_starts_at < ?
          and status in ('submitted', 'in_review', 'awaiting_payment', 'visit_scheduled', 'visited')
        order by visit_starts_at, id`,
      [pgArray(regions), from, to],
      (rows) =>
        rows.map((r) => ({
          id: String(r.id),
          trackingCode: (r.tracking_code as string | null) ?? null,
          region: Number(r.region),
          renewalCode: String(r.renewal_code),
          status: r.status as InquiryStatus,
          startsAt: date(r.visit_starts_at)!,
        })),
    );
  }

  /** Per region: inquiries submitted in [from, to), and reviews overdue at `now`. */
  regionFigures(regions: number[], from: Date, to: Date, now: Date): Query<Map<number, { received: number; overdue: number }>> {
    return query(
      `select r.region,
              (select count(*) from inquiry i where i.region = r.region and i.submitted_at >= ? and i.submitted_at < ?) as received,
              (select count(*) from inquiry i where i.region = r.region and i.status in ${UNDER_REVIEW} and i.review_due_at < ?) as overdue
         from unnest(?::smallint[]) as r(region)`,
      [from, to, now, pgArray(regions)],
      (rows) => new Map(rows.map((r) => [Number(r.region), { received: Number(r.received), overdue: Number(r.overdue) }])),
    );
  }

  /** Reviews past their due time. */
  overdueReviews(): Query<OverdueReview[]> {
    return query(`select id, region, status, review_due_at from inquiry where status in ${UNDER_REVIEW} and review_due_at < now()`, [], (rows) =>
      rows.map((r) => ({ id: String(r.id), region: Number(r.region), status: r.status as InquiryStatus, reviewDueAt: date(r.review_due_at)! })),
    );
  }

  /** Ids of the inquiries of a property file waiting for its payment. */
  awaitingPayment(renewalCode: string): Query<string[]> {
    return query(`select id from inquiry where renewal_code = ? and status = 'awaiting_payment'`, [renewalCode], (rows) => rows.map((r) => String(r.id)));
  }
}
