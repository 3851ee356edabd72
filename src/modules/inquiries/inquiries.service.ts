import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { Actor, assertRegionAccess, CommonErrors, isUuid, pageMeta, pageOffset, uuidv7 } from '@app/common';
import { formatJalali, maskNationalId } from '@app/iran';
import { executeBatch } from '../../database/sql-batch';
import { readDecideWrite, run, runAll, runPage } from '../../database/sql';
import { BillingService } from '../billing/billing.service';
import { addDaysIso, tehranDateOf, tehranWallToDate } from '../calendar/domain';
import { activeMember, CitizenAuthService } from '../membership/citizen-auth.service';
import { RegionsService } from '../membership/regions.service';
import { NotificationsService } from '../notifications/notifications.service';
import { PropertiesErrors } from '../properties/properties.errors';
import { PropertiesService } from '../properties/properties.service';
import { EDITABLE_STATUSES, InquiryStatus, InquiryType, STATUS_INFO } from './domain/inquiry-status';
import { documentRequirements, ELIGIBLE_CERTIFICATE_KINDS } from './domain/requirements';
import { generateTrackingCode, isValidTrackingCode } from './domain/tracking-code';
import { UNDERTAKINGS } from './domain/undertakings';
import {
  CreateInquiryDto,
  DocumentRequirementDto,
  InquiryDto,
  InquiryListDto,
  InquiryListQuery,
  SubmitResultDto,
  TrackingDto,
  UndertakingsDto,
} from './dto/inquiry.dto';
import { ApplicantRole, InquirySnapshot } from './entities/inquiry.entity';
import { InquiriesErrors } from './inquiries.errors';
import { InquiryClock } from './inquiry-clock.service';
import { InquiryWorkflowService } from './inquiry-workflow.service';
import { InquiryAttemptRepository } from './inquiry-attempt.repository';
import { DocumentVerdictRow, InquiryDocumentRepository } from './inquiry-document.repository';
import { InquiryRepository, InquiryRow } from './inquiry.repository';
import { VisitsService } from './visits.service';


/**
 * The citizen side of property inquiries: undertakings, drafts with the knowledge check,
 * confirmation, submission with a tracking code, the member's list, cancellation and the
 * public tracking page. Documents and visits have their own services.
 */
@Injectable()
export class InquiriesService implements OnModuleInit {
  constructor(
    private readonly em: EntityManager,
    private readonly properties: PropertiesService,
    private readonly citizens: CitizenAuthService,
    private readonly regions: RegionsService,
    private readonly billing: BillingService,
    private readonly clock: InquiryClock,
    private readonly notifications: NotificationsService,
    private readonly workflow: InquiryWorkflowService,
    private readonly visits: VisitsService,
    private readonly repository: InquiryRepository,
    private readonly documents: InquiryDocumentRepository,
    private readonly attempts: InquiryAttemptRepository,
  ) {}

  onModuleInit(): void {
    this.citizens.onSuspended(async (tx, citizenId) => {
      await this.cancelDraftsOf(tx, citizenId, 'account suspended: the verified holder of its national ID registered');
    });
  }

  /** Cancels (through the workflow, audited, visits released) every draft of a suspended account, in the caller's transaction. */
  async cancelDraftsOf(tx: EntityManager, citizenId: string, reason: string): Promise<number> {
    const drafts = await run(tx, this.repository.ofCitizen(citizenId, InquiryStatus.Draft, 1000, 0));
    for (const draft of drafts.items) {
      const [inquiry] = await runAll(tx, [this.workflow.lock(draft.id)]);
      if (inquiry.status !== InquiryStatus.Draft) continue;
      await runAll(tx, [...this.workflow.transition(inquiry, InquiryStatus.Cancelled, 'system', { reason }), ...this.visits.release(inquiry)]);
    }
    return drafts.items.length;
  }

  undertakings(type: InquiryType): UndertakingsDto {
    return { ...UNDERTAKINGS[type] };
  }

