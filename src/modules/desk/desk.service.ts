import { EntityManager, MikroORM, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { RequestContext } from '@mikro-orm/core';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Actor, assertRegionAccess, CommonErrors, DomainError, pageMeta, pageOffset } from '@app/common';
import { formatJalali, maskNationalId } from '@app/iran';
import { APP_CONFIG } from '../../config/config.module';
import type { ResolvedConfig } from '../../config/app-config';
import { BillingService } from '../billing/billing.service';
import { CalendarService } from '../calendar/calendar.service';
import { addDaysIso, tehranDateOf, tehranWallToDate } from '../calendar/domain';
import { CertificatesService } from '../certificates/certificates.service';
import { DocumentIntakeService, UploadedFileLike } from '../documents/document-intake.service';
import { StorageService } from '../documents/storage.service';
import type { AnswerContent } from '../certificates/domain/answer-content';
import { InquiryStatus, InquiryType, STATUS_INFO } from '../inquiries/domain/inquiry-status';
import type { InquiryRow } from '../inquiries/inquiry.repository';
import { InquiriesErrors } from '../inquiries/inquiries.errors';
import { InquiriesService } from '../inquiries/inquiries.service';
import { InquiryDocumentsService } from '../inquiries/inquiry-documents.service';
import { InquiryWorkflowService } from '../inquiries/inquiry-workflow.service';
import { VisitsService } from '../inquiries/visits.service';
import { JobsService } from '../jobs/jobs.service';
import type { StaffDto } from '../membership/dto/staff-login.dto';
import { CitizenAuthService } from '../membership/citizen-auth.service';
import { RegionsService } from '../membership/regions.service';
import { StaffService } from '../membership/staff.service';
import { NotificationsService } from '../notifications/notifications.service';
import { PropertiesService } from '../properties/properties.service';
import { DeskErrors } from './desk.errors';
import {
  DeskCaseDto,
  DeskInquiryDto,
  DeskQueueDto,
  DeskQueueQuery,
  DeskStatsDto,
  DeskVisitDto,
  DocumentVerdictDto,
  StatsQuery,
  VisitResultDto,
  VisitsQuery,
} from './dto/desk.dto';
import { DeskCase, VisitResult } from './entities/desk-case.entity';
import { pgArray } from '../../database/pg-array';
import { run, runAll } from '../../database/sql';

export const DESK_SETTLED_QUEUE = 'desk.payment_settled';
export const DESK_SLA_QUEUE = 'desk.sla_scan';

const S = InquiryStatus;
/** Statuses the desk works on (the queue's default). */
const ACTIVE: InquiryStatus[] = [S.Submitted, S.InReview, S.NeedsCorrection, S.AwaitingPayment, S.VisitScheduled, S.Visited];
/** Statuses in which the one-working-day review clock runs. */
const UNDER_REVIEW: InquiryStatus[] = [S.Submitted, S.InReview];

type Row = Record<string, unknown>;
const iso = (d?: Date | string | null) => (d ? new Date(d).toISOString() : null);
/** Roles that work the desk (a reassignment goes only to one of them). */
const DESK_ROLES: string[] = ['region_clerk', 'region_manager', 'admin'];
const isManager = (actor: Actor) => Boolean(actor.roles?.includes('region_manager') || actor.roles?.includes('admin'));

interface SettledPayload {
  billId: string;
  paymentId: string;
  amountRials: string;
  paidAt: string;
  renewalCode: string;
}

/**
 * The region service desks (میز خدمت): queue, claim, document review, finances, site
 * visits, the two-person answer and rejection, on top of the inquiries module's state
 * machine (`InquiryWorkflowService` is the only door for status changes). Every step runs
 * in one transaction with the inquiry row locked, is audited, and queues the applicant's SMS.
 */
