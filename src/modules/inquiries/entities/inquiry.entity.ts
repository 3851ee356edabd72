import { Entity, Enum, Index, ManyToOne, Property as Column, type Rel } from '@mikro-orm/core';
import { BaseEntity } from '../../../database/base.entity';
import { Citizen } from '../../membership/entities/citizen.entity';
import { Property } from '../../properties/entities/property.entity';
import { InquiryStatus, InquiryType } from '../domain/inquiry-status';

export enum ApplicantRole {
  Owner = 'owner',
  Attorney = 'attorney',
}

/** The requesting office/bank of an office inquiry. */
export interface RequestingOrganization {
  kind: 'bank' | 'government' | 'other';
  name: string;
  letterNumber: string;
  /** Jalali `YYYY/MM/DD`. */
  letterDate: string;
}

/** What the member saw and confirmed when the draft was made (owners masked). */
export interface InquirySnapshot {
  property: Record<string, unknown>;
  owners: Array<{ nationalId: string; fullName: string; sharePercent: number }>;
  certificates: Array<{ kind: string; requestNumber: string; jalaliYear: number; issueDate: string }>;
  debts: { settled: boolean; totalRials: number; bill: { billId: string; paymentId: string; amountRials: number } | null } | null;
}

/**
 * A property inquiry (استعلام) of a member: an office/bank inquiry or a notary's transfer
 * inquiry. The status follows the state machine in domain/inquiry-status.ts.
 *
 * The table's definition (schema, migrations). At run time an inquiry is an `InquiryRow`,
 * read and written only by `InquiryRepository` (status changes only through
 * `InquiryWorkflowService.transition`).
 */
@Entity({ tableName: 'inquiry' })
@Index({ name: 'inquiry_citizen_idx', properties: ['citizen', 'createdAt'] })
@Index({ name: 'inquiry_region_status_idx', properties: ['region', 'status', 'reviewDueAt'] })
@Index({ name: 'inquiry_property_idx', properties: ['property'] })
export class Inquiry extends BaseEntity<'status' | 'applicantRole'> {
  @Enum({ items: () => InquiryType })
  type: InquiryType;

  @Enum({ items: () => InquiryStatus })
  status: InquiryStatus = InquiryStatus.Draft;

  @ManyToOne(() => Citizen, { deleteRule: 'restrict' })
  citizen: Rel<Citizen>;

  @ManyToOne(() => Property, { deleteRule: 'restrict' })
  property: Rel<Property>;

  @Column({ type: 'text' })
  renewalCode: string;

  @Column({ type: 'smallint' })
  region: number;

  @Enum({ items: () => ApplicantRole })
  applicantRole: ApplicantRole = ApplicantRole.Owner;

  /** Attorney inquiries: the owner the member acts for. */
  @Column({ type: 'text', nullable: true })
  principalNationalId?: string | null;

  @Column({ type: 'text' })
  undertakingsVersion: string;

  @Column({ type: 'datetime', columnType: 'timestamptz' })
  undertakingsAcceptedAt: Date;

  @Column({ type: 'json', nullable: true })
  organization?: RequestingOrganization | null;

  @Column({ type: 'text', nullable: true })
  notaryOfficeNumber?: string | null;

  @Column({ type: 'json' })
  snapshot: InquirySnapshot;

  @Column({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  confirmedAt?: Date | null;

  /** 12 digits with a Verhoeff check digit, given at the first submission. */
  @Column({ type: 'text', nullable: true, unique: 'inquiry_tracking_code_unique' })
  trackingCode?: string | null;

  @Column({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  submittedAt?: Date | null;

  @Column({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  reviewDueAt?: Date | null;

  /** Notary inquiries: the booked site-visit slot (`<region>-<yyyymmdd>-<hhmm>`). */
  @Column({ type: 'text', nullable: true })
  visitSlotId?: string | null;

  @Column({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  visitStartsAt?: Date | null;

  @Column({ type: 'datetime', columnType: 'timestamptz' })
  statusChangedAt: Date = new Date();
}
