import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Actor, CommonErrors, isUuid, uuidv7 } from '@app/common';
import { APP_CONFIG } from '../../config/config.module';
import type { ResolvedConfig } from '../../config/app-config';
import { readThenWrite } from '../../database/sql-batch';
import { DocumentIntakeService, UploadedFileLike } from '../documents/document-intake.service';
import { StorageService } from '../documents/storage.service';
import { EDITABLE_STATUSES, InquiryStatus, InquiryType } from './domain/inquiry-status';
import { documentRequirements } from './domain/requirements';
import { DocumentDto, DocumentListDto, DocumentUrlDto } from './dto/inquiry.dto';
import { DocumentKind, InquiryDocument } from './entities/inquiry-document.entity';
import { ApplicantRole } from './entities/inquiry.entity';
import { InquiriesErrors } from './inquiries.errors';
import { InquiriesService, requireCitizen } from './inquiries.service';
import { InquiryWorkflowService } from './inquiry-workflow.service';

const KINDS = new Set<string>(Object.values(DocumentKind));

/**
 * Documents of an inquiry. An upload is validated and re-encoded first (nothing stored yet),
 * then written to object storage under a fresh random key, then recorded in one transaction
 * that also locks the inquiry. If that transaction fails the new object is removed (no
 * orphan); if storage fails nothing is recorded (no row without bytes). A replaced object is
 * deleted after the commit.
 */
@Injectable()
export class InquiryDocumentsService {
  private readonly logger = new Logger(InquiryDocumentsService.name);

  constructor(
    private readonly em: EntityManager,
    private readonly storage: StorageService,
    private readonly intake: DocumentIntakeService,
    private readonly inquiries: InquiriesService,
    private readonly workflow: InquiryWorkflowService,
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
  ) {}

  async put(actor: Actor, inquiryId: string, kindInput: string, file: UploadedFileLike | undefined): Promise<DocumentDto> {
    const citizenId = requireCitizen(actor);
    const kind = parseKind(kindInput);
    // cheap checks before any work on the bytes (ownership: 404 for another member's inquiry)
    if (!isUuid(inquiryId)) throw CommonErrors.NOT_FOUND();
    const [visible] = await this.em.execute<Array<{ citizen_id: string; status: InquiryStatus; confirmed_at: Date | null; type: InquiryType; applicant_role: ApplicantRole }>>(
      `select citizen_id, status, confirmed_at, type, applicant_role from inquiry where id = ?`,
      [inquiryId],
    );
    if (!visible || visible.citizen_id !== citizenId) throw CommonErrors.NOT_FOUND();
    this.assertEditable(visible.status, visible.confirmed_at, visible.type, visible.applicant_role, kind);

    const prepared = await this.intake.prepare(file);
    const key = this.storage.newKey('documents');
    await this.storage.put(key, prepared.bytes, prepared.contentType, prepared.sha256);

    let replacedKey: string | null = null;
    let saved: DocumentDto;
    try {
      // one transaction in two round trips: lock the inquiry and read the document it replaces,
      // check in Node, then write the row and its audit entry and commit
      saved = await readThenWrite(
        this.em,
        [
          { sql: `select id, citizen_id, status, confirmed_at, type, applicant_role from inquiry where id = ? for update`, params: [inquiryId] },
          { sql: `select object_key from inquiry_document where inquiry_id = ? and kind = ?`, params: [inquiryId, kind] },
        ],
        ([[inquiry], [old]]) => {
          const head = inquiry as unknown as InquiryHead | undefined;
          if (!head || head.citizen_id !== citizenId) throw CommonErrors.NOT_FOUND();
          this.assertEditable(head.status, head.confirmed_at, head.type, head.applicant_role, kind);
          replacedKey = (old?.object_key as string | undefined) ?? null;
          return {
            writes: [
              {
                sql: `insert into inquiry_document (id, inquiry_id, kind, object_key, size, content_type, sha256, original_sha256, original_name,
                                                    width, height, created_at, updated_at)
                      values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now(), now())
                      on conflict (inquiry_id, kind) do update set object_key = excluded.object_key, size = excluded.size,
                        content_type = excluded.content_type, sha256 = excluded.sha256, original_sha256 = excluded.original_sha256,
                        original_name = excluded.original_name, width = excluded.width, height = excluded.height, updated_at = now()
                      returning kind, content_type, size, sha256, width, height, original_name, updated_at`,
                params: [uuidv7(), inquiryId, kind, key, prepared.bytes.length, prepared.contentType, prepared.sha256, prepared.originalSha256,
                  prepared.originalName, prepared.width, prepared.height],
              },
              this.workflow.eventStatement({ id: inquiryId, status: head.status }, replacedKey ? 'inquiry.document.replaced' : 'inquiry.document.uploaded', {
                kind,
                sha256: prepared.sha256,
                size: prepared.bytes.length,
                scanned: prepared.scanned,
              }),
            ],
            result: ([[row]]) => rowToDto(row),
          };
        },
      );
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
    const docs = await this.em.find(InquiryDocument, { inquiry: inquiry.id }, { orderBy: { kind: 'asc' } });
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
    const doc = await this.em.findOne(InquiryDocument, { inquiry: inquiry.id, kind });
    if (!doc) throw CommonErrors.NOT_FOUND();
    return this.link(doc);
  }

  /** Links of every uploaded document (the desk's page): one visibility check and one query, not one per document. */
  async urls(actor: Actor, inquiryId: string): Promise<DocumentUrlDto[]> {
    const inquiry = await this.inquiries.findVisible(actor, inquiryId);
    const docs = await this.em.find(InquiryDocument, { inquiry: inquiry.id }, { orderBy: { kind: 'asc' } });
    return Promise.all(docs.map((d) => this.link(d)));
  }

  private async link(doc: InquiryDocument): Promise<DocumentUrlDto> {
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

interface InquiryHead {
  id: string;
  citizen_id: string;
  status: InquiryStatus;
  confirmed_at: Date | null;
  type: InquiryType;
  applicant_role: ApplicantRole;
}

function rowToDto(r: Record<string, unknown>): DocumentDto {
  return {
    kind: r.kind as DocumentKind,
    contentType: String(r.content_type),
    size: Number(r.size),
    sha256: String(r.sha256),
    width: Number(r.width),
    height: Number(r.height),
    originalName: (r.original_name as string | null) ?? null,
    uploadedAt: new Date(r.updated_at as string).toISOString(),
  };
}

function toDto(d: InquiryDocument): DocumentDto {
  return {
    kind: d.kind,
    contentType: d.contentType,
    size: d.size,
    sha256: d.sha256,
    width: d.width,
    height: d.height,
    originalName: d.originalName ?? null,
    uploadedAt: d.updatedAt.toISOString(),
  };
}
