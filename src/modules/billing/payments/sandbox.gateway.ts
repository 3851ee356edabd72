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
import { run } from '../../../database/sql';
import { SandboxTxnStatus } from './sandbox-transaction.entity';
import { SandboxTransactionsRepository } from './sandbox-transactions.repository';

/** How long the payer has on the sandbox page (like a Shaparak session). */
export const SANDBOX_SESSION_MINUTES = 15;
const TOKEN = /^[a-f0-9]{32}$/;

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
    private readonly txns: SandboxTransactionsRepository,
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
    await run(
      this.orm.em.fork(),
      this.txns.insert({
        token,
        paymentId: input.paymentId,
        amountRials: BigInt(input.amountRials),
        callbackUrl: input.callbackUrl,
        description: input.description.slice(0, 300),
        sessionMinutes: SANDBOX_SESSION_MINUTES,
      }),
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
    const t = await run(this.orm.em.fork(), this.txns.verify(input.token, input.paymentId));
    if (!t) return { outcome: 'not_paid', reason: 'SANDBOX: no transaction with this token for this payment' };
    if (t.status === SandboxTxnStatus.Pending) {
      // The page is still open: the payer may yet pay, whatever a callback said.
      return t.expired
        ? { outcome: 'not_paid', reason: 'SANDBOX: the session expired unpaid' }
        : { outcome: 'unknown', reason: 'SANDBOX: the session is still open (not paid yet)', open: true };
    }
    if (t.status !== SandboxTxnStatus.Paid) return { outcome: 'not_paid', reason: `SANDBOX: transaction ${t.status}` };
    const amount = Number(t.amountRials);
    const bankReference = String(t.bankReference);
    if (amount !== input.amountRials) return { outcome: 'amount_mismatch', bankReference, amountRials: amount };
    return { outcome: 'paid', bankReference, amountRials: amount, cardMask: '603799******0000', rrn: String(t.rrn), traceNo: String(t.traceNo) };
  }

  async reverse(input: GatewayVerifyInput): Promise<boolean> {
    return run(this.orm.em.fork(), this.txns.reverse(input.token, input.paymentId));
  }

  // --- the gateway's own side: its page and the payer's buttons -------------------------

  async transaction(token: string): Promise<SandboxTxnView> {
    if (!TOKEN.test(token)) throw PaymentErrors.SANDBOX_TRANSACTION_NOT_FOUND();
    const t = await run(this.orm.em.fork(), this.txns.byToken(token));
    if (!t) throw PaymentErrors.SANDBOX_TRANSACTION_NOT_FOUND();
    return {
      token,
      paymentId: t.paymentId,
      amountRials: t.amountRials,
      description: t.description,
      callbackUrl: t.callbackUrl,
      status: t.expired ? 'expired' : t.status,
      expiresAt: t.expiresAt,
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
      const took = await run(
        this.orm.em.fork(),
        action === 'pay' ? this.txns.pay(token, { bankReference: `SBX${digits(13)}`, rrn: digits(12), traceNo: digits(6) }) : this.txns.cancel(token),
      );
      if (took) return callback(t.callbackUrl, token, action === 'pay' ? 'OK' : 'CANCELLED');
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
