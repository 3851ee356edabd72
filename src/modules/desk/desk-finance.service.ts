import { RequestContext } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { Actor } from '@app/common';
import { formatJalali } from '@app/iran';
import { run, runAll } from '../../database/sql';
import { BillingService } from '../billing/billing.service';
import { InquiryType } from '../inquiries/domain/inquiry-status';
import { InquiriesService } from '../inquiries/inquiries.service';
import type { InquiryRow } from '../inquiries/inquiry-workflow.service';
import { InquiryQueueReadModel } from '../inquiries/inquiry-queue.read-model';
import { InquiryWorkflowService } from '../inquiries/inquiry-workflow.service';
import { JobsService } from '../jobs/jobs.service';
import { DeskDetailService } from './desk-detail.service';
import { assertHolder, reviewAccepted, S } from './desk-rules';
import { DeskSteps } from './desk-steps.service';
import { DeskErrors } from './desk.errors';
import { DeskInquiryDto } from './dto/desk.dto';

export const DESK_SETTLED_QUEUE = 'desk.payment_settled';

export interface SettledPayload {
  billId: string;
  paymentId: string;
  amountRials: string;
  paidAt: string;
  renewalCode: string;
}

/**
 * The money side of a desk case: the assessment (the inquiry fee on the file, then billing's
 * answer) and the settlement job that moves an inquiry awaiting payment on, exactly once.
 */
@Injectable()
export class DeskFinanceService implements OnModuleInit {
  constructor(
    private readonly steps: DeskSteps,
    private readonly workflow: InquiryWorkflowService,
    private readonly inquiries: InquiriesService,
    private readonly queue: InquiryQueueReadModel,
    private readonly billing: BillingService,
    private readonly jobs: JobsService,
    private readonly view: DeskDetailService,
  ) {}

  onModuleInit(): void {
    // payment settlement → a job in the same transaction → the inquiry moves on exactly once
    this.billing.onSettled((s) => {
      const [kind, code] = s.scope.split(':');
      if ((kind !== 'file' && kind !== 'property') || !code) return [];
      const payload: SettledPayload = { billId: s.billId, paymentId: s.paymentId, amountRials: s.amountRials.toString(), paidAt: s.paidAt.toISOString(), renewalCode: code };
      return [this.jobs.enqueue(DESK_SETTLED_QUEUE, { ...payload }, { dedupeKey: `desk-settled:${s.billId}` })];
    });
    this.jobs.register<SettledPayload>(DESK_SETTLED_QUEUE, (payload, ctx) => RequestContext.create(ctx.em, () => this.paymentSettled(ctx.em, payload)));
  }

  /**
   * Adds the inquiry fee of the tariff to the property's file (once), then asks billing
   * whether the file is settled. Anything due → `awaiting_payment`
   * with the bill (SMS; tracking shows it); the settlement later moves the inquiry on by
   * itself. Nothing due → notary inquiries go to their site visit; office ones stay in
   * review, ready for the answer.
   */
  async assess(actor: Actor, id: string): Promise<DeskInquiryDto> {
    const visible = await this.inquiries.findVisible(actor, id);
    let feeRials = 0;
    await this.steps.step(actor, id, async (tx, inquiry, c) => {
      assertHolder(actor, inquiry, c, [S.InReview, S.Visited]);
      if (!reviewAccepted(inquiry, c)) throw DeskErrors.REVIEW_REQUIRED();
      feeRials = await this.billing.addInquiryFee(tx, {
        inquiryId: inquiry.id,
        type: inquiry.type,
        propertyId: inquiry.propertyId,
        renewalCode: inquiry.renewalCode,
        region: inquiry.region,
      });
    });
    // billing reads on its own connection: outside any open transaction
    const file = await this.billing.fileStatus(visible.renewalCode);
    await this.steps.step(actor, id, async (tx, inquiry, c) => {
      assertHolder(actor, inquiry, c, [S.InReview, S.Visited]);
      if (!reviewAccepted(inquiry, c)) throw DeskErrors.REVIEW_REQUIRED();
      const bill = file.bill
        ? { billId: file.bill.billId, paymentId: file.bill.paymentId, amountRials: Number(file.bill.amountRials), expiresAt: new Date(file.bill.expiresAt).toISOString() }
        : null;
      c.finances = { settled: file.settled, totalRials: Number(file.totalRials), inquiryFeeRials: feeRials, assessedAt: new Date().toISOString(), bill, paidBills: c.finances?.paidBills ?? [] };
      await run(tx, this.workflow.event(inquiry, 'desk.assessed', { settled: file.settled, totalRials: Number(file.totalRials), billId: bill?.billId ?? null, feeRials }));
      if (!file.settled) {
        c.awaitingBillId = bill?.billId ?? null;
        await runAll(tx, this.workflow.transition(inquiry, S.AwaitingPayment, 'staff', { metadata: { billId: bill?.billId ?? null } }));
        await this.steps.sms(tx, inquiry, 'inquiry_awaiting_payment', {
          billId: bill?.billId ?? '-',
          paymentId: bill?.paymentId ?? '-',
          amount: String(bill?.amountRials ?? file.totalRials),
        });
      } else if (inquiry.type === InquiryType.Notary && !c.visit && inquiry.status === S.InReview) {
        await this.toVisit(tx, inquiry, 'staff');
      }
    });
    return this.view.detail(actor, id);
  }

  /** The settlement job: an inquiry awaiting payment of this file moves on once the file is settled. */
  async paymentSettled(em: EntityManager, p: SettledPayload): Promise<void> {
    const waiting = await run(em, this.queue.awaitingPayment(p.renewalCode));
    if (!waiting.length) return;
    const file = await this.billing.fileStatus(p.renewalCode);
    for (const id of waiting) {
      await em.fork().transactional(async (tx) => {
        const inquiry = await run(tx, this.workflow.lock(id));
        if (inquiry.status !== S.AwaitingPayment) return; // already moved on: exactly once
        const c = await this.steps.caseOf(tx, inquiry);
        const finances = c.finances ?? { settled: false, totalRials: 0, assessedAt: new Date().toISOString(), bill: null, paidBills: [] };
        if (!finances.paidBills.some((b) => b.billId === p.billId)) {
          finances.paidBills = [...finances.paidBills, { billId: p.billId, paymentId: p.paymentId, amountRials: Number(p.amountRials), paidAt: p.paidAt }];
        }
        finances.settled = file.settled;
        finances.totalRials = Number(file.totalRials);
        c.finances = { ...finances };
        await run(tx, this.workflow.event(inquiry, 'desk.payment_settled', { billId: p.billId, settled: file.settled }));
        if (!file.settled) return; // something else is still due: stays awaiting payment
        c.awaitingBillId = null;
        const actor: Actor = { type: 'system', id: null };
        if (inquiry.type === InquiryType.Notary && !c.visit) await this.toVisit(tx, inquiry, 'system', actor);
        else await runAll(tx, this.workflow.transition(inquiry, S.InReview, 'system', { actor, metadata: { billId: p.billId } }));
      });
    }
  }

  private async toVisit(tx: EntityManager, inquiry: InquiryRow, by: 'staff' | 'system', actor?: Actor): Promise<void> {
    await runAll(tx, this.workflow.transition(inquiry, S.VisitScheduled, by, { actor, metadata: { visitSlotId: inquiry.visitSlotId ?? null } }));
    await this.steps.sms(tx, inquiry, 'inquiry_visit_scheduled', {
      visitAt: inquiry.visitStartsAt ? formatJalali(inquiry.visitStartsAt, { time: true }) : '-',
    });
  }
}
