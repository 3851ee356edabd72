import { Entity, Index, PrimaryKey, Property as Column } from '@mikro-orm/core';

/**
 * An issued answer certificate (پاسخ استعلام): the canonical answer content, its SHA-256,
 * the Ed25519 JWS over it, a public number and a short verification code. Never edited
 * after issue except for revocation and the rendered PDF's object key.
 */
@Entity({ tableName: 'certificate' })
@Index({ name: 'certificate_region_issued_idx', properties: ['region', 'issuedAt'] })
export class Certificate {
  /** Also the certificate number's serial. */
  @PrimaryKey({ type: 'bigint', columnType: 'bigint', autoincrement: true })
  id: string;

  /** `<jalali year>-<region>-<serial>`, e.g. `1404-1-000012`. */
  @Column({ type: 'text', unique: 'certificate_number_unique' })
  number: string;

  /** 8 characters (Crockford base32) printed on the letter. */
  @Column({ type: 'text' })
  verificationCode: string;

  @Column({ type: 'uuid', unique: 'certificate_inquiry_unique' })
  inquiryId: string;

  @Column({ type: 'smallint' })
  region: number;

  /** The canonical answer content that was signed. */
  @Column({ type: 'json' })
  content: Record<string, unknown>;

  /** SHA-256 (hex) of the canonical JSON of `content`. */
  @Column({ type: 'text' })
  contentHash: string;

  @Column({ type: 'text' })
  jws: string;

  @Column({ type: 'text' })
  kid: string;

  @Column({ type: 'datetime', columnType: 'timestamptz' })
  issuedAt: Date;

  @Column({ type: 'datetime', columnType: 'timestamptz' })
  validUntil: Date;

  @Column({ type: 'uuid' })
  preparedBy: string;

  @Column({ type: 'uuid' })
  approvedBy: string;

  @Column({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  revokedAt?: Date | null;

  @Column({ type: 'uuid', nullable: true })
  revokedBy?: string | null;

  @Column({ type: 'text', nullable: true })
  revocationReason?: string | null;

  /** Object key of the rendered PDF (null until the render job ran). */
  @Column({ type: 'text', nullable: true })
  pdfKey?: string | null;

  /** Why the PDF could not be rendered (e.g. no Chromium), for the coded 503. */
  @Column({ type: 'text', nullable: true })
  pdfError?: string | null;
}