@Injectable()
export class DeskService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DeskService.name);
  private slaTimer?: NodeJS.Timeout;

  constructor(
    private readonly em: EntityManager,
    private readonly orm: MikroORM,
    private readonly inquiries: InquiriesService,
    private readonly documents: InquiryDocumentsService,
    private readonly workflow: InquiryWorkflowService,
    private readonly visits: VisitsService,
    private readonly billing: BillingService,
    private readonly calendar: CalendarService,
    private readonly properties: PropertiesService,
    private readonly regions: RegionsService,
    private readonly staff: StaffService,
    private readonly citizens: CitizenAuthService,
    private readonly notifications: NotificationsService,
    private readonly certificates: CertificatesService,
    private readonly jobs: JobsService,
    private readonly intake: DocumentIntakeService,
    private readonly storage: StorageService,
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
  ) {}

  onModuleInit(): void {
    // payment settlement → a job in the same transaction → the inquiry moves on exactly once
    this.billing.onSettled((tx, s) => {
      const [kind, code] = s.scope.split(':');
      if ((kind !== 'file' && kind !== 'property') || !code) return;
      const payload: SettledPayload = { billId: s.billId, paymentId: s.paymentId, amountRials: s.amountRials.toString(), paidAt: s.paidAt.toISOString(), renewalCode: code };
      this.jobs.enqueue(tx, DESK_SETTLED_QUEUE, payload as unknown as Record<string, unknown>, { dedupeKey: `desk-settled:${s.billId}` });
    });
    this.jobs.register<SettledPayload>(DESK_SETTLED_QUEUE, (payload, ctx) => RequestContext.create(ctx.em, () => this.paymentSettled(ctx.em, payload)));
    this.jobs.register<{ slot: number }>(DESK_SLA_QUEUE, (_payload, ctx) => RequestContext.create(ctx.em, async () => void (await this.slaScan(ctx.em))));
  }

  /** With the job worker on, queues the SLA scan every DESK_SLA_SCAN_SECONDS (one job per slot across instances). */
  onApplicationBootstrap(): void {
    if (!this.config.jobs.workerEnabled) return;
    const every = this.config.desk.slaScanSeconds * 1000;
    const tick = () => {
      const slot = Math.floor(Date.now() / every);
      const em = this.orm.em.fork();
      this.jobs.enqueue(em, DESK_SLA_QUEUE, { slot }, { dedupeKey: `desk-sla:${slot}`, maxAttempts: 1 });
      em.flush().catch((err: unknown) => {
        // another instance queued this slot's scan first (the job's dedupe key is unique)
        if (!(err instanceof UniqueConstraintViolationException)) this.logger.warn({ err }, 'could not queue the SLA scan');
      });
    };
    this.slaTimer = setInterval(tick, every);
    this.slaTimer.unref();
    setTimeout(tick, 5000).unref();
  }

  onModuleDestroy(): void {
    if (this.slaTimer) clearInterval(this.slaTimer);
  }

  // ---------------------------------------------------------------- queue and detail

  async queue(actor: Actor, query: DeskQueueQuery, now = new Date()): Promise<DeskQueueDto> {
    const regions = this.regionsInView(actor, query.region);
    const { limit, offset } = pageOffset(query);
    const where: string[] = ['i.region = any(?::smallint[])'];
    const params: unknown[] = [pgArray(regions)];
    if (query.status) {
      where.push('i.status = ?');
      params.push(query.status);
    } else {
      where.push('i.status = any(?::text[])');
      params.push(pgArray(ACTIVE));
    }
    if (query.type) {
      where.push('i.type = ?');
      params.push(query.type);
    }
    if (query.sla) {
      where.push(`i.status in ('submitted', 'in_review') and i.review_due_at ${query.sla === 'overdue' ? '< ?' : 'between ? and ?'}`);
      if (query.sla === 'overdue') params.push(now);
      else params.push(now, tehranWallToDate(addDaysIso(tehranDateOf(now), 1), '00:00'));
    }
    if (query.q) {
      where.push('(i.tracking_code = ? or i.renewal_code like ?)');
      params.push(query.q.trim(), `${query.q.trim().replace(/[%_\\]/g, '')}%`);
    }
    const rows = await this.em.execute<Row[]>(
      `select i.id, i.type, i.status, i.region, i.renewal_code, i.tracking_code, i.submitted_at, i.review_due_at,
              c.claimed_by, s.full_name as claimed_by_name, count(*) over () as total
         from inquiry i left join desk_case c on c.inquiry_id = i.id left join staff_user s on s.id = c.claimed_by
        where ${where.join(' and ')}
        order by i.review_due_at asc nulls last, i.submitted_at asc, i.id
        limit ? offset ?`,
      [...params, limit, offset],
    );
    const counts = await this.em.execute<Array<{ status: InquiryStatus; n: string }>>(
      `select status, count(*) as n from inquiry where region = any(?::smallint[]) and status <> 'draft' group by status order by status`,
      [pgArray(regions)],
    );
    return {
      items: rows.map((r) => {
        const due = r.review_due_at ? new Date(r.review_due_at as string) : null;
        const status = r.status as InquiryStatus;
        return {
          id: String(r.id),
          type: r.type as InquiryType,
          status,
          statusTitle: STATUS_INFO[status].fa,
          region: Number(r.region),
          renewalCode: String(r.renewal_code),
          trackingCode: (r.tracking_code as string | null) ?? null,
          submittedAt: iso(r.submitted_at as string | null),
          reviewDueAt: iso(due),
          reviewDueAtJalali: due ? formatJalali(due, { time: true }) : null,
          overdue: Boolean(due && due < now && UNDER_REVIEW.includes(status)),
          claimedBy: (r.claimed_by as string | null) ?? null,
          claimedByName: (r.claimed_by_name as string | null) ?? null,
        };
      }),
      counts: counts.map((c) => ({ status: c.status, count: Number(c.n) })),
      meta: pageMeta(query, rows.length ? Number(rows[0].total) : 0),
    };
  }

  async detail(actor: Actor, id: string): Promise<DeskInquiryDto> {
    const inquiry = await this.inquiries.get(actor, id);
    const [documents, deskCase, cert] = await Promise.all([
      this.documents.urls(actor, id),
      this.em.fork().findOne(DeskCase, { inquiryId: inquiry.id }),
      this.certificates.forInquiry(inquiry.id, this.em.fork()),
    ]);
    return { inquiry, documents, desk: await this.caseDto(deskCase, cert?.number ?? null) };
  }

  private async caseDto(c: DeskCase | null, certificateNumber: string | null): Promise<DeskCaseDto> {
    const claimedByName = c?.claimedBy ? ((await this.staffMember(c.claimedBy))?.fullName ?? null) : null;
    return {
      claimedBy: c?.claimedBy ?? null,
      claimedByName,
      claimedAt: iso(c?.claimedAt),
      review: c?.review ?? null,
      reviewedAt: iso(c?.reviewedAt),
      finances: c?.finances ?? null,
      visit: c?.visit
        ? {
            findings: c.visit.findings,
            matchesRecords: c.visit.matchesRecords,
            at: c.visit.at,
            photos: await Promise.all(
              c.visit.photos.map(async (p, i) => ({
                url: await this.storage.presignedGetUrl(p.objectKey, this.config.documents.urlTtlSeconds, `visit-${i + 1}.jpg`),
                sha256: p.sha256,
                expiresAt: new Date(Date.now() + this.config.documents.urlTtlSeconds * 1000).toISOString(),
              })),
            ),
          }
        : null,
      preparedBy: c?.preparedBy ?? null,
      preparedAt: iso(c?.preparedAt),
      overdueAt: iso(c?.overdueAt),
      certificateNumber,
    };
  }

  // ---------------------------------------------------------------- claim, reassign, review

  async claim(actor: Actor, id: string): Promise<DeskInquiryDto> {
    await this.step(actor, id, async (tx, inquiry, c) => {
      if (c.claimedBy && c.claimedBy !== actor.id && inquiry.status !== S.Submitted) throw DeskErrors.DESK_CASE_CLAIMED();
      if (inquiry.status === S.Submitted) await runAll(tx, this.workflow.transition(inquiry, S.InReview, 'staff'));
      else if (!ACTIVE.includes(inquiry.status) || inquiry.status === S.NeedsCorrection) {
        throw this.conflict(inquiry);
      }
      c.claimedBy = actor.id;
      c.claimedAt = new Date();
      await run(tx, this.workflow.event(inquiry, 'desk.claimed', { staffId: actor.id }));
    });
    return this.detail(actor, id);
  }

  async reassign(actor: Actor, id: string, staffId: string): Promise<DeskInquiryDto> {
    await this.step(actor, id, async (tx, inquiry, c) => {
      if (!ACTIVE.includes(inquiry.status)) throw this.conflict(inquiry);
      const staff = await this.staffMember(staffId);
      const roles: string[] = staff?.roles ?? [];
      const eligible = staff?.active && (staff.regions.includes(inquiry.region) || roles.includes('admin')) && roles.some((r) => DESK_ROLES.includes(r));
      if (!eligible) throw DeskErrors.STAFF_NOT_ELIGIBLE();
      const previous = c.claimedBy ?? null;
      c.claimedBy = staffId;
      c.claimedAt = new Date();
      await run(tx, this.workflow.event(inquiry, 'desk.reassigned', { from: previous, to: staffId }));
    });
    return this.detail(actor, id);
  }

  /**
   * The document review: one verdict per uploaded document. Any rejection sends the
   * inquiry back to the applicant (`needs_correction`, with the reasons, SMS); resubmission
   * restarts the review clock (inquiries module).
   */
  async review(actor: Actor, id: string, verdicts: DocumentVerdictDto[]): Promise<DeskInquiryDto> {
    const inquiry0 = await this.inquiries.findVisible(actor, id);
    const hours = inquiry0.submittedAt ? await this.calendar.workingHoursBetween(inquiry0.submittedAt, new Date()) : null;
    await this.step(actor, id, async (tx, inquiry, c) => {
      this.assertHolder(actor, inquiry, c, [S.InReview]);
      const uploaded = await run(tx, this.documents.kinds(inquiry.id));
      const kinds = verdicts.map((v) => v.kind);
      const complete = new Set(kinds).size === kinds.length && kinds.length === uploaded.length && kinds.every((k) => uploaded.includes(k));
      if (!complete || verdicts.some((v) => v.verdict === 'rejected' && !v.reason)) {
        throw DeskErrors.REVIEW_INVALID({ extensions: { uploaded } });
      }
      c.review = verdicts.map((v) => ({ kind: v.kind, verdict: v.verdict, reason: v.verdict === 'rejected' ? v.reason! : null }));
      c.reviewedAt = new Date();
      c.reviewWorkingHours = hours === null ? null : Math.round(hours * 100) / 100;
      const rejected = verdicts.filter((v) => v.verdict === 'rejected');
      await run(tx, this.workflow.event(inquiry, 'desk.reviewed', { verdicts: c.review }));
      if (rejected.length) {
        const reason = rejected.map((v) => `${v.kind}: ${v.reason}`).join('؛ ');
        await runAll(tx, this.workflow.transition(inquiry, S.NeedsCorrection, 'staff', { reason }));
        c.finances = null;
        await this.sms(tx, inquiry, 'inquiry_needs_correction', { reason: rejected.map((v) => v.reason!).join('؛ ') });
      }
    });
    return this.detail(actor, id);
  }

  // ---------------------------------------------------------------- finances

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
    await this.step(actor, id, async (tx, inquiry, c) => {
      this.assertHolder(actor, inquiry, c, [S.InReview, S.Visited]);
      if (!this.reviewAccepted(inquiry, c)) throw DeskErrors.REVIEW_REQUIRED();
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
    await this.step(actor, id, async (tx, inquiry, c) => {
      this.assertHolder(actor, inquiry, c, [S.InReview, S.Visited]);
      if (!this.reviewAccepted(inquiry, c)) throw DeskErrors.REVIEW_REQUIRED();
      const bill = file.bill
        ? { billId: file.bill.billId, paymentId: file.bill.paymentId, amountRials: Number(file.bill.amountRials), expiresAt: new Date(file.bill.expiresAt).toISOString() }
        : null;
      c.finances = { settled: file.settled, totalRials: Number(file.totalRials), inquiryFeeRials: feeRials, assessedAt: new Date().toISOString(), bill, paidBills: c.finances?.paidBills ?? [] };
      await run(tx, this.workflow.event(inquiry, 'desk.assessed', { settled: file.settled, totalRials: Number(file.totalRials), billId: bill?.billId ?? null, feeRials }));
      if (!file.settled) {
        c.awaitingBillId = bill?.billId ?? null;
        await runAll(tx, this.workflow.transition(inquiry, S.AwaitingPayment, 'staff', { metadata: { billId: bill?.billId ?? null } }));
        await this.sms(tx, inquiry, 'inquiry_awaiting_payment', {
          billId: bill?.billId ?? '-',
          paymentId: bill?.paymentId ?? '-',
          amount: String(bill?.amountRials ?? file.totalRials),
        });
      } else if (inquiry.type === InquiryType.Notary && !c.visit && inquiry.status === S.InReview) {
        await this.toVisit(tx, inquiry, 'staff');
      }
    });
    return this.detail(actor, id);
  }

  /** The settlement job: an inquiry awaiting payment of this file moves on once the file is settled. */
  async paymentSettled(em: EntityManager, p: SettledPayload): Promise<void> {
    const waiting = await em.execute<Array<{ id: string }>>(`select id from inquiry where renewal_code = ? and status = 'awaiting_payment'`, [p.renewalCode]);
    if (!waiting.length) return;
    const file = await this.billing.fileStatus(p.renewalCode);
    for (const { id } of waiting) {
      await em.fork().transactional(async (tx) => {
        const inquiry = await run(tx, this.workflow.lock(id));
        if (inquiry.status !== S.AwaitingPayment) return; // already moved on: exactly once
        const c = await this.caseOf(tx, inquiry);
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
    await this.sms(tx, inquiry, 'inquiry_visit_scheduled', {
      visitAt: inquiry.visitStartsAt ? formatJalali(inquiry.visitStartsAt, { time: true }) : '-',
    });
  }

  // ---------------------------------------------------------------- visits

  async visitsOfDay(actor: Actor, query: VisitsQuery): Promise<DeskVisitDto[]> {
    const regions = this.regionsInView(actor, query.region);
    const day = query.date ?? tehranDateOf(new Date());
    const from = tehranWallToDate(day, '00:00');
    const to = tehranWallToDate(addDaysIso(day, 1), '00:00');
    const rows = await this.em.execute<Row[]>(
      `select i.id, i.tracking_code, i.region, i.renewal_code, i.status, i.visit_starts_at, p.address
         from inquiry i join property p on p.id = i.property_id
        where i.type = 'notary' and i.region = any(?::smallint[]) and i.visit_starts_at >= ? and i.visit_starts_at < ?
          and i.status in ('submitted', 'in_review', 'awaiting_payment', 'visit_scheduled', 'visited')
        order by i.visit_starts_at, i.id`,
      [pgArray(regions), from, to],
    );
    return rows.map((r) => {
      const at = new Date(r.visit_starts_at as string);
      return {
        id: String(r.id),
        trackingCode: (r.tracking_code as string | null) ?? null,
        region: Number(r.region),
        renewalCode: String(r.renewal_code),
        address: (r.address as string | null) ?? null,
        status: r.status as InquiryStatus,
        startsAt: at.toISOString(),
        startsAtJalali: formatJalali(at, { time: true }),
      };
    });
  }

  /**
   * The inspector's findings, with optional photos: validated and re-encoded like documents,
   * written to storage first and removed again if the transaction fails (no orphans).
   */
  async visitResult(actor: Actor, id: string, dto: VisitResultDto, files: UploadedFileLike[] = []): Promise<DeskInquiryDto> {
    const visible = await this.inquiries.findVisible(actor, id);
    if (visible.type !== InquiryType.Notary || visible.status !== S.VisitScheduled) throw this.conflict(visible);
    const prepared = [];
    for (const file of files) prepared.push(await this.intake.prepare(file));
    const photos: VisitResult['photos'] = [];
    try {
      for (const p of prepared) {
        const key = this.storage.newKey('visits');
        await this.storage.put(key, p.bytes, p.contentType, p.sha256);
        photos.push({ objectKey: key, sha256: p.sha256, size: p.bytes.length, contentType: p.contentType });
      }
      await this.step(actor, id, async (tx, inquiry, c) => {
        if (inquiry.type !== InquiryType.Notary || inquiry.status !== S.VisitScheduled) throw this.conflict(inquiry);
        c.visit = { findings: dto.findings, matchesRecords: dto.matchesRecords, inspectorId: actor.id!, at: new Date().toISOString(), photos };
        await runAll(tx, this.workflow.transition(inquiry, S.Visited, 'staff', { metadata: { matchesRecords: dto.matchesRecords, photos: photos.map((p) => p.sha256) } }));
      });
    } catch (err) {
      await Promise.all(photos.map((p) => this.storage.remove(p.objectKey).catch((e) => this.logger.error({ err: e, key: p.objectKey }, 'could not remove a visit photo'))));
      throw err;
    }
    return this.detail(actor, id);
  }

  // ---------------------------------------------------------------- answer and rejection

  /** A clerk (or manager) prepares the answer; only when the file is settled (and the visit done, for notary). */
  async prepareAnswer(actor: Actor, id: string, note: string | undefined): Promise<DeskInquiryDto> {
    const visible = await this.inquiries.findVisible(actor, id);
    const file = await this.billing.fileStatus(visible.renewalCode);
    await this.step(actor, id, async (tx, inquiry, c) => {
      this.assertNotHeldByAnother(actor, c);
      this.assertAnswerable(inquiry, c, file.settled);
      c.preparedBy = actor.id;
      c.preparedAt = new Date();
      c.answerNote = note ?? null;
      await run(tx, this.workflow.event(inquiry, 'desk.answer_prepared', { staffId: actor.id }));
    });
    return this.detail(actor, id);
  }

  /** The region manager approves (never the one who prepared it): the certificate is signed and issued. */
  async approveAnswer(actor: Actor, id: string): Promise<DeskInquiryDto> {
    const visible = await this.inquiries.findVisible(actor, id);
    const [file, records, zoning, widening, region] = await Promise.all([
      this.billing.fileStatus(visible.renewalCode),
      this.properties.inquiryRecords(visible.renewalCode),
      this.properties.zoning(visible.renewalCode).catch(() => null),
      this.properties.streetWidening(visible.renewalCode).catch(() => null),
      this.regions.get(visible.region),
    ]);
    let number = '';
    await this.step(actor, id, async (tx, inquiry, c) => {
      this.assertAnswerable(inquiry, c, file.settled);
      if (!c.preparedBy) throw DeskErrors.ANSWER_NOT_PREPARED();
      if (c.preparedBy === actor.id) throw DeskErrors.FOUR_EYES_REQUIRED();
      const [preparer, approver] = await Promise.all([this.staffMember(c.preparedBy), this.staffMember(actor.id!)]);
      const applicant = await this.citizens.record(inquiry.citizenId, tx);
      const summary = records?.summary as unknown as Record<string, unknown> | undefined;
      const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
      const cert = await this.certificates.issue(tx, {
        inquiryId: inquiry.id,
        region: inquiry.region,
        preparedBy: c.preparedBy,
        approvedBy: actor.id!,
        content: ({ number: n, issuedAt, validUntil }): AnswerContent => ({
          kind: 'inquiry_answer',
          version: 1,
          number: n,
          inquiryType: inquiry.type,
          trackingCode: inquiry.trackingCode ?? '',
          issuedAt: issuedAt.toISOString(),
          issuedAtJalali: formatJalali(issuedAt),
          validUntil: validUntil.toISOString(),
          validUntilJalali: formatJalali(validUntil),
          addressee:
            inquiry.type === InquiryType.Office && inquiry.organization
              ? { kind: 'office', organizationKind: inquiry.organization.kind, name: inquiry.organization.name, letterNumber: inquiry.organization.letterNumber, letterDate: inquiry.organization.letterDate }
              : { kind: 'notary', notaryOfficeNumber: inquiry.notaryOfficeNumber ?? '' },
          applicant: {
            fullName: applicant ? `${applicant.firstName} ${applicant.lastName}` : '',
            nationalIdMasked: applicant ? maskNationalId(applicant.nationalId) : '',
            role: inquiry.applicantRole,
          },
          property: {
            renewalCode: inquiry.renewalCode,
            region: inquiry.region,
            address: (summary?.address as string | undefined) ?? null,
            landAreaM2: num(summary?.landArea),
            buildingAreaM2: num(summary?.buildingArea),
            use: (summary?.use as string | undefined) ?? null,
            floors: num(summary?.floors),
            units: num(summary?.units),
          },
          owners: (records?.owners ?? []).map((o) => ({ fullName: o.fullName, nationalIdMasked: maskNationalId(o.nationalId), sharePercent: o.sharePercent })),
          finances: {
            settled: true,
            paidBills: (c.finances?.paidBills ?? []).map((b) => ({ billId: b.billId, paymentId: b.paymentId, amountRials: b.amountRials, paidAtJalali: formatJalali(new Date(b.paidAt)) })),
            paidTotalRials: (c.finances?.paidBills ?? []).reduce((s, b) => s + b.amountRials, 0),
          },
          zoning: zoning ? { zoneCode: zoning.zoneCode, zoneName: zoning.zoneName, planName: zoning.planName } : null,
          streetWidening: widening
            ? { affected: widening.affected, affectedAreaM2: widening.affectedAreaM2, sharePercent: widening.sharePercent, plans: widening.plans.map((p) => p.planName) }
            : null,
          visit: c.visit ? { atJalali: formatJalali(new Date(c.visit.at)), findings: c.visit.findings, matchesRecords: c.visit.matchesRecords } : null,
          issuer: { region: inquiry.region, regionName: region.name, preparedBy: preparer?.fullName ?? '', approvedBy: approver?.fullName ?? '' },
          note: c.answerNote ?? null,
        }),
      });
      number = cert.number;
      await runAll(tx, this.workflow.transition(inquiry, S.Answered, 'staff', { metadata: { certificateNumber: cert.number, preparedBy: c.preparedBy } }));
      await this.sms(tx, inquiry, 'inquiry_answered', { certificateNumber: cert.number });
    });
    this.logger.log({ inquiry: id, certificate: number }, 'answer issued');
    return this.detail(actor, id);
  }

  async reject(actor: Actor, id: string, reason: string): Promise<DeskInquiryDto> {
    await this.step(actor, id, async (tx, inquiry, c) => {
      // an unclaimed submission may be rejected outright; a claimed one only by its holder or a manager
      this.assertNotHeldByAnother(actor, c);
      await runAll(tx, this.workflow.transition(inquiry, S.Rejected, 'staff', { reason }));
      await runAll(tx, this.visits.release(inquiry));
      await this.sms(tx, inquiry, 'inquiry_rejected', { reason });
    });
    return this.detail(actor, id);
  }

  // ---------------------------------------------------------------- SLA and stats

  /**
   * Marks reviews past their due time (once per review cycle: a resubmission has a later due
   * time) and tells each region's managers by SMS. Returns the newly overdue inquiries.
   */
  async slaScan(em: EntityManager = this.orm.em.fork()): Promise<Array<{ inquiryId: string; region: number }>> {
    return em.transactional(async (tx) => {
      const marked = await tx.execute<Array<{ inquiry_id: string; region: number; status: InquiryStatus }>>(
        `insert into desk_case (inquiry_id, region, overdue_at, created_at, updated_at)
         select i.id, i.region, now(), now(), now() from inquiry i
          where i.status in ('submitted', 'in_review') and i.review_due_at < now()
         on conflict (inquiry_id) do update set overdue_at = excluded.overdue_at, updated_at = now()
          where desk_case.overdue_at is null
             or desk_case.overdue_at < (select review_due_at from inquiry where id = desk_case.inquiry_id)
         returning inquiry_id, region, (select status from inquiry where id = desk_case.inquiry_id) as status`,
      );
      const perRegion = new Map<number, number>();
      for (const m of marked) perRegion.set(Number(m.region), (perRegion.get(Number(m.region)) ?? 0) + 1);
      for (const [region, count] of perRegion) {
        const managers = await tx.execute<Array<{ mobile: string }>>(
          `select mobile from staff_user where active and mobile is not null and 'region_manager' = any(roles) and ? = any(regions)`,
          [region],
        );
        for (const m of managers) this.notifications.queueSms(tx, { mobile: m.mobile, template: 'desk_sla_overdue', params: { region: String(region), count: String(count) } });
        this.logger.warn({ region, count }, 'inquiry reviews overdue');
      }
      if (marked.length) {
        for (const m of marked) {
          await run(tx, this.workflow.event({ id: m.inquiry_id, status: m.status }, 'desk.overdue', { region: Number(m.region) }));
        }
      }
      return marked.map((m) => ({ inquiryId: m.inquiry_id, region: Number(m.region) }));
    });
  }

  async stats(actor: Actor, query: StatsQuery, now = new Date()): Promise<DeskStatsDto> {
    const regions = this.regionsInView(actor);
    const to = query.to ?? tehranDateOf(now);
    const from = query.from ?? addDaysIso(to, -30);
    if (from > to) throw CommonErrors.BAD_REQUEST();
    const a = tehranWallToDate(from, '00:00');
    const b = tehranWallToDate(addDaysIso(to, 1), '00:00');
    const rows = await this.em.execute<Row[]>(
      `select r.region,
              (select count(*) from inquiry i where i.region = r.region and i.submitted_at >= ? and i.submitted_at < ?) as received,
              (select count(*) from certificate c where c.region = r.region and c.issued_at >= ? and c.issued_at < ?) as answered,
              (select count(*) from inquiry i where i.region = r.region and i.status in ('submitted', 'in_review') and i.review_due_at < ?) as overdue,
              (select percentile_cont(0.5) within group (order by d.review_working_hours) from desk_case d
                where d.region = r.region and d.reviewed_at >= ? and d.reviewed_at < ? and d.review_working_hours is not null) as median
         from unnest(?::smallint[]) as r(region) order by r.region`,
      [a, b, a, b, now, a, b, pgArray(regions)],
    );
    return {
      from,
      to,
      regions: rows.map((r) => ({
        region: Number(r.region),
        received: Number(r.received),
        answered: Number(r.answered),
        overdue: Number(r.overdue),
        medianReviewWorkingHours: r.median === null || r.median === undefined ? null : Math.round(Number(r.median) * 100) / 100,
      })),
    };
  }

  // ---------------------------------------------------------------- helpers

  /** One desk step: the inquiry locked, region checked, its desk case loaded (or created), all in one transaction. */
  private async step(actor: Actor, id: string, fn: (tx: EntityManager, inquiry: InquiryRow, c: DeskCase) => Promise<void>): Promise<void> {
    await this.em.fork().transactional(async (tx) => {
      const inquiry = await run(tx, this.workflow.lock(id));
      assertRegionAccess(actor, inquiry.region);
      if (inquiry.status === S.Draft) throw CommonErrors.NOT_FOUND();
      const c = await this.caseOf(tx, inquiry);
      await fn(tx, inquiry, c);
    });
    // the request's identity map may hold the inquiry as it was before this step
    this.em.clear();
  }

  /** A staff member through membership's service (it owns the staff table); null when there is none. */
  private async staffMember(id: string): Promise<StaffDto | null> {
    return this.staff.get(id).catch((err: unknown) => {
      if (err instanceof DomainError && err.code === 'STAFF_NOT_FOUND') return null;
      throw err;
    });
  }

  private async caseOf(tx: EntityManager, inquiry: InquiryRow): Promise<DeskCase> {
    let c = await tx.findOne(DeskCase, { inquiryId: inquiry.id });
    if (!c) {
      c = tx.create(DeskCase, { inquiryId: inquiry.id, region: inquiry.region });
      tx.persist(c);
    }
    return c;
  }

  /** Staff may only work an inquiry they hold (managers and admins may step in). */
  private assertHolder(actor: Actor, inquiry: InquiryRow, c: DeskCase, statuses: InquiryStatus[]): void {
    if (!statuses.includes(inquiry.status)) throw this.conflict(inquiry);
    if (!c.claimedBy) throw DeskErrors.DESK_CASE_NOT_CLAIMED();
    this.assertNotHeldByAnother(actor, c);
  }

  /** One clerk at a time: a case another clerk holds is theirs (managers and admins may step in). */
  private assertNotHeldByAnother(actor: Actor, c: DeskCase): void {
    if (c.claimedBy && c.claimedBy !== actor.id && !isManager(actor)) throw DeskErrors.DESK_CASE_CLAIMED();
  }

  /** The last review accepted every document, after the last (re)submission. */
  private reviewAccepted(inquiry: InquiryRow, c: DeskCase): boolean {
    return Boolean(
      c.review && c.reviewedAt && (!inquiry.submittedAt || c.reviewedAt >= inquiry.submittedAt) && c.review.every((v) => v.verdict === 'accepted'),
    );
  }

  private assertAnswerable(inquiry: InquiryRow, c: DeskCase, settled: boolean): void {
    const office = inquiry.type === InquiryType.Office;
    const allowed = office ? [S.InReview] : [S.Visited, S.InReview];
    if (!allowed.includes(inquiry.status)) throw this.conflict(inquiry);
    if (!this.reviewAccepted(inquiry, c)) throw DeskErrors.REVIEW_REQUIRED();
    if (!c.finances || !settled) throw DeskErrors.FINANCES_NOT_SETTLED();
    if (!office && !c.visit) throw DeskErrors.VISIT_NOT_DONE();
  }

  private conflict(inquiry: InquiryRow) {
    return InquiriesErrors.INQUIRY_STATUS_CONFLICT({ extensions: { status: inquiry.status } });
  }

  private regionsInView(actor: Actor, only?: number): number[] {
    const all = actor.roles?.includes('admin') ? [1, 2, 3] : (actor.regions ?? []);
    if (only !== undefined) {
      assertRegionAccess(actor, only);
      return [only];
    }
    return all;
  }

  private async sms(tx: EntityManager, inquiry: InquiryRow, template: Parameters<NotificationsService['queueSms']>[1]['template'], params: Record<string, string>): Promise<void> {
    const member = await this.citizens.record(inquiry.citizenId, tx);
    if (!member) return;
    this.notifications.queueSms(tx, { mobile: member.mobile, template, params: { trackingCode: inquiry.trackingCode ?? '', ...params } });
  }
}