  async create(actor: Actor, dto: CreateInquiryDto): Promise<InquiryDto> {
    const citizenId = requireCitizen(actor);
    const current = UNDERTAKINGS[dto.type];
    if (dto.undertakingsAccepted !== true || dto.undertakingsVersion !== current.version) {
      throw InquiriesErrors.UNDERTAKINGS_NOT_ACCEPTED({ extensions: { currentVersion: current.version } });
    }
    const office = dto.type === InquiryType.Office;
    if (office ? !dto.organization || dto.notaryOfficeNumber : !dto.notaryOfficeNumber || dto.organization) {
      throw InquiriesErrors.INQUIRY_DETAILS_INVALID();
    }
    const role = dto.applicantRole ?? ApplicantRole.Owner;
    if ((role === ApplicantRole.Attorney) !== Boolean(dto.principalNationalId)) throw InquiriesErrors.INQUIRY_DETAILS_INVALID();

    const code = this.properties.parseCode(dto.renewalCode, dto.region);
    // one round trip: the property's records, the member, and their wrong answers about it today
    const recordsRead = this.properties.inquiryRecords(code.canonical);
    const attemptsToday = this.attempts.ofDay(citizenId, tehranDateOf(new Date()));
    const member = this.citizens.member(citizenId);
    const [recordRows, memberRows, attemptRows] = await executeBatch(this.em, [
      recordsRead,
      member,
      attemptsToday,
    ]);
    const records = recordsRead.read(recordRows);
    if (!records) throw PropertiesErrors.PROPERTY_NOT_FOUND();
    const me = activeMember(member.read(memberRows));
    const ownerIds = new Set(records.owners.map((o) => o.nationalId));
    const entitled =
      role === ApplicantRole.Owner
        ? ownerIds.has(me.nationalId)
        : dto.principalNationalId !== me.nationalId && ownerIds.has(dto.principalNationalId!);
    if (!entitled) throw InquiriesErrors.NOT_PROPERTY_OWNER();

    if (!records.certificates.some((c) => (ELIGIBLE_CERTIFICATE_KINDS as readonly string[]).includes(c.kind))) {
      const desk = await this.regions.get(records.summary.region);
      const phones = desk.deskPhones.join('، ');
      throw InquiriesErrors.NOT_ELIGIBLE({
        message: {
          fa: `${InquiriesErrors.specs.NOT_ELIGIBLE.message.fa} میز خدمت ${desk.name}، تلفن ${phones}`,
          en: `${InquiriesErrors.specs.NOT_ELIGIBLE.message.en} Region ${desk.id} service desk, phone ${desk.deskPhones.join(', ')}`,
        },
        extensions: { desk: { region: desk.id, name: desk.name, phones: desk.deskPhones, address: desk.deskAddress ?? null, hours: desk.deskHours ?? null } },
      });
    }

    await this.checkLastRequestNumber(citizenId, records.id, attemptsToday.read(attemptRows).get(records.id) ?? 0, records.certificates[0].requestNumber, dto.lastRequestNumber);

    const file = await this.billing.fileStatus(code.canonical);
    const debts: InquirySnapshot['debts'] = { settled: file.settled, totalRials: Number(file.totalRials), bill: billSummary(file.bill) };

    const now = new Date();
    const draft: InquiryRow = {
      id: uuidv7(),
      citizenId,
      propertyId: records.id,
      type: dto.type,
      status: InquiryStatus.Draft,
      renewalCode: code.canonical,
      region: records.summary.region,
      applicantRole: role,
      principalNationalId: dto.principalNationalId ?? null,
      undertakingsVersion: current.version,
      undertakingsAcceptedAt: now,
      organization: office ? { ...dto.organization! } : null,
      notaryOfficeNumber: office ? null : dto.notaryOfficeNumber!,
      snapshot: {
        property: { ...records.summary },
        owners: records.owners.map((o) => ({ ...o, nationalId: maskNationalId(o.nationalId) })),
        certificates: records.certificates,
        debts,
      },
      confirmedAt: null,
      trackingCode: null,
      submittedAt: null,
      reviewDueAt: null,
      visitSlotId: null,
      visitStartsAt: null,
      statusChangedAt: now,
      createdAt: now,
      updatedAt: now,
    };
    await run(this.em, this.workflow.create(draft));
    return this.toDto(draft, [], [{ from: null, to: InquiryStatus.Draft, at: now.toISOString(), atJalali: formatJalali(now, { time: true }), by: 'citizen', reason: null }]);
  }

