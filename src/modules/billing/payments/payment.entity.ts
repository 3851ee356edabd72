import { Entity, Enum, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

export enum PaymentStatus {
  /** Started; the payer is at the gateway, or the gateway's answer is not known yet. */
  Pending = 'pending',
  /** Verified with the gateway and the bill settled. */
  Paid = 'paid',
  /** The gateway says no money moved. */
  Failed = 'failed',
  /** The payer cancelled at the gateway. */
  Cancelled = 'cancelled',
  /** The gateway confirmed another amount than the stored one; the money was reversed (or a person must). */
  AmountMismatch = 'amount_mismatch',
  /** Verified money that could not settle the bill (expired, paid by someone else): being returned. */
  Reversing = 'reversing',
  /** Verified money that could not settle the bill was returned to the payer. */
  Reversed = 'reversed',
}

/**
 * An internet (gateway) payment of a bill. The amount is the bill's at creation and is the
 * only one ever sent to the gateway's verify. Settled exactly once: the row is locked while
 * its outcome is applied, and the gateway's bank reference is unique per gateway.
 */
@Entity({ tableName: 'billing_payment' })
@Unique({ name: 'billing_payment_gateway_token_unique', properties: ['gateway', 'gatewayToken'] })
@Unique({ name: 'billing_payment_bank_reference_unique', properties: ['gateway', 'bankReference'] })
@Index({ name: 'billing_payment_bill_idx', properties: ['billId'] })
@Index({ name: 'billing_payment_status_idx', properties: ['status', 'createdAt'] })
export class Payment {
  [OptionalProps]?: 'id' | 'status' | 'attempts' | 'needsReview' | 'createdAt' | 'updatedAt';

  /** Random (v4): the id is the payer's only handle on the payment and its receipt. */
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The bill's bill ID (شناسه قبض). */
  @Property({ type: 'text' })
  billId: string;

  /** The bill's payment ID (شناسه پرداخت) at creation. */
  @Property({ type: 'text' })
  billPaymentId: string;

  @Property({ type: 'text' })
  gateway: string;

  /** Integer Rials, the bill amount when the payment was created. */
  @Property({ type: 'bigint', columnType: 'bigint' })
  amountRials: string;

  @Enum({ items: () => PaymentStatus })
  status: PaymentStatus = PaymentStatus.Pending;

  /** The gateway's token / authority (set once the gateway opened the session). */
  @Property({ type: 'text', nullable: true })
  gatewayToken?: string | null;

  /** A reference the gateway's verify needs and only the callback carries (SEP RefNum). */
  @Property({ type: 'text', nullable: true })
  gatewayReference?: string | null;

  /** The verified transaction's unique reference (SEP RefNum, Zarinpal ref_id, sandbox). */
  @Property({ type: 'text', nullable: true })
  bankReference?: string | null;

  @Property({ type: 'text', nullable: true })
  rrn?: string | null;

  @Property({ type: 'text', nullable: true })
  traceNo?: string | null;

  /** Masked card number as the gateway gives it (never the full number). */
  @Property({ type: 'text', nullable: true })
  cardMask?: string | null;

  /** Where the payer's browser goes after the callback (only `?paymentId=` is added). */
  @Property({ type: 'text' })
  returnUrl: string;

  /** Why it failed / is being reversed (gateway reason or BILL_* code); never card data. */
  @Property({ type: 'text', nullable: true })
  failureReason?: string | null;

  /** Verifications tried (callbacks and reconciliation). */
  @Property({ type: 'integer' })
  attempts: number = 0;

  @Property({ type: 'text', nullable: true })
  lastVerifyError?: string | null;

  /** A person must look at it (a reversal the gateway refused, money it holds). */
  @Property({ type: 'boolean' })
  needsReview: boolean = false;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  updatedAt: Date = new Date();

  /** First callback that claimed a payment (the best estimate of when the payer paid). */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  callbackAt?: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  paidAt?: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  reversedAt?: Date | null;
}
