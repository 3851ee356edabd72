import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { firstRow, query, type Query, type Row, statement } from '../../../database/sql';
import type { GatewayName } from '../gateways/payment-gateway';
import { PaymentStatus } from './payment.entity';

/** A payment as anyone holding its id may see it (and its receipt). */
export interface PaymentPublic {
  id: string;
  billId: string;
  billPaymentId: string;
  gateway: string;
  amountRials: bigint;
  status: PaymentStatus;
  createdAt: Date;
  paidAt: Date | null;
  bankReference: string | null;
  rrn: string | null;
  traceNo: string | null;
  cardMask: string | null;
}

/** Every column, for staff. */
export interface PaymentAdmin extends PaymentPublic {
  returnUrl: string;
  gatewayToken: string | null;
  gatewayReference: string | null;
  failureReason: string | null;
  lastVerifyError: string | null;
  attempts: number;
  needsReview: boolean;
  reversedAt: Date | null;
  updatedAt: Date;
}

/** What verification works from. */
export interface PaymentState {
  id: string;
  billId: string;
  gateway: GatewayName;
  amountRials: bigint;
  status: PaymentStatus;
  gatewayToken: string | null;
  gatewayReference: string | null;
  failureReason: string | null;
  callbackAt: Date | null;
  lastVerifyError: string | null;
  /** Created within the recheck window asked for. */
  recent: boolean;
}

/** The payment locked while a verify answer is applied, with the database's clock. */
export interface LockedPayment {
  id: string;
  billId: string;
  gateway: GatewayName;
  amountRials: bigint;
  status: PaymentStatus;
  callbackAt: Date | null;
  now: Date;
}

export interface NewPayment {
  billId: string;
  billPaymentId: string;
  gateway: GatewayName;
  amountRials: bigint;
  returnUrl: string;
}

export interface PaymentFilter {
  status?: string;
  needsReview?: boolean;
  billId?: string;
}

/** How a verified payment that cannot stay is sent back (`reversing`). */
export interface Reversal {
  bankReference: string;
  gatewayReference: string | null;
  failureReason: string;
  needsReview: boolean;
}

/** A verified, settled payment. */
export interface PaidPayment {
  paidAt: Date;
  bankReference: string;
  gatewayReference: string | null;
  rrn: string | null;
  traceNo: string | null;
  cardMask: string | null;
}

const date = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));
const dateOrNull = (v: unknown): Date | null => (v == null ? null : date(v));
const text = (v: unknown): string | null => (v == null ? null : String(v));

/** The columns every payment state read starts from (`coreRow`). */
const CORE = `id, bill_id, gateway, amount_rials::text as amount, status, callback_at`;
const coreRow = (r: Row) => ({
  id: String(r.id),
  billId: String(r.bill_id),
  gateway: String(r.gateway) as GatewayName,
  amountRials: BigInt(String(r.amount)),
  status: String(r.status) as PaymentStatus,
  callbackAt: dateOrNull(r.callback_at),
});

const PUBLIC = `id, bill_id, bill_payment_id, gateway, amount_rials::text as amount, status, created_at, paid_at, bank_reference, rrn, trace_no, card_mask`;
const ADMIN = `${PUBLIC}, return_url, gateway_token, gateway_reference, failure_reason, last_verify_error, attempts, needs_review, reversed_at, updated_at`;

const publicRow = (r: Row): PaymentPublic => ({
  id: String(r.id),
  billId: String(r.bill_id),
  billPaymentId: String(r.bill_payment_id),
  gateway: String(r.gateway),
  amountRials: BigInt(String(r.amount)),
  status: String(r.status) as PaymentStatus,
  createdAt: date(r.created_at),
  paidAt: dateOrNull(r.paid_at),
  bankReference: text(r.bank_reference),
  rrn: text(r.rrn),
  traceNo: text(r.trace_no),
  cardMask: text(r.card_mask),
});

