import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Actor, assertRegionAccess, CommonErrors, DomainError } from '@app/common';
import { run, runAll } from '../../database/sql';
import type { InquiryRow } from '../inquiries/inquiry-workflow.service';
import { InquiryWorkflowService } from '../inquiries/inquiry-workflow.service';
import { CitizenAuthService } from '../membership/citizen-auth.service';
import type { StaffDto } from '../membership/dto/staff-login.dto';
import { StaffService } from '../membership/staff.service';
import { NotificationsService } from '../notifications/notifications.service';
import { DeskCase } from './entities/desk-case.entity';

export type SmsTemplate = Parameters<NotificationsService['queueSms']>[0]['template'];

/**
 * How every desk command runs: the inquiry locked (through the workflow), the region checked,
 * its desk case loaded or created, all in one transaction; and the applicant's SMS queued in it.
 */
@Injectable()
export class DeskSteps {
  constructor(
    private readonly em: EntityManager,
    private readonly workflow: InquiryWorkflowService,
    private readonly citizens: CitizenAuthService,
    private readonly notifications: NotificationsService,
    private readonly staff: StaffService,
  ) {}

  /** One desk step: the inquiry locked, region checked, its desk case loaded (or created), all in one transaction. */
  async step(actor: Actor, id: string, fn: (tx: EntityManager, inquiry: InquiryRow, c: DeskCase) => Promise<void>): Promise<void> {
    await this.em.fork().transactional(async (tx) => {
      const inquiry = await run(tx, this.workflow.lock(id));
      assertRegionAccess(actor, inquiry.region);
      if (inquiry.status === 'draft') throw CommonErrors.NOT_FOUND();
      await fn(tx, inquiry, await this.caseOf(tx, inquiry));
    });
    // the request's identity map may hold the case as it was before this step
    this.em.clear();
  }

  /** The inquiry's desk case, created (unsaved until the transaction commits) when it has none. */
  async caseOf(tx: EntityManager, inquiry: Pick<InquiryRow, 'id' | 'region'>): Promise<DeskCase> {
    let c = await tx.findOne(DeskCase, { inquiryId: inquiry.id });
    if (!c) {
      c = tx.create(DeskCase, { inquiryId: inquiry.id, region: inquiry.region });
      tx.persist(c);
    }
    return c;
  }

  /** Queues the applicant's SMS in `tx` (nothing when the member is gone). */
  async sms(tx: EntityManager, inquiry: InquiryRow, template: SmsTemplate, params: Record<string, string>): Promise<void> {
    const member = await run(tx, this.citizens.member(inquiry.citizenId));
    if (!member) return;
    await runAll(tx, this.notifications.queueSms({ mobile: member.mobile, template, params: { trackingCode: inquiry.trackingCode ?? '', ...params } }).queries);
  }

  /** A staff member through membership's service (it owns the staff table); null when there is none. */
  async staffMember(id: string): Promise<StaffDto | null> {
    return this.staff.get(id).catch((err: unknown) => {
      if (err instanceof DomainError && err.code === 'STAFF_NOT_FOUND') return null;
      throw err;
    });
  }
}
