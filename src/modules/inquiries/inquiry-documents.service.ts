import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Actor, CommonErrors, isUuid, uuidv7 } from '@app/common';
import { APP_CONFIG } from '../../config/config.module';
import type { ResolvedConfig } from '../../config/app-config';
import { type Query, readDecideWrite, run } from '../../database/sql';
import { DocumentIntakeService, ScanKind, ScanLabel, UploadedFileLike } from '../documents/document-intake.service';
import { StorageService } from '../documents/storage.service';
import { EDITABLE_STATUSES } from './domain/inquiry-status';
import { documentRequirements } from './domain/requirements';
import { DocumentDto, DocumentListDto, DocumentUrlDto } from './dto/inquiry.dto';
import { DocumentKind } from './entities/inquiry-document.entity';
import { InquiriesErrors } from './inquiries.errors';
import { InquiriesService, requireCitizen } from './inquiries.service';
import { InquiryWorkflowService } from './inquiry-workflow.service';
import { InquiryDocumentRepository, InquiryDocumentRow } from './inquiry-document.repository';
import { InquiryRepository } from './inquiry.repository';

const KINDS = new Set<string>(Object.values(DocumentKind));

/**
 * Documents of an inquiry. An upload is validated and re-encoded first (nothing stored yet),
 * then written to object storage under a fresh random key, then recorded in one transaction
 * that also locks the inquiry. If that transaction fails the new object is removed (no
 * orphan); if storage fails nothing is recorded (no row without bytes). A replaced object is
 * deleted after the commit.
 */
/** Each document's legibility floor and what a refusal asks the citizen to rescan. */
const SCAN_OF: Record<DocumentKind, { kind: ScanKind; label: ScanLabel }> = {
  [DocumentKind.Deed]: { kind: 'page', label: { fa: 'صفحهٔ سند مالکیت', en: 'title deed page' } },
  [DocumentKind.NationalCard]: { kind: 'card', label: { fa: 'روی کارت ملی', en: 'front of the national card' } },
  [DocumentKind.OfficeLetter]: { kind: 'page', label: { fa: 'نامهٔ اداره', en: 'office letter' } },
  [DocumentKind.BirthCertificate]: { kind: 'page', label: { fa: 'صفحهٔ اول شناسنامه', en: 'first page of the birth certificate' } },
  [DocumentKind.PowerOfAttorney]: { kind: 'page', label: { fa: 'صفحهٔ وکالت‌نامه', en: 'power of attorney page' } },
};

@Injectable()
export class InquiryDocumentsService {
  private readonly logger = new Logger(InquiryDocumentsService.name);

  constructor(
    private readonly em: EntityManager,
    private readonly storage: StorageService,
    private readonly intake: DocumentIntakeService,
    private readonly inquiries: InquiriesService,
    private readonly workflow: InquiryWorkflowService,
    private readonly repository: InquiryDocumentRepository,
    private readonly inquiryRows: InquiryRepository,
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
  ) {}

  async put(actor: Actor, inquiryId: string, kindInput: string, file: UploadedFileLike | undefined): Promise<DocumentDto> {
    const citizenId = requireCitizen(actor);
    const kind = parseKind(kindInput);
    // cheap checks before any work on the bytes (ownership: 404 for another member's inquiry)
    if (!isUuid(inquiryId)) throw CommonErrors.NOT_FOUND();
    const visible = await run(this.em, this.inquiryRows.find(inquiryId));
    if (!visible || visible.citizenId !== citizenId) throw CommonErrors.NOT_FOUND();
    this.assertEditable(visible.status, visible.confirmedAt, visible.type, visible.applicantRole, kind);

    const prepared = await this.intake.prepare(file, SCAN_OF[kind]);
    const key = this.storage.newKey('documents');
    await this.storage.put(key, prepared.bytes, prepared.contentType, prepared.sha256);

    let replacedKey: string | null = null;
    let saved: DocumentDto;
    try {
      // one transaction in two round trips: lock the inquiry and read the document it replaces,
      // check in Node, then write the row and its audit entry and commit
      saved = await readDecideWrite(this.em, [this.workflow.lock(inquiryId), this.repository.find(inquiryId, kind)], ([head, old]) => {
        if (head.citizenId !== citizenId) throw CommonErrors.NOT_FOUND();
        this.assertEditable(head.status, head.confirmedAt, head.type, head.applicantRole, kind);
        replacedKey = old?.objectKey ?? null;
        const upsert = this.repository.upsert({
          id: uuidv7(),
          inquiryId,
          kind,
          objectKey: key,
          size: prepared.bytes.length,
          contentType: prepared.contentType,
          sha256: prepared.sha256,
          originalSha256: prepared.originalSha256,
          originalName: prepared.originalName ?? null,
          width: prepared.width,
          height: prepared.height,
        });
        const event = this.workflow.event(head, replacedKey ? 'inquiry.document.replaced' : 'inquiry.document.uploaded', {
          kind,
          sha256: prepared.sha256,
          size: prepared.bytes.length,
          scanned: prepared.scanned,
        });
        return { writes: [upsert, event], result: ([row]) => toDto(row as InquiryDocumentRow) };
      });
    } catch (err) {
      await this.storage.remove(key).catch((cleanup) => this.logger.error({ err: cleanup, key }, 'could not remove the object of a failed upload'));
      throw err;
    }
    if (replacedKey) {
      const old = replacedKey;
      await this.storage.remove(old).catch((err) => this.logger.error({ err, key: old }, 'could not remove a replaced document'));
    }
    return saved;
  }

