import { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { randomBytes, randomInt } from 'node:crypto';
import { APP_CONFIG } from '../../../config/config.module';
import type { ResolvedConfig } from '../../../config/app-config';
import { API_PREFIX } from '../../../config/api-prefix';
import {
  GatewayCallback,
  GatewayStartInput,
  GatewayStartResult,
  GatewayVerifyInput,
  GatewayVerifyResult,
  PaymentGateway,
} from '../gateways/payment-gateway';
import { PaymentErrors } from './payments.errors';
import { allowedReturnOrigins, publicBaseUrl } from './public-url';
import { SandboxTxnStatus } from './sandbox-transaction.entity';

/** How long the payer has on the sandbox page (like a Shaparak session). */
export const SANDBOX_SESSION_MINUTES = 15;
const TOKEN = /^[a-f0-9]{32}$/;

type Row = Record<string, unknown>;

export interface SandboxTxnView {
  token: string;
  paymentId: string;
  amountRials: bigint;
  description: string;
  callbackUrl: string;
  status: SandboxTxnStatus | 'expired';
  expiresAt: Date;
}

/**
 * The built-in simulated gateway ("sandbox"): the adapter side (start / parseCallback /
 * verify / reverse, called in-process instead of over HTTP) and the gateway side (its page,
 * the payer's pay / cancel). State lives in `billing_sandbox_txn`. Every method works on its
 * own connection, so callers must not hold a transaction open around them.
 */
@Injectable()
export class SandboxGateway implements PaymentGateway {
  readonly name = 'sandbox' as const;

  constructor(
    private readonly orm: MikroORM,
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
  ) {}

  enabled(): boolean {
    return this.config.payments.gateways.includes('sandbox');
  }

  /** Origins a payment may return to (for the page's CSP form-action). */
  returnOrigins(): Set<string> {
    return allowedReturnOrigins(this.config);
  }

  pageUrl(token: string): string {
    return `${publicBaseUrl(this.config)}/${API_PREFIX}/sandbox/gateway/${token}`;
  }

  async start(input: GatewayStartInput): Promise<GatewayStartResult> {
    const token = randomBytes(16).toString('hex');
    await this.orm.em.fork().execute(
      `insert into billing_sandbox_txn (token, payment_id, amount_rials, callback_url, description, status, created_at, expires_at)
       values (?, ?, ?, ?, ?, 'pending', now(), now() + make_interval(mins => ?))`,
      [token, input.paymentId, String(input.amountRials), input.callbackUrl, input.description.slice(0, 300), SANDBOX_SESSION_MINUTES],
    );
    return { token, redirectUrl: this.pageUrl(token) };
  }

  parseCallback(params: Record<string, string | undefined>): GatewayCallback {
    const raw = params.token?.trim().toLowerCase();
    const token = raw && TOKEN.test(raw) ? raw : null;
    const status = params.status?.trim().toUpperCase();
    return { token, claimed: status === 'OK' ? 'paid' : status === 'CANCELLED' ? 'cancelled' : 'failed' };
  }

  async verify(input: GatewayVerifyInput): Promise<GatewayVerifyResult> {
    if (!TOKEN.test(input.token)) return { outcome: 'not_paid', reason: 'SANDBOX: unknown token' };
    const [t] = await this.orm.em.fork().execute<Row[]>(
      `update billing_sandbox_txn set verified_at = coalesce(verified_at, now())
        where token = ? and payment_id = ?
        returning status, expires_at <= now() as expired, amount_rials::text as amount, bank_reference, rrn, trace_no`,
      [input.token, input.paymentId],
    );
    if (!t) return { outcome: 'not_paid', reason: 'SANDBOX: no transaction with this token for this payment' };
    if (t.status === SandboxTxnStatus.Pending) {
      // The page is still open: the payer may yet pay, whatever a callback said.
      return t.expired
        ? { outcome: 'not_paid', reason: 'SANDBOX: the session expired unpaid' }
        : { outcome: 'unknown', reason: 'SANDBOX: the session is still open (not paid yet)', open: true };
    }
    if (t.status !== SandboxTxnStatus.Paid) return { outcome: 'not_paid', reason: `SANDBOX: transaction ${String(t.status)}` };
    const amount = Number(t.amount);
    const bankReference = String(t.bank_reference);
    if (amount !== input.amountRials) return { outcome: 'amount_mismatch', bankReference, amountRials: amount };
    return { outcome: 'paid', bankReference, amountRials: amount, cardMask: '603799******0000', rrn: String(t.rrn), traceNo: String(t.trace_no) };
  }

  async reverse(input: GatewayVerifyInput): Promise<boolean> {
    const rows = await this.orm.em.fork().execute<Row[]>(
      `update billing_sandbox_txn set status = 'reversed', reversed_at = now() where token = ? and payment_id = ? and status = 'paid' returning token`,
      [input.token, input.paymentId],
    );
    return rows.length === 1;
  }

  // --- the gateway's own side: its page and the payer's buttons -------------------------

  async transaction(token: string): Promise<SandboxTxnView> {
    if (!TOKEN.test(token)) throw PaymentErrors.SANDBOX_TRANSACTION_NOT_FOUND();
    const [t] = await this.orm.em.fork().execute<Row[]>(
      `select token, payment_id, amount_rials::text as amount, description, callback_url, status, expires_at,
              (status = 'pending' and expires_at <= now()) as expired
         from billing_sandbox_txn where token = ?`,
      [token],
    );
    if (!t) throw PaymentErrors.SANDBOX_TRANSACTION_NOT_FOUND();
    return {
      token,
      paymentId: String(t.payment_id),
      amountRials: BigInt(String(t.amount)),
      description: String(t.description),
      callbackUrl: String(t.callback_url),
      status: t.expired ? 'expired' : (t.status as SandboxTxnStatus),
      expiresAt: new Date(t.expires_at as string),
    };
  }

  /**
   * The payer pressed pay (or cancel) on the page: records it (once; pressing again
   * answers the same) and returns where the browser goes: the merchant's callback with
   * `token` and `status` (OK, CANCELLED or EXPIRED).
   */
  async act(token: string, action: 'pay' | 'cancel'): Promise<string> {
    const t = await this.transaction(token);
    if (t.status === 'pending') {
      const rows =
        action === 'pay'
          ? await this.orm.em.fork().execute<Row[]>(
              `update billing_sandbox_txn set status = 'paid', paid_at = now(), bank_reference = ?, rrn = ?, trace_no = ?
                where token = ? and status = 'pending' and expires_at > now() returning status`,
              [`SBX${digits(13)}`, digits(12), digits(6), token],
            )
          : await this.orm.em.fork().execute<Row[]>(
              `update billing_sandbox_txn set status = 'cancelled' where token = ? and status = 'pending' returning status`,
              [token],
            );
      if (rows.length) return callback(t.callbackUrl, token, action === 'pay' ? 'OK' : 'CANCELLED');
      return this.act(token, action);
    }
    const status = t.status === 'paid' ? 'OK' : t.status === 'expired' ? 'EXPIRED' : 'CANCELLED';
    return callback(t.callbackUrl, token, status);
  }
}

function callback(callbackUrl: string, token: string, status: string): string {
  const url = new URL(callbackUrl);
  url.searchParams.set('token', token);
  url.searchParams.set('status', status);
  return url.toString();
}

function digits(n: number): string {
  return Array.from({ length: n }, (_, i) => (i === 0 ? 1 + randomInt(9) : randomInt(10))).join('');
}
