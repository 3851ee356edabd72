import { Injectable } from '@nestjs/common';
import { pgArray } from '../../database/pg-array';
import { query, statement, type Query, type Row } from '../../database/sql';
import { DocumentKind } from './entities/inquiry-document.entity';
import { date } from './inquiry.repository';

/** An `inquiry_document` row as the application uses it. */
export interface InquiryDocumentRow {
  kind: DocumentKind;
  objectKey: string;
  contentType: string;
  size: number;
  sha256: string;
  width: number;
  height: number;
  originalName: string | null;
  uploadedAt: Date;
}

/** What an upload writes. */
export interface NewDocument {
  id: string;
  inquiryId: string;
  kind: DocumentKind;
  objectKey: string;
  size: number;
  contentType: string;
  sha256: string;
  originalSha256: string;
  originalName: string | null;
  width: number;
  height: number;
}

const COLUMNS = `kind, object_key, content_type, size, sha256, width, height, original_name, updated_at`;

function toRow(r: Row): InquiryDocumentRow {
  return {
    kind: r.kind as DocumentKind,
    objectKey: String(r.object_key),
    contentType: String(r.content_type),
    size: Number(r.size),
    sha256: String(r.sha256),
    width: Number(r.width),
    height: Number(r.height),
    originalName: r.original_name === null || r.original_name === undefined ? null : String(r.original_name),
    uploadedAt: date(r.updated_at)!,
  };
}

/** The desk's verdict on one uploaded page (null verdict: not reviewed since it was uploaded). */
export interface DocumentVerdictRow {
  kind: DocumentKind;
  verdict: 'accepted' | 'rejected' | null;
  reason: string | null;
}

/** Every statement on `inquiry_document`. */
@Injectable()
export class InquiryDocumentRepository {
  /** The kinds uploaded for an inquiry. */
  kinds(inquiryId: string): Query<string[]> {
    return query(`select kind from inquiry_document where inquiry_id = ?`, [inquiryId], (rows) => rows.map((r) => String(r.kind)));
  }

  /** Each uploaded kind with the desk's verdict and reason on it. */
  verdicts(inquiryId: string): Query<DocumentVerdictRow[]> {
    return query(`select kind, verdict, verdict_reason from inquiry_document where inquiry_id = ? order by kind`, [inquiryId], (rows) =>
      rows.map((r) => ({
        kind: r.kind as DocumentKind,
        verdict: (r.verdict ?? null) as DocumentVerdictRow['verdict'],
        reason: r.verdict_reason === null || r.verdict_reason === undefined ? null : String(r.verdict_reason),
      })),
    );
  }

  /** Records the desk's verdicts on an inquiry's pages (kinds not given keep theirs). */
  setVerdicts(inquiryId: string, verdicts: Array<{ kind: string; verdict: 'accepted' | 'rejected'; reason: string | null }>): Query<void> {
    return statement(
      `update inquiry_document d set verdict = v.verdict, verdict_reason = nullif(v.reason, ''), verdict_at = now(), updated_at = d.updated_at
         from unnest(?::text[], ?::text[], ?::text[]) as v(kind, verdict, reason)
        where d.inquiry_id = ? and d.kind = v.kind`,
      [pgArray(verdicts.map((v) => v.kind)), pgArray(verdicts.map((v) => v.verdict)), pgArray(verdicts.map((v) => v.reason ?? '')), inquiryId],
    );
  }

  /** An inquiry's documents, by kind. */
  ofInquiry(inquiryId: string): Query<InquiryDocumentRow[]> {
    return query(`select ${COLUMNS} from inquiry_document where inquiry_id = ? order by kind`, [inquiryId], (rows) => rows.map(toRow));
  }

  /** One document of an inquiry, or null. */
  find(inquiryId: string, kind: DocumentKind): Query<InquiryDocumentRow | null> {
    return query(`select ${COLUMNS} from inquiry_document where inquiry_id = ? and kind = ?`, [inquiryId, kind], ([r]) => (r ? toRow(r) : null));
  }

  /** Writes the document of its kind (replacing the one before); the row as written. */
  upsert(d: NewDocument): Query<InquiryDocumentRow> {
    return query(
      `insert into inquiry_document (id, inquiry_id, kind, object_key, size, content_type, sha256, original_sha256, original_name,
                                     width, height, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now(), now())
       on conflict (inquiry_id, kind) do update set object_key = excluded.object_key, size = excluded.size,
         content_type = excluded.content_type, sha256 = excluded.sha256, original_sha256 = excluded.original_sha256,
         original_name = excluded.original_name, width = excluded.width, height = excluded.height, updated_at = now(),
         verdict = null, verdict_reason = null, verdict_at = null
       returning ${COLUMNS}`,
      [d.id, d.inquiryId, d.kind, d.objectKey, d.size, d.contentType, d.sha256, d.originalSha256, d.originalName, d.width, d.height],
      ([r]) => toRow(r),
    );
  }
}
