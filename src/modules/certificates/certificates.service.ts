import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import QRCode from 'qrcode';
import { Actor, CommonErrors } from '@app/common';
import { formatJalali, toJalali } from '@app/iran';
import { APP_CONFIG } from '../../config/config.module';
import type { ResolvedConfig } from '../../config/app-config';
import { AuditService } from '../audit/audit.service';
import { StorageService } from '../documents/storage.service';
import { InquiriesService } from '../inquiries/inquiries.service';
import { JobsService } from '../jobs/jobs.service';
import { clientKey, RateLimitService } from '../rate-limit/rate-limit.service';
import { answerLetterHtml } from './answer-letter';
import { CertificatesRepository } from './certificates.repository';
import { CertificatesErrors } from './certificates.errors';
import { approverTitle, type AnswerContent } from './domain/answer-content';
import { canonicalJson, normalizeVerificationCode, sha256Hex, signJws, verificationCode, verifyJws } from './domain/jws';
import { AnswerDto, JwksDto, VerificationDto } from './dto/certificate.dto';
import { Certificate } from './entities/certificate.entity';
import { PdfRenderer } from './pdf-renderer';
import { SigningKeysService } from './signing-keys.service';
import { certificateQrPayload, jwsFromQrText, verificationPage } from './verify-page';
import { run } from '../../database/sql';

export type AnswerFormat = 'json' | 'html' | 'pdf';
export type AnswerOutput =
  | { format: 'json'; answer: AnswerDto }
  | { format: 'html'; html: string }
  | { format: 'pdf'; pdf: Buffer; fileName: string };

export const CERT_PDF_QUEUE = 'certificates.render_pdf';
const ISSUER = 'qazvin-municipality';

export interface IssueInput {
  inquiryId: string;
  region: number;
  preparedBy: string;
  approvedBy: string;
  /** Builds the content once the number and times are known. */
  content: (meta: { number: string; issuedAt: Date; validUntil: Date }) => AnswerContent;
}

/**
 * Issued answers: signing (Ed25519 JWS over the SHA-256 of the canonical content), the
 * public keys, verification by number + code or by JWS, revocation, the printable HTML and
 * the PDF (rendered by a job with headless Chromium, stored in object storage).
 */
@Injectable()
export class CertificatesService implements OnModuleInit {
  private readonly logger = new Logger(CertificatesService.name);

  constructor(
    private readonly em: EntityManager,
    private readonly orm: MikroORM,
    private readonly keys: SigningKeysService,
    private readonly jobs: JobsService,
    private readonly storage: StorageService,
    private readonly audit: AuditService,
    private readonly limits: RateLimitService,
    private readonly pdf: PdfRenderer,
    private readonly inquiries: InquiriesService,
    private readonly repo: CertificatesRepository,
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.register<{ certificateId: string }>(CERT_PDF_QUEUE, async (payload, ctx) => this.renderPdf(ctx.em, payload.certificateId));
  }

  /** Issues the certificate in the caller's transaction and queues its PDF. */
  async issue(tx: EntityManager, input: IssueInput): Promise<Certificate> {
    const id = await run(tx, this.repo.nextSerial());
    const issuedAt = new Date();
    const validUntil = new Date(issuedAt.getTime() + this.config.certificates.validityDays * 86_400_000);
    const number = `${toJalali(issuedAt).jy}-${input.region}-${id.padStart(6, '0')}`;
    const content = input.content({ number, issuedAt, validUntil });
    const contentHash = sha256Hex(canonicalJson(content));
    const jws = signJws(
      {
        iss: ISSUER,
        sub: number,
        iat: Math.floor(issuedAt.getTime() / 1000),
        exp: Math.floor(validUntil.getTime() / 1000),
        typ: content.inquiryType,
        region: input.region,
        renewalCode: content.property.renewalCode,
        trackingCode: content.trackingCode,
        sha256: contentHash,
      },
      this.keys.privateKey,
      this.keys.kid,
    );
    const cert = tx.create(Certificate, {
      id,
      number,
      verificationCode: verificationCode(randomBytes(8)),
      inquiryId: input.inquiryId,
      region: input.region,
      content: content as unknown as Record<string, unknown>,
      contentHash,
      jws,
      kid: this.keys.kid,
      issuedAt,
      validUntil,
      preparedBy: input.preparedBy,
      approvedBy: input.approvedBy,
    });
    tx.persist(cert);
    await run(tx, this.audit.record({ action: 'certificate.issued', target: { type: 'certificate', id: number }, metadata: { inquiryId: input.inquiryId, contentHash, kid: this.keys.kid } }));
    await run(tx, this.jobs.enqueue(CERT_PDF_QUEUE, { certificateId: id }, { dedupeKey: `cert-pdf:${id}`, maxAttempts: 5, backoffSeconds: 30 }));
    return cert;
  }

  jwks(): JwksDto {
    return { keys: [...this.keys.jwks] };
  }

  async forInquiry(inquiryId: string, em: EntityManager = this.em): Promise<Certificate | null> {
    return em.findOne(Certificate, { inquiryId });
  }

