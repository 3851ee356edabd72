import { Entity, Index, OptionalProps, PrimaryKey, Property as Column } from '@mikro-orm/core';

/** One verdict of the desk's document review. */
export interface DocumentVerdict {
  kind: string;
  verdict: 'accepted' | 'rejected';
  /** Shown to the applicant when rejected. */
  reason?: string | null;
}

/** What billing said about the property's file at the desk's assessment. */
export interface DeskFinances {
  settled: boolean;
  totalRials: number;
  /** The inquiry fee the assessment added to the file (0: none in the tariff). */
  inquiryFeeRials?: number;
  assessedAt: string;
  bill: { billId: string; paymentId: string; amountRials: number; expiresAt: string } | null;
  /** Bills paid to settle the file (filled when the payment settles). */
  paidBills: Array<{ billId: string; paymentId: string; amountRials: number; paidAt: string }>;
}

export interface VisitResult {
  findings: string;
  /** Whether the property on site matches the records. */
  matchesRecords: boolean;
  inspectorId: string;
  at: string;
  photos: Array<{ objectKey: string; sha256: string; size: number; contentType: string }>;
}

/**
 * The region desk's working record of one submitted inquiry (one row per inquiry, created
 * when a clerk first claims it): who holds it, the document review, the finances, the site
 * visit, the prepared answer and the SLA bookkeeping. The inquiry's status itself stays on
 * the inquiry (inquiries module's state machine).
 */
@Entity({ tableName: 'desk_case' })
@Index({ name: 'desk_case_claimed_by_idx', properties: ['claimedBy'] })
@Index({ name: 'desk_case_awaiting_bill_idx', properties: ['awaitingBillId'] })
export class DeskCase {
  [OptionalProps]?: 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  inquiryId: string;

  @Column({ type: 'smallint' })
  region: number;

  @Column({ type: 'uuid', nullable: true })
  claimedBy?: string | null;

  @Column({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  claimedAt?: Date | null;

  @Column({ type: 'json', nullable: true })
  review?: DocumentVerdict[] | null;

  /** When the last document review finished (accepted or sent back). */
  @Column({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  reviewedAt?: Date | null;

  /** Working hours from the (re)submission to that review, for the stats' median. */
  @Column({ type: 'double', nullable: true })
  reviewWorkingHours?: number | null;

  @Column({ type: 'json', nullable: true })
  finances?: DeskFinances | null;

  /** The bill the applicant was asked to pay (awaiting_payment). */
  @Column({ type: 'text', nullable: true })
  awaitingBillId?: string | null;

  @Column({ type: 'json', nullable: true })
  visit?: VisitResult | null;

  /** The answer prepared by a clerk, waiting for the region manager's approval. */
  @Column({ type: 'uuid', nullable: true })
  preparedBy?: string | null;

  @Column({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  preparedAt?: Date | null;

  @Column({ type: 'text', nullable: true })
  answerNote?: string | null;

  /** Set by the SLA job when the review passed its due time (the manager was notified). */
  @Column({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  overdueAt?: Date | null;

  @Column({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Column({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
