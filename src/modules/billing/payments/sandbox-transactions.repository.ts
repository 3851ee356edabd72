import { Injectable } from '@nestjs/common';
import { query, type Query, statement } from '../../../database/sql';
import { SandboxTxnStatus } from './sandbox-transaction.entity';

/** A sandbox transaction as its page shows it. */
export interface SandboxTxnRow {
  token: string;
  paymentId: string;
  amountRials: bigint;
  description: string;
  callbackUrl: string;
  status: SandboxTxnStatus;
  /** Pending and past its expiry. */
  expired: boolean;
  expiresAt: Date;
}

/** What a verify finds. */
export interface SandboxVerifyRow {
  status: SandboxTxnStatus;
  /** Past its expiry (whatever its status). */
  expired: boolean;
  amountRials: bigint;
  bankReference: string | null;
  rrn: string | null;
  traceNo: string | null;
}

export interface NewSandboxTxn {
  token: string;
  paymentId: string;
  amountRials: bigint;
  callbackUrl: string;
  description: string;
  sessionMinutes: number;
}

const text = (v: unknown): string | null => (v == null ? null : String(v));

/** Every statement on `billing_sandbox_txn` (the built-in simulated gateway's own state). */
@Injectable()
export class SandboxTransactionsRepository {
  insert(t: NewSandboxTxn): Query<void> {
    return statement(
      `insert into billing_sandbox_txn (token, payment_id, amount_rials, callback_url, description, status, created_at, expires_at)
       values (?, ?, ?, ?, ?, 'pending', now(), now() + make_interval(mins => ?))`,
      [t.token, t.paymentId, t.amountRials.toString(), t.callbackUrl, t.description, t.sessionMinutes],
    );
  }

  /** Marks the transaction verified (first time only) and reads it; undefined: no such token for this payment. */
  verify(token: string, paymentId: string): Query<SandboxVerifyRow | undefined> {
    return query(
      `update billing_sandbox_txn set verified_at = coalesce(verified_at, now())
        where token = ? and payment_id = ?
        returning status, expires_at <= now() as expired, amount_rials::text as amount, bank_reference, rrn, trace_no`,
      [token, paymentId],
      (rows) =>
        rows[0] && {
          status: String(rows[0].status) as SandboxTxnStatus,
          expired: rows[0].expired === true,
          amountRials: BigInt(String(rows[0].amount)),
          bankReference: text(rows[0].bank_reference),
          rrn: text(rows[0].rrn),
          traceNo: text(rows[0].trace_no),
        },
    );
  }

  /** Reverses a paid transaction; whether it did. */
  reverse(token: string, paymentId: string): Query<boolean> {
    return query(
      `update billing_sandbox_txn set status = 'reversed', reversed_at = now() where token = ? and payment_id = ? and status = 'paid' returning token`,
      [token, paymentId],
      (rows) => rows.length === 1,
    );
  }

  byToken(token: string): Query<SandboxTxnRow | undefined> {
    return query(
      `select token, payment_id, amount_rials::text as amount, description, callback_url, status, expires_at,
              (status = 'pending' and expires_at <= now()) as expired
         from billing_sandbox_txn where token = ?`,
      [token],
      (rows) => {
        const t = rows[0];
        return (
          t && {
            token: String(t.token),
            paymentId: String(t.payment_id),
            amountRials: BigInt(String(t.amount)),
            description: String(t.description),
            callbackUrl: String(t.callback_url),
            status: String(t.status) as SandboxTxnStatus,
            expired: t.expired === true,
            expiresAt: t.expires_at instanceof Date ? t.expires_at : new Date(String(t.expires_at)),
          }
        );
      },
    );
  }

  /** The payer paid on the page (while pending and unexpired); whether it took. */
  pay(token: string, p: { bankReference: string; rrn: string; traceNo: string }): Query<boolean> {
    return query(
      `update billing_sandbox_txn set status = 'paid', paid_at = now(), bank_reference = ?, rrn = ?, trace_no = ?
        where token = ? and status = 'pending' and expires_at > now() returning status`,
      [p.bankReference, p.rrn, p.traceNo, token],
      (rows) => rows.length > 0,
    );
  }

  /** The payer cancelled on the page (while pending); whether it took. */
  cancel(token: string): Query<boolean> {
    return query(`update billing_sandbox_txn set status = 'cancelled' where token = ? and status = 'pending' returning status`, [token], (rows) => rows.length > 0);
  }
}
