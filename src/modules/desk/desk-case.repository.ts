import { Injectable } from '@nestjs/common';
import { pgArray } from '../../database/pg-array';
import { query, type Query } from '../../database/sql';

/** The statements on `desk_case` beyond the entity's load-and-save of one case. */
@Injectable()
export class DeskCaseRepository {
  /** Who holds each of these inquiries' cases (unclaimed ones are absent). */
  claims(inquiryIds: string[]): Query<Map<string, string>> {
    return query(
      `select inquiry_id, claimed_by from desk_case where inquiry_id = any(?::uuid[]) and claimed_by is not null`,
      [pgArray(inquiryIds)],
      (rows) => new Map(rows.map((r) => [String(r.inquiry_id), String(r.claimed_by)])),
    );
  }

  /**
   * Marks these reviews overdue, once per review cycle: a case is marked again only when its
   * inquiry's due time is later than its last mark (a resubmission). Answers the newly marked.
   */
  markOverdue(reviews: Array<{ inquiryId: string; region: number; dueAt: Date }>): Query<Array<{ inquiryId: string; region: number }>> {
    return query(
      `with d as (select * from unnest(?::uuid[], ?::smallint[], ?::timestamptz[]) as d(inquiry_id, region, due))
       insert into desk_case (inquiry_id, region, overdue_at, created_at, updated_at)
       select inquiry_id, region, now(), now(), now() from d
       on conflict (inquiry_id) do update set overdue_at = excluded.overdue_at, updated_at = now()
        where desk_case.overdue_at is null
           or desk_case.overdue_at < (select due from d where d.inquiry_id = desk_case.inquiry_id)
       returning inquiry_id, region`,
      [pgArray(reviews.map((r) => r.inquiryId)), pgArray(reviews.map((r) => r.region)), pgArray(reviews.map((r) => r.dueAt.toISOString()))],
      (rows) => rows.map((r) => ({ inquiryId: String(r.inquiry_id), region: Number(r.region) })),
    );
  }

  /** Per region: the median review time in working hours of the reviews done in [from, to) (null: none). */
  medianReviewHours(regions: number[], from: Date, to: Date): Query<Map<number, number | null>> {
    return query(
      `select r.region,
              (select percentile_cont(0.5) within group (order by d.review_working_hours) from desk_case d
                where d.region = r.region and d.reviewed_at >= ? and d.reviewed_at < ? and d.review_working_hours is not null) as median
         from unnest(?::smallint[]) as r(region)`,
      [from, to, pgArray(regions)],
      (rows) => new Map(rows.map((r) => [Number(r.region), r.median === null || r.median === undefined ? null : Number(r.median)])),
    );
  }
}