  /**
   * The knowledge check, given the wrong answers of today counted so far (`failures`). Wrong
   * answers are counted per member, property and Tehran day in their own statement (committed
   * even though the request fails); the sixth try of a day is refused whatever it says.
   */
  private async checkLastRequestNumber(citizenId: string, propertyId: string, failures: number, expected: string, given: string): Promise<void> {
    const max = this.config.maxWrongAttemptsPerDay;
    if (failures >= max) throw InquiriesErrors.TOO_MANY_ATTEMPTS({ retryAfterSeconds: secondsToTehranMidnight() });
    if (normalizeRequestNumber(given) === normalizeRequestNumber(expected)) return;
    const after = await run(this.em, this.attempts.fail(citizenId, propertyId, tehranDateOf(new Date())));
    throw InquiriesErrors.LAST_REQUEST_NUMBER_MISMATCH({ extensions: { attemptsLeft: Math.max(0, max - after) } });
  }

  private get config() {
    return this.visits.inquiryConfig;
  }

  async get(actor: Actor, id: string): Promise<InquiryDto> {
    return this.withOpenBill(await this.render(this.em, await this.findVisible(actor, id)));
  }

  /**
   * While awaiting payment: the file's debt status read live from billing and the open bill
   * that settles it (billing offers the same open bill to every lookup of the same debt set).
   */
  private async withOpenBill(dto: InquiryDto): Promise<InquiryDto> {
    if (dto.status !== InquiryStatus.AwaitingPayment) return dto;
    const file = await this.billing.fileStatus(dto.renewalCode);
    const bill = file.bill
      ? {
          billId: file.bill.billId,
          paymentId: file.bill.paymentId,
          amountRials: Number(file.bill.amountRials),
          expiresAt: file.bill.expiresAt,
          expiresAtJalali: file.bill.expiresAtJalali,
          status: 'open' as const,
        }
      : null;
    return {
      ...dto,
      records: { ...dto.records, debts: { settled: file.settled, totalRials: Number(file.totalRials), bill: billSummary(file.bill) } },
      bill,
    };
  }

  async list(actor: Actor, query: InquiryListQuery): Promise<InquiryListDto> {
    const citizenId = requireCitizen(actor);
    const { limit, offset } = pageOffset(query);
    const page = await runPage(this.em, (l, o) => this.repository.ofCitizen(citizenId, query.status, l, o), limit, offset);
    return {
      items: page.items.map((r) => ({
        id: r.id,
        type: r.type,
        status: r.status,
        statusTitle: STATUS_INFO[r.status].fa,
        renewalCode: r.renewalCode,
        trackingCode: r.trackingCode,
        submittedAt: r.submittedAt ? r.submittedAt.toISOString() : null,
        createdAt: r.createdAt.toISOString(),
      })),
      meta: pageMeta(query, page.total),
    };
  }

  /** Two round trips: lock and read the page, then (the first time) the confirmation and its audit entry with the commit. */
  async confirm(actor: Actor, id: string): Promise<InquiryDto> {
    const citizenId = requireCitizen(actor);
    return readDecideWrite(this.em, this.workflow.page(id), ([view, kinds, history]) => {
      if (view.citizenId !== citizenId) throw CommonErrors.NOT_FOUND();
      if (view.status !== InquiryStatus.Draft) throw InquiriesErrors.INQUIRY_STATUS_CONFLICT({ extensions: { status: view.status } });
      const writes = view.confirmedAt ? [] : [this.workflow.update(view, { confirmedAt: new Date() }), this.workflow.event(view, 'inquiry.confirmed')];
      return { writes, result: () => this.toDto(view, kinds, history) };
    });
  }

  /** The DTO of an inquiry already loaded. */
  async render(em: EntityManager, inquiry: InquiryRow): Promise<InquiryDto> {
    const [verdicts, history] = await runAll(em, [this.documents.verdicts(inquiry.id), this.workflow.history(inquiry.id)]);
    return this.toDto(
      inquiry,
      verdicts.map((v) => v.kind),
      history,
      verdicts,
    );
  }

  /** Books (or moves) the site visit of a notary inquiry; answers the inquiry as it is after the booking. */
  async bookVisit(actor: Actor, id: string, slotId: string): Promise<InquiryDto> {
    return this.visits.book(actor, id, slotId, (page) => this.toDto(page.view, page.kinds, page.history));
  }

