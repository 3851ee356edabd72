import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, OnModuleInit, StreamableFile } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module';
import type { ResolvedConfig } from '../../config/app-config';
import { Actor, CommonErrors, isUuid, pageMeta, pageOffset, PageQuery } from '@app/common';
import { formatJalali, maskNationalId, normalizeMobile, normalizeNationalId } from '@app/iran';
import { AuditService } from '../audit/audit.service';
import { BillingService } from '../billing/billing.service';
import { CertificatesErrors } from '../certificates/certificates.errors';
import { CertificatesService } from '../certificates/certificates.service';
import type { AnswerDto, VerificationDto } from '../certificates/dto/certificate.dto';
import { InquiryStatus, InquiryType } from '../inquiries/domain/inquiry-status';
import { InquiriesService } from '../inquiries/inquiries.service';
import { InquiryWorkflowService } from '../inquiries/inquiry-workflow.service';
import { JobsService } from '../jobs/jobs.service';
import { CitizenAuthService } from '../membership/citizen-auth.service';
import { IdentityVerificationService, mobileMismatch } from '../membership/identity-verification.service';
import { RateLimitService } from '../rate-limit/rate-limit.service';
import { OrganizationsService } from '../membership/organizations.service';
import { OrganizationKind } from '../membership/dto/organization.dto';
import { NotificationsService } from '../notifications/notifications.service';
import { PropertiesService } from '../properties/properties.service';
import { BulkVerifyDto, BulkVerifyResponseDto, ConsentDto, ConsentRequestDto, ConsentRequestPageDto, CreateOrgInquiryDto, OrgInquiryDto, OrgInquiryListDto, OrgInquiryListQuery } from './dto/org-inquiries.dto';
import { OrgInquiryRequest, OrgInquiryRequestStatus } from './entities/org-inquiry-request.entity';
import { OrgInquiryErrors } from './integration.errors';
import type { WebhookEvent } from './webhook-events';
import { WebhooksService } from './webhooks.service';
import { cte, run, runAll, runPage, withCtes } from '../../database/sql';
import { OrgInquiryRequestRepository, type OrgRequestFilter, type OrgRequestLine } from './org-inquiry-request.repository';

const CONSENT_TTL_DAYS = 7;
export const INQUIRY_EVENT_QUEUE = 'integration.inquiry-event';
export const PAYMENT_EVENT_QUEUE = 'integration.payment-settled';

interface PaymentEventPayload {
  renewalCode: string;
  billId: string;
  paymentId: string;
  amountRials: string;
  paidAt: string;
}

/** Inquiry statuses organizations hear about by webhook. */
const STATUS_EVENTS: Partial<Record<InquiryStatus, WebhookEvent>> = {
  [InquiryStatus.Submitted]: 'inquiry.submitted',
  [InquiryStatus.NeedsCorrection]: 'inquiry.needs_correction',
  [InquiryStatus.AwaitingPayment]: 'inquiry.awaiting_payment',
  [InquiryStatus.Answered]: 'inquiry.answered',
  [InquiryStatus.Rejected]: 'inquiry.rejected',
};

interface InquiryEventPayload {
  inquiryId: string;
  status: InquiryStatus;
  trackingCode: string | null;
  at: string;
}

/**
 * Inquiries asked for by an organization: the organization names the citizen and the
 * property; the citizen is asked by SMS, consents as a member (which creates their
 * inquiry addressed to the organization) and completes it through the member API. Status
 * changes of such inquiries become webhooks (`inquiry.*`).
 */
@Injectable()
export class OrgInquiriesService implements OnModuleInit {
  constructor(
    private readonly em: EntityManager,
    private readonly inquiries: InquiriesService,
    private readonly workflow: InquiryWorkflowService,
    private readonly properties: PropertiesService,
    private readonly citizens: CitizenAuthService,
    private readonly identity: IdentityVerificationService,
    private readonly limits: RateLimitService,
    private readonly notifications: NotificationsService,
    private readonly webhooks: WebhooksService,
    private readonly jobs: JobsService,
    private readonly audit: AuditService,
    private readonly billing: BillingService,
    private readonly certificates: CertificatesService,
    private readonly organizations: OrganizationsService,
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
    private readonly requests: OrgInquiryRequestRepository,
  ) {}

