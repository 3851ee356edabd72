import { Entity, Enum, ManyToOne, Property as Column, Unique, type Rel } from '@mikro-orm/core';
import { BaseEntity } from '../../../database/base.entity';
import { Inquiry } from './inquiry.entity';

export enum DocumentKind {
  Deed = 'deed',
  NationalCard = 'national_card',
  OfficeLetter = 'office_letter',
  BirthCertificate = 'birth_certificate',
  PowerOfAttorney = 'power_of_attorney',
}

/**
 * One uploaded page of an inquiry: the bytes live in object storage under `objectKey`. The
 * table's definition (schema, migrations); its rows are read and written only by
 * `InquiryDocumentRepository`.
 */
@Entity({ tableName: 'inquiry_document' })
@Unique({ name: 'inquiry_document_kind_unique', properties: ['inquiry', 'kind'] })
export class InquiryDocument extends BaseEntity {
  @ManyToOne(() => Inquiry, { deleteRule: 'cascade' })
  inquiry: Rel<Inquiry>;

  @Enum({ items: () => DocumentKind })
  kind: DocumentKind;

  @Column({ type: 'text', unique: 'inquiry_document_object_key_unique' })
  objectKey: string;

  @Column({ type: 'integer' })
  size: number;

  @Column({ type: 'text' })
  contentType: string;

  /** SHA-256 (hex) of the stored, re-encoded bytes. */
  @Column({ type: 'text' })
  sha256: string;

  /** SHA-256 of the bytes as uploaded (before re-encoding). */
  @Column({ type: 'text' })
  originalSha256: string;

  /** The uploaded file name reduced to a safe base name (display only, never a path). */
  @Column({ type: 'text', nullable: true })
  originalName?: string | null;

  @Column({ type: 'integer' })
  width: number;

  @Column({ type: 'integer' })
  height: number;

  /** The desk's verdict on this page (null: not reviewed since it was uploaded). */
  @Column({ type: 'text', nullable: true })
  verdict?: 'accepted' | 'rejected' | null;

  /** Why the desk rejected it, as the citizen reads it. */
  @Column({ type: 'text', nullable: true })
  verdictReason?: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  verdictAt?: Date | null;
}
