import { Entity, Enum, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';

export enum BillStatus {
  Open = 'open',
  Paid = 'paid',
  /** Another bill paid some of its demands, or they were amended: it can no longer be paid. */
  Void = 'void',
}

export interface BillItem {
  demandId: string;
  feeType: string;
  jalaliYear: number;
  subjectCode: string;
  principalRials: string;
  penaltyRials: string;
  discountRials: string;
  amountRials: string;
}

/**
 * A payable bill: a set of open demands with their penalties/discounts as of issue, the
 * total rounded down to whole thousand Rials, a bank-standard bill ID (file code = `id`)
 * and payment ID, and an expiry. Settled exactly once (row lock + unique reference).
 */
@Entity({ tableName: 'billing_bill' })
@Unique({ name: 'billing_bill_reference_unique', properties: ['paidChannel', 'paymentReference'] })
@Index({ name: 'billing_bill_scope_idx', properties: ['scope', 'status'] })
@Index({ name: 'billing_bill_demands_gin', expression: 'create index "billing_bill_demands_gin" on "billing_bill" using gin ("demand_ids")' })
export class Bill {
  /** Also the bill ID's file code. */
  @PrimaryKey({ type: 'bigint', columnType: 'bigint', autoincrement: true })
  id: string;

  @Property({ type: 'text', unique: 'billing_bill_bill_id_unique' })
  billId: string;

  @Property({ type: 'text' })
  paymentId: string;

  /** `property:<renewalCode>`, `guild:<guildCode>` or `file:<renewalCode>`. */
  @Property({ type: 'text' })
  scope: string;

  @Property({ type: 'uuid[]', columnType: 'uuid[]' })
  demandIds: string[];

  /** Hash of the demands and their amounts; an open bill with the same hash is reused. */
  @Property({ type: 'text' })
  demandSetHash: string;

  @Property({ type: 'json' })
  items: BillItem[];

  /** Exact sum of the items. */
  @Property({ type: 'bigint', columnType: 'bigint' })
  totalRials: string;

  /** What is paid: the total rounded down to whole thousand Rials. */
  @Property({ type: 'bigint', columnType: 'bigint' })
  amountRials: string;

  @Property({ type: 'integer' })
  jalaliYear: number;

  @Enum({ items: () => BillStatus })
  status: BillStatus = BillStatus.Open;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  expiresAt: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  paidAt?: Date | null;

  /** `gateway` or `bank`. */
  @Property({ type: 'text', nullable: true })
  paidChannel?: string | null;

  @Property({ type: 'text', nullable: true })
  paymentReference?: string | null;

  @Property({ type: 'bigint', columnType: 'bigint', nullable: true })
  paidAmountRials?: string | null;
}