  onModuleInit(): void {
    // the listener's statement runs inside the transition's transaction: it only enqueues, and only for
    // an inquiry an organization asked for (the others would cost a job that finds nobody to tell);
    // the job finds the organization
    this.workflow.onTransition((inquiry, _from, to) => {
      if (!STATUS_EVENTS[to]) return [];
      const payload: InquiryEventPayload = { inquiryId: inquiry.id, status: to, trackingCode: inquiry.trackingCode ?? null, at: new Date().toISOString() };
      const followed = cte(this.requests.followedInquiry(inquiry.id), 'followed');
      return [withCtes([followed], this.jobs.enqueue(INQUIRY_EVENT_QUEUE, { ...payload }, { backoffSeconds: 10 }, followed))];
    });
    this.jobs.register<InquiryEventPayload>(INQUIRY_EVENT_QUEUE, (payload, ctx) =>
      ctx.em.transactional(async (tx) => {
        const request = await tx.findOne(OrgInquiryRequest, { inquiryId: payload.inquiryId });
        if (!request) return; // an inquiry no organization asked for
        await this.webhooks.emit(tx, request.organization.id, STATUS_EVENTS[payload.status]!, {
          requestId: request.id,
          trackingCode: payload.trackingCode,
          status: payload.status,
          renewalCode: request.renewalCode,
          region: request.region,
          letterNumber: request.letterNumber,
          at: payload.at,
        });
      }),
    );
    // a settled bill of a property whose inquiry an organization follows → payment.settled
    this.billing.onSettled((settled) => {
      const [kind, code] = settled.scope.split(':');
      if ((kind !== 'file' && kind !== 'property') || !code) return [];
      const payload: PaymentEventPayload = {
        renewalCode: code,
        billId: settled.billId,
        paymentId: settled.paymentId,
        amountRials: settled.amountRials.toString(),
        paidAt: settled.paidAt.toISOString(),
      };
      return [this.jobs.enqueue(PAYMENT_EVENT_QUEUE, { ...payload }, { dedupeKey: `integration-settled:${settled.billId}` })];
    });
    this.jobs.register<PaymentEventPayload>(PAYMENT_EVENT_QUEUE, (payload, ctx) =>
      ctx.em.transactional(async (tx) => {
        const rows = await run(tx, this.requests.followersOfOpenInquiries(payload.renewalCode));
        for (const row of rows) {
          await this.webhooks.emit(tx, row.organizationId, 'payment.settled', {
            requestId: row.requestId,
            trackingCode: row.trackingCode,
            renewalCode: payload.renewalCode,
            billId: payload.billId,
            paymentId: payload.paymentId,
            amountRials: payload.amountRials,
            paidAt: payload.paidAt,
          });
        }
      }),
    );
  }

  async create(actor: Actor, dto: CreateOrgInquiryDto): Promise<OrgInquiryDto> {
    const code = this.properties.parseCode(dto.renewalCode, dto.region);
    await this.properties.summary(code.canonical, code.region); // PROPERTY_NOT_FOUND before anyone gets an SMS
    const mobile = normalizeMobile(dto.mobile)!;
    const nationalId = normalizeNationalId(dto.nationalId)!;
    const org = await this.organizations.find(actor.id!);
    if (!org?.active) throw OrgInquiryErrors.ORGANIZATION_INACTIVE();
    // every request that would SMS a citizen counts towards the client's daily cap, refused ones included
    await this.limits.consume({ key: `org-sms:${actor.clientId ?? actor.id}`, limit: this.config.integration.orgSmsRequestsPerDay, windowSeconds: 86400 });
    // the mobile must be the named citizen's (mobile-ownership registry) before anyone gets an SMS
    const match = await this.identity.matchMobile(nationalId, mobile, { purpose: 'org_inquiry', clientId: actor.clientId });
    if (match.result === 'unavailable') throw this.identity.unavailable();
    if (match.result === 'not_matched') throw mobileMismatch();
    return this.em.fork().transactional(async (tx) => {
      const request = tx.create(OrgInquiryRequest, {
        organization: org.id,
        nationalId,
        mobile,
        renewalCode: code.canonical,
        region: code.region,
        letterNumber: dto.letterNumber,
        letterDate: dto.letterDate,
        expiresAt: new Date(Date.now() + CONSENT_TTL_DAYS * 86400_000),
      });
      tx.persist(request);
      await runAll(tx, this.notifications.queueSms({
        mobile,
        template: 'text',
        params: {
          text:
            `${org.name} با نامه ${dto.letterNumber} پاسخ استعلام ملک ${code.canonical} را از شهرداری قزوین خواسته است.\n` +
            `برای رضایت و تکمیل درخواست تا ${CONSENT_TTL_DAYS} روز به بخش «درخواست‌های سازمان‌ها» در سامانه شهروندسپاری وارد شوید.`,
        },
      }).queries);
      await run(tx, this.audit.record({
        action: 'org_inquiry.requested',
        target: { type: 'org_inquiry_request', id: request.id },
        metadata: { renewalCode: request.renewalCode, region: request.region, letterNumber: request.letterNumber },
      }));
      await tx.flush();
      return orgDto(toLine(request));
    });
  }

