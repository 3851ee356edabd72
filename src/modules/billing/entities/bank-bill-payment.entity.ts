import { Entity, Index, Property, Unique } from '@mikro-orm/core';
import { BaseEntity } from '../../../database/base.entity';

/** A bill payment reported by a bank (bill-payment channel), for idempotency and statements. */
@Entity({ tableName: 'billing_bank_payment' })
@Unique({ name: 'billing_bank_payment_reference_unique', properties: ['organizationId', 'bankReference'] })
@Index({ name: 'billing_bank_payment_org_paid_idx', properties: ['organizationId', 'paidAt'] })
export class BankBillPayment extends BaseEntity {
  @Property({ type: 'uuid' })
  organizationId: string;

  @Property({ type: 'text' })
  bankReference: string;

  @Property({ type: 'text' })
  billId: string;

  @Property({ type: 'text' })
  paymentId: string;

  @Property({ type: 'bigint', columnType: 'bigint' })
  amountRials: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  paidAt: Date;
}