  /**
   * The answer letter of an inquiry for its applicant or staff of its region (anyone else:
   * NOT_FOUND), as the DTO, the printable HTML or the PDF; ANSWER_NOT_READY before it is issued.
   */
  async answerOf(actor: Actor, inquiryId: string, format: AnswerFormat = 'json'): Promise<AnswerOutput> {
    const inquiry = await this.inquiries.findVisible(actor, inquiryId);
    const cert = await this.forInquiry(inquiry.id);
    if (!cert) throw CertificatesErrors.ANSWER_NOT_READY();
    if (format === 'html') return { format, html: await this.html(cert) };
    if (format === 'pdf') return { format, pdf: await this.pdfBytes(cert), fileName: `answer-${cert.number}.pdf` };
    return { format, answer: this.toAnswerDto(cert) };
  }

  toAnswerDto(cert: Certificate): AnswerDto {
    return {
      number: cert.number,
      verificationCode: cert.verificationCode,
      issuedAt: cert.issuedAt.toISOString(),
      issuedAtJalali: formatJalali(cert.issuedAt, { time: true }),
      validUntil: cert.validUntil.toISOString(),
      status: cert.revokedAt ? 'revoked' : 'valid',
      revocationReason: cert.revocationReason ?? null,
      contentHash: cert.contentHash,
      jws: cert.jws,
      kid: cert.kid,
      verifyUrl: this.verifyUrl(cert),
      content: cert.content as unknown as AnswerDto['content'],
      pdfReady: Boolean(cert.pdfKey),
    };
  }

  verifyUrl(cert: Pick<Certificate, 'number' | 'verificationCode'>): string {
    const base = (this.config.http.publicUrl ?? `http://localhost:${this.config.http.port}`).replace(/\/+$/, '');
    return `${base}/api/v1/certificates/verify?number=${encodeURIComponent(cert.number)}&code=${encodeURIComponent(cert.verificationCode)}`;
  }

  async html(cert: Certificate): Promise<string> {
    const verifyUrl = this.verifyUrl(cert);
    const qrSvg = await QRCode.toString(certificateQrPayload(verifyUrl, cert.jws), { type: 'svg', errorCorrectionLevel: 'L', margin: 1 });
    return answerLetterHtml(cert.content as unknown as AnswerContent, {
      verificationCode: cert.verificationCode,
      verifyUrl,
      qrSvg,
      revoked: Boolean(cert.revokedAt),
      contentHash: cert.contentHash,
    });
  }

  /** The stored PDF, or a coded 503 saying why there is none. */
  async pdfBytes(cert: Certificate): Promise<Buffer> {
    if (cert.pdfKey) return this.storage.get(cert.pdfKey);
    const reason = this.pdf.unavailableReason();
    if (reason) throw CertificatesErrors.PDF_UNAVAILABLE({ extensions: { reason } });
    if (cert.pdfError) {
      // rendering failed earlier (e.g. Chromium was installed since): render it now, once
      await this.renderPdf(this.orm.em.fork(), cert.id).catch(() => undefined);
      const fresh = await this.orm.em.fork().findOne(Certificate, { id: cert.id });
      if (fresh?.pdfKey) return this.storage.get(fresh.pdfKey);
      throw CertificatesErrors.PDF_UNAVAILABLE({ extensions: { reason: fresh?.pdfError ?? cert.pdfError } });
    }
    throw CertificatesErrors.PDF_NOT_READY({ retryAfterSeconds: 5 });
  }

  /** The render job: HTML → PDF → object storage; no Chromium is recorded, not retried. */
  async renderPdf(em: EntityManager, certificateId: string): Promise<void> {
    const cert = await em.findOne(Certificate, { id: certificateId });
    if (!cert || cert.pdfKey) return;
    const reason = this.pdf.unavailableReason();
    if (reason) {
      this.logger.warn({ certificate: cert.number, reason }, 'answer PDF not rendered');
      await em.nativeUpdate(Certificate, { id: cert.id }, { pdfError: reason });
      return;
    }
    let bytes: Buffer;
    try {
      bytes = await this.pdf.render(await this.html(cert));
    } catch (err) {
      // recorded for the PDF endpoint's answer; the job retries with backoff
      await em.nativeUpdate(Certificate, { id: cert.id }, { pdfError: `rendering failed: ${(err as Error).message}`.slice(0, 500) });
      throw err;
    }
    const key = this.storage.newKey('answers');
    await this.storage.put(key, bytes, 'application/pdf');
    const updated = await em.nativeUpdate(Certificate, { id: cert.id, pdfKey: null }, { pdfKey: key, pdfError: null });
    if (!updated) await this.storage.remove(key).catch(() => undefined);
  }

  /** Public verification by number and the short code printed on the letter. */
  async verifyByNumber(
    numberInput: string | undefined,
    codeInput: string | undefined,
    ip: string | undefined,
    options: { rateLimited?: boolean } = {},
  ): Promise<VerificationDto> {
    return (await this.lookupByNumber(numberInput, codeInput, ip, options)).dto;
  }