  async list(organizationId: string, q: OrgInquiryListQuery): Promise<OrgInquiryListDto> {
    const filter: OrgRequestFilter = {
      ...(q.status === 'expired' || q.status === 'awaiting_consent' || q.status === 'consented' || q.status === 'declined'
        ? { requestStatus: q.status }
        : q.status
          ? { inquiryStatus: q.status as InquiryStatus }
          : {}),
      ...(q.from ? { from: new Date(q.from) } : {}),
      ...(q.to ? { to: new Date(q.to) } : {}),
    };
    const { limit, offset } = pageOffset(q);
    const page = await runPage(this.em.fork(), (l, o) => this.requests.page(organizationId, filter, l, o), limit, offset);
    return { items: page.items.map(orgDto), meta: pageMeta(q, page.total) };
  }

  /** By request id or tracking code; another organization's is NOT_FOUND. */
  async get(organizationId: string, ref: string): Promise<OrgInquiryDto> {
    return orgDto(await this.findOwn(this.em.fork(), organizationId, ref));
  }

  /** The answer of one of this organization's inquiries: the certificate with its JWS, or the letter as PDF. */
  async answer(organizationId: string, ref: string, format: 'json' | 'pdf' = 'json'): Promise<AnswerDto | StreamableFile> {
    const em = this.em.fork();
    const row = await this.findOwn(em, organizationId, ref);
    const cert = row.inquiryId ? await this.certificates.forInquiry(row.inquiryId, em) : null;
    if (!cert) throw CertificatesErrors.ANSWER_NOT_READY();
    if (format !== 'pdf') return this.certificates.toAnswerDto(cert);
    const bytes = await this.certificates.pdfBytes(cert);
    return new StreamableFile(bytes, { type: 'application/pdf', disposition: `inline; filename="answer-${cert.number}.pdf"`, length: bytes.length });
  }

  /** One of this organization's requests by request id or tracking code (another organization's, or a malformed ref: NOT_FOUND). */
  private async findOwn(em: EntityManager, organizationId: string, ref: string): Promise<OrgRequestLine> {
    const by = isUuid(ref) ? { id: ref } : /^\d{12}$/.test(ref) ? { trackingCode: ref } : null;
    const row = by ? await run(em, this.requests.findOwn(organizationId, by)) : undefined;
    if (!row) throw CommonErrors.NOT_FOUND();
    return row;
  }

  /** Verifies up to 100 certificates (the organization's own rate limit applies, not the public per-IP one). */
  async bulkVerify(dto: BulkVerifyDto): Promise<BulkVerifyResponseDto> {
    const results: BulkVerifyResponseDto['results'] = [];
    for (const [index, item] of dto.items.entries()) {
      const byJws = item.jws !== undefined;
      if (byJws === (item.number !== undefined || item.code !== undefined) || (!byJws && (!item.number || !item.code))) {
        throw OrgInquiryErrors.VERIFY_ITEM_INVALID({ extensions: { index } });
      }
      const verification = byJws
        ? await this.certificates.verifyJwsToken(item.jws!, undefined, { rateLimited: false })
        : await this.certificates.verifyByNumber(item.number, item.code, undefined, { rateLimited: false }).catch((err) => {
            if ((err as { code?: string }).code === 'VERIFY_QUERY_INVALID') return { status: 'unknown', certificate: null } as VerificationDto;
            throw err;
          });
      results.push({ index, status: verification.status, ...(verification.reason ? { reason: verification.reason } : {}), verification });
    }
    return { results };
  }

  /** The signed-in member's requests from organizations (their mobile and national ID). */
  async consentRequests(actor: Actor, q: PageQuery): Promise<ConsentRequestPageDto> {
    const { mobile, nationalId } = await this.namingMember(actor);
    const { limit, offset } = pageOffset(q);
    const page = await runPage(this.em.fork(), (l, o) => this.requests.forMember(mobile, nationalId, l, o), limit, offset);
    return {
      items: page.items.map((r) => ({ ...r, status: effectiveStatus(r.status, r.expiresAt), expiresAt: r.expiresAt.toISOString() })),
      meta: pageMeta(q, page.total),
    };
  }

