import { Injectable } from '@nestjs/common';
import { Actor } from '@app/common';
import { run, runAll } from '../../database/sql';
import { CalendarService } from '../calendar/calendar.service';
import { InquiriesService } from '../inquiries/inquiries.service';
import { InquiryDocumentsService } from '../inquiries/inquiry-documents.service';
import { InquiryWorkflowService } from '../inquiries/inquiry-workflow.service';
import { VisitsService } from '../inquiries/visits.service';
import { DeskDetailService } from './desk-detail.service';
import { ACTIVE, assertHolder, assertNotHeldByAnother, conflict, DESK_ROLES, S } from './desk-rules';
import { DeskSteps } from './desk-steps.service';
import { DeskErrors } from './desk.errors';
import { DeskInquiryDto, DocumentVerdictDto } from './dto/desk.dto';

/**
 * The desk's case work before the money: claim, reassign, the document review, rejection.
 * Every status change goes through the inquiries module's workflow in the step's transaction.
 */
@Injectable()
export class DeskReviewService {
  constructor(
    private readonly steps: DeskSteps,
    private readonly workflow: InquiryWorkflowService,
    private readonly inquiries: InquiriesService,
    private readonly documents: InquiryDocumentsService,
    private readonly visits: VisitsService,
    private readonly calendar: CalendarService,
    private readonly view: DeskDetailService,
  ) {}

  async claim(actor: Actor, id: string): Promise<DeskInquiryDto> {
    await this.steps.step(actor, id, async (tx, inquiry, c) => {
      // a case stays with its clerk through a correction round; only a manager's reassignment moves it
      if (c.claimedBy && c.claimedBy !== actor.id) throw DeskErrors.DESK_CASE_CLAIMED();
      if (inquiry.status === S.Submitted) await runAll(tx, this.workflow.transition(inquiry, S.InReview, 'staff'));
      else if (!ACTIVE.includes(inquiry.status) || inquiry.status === S.NeedsCorrection) throw conflict(inquiry);
      c.claimedBy = actor.id;
      c.claimedAt = new Date();
      await run(tx, this.workflow.event(inquiry, 'desk.claimed', { staffId: actor.id }));
    });
    return this.view.detail(actor, id);
  }

  async reassign(actor: Actor, id: string, staffId: string): Promise<DeskInquiryDto> {
    await this.steps.step(actor, id, async (tx, inquiry, c) => {
      if (!ACTIVE.includes(inquiry.status)) throw conflict(inquiry);
      const staff = await this.steps.staffMember(staffId);
      const roles: string[] = staff?.roles ?? [];
      const eligible = staff?.active && (staff.regions.includes(inquiry.region) || roles.includes('admin')) && roles.some((r) => DESK_ROLES.includes(r));
      if (!eligible) throw DeskErrors.STAFF_NOT_ELIGIBLE();
      const previous = c.claimedBy ?? null;
      c.claimedBy = staffId;
      c.claimedAt = new Date();
      await run(tx, this.workflow.event(inquiry, 'desk.reassigned', { from: previous, to: staffId }));
    });
    return this.view.detail(actor, id);
  }

  /**
   * The document review: one verdict per uploaded document. Any rejection sends the
   * inquiry back to the applicant (`needs_correction`, with the reasons, SMS); resubmission
   * restarts the review clock (inquiries module).
   */
  async review(actor: Actor, id: string, verdicts: DocumentVerdictDto[]): Promise<DeskInquiryDto> {
    const inquiry0 = await this.inquiries.findVisible(actor, id);
    const hours = inquiry0.submittedAt ? await this.calendar.workingHoursBetween(inquiry0.submittedAt, new Date()) : null;
    await this.steps.step(actor, id, async (tx, inquiry, c) => {
      // a resubmission after a correction round stays with the clerk who holds the case: no new claim
      assertHolder(actor, inquiry, c, [S.InReview, S.Submitted]);
      if (inquiry.status === S.Submitted) await runAll(tx, this.workflow.transition(inquiry, S.InReview, 'staff'));
      const uploaded = await run(tx, this.documents.kinds(inquiry.id));
      const kinds = verdicts.map((v) => v.kind);
      const complete = new Set(kinds).size === kinds.length && kinds.length === uploaded.length && kinds.every((k) => uploaded.includes(k));
      if (!complete || verdicts.some((v) => v.verdict === 'rejected' && !v.reason)) {
        throw DeskErrors.REVIEW_INVALID({ extensions: { uploaded } });
      }
      c.review = verdicts.map((v) => ({ kind: v.kind, verdict: v.verdict, reason: v.verdict === 'rejected' ? v.reason! : null }));
      await run(tx, this.documents.setVerdicts(inquiry.id, c.review.map((v) => ({ kind: v.kind, verdict: v.verdict as 'accepted' | 'rejected', reason: v.reason ?? null }))));
      c.reviewedAt = new Date();
      c.reviewWorkingHours = hours === null ? null : Math.round(hours * 100) / 100;
      const rejected = verdicts.filter((v) => v.verdict === 'rejected');
      await run(tx, this.workflow.event(inquiry, 'desk.reviewed', { verdicts: c.review }));
      if (rejected.length) {
        const reason = rejected.map((v) => `${v.kind}: ${v.reason}`).join('؛ ');
        await runAll(tx, this.workflow.transition(inquiry, S.NeedsCorrection, 'staff', { reason }));
        c.finances = null;
        await this.steps.sms(tx, inquiry, 'inquiry_needs_correction', { reason: rejected.map((v) => v.reason!).join('؛ ') });
      }
    });
    return this.view.detail(actor, id);
  }

  async reject(actor: Actor, id: string, reason: string): Promise<DeskInquiryDto> {
    await this.steps.step(actor, id, async (tx, inquiry, c) => {
      // an unclaimed submission may be rejected outright; a claimed one only by its holder or a manager
      assertNotHeldByAnother(actor, c);
      await runAll(tx, [...this.workflow.transition(inquiry, S.Rejected, 'staff', { reason }), ...this.visits.release(inquiry)]);
      await this.steps.sms(tx, inquiry, 'inquiry_rejected', { reason });
    });
    return this.view.detail(actor, id);
  }
}