  async list(actor: Actor, inquiryId: string): Promise<DocumentListDto> {
    const inquiry = await this.inquiries.findVisible(actor, inquiryId);
    const docs = await run(this.em, this.repository.ofInquiry(inquiry.id));
    const have = new Set(docs.map((d) => d.kind));
    return {
      items: docs.map(toDto),
      requirements: documentRequirements(inquiry.type, inquiry.applicantRole).map((r) => ({ ...r, uploaded: have.has(r.kind) })),
    };
  }

  /** A short-lived presigned GET link, for the applicant and staff of the property's region only. */
  async url(actor: Actor, inquiryId: string, kindInput: string): Promise<DocumentUrlDto> {
    const kind = parseKind(kindInput);
    const inquiry = await this.inquiries.findVisible(actor, inquiryId);
    const doc = await run(this.em, this.repository.find(inquiry.id, kind));
    if (!doc) throw CommonErrors.NOT_FOUND();
    return this.link(doc);
  }

  /** Links of every uploaded document (the desk's page): one visibility check and one query, not one per document. */
  async urls(actor: Actor, inquiryId: string): Promise<DocumentUrlDto[]> {
    const inquiry = await this.inquiries.findVisible(actor, inquiryId);
    const docs = await run(this.em, this.repository.ofInquiry(inquiry.id));
    return Promise.all(docs.map((d) => this.link(d)));
  }

  /** The kinds uploaded for an inquiry, to read in the caller's transaction (the desk's review checks its verdicts against them). */
  kinds(inquiryId: string): Query<string[]> {
    return this.repository.kinds(inquiryId);
  }

  /** Records the desk's verdict and reason on each reviewed page, in the caller's transaction (a re-upload clears it). */
  setVerdicts(inquiryId: string, verdicts: Array<{ kind: string; verdict: 'accepted' | 'rejected'; reason: string | null }>): Query<void> {
    return this.repository.setVerdicts(inquiryId, verdicts);
  }

  private async link(doc: InquiryDocumentRow): Promise<DocumentUrlDto> {
    const ttl = this.config.documents.urlTtlSeconds;
    const url = await this.storage.presignedGetUrl(doc.objectKey, ttl, `${doc.kind}.jpg`);
    return { kind: doc.kind, url, expiresAt: new Date(Date.now() + ttl * 1000).toISOString() };
  }

  private assertEditable(
    status: Parameters<typeof EDITABLE_STATUSES.includes>[0],
    confirmedAt: Date | null | undefined,
    type: Parameters<typeof documentRequirements>[0],
    role: Parameters<typeof documentRequirements>[1],
    kind: DocumentKind,
  ): void {
    if (!EDITABLE_STATUSES.includes(status)) throw InquiriesErrors.INQUIRY_STATUS_CONFLICT({ extensions: { status } });
    if (!confirmedAt) throw InquiriesErrors.INQUIRY_NOT_CONFIRMED();
    if (!documentRequirements(type, role).some((r) => r.kind === kind)) throw InquiriesErrors.DOCUMENT_NOT_APPLICABLE();
  }
}

function parseKind(input: string): DocumentKind {
  if (!KINDS.has(input)) throw InquiriesErrors.DOCUMENT_KIND_INVALID();
  return input as DocumentKind;
}

function toDto(d: InquiryDocumentRow): DocumentDto {
  return {
    kind: d.kind,
    contentType: d.contentType,
    size: d.size,
    sha256: d.sha256,
    width: d.width,
    height: d.height,
    originalName: d.originalName,
    uploadedAt: d.uploadedAt.toISOString(),
  };
}