const adminRow = (r: Row): PaymentAdmin => ({
  ...publicRow(r),
  returnUrl: String(r.return_url),
  gatewayToken: text(r.gateway_token),
  gatewayReference: text(r.gateway_reference),
  failureReason: text(r.failure_reason),
  lastVerifyError: text(r.last_verify_error),
  attempts: Number(r.attempts),
  needsReview: r.needs_review === true,
  reversedAt: dateOrNull(r.reversed_at),
  updatedAt: date(r.updated_at),
});

/** Every statement on `billing_payment`: one method per change a payment goes through. */
@Injectable()
export class PaymentsRepository {
  /** A new pending payment; the id is made here (answered with the statement). */
  insert(p: NewPayment, id: string = randomUUID()): Query<string> {
    return query(
      `insert into billing_payment (id, bill_id, bill_payment_id, gateway, amount_rials, status, return_url, attempts, needs_review, created_at, updated_at)
       values (?, ?, ?, ?, ?, 'pending', ?, 0, false, now(), now()) returning id`,
      [id, p.billId, p.billPaymentId, p.gateway, p.amountRials.toString(), p.returnUrl],
      (rows) => String(rows[0].id),
    );
  }

  /** The gateway session's token. */
  setToken(id: string, token: string): Query<void> {
    return statement(`update billing_payment set gateway_token = ?, updated_at = now() where id = ?`, [token, id]);
  }

  /** Fails a payment (with `onlyPending`, only while it is still pending). */
  fail(id: string, reason: string, onlyPending = false): Query<void> {
    return statement(
      `update billing_payment set status = 'failed', failure_reason = ?, updated_at = now() where id = ?${onlyPending ? ` and status = 'pending'` : ''}`,
      [reason, id],
    );
  }

  publicById(id: string): Query<PaymentPublic | undefined> {
    return query(`select ${PUBLIC} from billing_payment where id = ?`, [id], firstRow(publicRow));
  }

  adminById(id: string): Query<PaymentAdmin | undefined> {
    return query(`select ${ADMIN} from billing_payment where id = ?`, [id], firstRow(adminRow));
  }

  /** Staff's list, newest first, and how many match. */
  adminPage(filter: PaymentFilter, limit: number, offset: number): Query<{ items: PaymentAdmin[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      where.push(sql);
      params.push(value);
    };
    if (filter.status) add('status = ?', filter.status);
    if (filter.needsReview !== undefined) add('needs_review = ?', filter.needsReview);
    if (filter.billId) add('bill_id = ?', filter.billId);
    return query(
      `select ${ADMIN}, count(*) over () as total from billing_payment
        ${where.length ? `where ${where.join(' and ')}` : ''} order by created_at desc, id limit ? offset ?`,
      [...params, limit, offset],
      (rows) => ({ items: rows.map(adminRow), total: Number(rows[0]?.total ?? 0) }),
    );
  }

  /** The payment a gateway's token belongs to, and where its payer returns. */
  byToken(gateway: string, token: string): Query<{ id: string; returnUrl: string } | undefined> {
    return query(`select id, return_url from billing_payment where gateway = ? and gateway_token = ?`, [gateway, token], (rows) =>
      rows[0] ? { id: String(rows[0].id), returnUrl: String(rows[0].return_url) } : undefined,
    );
  }

  /** What verification works from; `recent`: created within `recentHours`. */
  state(id: string, recentHours: number): Query<PaymentState | undefined> {
    return query(
      `select ${CORE}, gateway_token, gateway_reference, failure_reason, last_verify_error, created_at > now() - make_interval(hours => ?) as recent
         from billing_payment where id = ?`,
      [recentHours, id],
      firstRow((r) => ({
        ...coreRow(r),
        gatewayToken: text(r.gateway_token),
        gatewayReference: text(r.gateway_reference),
        failureReason: text(r.failure_reason),
        lastVerifyError: text(r.last_verify_error),
        recent: r.recent === true,
      })),
    );
  }