  async cancel(actor: Actor, id: string, reason?: string): Promise<InquiryDto> {
    const citizenId = requireCitizen(actor);
    await readDecideWrite(this.em, [this.workflow.lock(id)], ([inquiry]) => {
      if (inquiry.citizenId !== citizenId) throw CommonErrors.NOT_FOUND();
      return {
        writes: [...this.workflow.transition(inquiry, InquiryStatus.Cancelled, 'citizen', { reason: reason ?? null }), ...this.visits.release(inquiry)],
        result: () => undefined,
      };
    });
    return this.get(actor, id);
  }

  /**
   * Submits a confirmed draft (or resubmits a corrected one): everything required must be
   * there; the tracking code is given once; the review is due one working day later; the SMS
   * with the tracking code is queued in the same transaction.
   */
  async submit(actor: Actor, id: string): Promise<SubmitResultDto> {
    const citizenId = requireCitizen(actor);
    const now = new Date();
    const reviewDueAt = await this.clock.reviewDueAt(now);
    // a fresh tracking code, checked in the same round trip as the lock; another try in the (one in
    // 10^10) case it is taken
    for (let attempt = 0; attempt < 5; attempt++) {
      const candidate = generateTrackingCode();
      const reads = [...this.workflow.page(id), this.citizens.member(citizenId), this.repository.trackingCodeTaken(candidate)] as const;
      const result = await readDecideWrite(this.em, reads, ([view, kinds, , member, taken]) => {
        const me = activeMember(member);
        if (view.citizenId !== citizenId) throw CommonErrors.NOT_FOUND();
        if (!EDITABLE_STATUSES.includes(view.status)) throw InquiriesErrors.INQUIRY_STATUS_CONFLICT({ extensions: { status: view.status } });
        if (!view.confirmedAt) throw InquiriesErrors.INQUIRY_NOT_CONFIRMED();
        const have = new Set(kinds);
        const missingDocuments = documentRequirements(view.type, view.applicantRole)
          .filter((r) => r.required && !have.has(r.kind))
          .map((r) => r.kind);
        const visitRequired = view.type === InquiryType.Notary && (!view.visitSlotId || !view.visitStartsAt || view.visitStartsAt <= now);
        if (missingDocuments.length || visitRequired) throw InquiriesErrors.INQUIRY_INCOMPLETE({ extensions: { missingDocuments, visitRequired } });
        if (!view.trackingCode && taken) return { writes: [], result: () => null };
        const trackingCode = view.trackingCode ?? candidate;
        const dueJalali = formatJalali(reviewDueAt, { time: true });
        const writes = [
          ...this.workflow.transition(
            view,
            InquiryStatus.Submitted,
            'citizen',
            { metadata: { trackingCode, reviewDueAt: reviewDueAt.toISOString() } },
            { trackingCode, submittedAt: now, reviewDueAt },
          ),
          ...this.notifications.queueSms({ mobile: me.mobile, template: 'inquiry_submitted', params: { trackingCode, dueAt: dueJalali } }).queries,
        ];
        return {
          writes,
          result: (): SubmitResultDto | null => ({ trackingCode, status: view.status, reviewDueAt: reviewDueAt.toISOString(), reviewDueAtJalali: dueJalali }),
        };
      });
      if (result) return result;
    }
    throw CommonErrors.SERVICE_UNAVAILABLE({ retryAfterSeconds: 1 });
  }

  /** Public tracking: status, step, dates and what to do next; no personal data. */
  async track(trackingCode: string): Promise<TrackingDto> {
    const code = trackingCode.trim();
    if (!isValidTrackingCode(code)) throw InquiriesErrors.TRACKING_CODE_INVALID();
    const row = await run(this.em, this.repository.tracked(code));
    if (!row) throw CommonErrors.NOT_FOUND();
    const status = row.status as InquiryStatus;
    const info = STATUS_INFO[status];
    let bill: TrackingDto['next']['bill'] = null;
    if (status === InquiryStatus.AwaitingPayment) {
      bill = billSummary((await this.billing.fileStatus(row.renewalCode)).bill);
    }
    const submittedAt = row.submittedAt!;
    const due = row.reviewDueAt;
    return {
      trackingCode: code,
      type: row.type,
      status,
      statusTitle: info.fa,
      step: info.step,
      region: row.region,
      submittedAt: submittedAt.toISOString(),
      submittedAtJalali: formatJalali(submittedAt, { time: true }),
      reviewDueAt: due ? due.toISOString() : null,
      reviewDueAtJalali: due ? formatJalali(due, { time: true }) : null,
      updatedAt: row.statusChangedAt.toISOString(),
      next: { code: info.next.code, text: info.next.fa, bill },
    };
  }

