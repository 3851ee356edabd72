import { Actor, assertRegionAccess } from '@app/common';
import { InquiryStatus, InquiryType } from '../inquiries/domain/inquiry-status';
import { InquiriesErrors } from '../inquiries/inquiries.errors';
import type { InquiryRow } from '../inquiries/inquiry-workflow.service';
import { DeskErrors } from './desk.errors';
import type { DeskCase } from './entities/desk-case.entity';

/** The desk's rules: which statuses it works, who may act on a case, when an answer may be given. */
export const S = InquiryStatus;
/** Statuses the desk works on (the queue's default). */
export const ACTIVE: InquiryStatus[] = [S.Submitted, S.InReview, S.NeedsCorrection, S.AwaitingPayment, S.VisitScheduled, S.Visited];
/** Statuses in which the one-working-day review clock runs. */
export const UNDER_REVIEW: InquiryStatus[] = [S.Submitted, S.InReview];
/** Roles that work the desk (a reassignment goes only to one of them). */
export const DESK_ROLES: string[] = ['region_clerk', 'region_manager', 'admin'];

export const isManager = (actor: Actor) => Boolean(actor.roles?.includes('region_manager') || actor.roles?.includes('admin'));
export const iso = (d?: Date | string | null) => (d ? new Date(d).toISOString() : null);

export function conflict(inquiry: Pick<InquiryRow, 'status'>) {
  return InquiriesErrors.INQUIRY_STATUS_CONFLICT({ extensions: { status: inquiry.status } });
}

/** One clerk at a time: a case another clerk holds is theirs (managers and admins may step in). */
export function assertNotHeldByAnother(actor: Actor, c: DeskCase): void {
  if (c.claimedBy && c.claimedBy !== actor.id && !isManager(actor)) throw DeskErrors.DESK_CASE_CLAIMED();
}

/** Staff may only work an inquiry they hold (managers and admins may step in). */
export function assertHolder(actor: Actor, inquiry: InquiryRow, c: DeskCase, statuses: InquiryStatus[]): void {
  if (!statuses.includes(inquiry.status)) throw conflict(inquiry);
  if (!c.claimedBy) throw DeskErrors.DESK_CASE_NOT_CLAIMED();
  assertNotHeldByAnother(actor, c);
}

/** The last review accepted every document, after the last (re)submission. */
export function reviewAccepted(inquiry: InquiryRow, c: DeskCase): boolean {
  return Boolean(c.review && c.reviewedAt && (!inquiry.submittedAt || c.reviewedAt >= inquiry.submittedAt) && c.review.every((v) => v.verdict === 'accepted'));
}

export function assertAnswerable(inquiry: InquiryRow, c: DeskCase, settled: boolean): void {
  const office = inquiry.type === InquiryType.Office;
  const allowed = office ? [S.InReview] : [S.Visited, S.InReview];
  if (!allowed.includes(inquiry.status)) throw conflict(inquiry);
  if (!reviewAccepted(inquiry, c)) throw DeskErrors.REVIEW_REQUIRED();
  if (!c.finances || !settled) throw DeskErrors.FINANCES_NOT_SETTLED();
  if (!office && !c.visit) throw DeskErrors.VISIT_NOT_DONE();
}

/** The regions a staff member sees (admins: all), or just `only` when they may see it. */
export function regionsInView(actor: Actor, only?: number): number[] {
  const all = actor.roles?.includes('admin') ? [1, 2, 3] : (actor.regions ?? []);
  if (only !== undefined) {
    assertRegionAccess(actor, only);
    return [only];
  }
  return all;
}