  /**
   * The same verification as a Persian page for a person who scanned the QR code: status and
   * the letter's essentials (no personal data; the renewal code masked). A malformed number
   * or code is shown as not found, as a person typing them would expect.
   */
  async verificationPageByNumber(numberInput: string | undefined, codeInput: string | undefined, ip: string | undefined): Promise<string> {
    const found = await this.lookupByNumber(numberInput, codeInput, ip, {}, true);
    const c = found.cert?.content as unknown as AnswerContent | undefined;
    return verificationPage(found.dto, c ? { issuerTitle: `${approverTitle(c.issuer)}، شهرداری قزوین` } : null);
  }

  private async lookupByNumber(
    numberInput: string | undefined,
    codeInput: string | undefined,
    ip: string | undefined,
    options: { rateLimited?: boolean },
    malformedIsUnknown = false,
  ): Promise<{ dto: VerificationDto; cert: Certificate | null }> {
    if (options.rateLimited !== false) await this.rateLimit(ip);
    const number = (numberInput ?? '').trim();
    const code = normalizeVerificationCode(codeInput ?? '');
    if (!/^\d{4}-\d-\d{6,}$/.test(number) || !/^[0-9A-Z]{8}$/.test(code)) {
      if (malformedIsUnknown) return { dto: { status: 'unknown', certificate: null }, cert: null };
      throw CertificatesErrors.VERIFY_QUERY_INVALID();
    }
    const cert = await this.em.findOne(Certificate, { number });
    if (!cert || cert.verificationCode !== code) return { dto: { status: 'unknown', certificate: null }, cert: null };
    return { dto: { status: this.statusOf(cert), certificate: this.facts(cert) }, cert };
  }

  /** Public verification of a JWS (from the QR code or the API): forged or altered → invalid. */
  async verifyJwsToken(jws: string, ip: string | undefined, options: { rateLimited?: boolean } = {}): Promise<VerificationDto> {
    if (options.rateLimited !== false) await this.rateLimit(ip);
    // the QR code holds "<verification URL>#jws=<JWS>" (older letters: "<URL>\n<JWS>"): accept that whole text too
    jws = jwsFromQrText(jws);
    const check = verifyJws(jws, this.keys.keys());
    if (!check.ok) return { status: 'invalid', reason: check.reason, certificate: null };
    const number = check.payload.sub;
    if (check.payload.iss !== ISSUER || typeof number !== 'string') return { status: 'invalid', reason: 'bad_claims', certificate: null };
    const cert = await this.em.findOne(Certificate, { number });
    if (!cert) return { status: 'unknown', certificate: null };
    if (cert.jws !== jws || check.payload.sha256 !== cert.contentHash) return { status: 'invalid', reason: 'content_mismatch', certificate: null };
    return { status: this.statusOf(cert), certificate: this.facts(cert) };
  }

  async revoke(actor: Actor, numberInput: string, reason: string): Promise<VerificationDto> {
    const number = numberInput.trim();
    return this.em.fork().transactional(async (tx) => {
      const id = await run(tx, this.repo.lockByNumber(number));
      if (!id) throw CommonErrors.NOT_FOUND();
      const cert = await tx.findOneOrFail(Certificate, { id });
      if (cert.revokedAt) throw CertificatesErrors.CERTIFICATE_ALREADY_REVOKED();
      cert.revokedAt = new Date();
      cert.revokedBy = actor.id;
      cert.revocationReason = reason;
      await run(tx, this.audit.record({ action: 'certificate.revoked', target: { type: 'certificate', id: number }, metadata: { reason, inquiryId: cert.inquiryId } }));
      return { status: 'revoked' as const, certificate: this.facts(cert) };
    });
  }

  private statusOf(cert: Certificate): VerificationDto['status'] {
    if (cert.revokedAt) return 'revoked';
    if (cert.validUntil.getTime() < Date.now()) return 'expired';
    return 'valid';
  }

  /** The essential, non-personal facts of a certificate. */
  private facts(cert: Certificate): NonNullable<VerificationDto['certificate']> {
    const c = cert.content as unknown as AnswerContent;
    return {
      number: cert.number,
      inquiryType: c.inquiryType,
      region: cert.region,
      renewalCode: c.property.renewalCode,
      issuedAt: cert.issuedAt.toISOString(),
      issuedAtJalali: formatJalali(cert.issuedAt),
      validUntil: cert.validUntil.toISOString(),
      validUntilJalali: formatJalali(cert.validUntil),
      addressee: c.addressee.kind === 'office' ? c.addressee.name : `دفتر اسناد رسمی شماره ${c.addressee.notaryOfficeNumber}`,
      contentHash: cert.contentHash,
      kid: cert.kid,
      revokedAt: cert.revokedAt ? cert.revokedAt.toISOString() : null,
      revocationReason: cert.revocationReason ?? null,
    };
  }

  private async rateLimit(ip: string | undefined): Promise<void> {
    await this.limits.consume({ key: `route:cert-verify:${clientKey(ip)}`, limit: this.config.certificates.verifyRateLimitPerMinute, windowSeconds: 60 });
  }
}