  /** The inquiry if this actor may see it: its applicant, or staff of its region; else NOT_FOUND. */
  async findVisible(actor: Actor, id: string, em: EntityManager = this.em): Promise<InquiryRow> {
    if (!isUuid(id)) throw CommonErrors.NOT_FOUND();
    const inquiry = await run(em, this.repository.find(id));
    if (!inquiry) throw CommonErrors.NOT_FOUND();
    if (actor.type === 'citizen') {
      if (inquiry.citizenId !== actor.id) throw CommonErrors.NOT_FOUND();
    } else {
      assertRegionAccess(actor, inquiry.region);
    }
    return inquiry;
  }

  toDto(inquiry: InquiryRow, uploaded: string[], history: InquiryDto['history'], verdicts: DocumentVerdictRow[] = []): InquiryDto {
    const have = new Set(uploaded);
    const verdictOf = new Map(verdicts.map((v) => [v.kind as string, v]));
    const documents: DocumentRequirementDto[] = documentRequirements(inquiry.type, inquiry.applicantRole).map((r) => ({
      ...r,
      uploaded: have.has(r.kind),
      verdict: have.has(r.kind) ? (verdictOf.get(r.kind)?.verdict ?? null) : null,
      reason: have.has(r.kind) ? (verdictOf.get(r.kind)?.reason ?? null) : null,
    }));
    const iso = (d?: Date | null) => (d ? d.toISOString() : null);
    return {
      id: inquiry.id,
      type: inquiry.type,
      status: inquiry.status,
      statusTitle: STATUS_INFO[inquiry.status].fa,
      renewalCode: inquiry.renewalCode,
      region: inquiry.region,
      applicantRole: inquiry.applicantRole,
      organization: inquiry.organization ?? null,
      notaryOfficeNumber: inquiry.notaryOfficeNumber ?? null,
      undertakingsVersion: inquiry.undertakingsVersion,
      records: inquiry.snapshot as unknown as InquiryDto['records'],
      confirmedAt: iso(inquiry.confirmedAt),
      trackingCode: inquiry.trackingCode ?? null,
      submittedAt: iso(inquiry.submittedAt),
      reviewDueAt: iso(inquiry.reviewDueAt),
      reviewDueAtJalali: inquiry.reviewDueAt ? formatJalali(inquiry.reviewDueAt, { time: true }) : null,
      visit:
        inquiry.visitSlotId && inquiry.visitStartsAt
          ? { slotId: inquiry.visitSlotId, startsAt: inquiry.visitStartsAt.toISOString(), startsAtJalali: formatJalali(inquiry.visitStartsAt, { time: true }) }
          : null,
      bill: null,
      documents,
      history,
      createdAt: inquiry.createdAt.toISOString(),
      updatedAt: inquiry.updatedAt.toISOString(),
    };
  }
}

export function requireCitizen(actor: Actor): string {
  if (actor.type !== 'citizen' || !actor.id) throw CommonErrors.FORBIDDEN();
  return actor.id;
}

/** The bill a citizen pays (tracking page, the draft's debt summary). */
function billSummary(bill: { billId: string; paymentId: string; amountRials: bigint | number | string } | null | undefined) {
  return bill ? { billId: bill.billId, paymentId: bill.paymentId, amountRials: Number(bill.amountRials) } : null;
}

/** Request numbers compared without separators, spaces or case (Persian digits were normalized by the input pipe). */
function normalizeRequestNumber(v: string): string {
  return v.replace(/[\s\-/_.]/g, '').toUpperCase();
}

function secondsToTehranMidnight(now = new Date()): number {
  const midnight = tehranWallToDate(addDaysIso(tehranDateOf(now), 1), '00:00');
  return Math.max(60, Math.ceil((midnight.getTime() - now.getTime()) / 1000));
}