  /** Consent: creates the member's draft inquiry addressed to the organization (the usual checks apply). */
  async consent(actor: Actor, id: string, dto: ConsentDto): Promise<ConsentRequestDto> {
    const em = this.em.fork();
    const request = await this.memberRequest(em, actor, id);
    // claim first, so two concurrent consents cannot create two inquiries
    const claimed = await run(em, this.requests.claimConsent(request.id));
    if (!claimed) throw OrgInquiryErrors.CONSENT_NOT_PENDING();
    const org = request.organization;
    try {
      const inquiry = await this.inquiries.create(actor, {
        type: org.kind === OrganizationKind.Notary ? InquiryType.Notary : InquiryType.Office,
        renewalCode: request.renewalCode,
        region: request.region,
        lastRequestNumber: dto.lastRequestNumber,
        undertakingsVersion: dto.undertakingsVersion,
        undertakingsAccepted: dto.undertakingsAccepted,
        ...(org.kind === OrganizationKind.Notary
          ? { notaryOfficeNumber: org.notaryOfficeNumber ?? undefined }
          : {
              organization: {
                kind: org.kind === OrganizationKind.Bank ? 'bank' : 'government',
                name: org.name,
                letterNumber: request.letterNumber,
                letterDate: request.letterDate,
              },
            }),
      });
      await em.transactional(async (tx) => {
        await run(tx, this.requests.linkInquiry(request.id, inquiry.id));
        await run(tx, this.audit.record({ action: 'org_inquiry.consented', target: { type: 'org_inquiry_request', id: request.id }, metadata: { inquiryId: inquiry.id } }));
      });
      return { ...consentDto(request), status: OrgInquiryRequestStatus.Consented, inquiryId: inquiry.id };
    } catch (err) {
      await run(em, this.requests.undoConsent(request.id));
      throw err;
    }
  }

  async decline(actor: Actor, id: string): Promise<ConsentRequestDto> {
    const where = await this.namingMember(actor);
    return this.em.fork().transactional(async (tx) => {
      const request = await this.memberRequest(tx, actor, id, where);
      if (request.status !== OrgInquiryRequestStatus.AwaitingConsent || request.expiresAt < new Date()) throw OrgInquiryErrors.CONSENT_NOT_PENDING();
      request.status = OrgInquiryRequestStatus.Declined;
      await run(tx, this.audit.record({ action: 'org_inquiry.declined', target: { type: 'org_inquiry_request', id: request.id } }));
      return consentDto(request);
    });
  }

  /** Requests name a member by their mobile and national ID. */
  private async namingMember(actor: Actor): Promise<{ mobile: string; nationalId: string }> {
    const me = await this.citizens.profile(actor.id!);
    return { mobile: normalizeMobile(me.mobile) ?? me.mobile, nationalId: me.nationalId };
  }

  /** One request naming the signed-in member (anyone else's, or a malformed id: NOT_FOUND). */
  private async memberRequest(em: EntityManager, actor: Actor, id: string, naming?: { mobile: string; nationalId: string }): Promise<OrgInquiryRequest> {
    if (!isUuid(id)) throw CommonErrors.NOT_FOUND();
    const request = await em.findOne(OrgInquiryRequest, { id, ...(naming ?? (await this.namingMember(actor))) }, { populate: ['organization'] });
    if (!request) throw CommonErrors.NOT_FOUND();
    return request;
  }
}

function toLine(r: OrgInquiryRequest): OrgRequestLine {
  return {
    id: r.id,
    inquiryId: r.inquiryId ?? null,
    requestStatus: r.status,
    expiresAt: r.expiresAt,
    renewalCode: r.renewalCode,
    region: r.region,
    nationalId: r.nationalId,
    letterNumber: r.letterNumber,
    letterDate: r.letterDate,
    createdAt: r.createdAt,
    consentedAt: r.consentedAt ?? null,
    status: null,
    trackingCode: null,
    submittedAt: null,
    reviewDueAt: null,
  };
}

function effectiveStatus(status: OrgInquiryRequestStatus, expiresAt: Date): OrgInquiryRequestStatus {
  return status === OrgInquiryRequestStatus.AwaitingConsent && new Date(expiresAt) < new Date() ? OrgInquiryRequestStatus.Expired : status;
}

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

function orgDto(r: OrgRequestLine): OrgInquiryDto {
  return {
    id: r.id,
    requestStatus: effectiveStatus(r.requestStatus, r.expiresAt),
    status: r.status,
    trackingCode: r.trackingCode,
    renewalCode: r.renewalCode,
    region: r.region,
    nationalId: maskNationalId(r.nationalId),
    letterNumber: r.letterNumber,
    letterDate: r.letterDate,
    createdAt: r.createdAt.toISOString(),
    createdAtJalali: formatJalali(r.createdAt, { time: true }),
    consentExpiresAt: r.expiresAt.toISOString(),
    consentedAt: iso(r.consentedAt),
    submittedAt: iso(r.submittedAt),
    reviewDueAt: iso(r.reviewDueAt),
  };
}

function consentDto(r: OrgInquiryRequest): ConsentRequestDto {
  return {
    id: r.id,
    organizationName: r.organization.name,
    organizationKind: r.organization.kind,
    renewalCode: r.renewalCode,
    region: r.region,
    letterNumber: r.letterNumber,
    letterDate: r.letterDate,
    status: effectiveStatus(r.status, r.expiresAt),
    expiresAt: r.expiresAt.toISOString(),
    inquiryId: r.inquiryId ?? null,
  };
}