  /** The payment, locked until the caller's transaction ends. */
  lock(id: string): Query<LockedPayment | undefined> {
    return query(
      `select ${CORE}, now() as now from billing_payment where id = ? for update`,
      [id],
      firstRow((r) => ({ ...coreRow(r), now: date(r.now) })),
    );
  }

  /** A paid return arrived: dates it (first one wins) and keeps the gateway's reference unless one is known. */
  markCallback(id: string, gatewayReference: string | null): Query<void> {
    return statement(
      `update billing_payment set callback_at = coalesce(callback_at, now()), gateway_reference = coalesce(gateway_reference, ?), updated_at = now() where id = ?`,
      [gatewayReference, id],
    );
  }

  /** Whether another payment of the gateway holds this verified reference. */
  referenceTaken(gateway: string, bankReference: string, exceptId: string): Query<boolean> {
    return query(`select 1 as x from billing_payment where gateway = ? and bank_reference = ? and id <> ?`, [gateway, bankReference, exceptId], (rows) => rows.length > 0);
  }

  // One verify attempt each (attempts + 1):

  /** The gateway could not answer; an open session also clears the claimed callback time. */
  verifyUnknown(id: string, reason: string, clearCallback: boolean): Query<void> {
    return this.attempt(id, `last_verify_error = ?${clearCallback ? ', callback_at = null' : ''}`, [reason]);
  }

  /** The gateway says a closed payment is still not paid. */
  verifyStillClosed(id: string): Query<void> {
    return this.attempt(id, `last_verify_error = null, callback_at = null`, []);
  }

  /** Not paid: failed or cancelled. */
  close(id: string, status: PaymentStatus.Failed | PaymentStatus.Cancelled, reason: string): Query<void> {
    return this.attempt(id, `status = ?, failure_reason = ?, last_verify_error = null, callback_at = null`, [status, reason]);
  }

  /** Verified but cannot stay: the money goes back. */
  startReversal(id: string, r: Reversal): Query<void> {
    return this.attempt(
      id,
      `status = 'reversing', bank_reference = ?, gateway_reference = coalesce(?, gateway_reference), failure_reason = ?, needs_review = ?, last_verify_error = null`,
      [r.bankReference, r.gatewayReference, r.failureReason, r.needsReview],
    );
  }

  /** The gateway's reference belongs to another payment. */
  failReferenceUsed(id: string): Query<void> {
    return this.attempt(id, `status = 'failed', failure_reason = 'PAYMENT_REFERENCE_USED: the gateway reference belongs to another payment'`, []);
  }

  markPaid(id: string, p: PaidPayment): Query<void> {
    return this.attempt(
      id,
      `status = 'paid', paid_at = ?, bank_reference = ?, gateway_reference = coalesce(?, gateway_reference), rrn = ?, trace_no = ?, card_mask = ?,
       failure_reason = null, last_verify_error = null`,
      [p.paidAt, p.bankReference, p.gatewayReference, p.rrn, p.traceNo, p.cardMask],
    );
  }

  /** The reversal went through. */
  reversed(id: string, status: PaymentStatus.Reversed | PaymentStatus.AmountMismatch, needsReview: boolean): Query<void> {
    return statement(
      `update billing_payment set status = ?, reversed_at = now(), needs_review = ?, updated_at = now() where id = ? and status = 'reversing'`,
      [status, needsReview, id],
    );
  }

  /** The gateway refused or did not answer the reversal: a person looks. */
  reversalRefused(id: string): Query<void> {
    return statement(
      `update billing_payment set needs_review = true, last_verify_error = 'the gateway refused or did not answer the reversal', updated_at = now()
        where id = ? and status = 'reversing'`,
      [id],
    );
  }

  private attempt(id: string, set: string, params: unknown[]): Query<void> {
    return statement(`update billing_payment set ${set}, attempts = attempts + 1, updated_at = now() where id = ?`, [...params, id]);
  }
}
