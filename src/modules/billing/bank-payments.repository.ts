import { Injectable } from '@nestjs/common';
import { firstRow, query, type Query, type Row } from '../../database/sql';

/** A bank's bill-payment report as recorded. */
export interface BankPaymentRecord {
  billId: string;
  paymentId: string;
  amountRials: bigint;
  bankReference: string;
  paidAt: Date;
  recordedAt: Date;
}

export interface NewBankPayment {
  organizationId: string;
  bankReference: string;
  billId: string;
  paymentId: string;
  amountRials: bigint;
  paidAt: Date;
}

const COLUMNS = `bill_id, payment_id, amount_rials::text as amount, bank_reference, paid_at, created_at`;
const date = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));
const record = (r: Row): BankPaymentRecord => ({
  billId: String(r.bill_id),
  paymentId: String(r.payment_id),
  amountRials: BigInt(String(r.amount)),
  bankReference: String(r.bank_reference),
  paidAt: date(r.paid_at),
  recordedAt: date(r.created_at),
});

/** Every statement on `billing_bank_payment`. */
@Injectable()
export class BankPaymentsRepository {
  /** The organization's report with this bank reference. */
  find(organizationId: string, bankReference: string): Query<BankPaymentRecord | undefined> {
    return query(`select ${COLUMNS} from billing_bank_payment where organization_id = ? and bank_reference = ?`, [organizationId, bankReference], firstRow(record),
    );
  }

  /** Records a report; undefined when the organization already has one with this reference. */
  insert(p: NewBankPayment): Query<BankPaymentRecord | undefined> {
    return query(
      `insert into billing_bank_payment (id, created_at, updated_at, organization_id, bank_reference, bill_id, payment_id, amount_rials, paid_at)
       values (gen_random_uuid(), now(), now(), ?, ?, ?, ?, ?, ?)
       on conflict (organization_id, bank_reference) do nothing
       returning ${COLUMNS}`,
      [p.organizationId, p.bankReference, p.billId, p.paymentId, p.amountRials.toString(), p.paidAt],
      firstRow(record),
    );
  }

  /** The organization's reports paid in [from, to), by payment time and reference. */
  paidBetween(organizationId: string, from: Date, to: Date): Query<BankPaymentRecord[]> {
    return query(
      `select ${COLUMNS} from billing_bank_payment where organization_id = ? and paid_at >= ? and paid_at < ? order by paid_at, bank_reference`,
      [organizationId, from, to],
      (rows) => rows.map(record),
    );
  }
}
