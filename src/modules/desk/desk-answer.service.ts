import { Injectable, Logger } from '@nestjs/common';
import { Actor } from '@app/common';
import { run, runAll } from '../../database/sql';
import { BillingService } from '../billing/billing.service';
import { CertificatesService } from '../certificates/certificates.service';
import { InquiriesService } from '../inquiries/inquiries.service';
import { InquiryWorkflowService } from '../inquiries/inquiry-workflow.service';
import { AnswerContentBuilder } from './answer-content.builder';
import { DeskDetailService } from './desk-detail.service';
import { assertAnswerable, assertNotHeldByAnother, S } from './desk-rules';
import { DeskSteps } from './desk-steps.service';
import { DeskErrors } from './desk.errors';
import { DeskInquiryDto } from './dto/desk.dto';

/** The two-person answer: a clerk prepares it, a manager (not the same person) approves it and the certificate is issued. */
@Injectable()
export class DeskAnswerService {
  private readonly logger = new Logger(DeskAnswerService.name);

  constructor(
    private readonly steps: DeskSteps,
    private readonly workflow: InquiryWorkflowService,
    private readonly inquiries: InquiriesService,
    private readonly billing: BillingService,
    private readonly certificates: CertificatesService,
    private readonly content: AnswerContentBuilder,
    private readonly view: DeskDetailService,
  ) {}

  /** A clerk (or manager) prepares the answer; only when the file is settled (and the visit done, for notary). */
  async prepareAnswer(actor: Actor, id: string, note: string | undefined): Promise<DeskInquiryDto> {
    const visible = await this.inquiries.findVisible(actor, id);
    const file = await this.billing.fileStatus(visible.renewalCode);
    await this.steps.step(actor, id, async (tx, inquiry, c) => {
      assertNotHeldByAnother(actor, c);
      assertAnswerable(inquiry, c, file.settled);
      c.preparedBy = actor.id;
      c.preparedAt = new Date();
      c.answerNote = note ?? null;
      await run(tx, this.workflow.event(inquiry, 'desk.answer_prepared', { staffId: actor.id }));
    });
    return this.view.detail(actor, id);
  }

  /** The region manager approves (never the one who prepared it): the certificate is signed and issued. */
  async approveAnswer(actor: Actor, id: string): Promise<DeskInquiryDto> {
    const visible = await this.inquiries.findVisible(actor, id);
    const [file, facts] = await Promise.all([this.billing.fileStatus(visible.renewalCode), this.content.facts(visible)]);
    let number = '';
    await this.steps.step(actor, id, async (tx, inquiry, c) => {
      assertAnswerable(inquiry, c, file.settled);
      if (!c.preparedBy) throw DeskErrors.ANSWER_NOT_PREPARED();
      if (c.preparedBy === actor.id) throw DeskErrors.FOUR_EYES_REQUIRED();
      const cert = await this.certificates.issue(tx, {
        inquiryId: inquiry.id,
        region: inquiry.region,
        preparedBy: c.preparedBy,
        approvedBy: actor.id!,
        content: await this.content.content(tx, inquiry, c, facts, actor.id!),
      });
      number = cert.number;
      await runAll(tx, this.workflow.transition(inquiry, S.Answered, 'staff', { metadata: { certificateNumber: cert.number, preparedBy: c.preparedBy } }));
      await this.steps.sms(tx, inquiry, 'inquiry_answered', { certificateNumber: cert.number });
    });
    this.logger.log({ inquiry: id, certificate: number }, 'answer issued');
    return this.view.detail(actor, id);
  }
}
