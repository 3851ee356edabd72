import { GatewayErrors } from './gateway.errors';
import { assertRials, describeFailure, gatewayText, isRecord, postJson, toId, trimSlash } from './gateway-http';
import {
  GatewayCallback,
  GatewayStartInput,
  GatewayStartResult,
  GatewayVerifyInput,
  GatewayVerifyResult,
  PaymentGateway,
} from './payment-gateway';

export interface ZarinpalOptions {
  /** The 36-character merchant id (UUID) Zarinpal issued. */
  merchantId: string;
  /** Host of the v4 REST API, e.g. `https://payment.zarinpal.com`. */
  baseUrl: string;
  /** Host of the StartPay page; defaults to `baseUrl`. */
  startUrl?: string;
  timeoutMs: number;
}

/**
 * Zarinpal v4 codes (docs: paymentGateway/errorList) that decide a verify. Every other code
 * (validation, terminal, rate limit, support) says nothing about the money: unknown.
 */
export const ZARINPAL_VERIFY_CODES: Readonly<Record<number, { reason: string; definite: 'paid' | 'not_paid' }>> = {
  100: { reason: 'verified', definite: 'paid' },
  101: { reason: 'already verified', definite: 'paid' },
  // The session was opened for another amount than the stored one. Zarinpal does not
  // verify it, gives no ref_id and no amount, and returns unverified money to the payer:
  // a definite "not paid" for this payment (the reason says why, for the audit trail).
  [-50]: { reason: 'amount differs from the payment session: not verified, Zarinpal returns the money to the payer', definite: 'not_paid' },
  [-51]: { reason: 'payment failed or was cancelled', definite: 'not_paid' },
  [-53]: { reason: 'the authority is not a session of this merchant', definite: 'not_paid' },
  [-54]: { reason: 'invalid authority', definite: 'not_paid' },
};

/** Codes of `request.json` failures that are worth another try soon (rate limit, Zarinpal-side trouble). */
const RETRYABLE_START_CODES = new Set([-12, -52]);

/**
 * Zarinpal payment gateway, REST API v4: `POST /pg/v4/payment/request.json` → `authority`;
 * the browser goes to `/pg/StartPay/{authority}`; Zarinpal sends it back to the callback
 * with `?Authority=…&Status=OK|NOK`; `verify.json` with the stored amount confirms it
 * (code 100, or 101 when already verified) and gives `ref_id` and `card_pan`.
 * Amounts are sent in Rials (`currency: 'IRR'`).
 */
export class ZarinpalGateway implements PaymentGateway {
  readonly name = 'zarinpal' as const;

  constructor(private readonly options: ZarinpalOptions) {}

  private get secrets(): string[] {
    return [this.options.merchantId];
  }

  private url(operation: 'request' | 'verify' | 'reverse'): string {
    return `${trimSlash(this.options.baseUrl)}/pg/v4/payment/${operation}.json`;
  }

  async start(input: GatewayStartInput): Promise<GatewayStartResult> {
    assertRials(input.amountRials);
    const { merchantId, startUrl, baseUrl, timeoutMs } = this.options;
    const metadata: Record<string, string> = { order_id: input.paymentId };
    if (input.mobile) metadata.mobile = input.mobile;
    const result = await postJson(
      this.url('request'),
      {
        merchant_id: merchantId,
        amount: input.amountRials,
        currency: 'IRR',
        callback_url: input.callbackUrl,
        description: input.description.slice(0, 500),
        metadata,
      },
      timeoutMs,
    );
    if (result.kind === 'answer' && isRecord(result.json) && result.status < 500) {
      const data = result.json.data;
      const authority = isRecord(data) ? toId(data.authority) : null;
      if (isRecord(data) && data.code === 100 && authority && AUTHORITY.test(authority)) {
        return { token: authority, redirectUrl: `${trimSlash(startUrl ?? baseUrl)}/pg/StartPay/${authority}` };
      }
      const error = firstError(result.json.errors);
      if (error) {
        const cause = new Error(`Zarinpal refused the payment request: code ${error.code}${error.message ? ` (${gatewayText(error.message, this.secrets)})` : ''}`);
        if (RETRYABLE_START_CODES.has(error.code)) {
          throw GatewayErrors.PAYMENT_GATEWAY_UNAVAILABLE({ extensions: { gateway: this.name, gatewayCode: error.code }, retryAfterSeconds: 60, cause });
        }
        throw GatewayErrors.PAYMENT_GATEWAY_REJECTED({ extensions: { gateway: this.name, gatewayCode: error.code }, cause });
      }
    }
    throw GatewayErrors.PAYMENT_GATEWAY_UNAVAILABLE({
      extensions: { gateway: this.name },
      retryAfterSeconds: 60,
      cause: new Error(describeFailure('Zarinpal payment request', result, timeoutMs)),
    });
  }

  parseCallback(params: Record<string, string | undefined>): GatewayCallback {
    const raw = (params.Authority ?? params.authority)?.trim();
    const token = raw && AUTHORITY.test(raw) ? raw : null;
    const status = (params.Status ?? params.status)?.trim();
    // Zarinpal's NOK covers both a cancel and a failed payment.
    return { token, claimed: status === 'OK' ? 'paid' : 'failed' };
  }

  async verify(input: GatewayVerifyInput): Promise<GatewayVerifyResult> {
    assertRials(input.amountRials);
    const { merchantId, timeoutMs } = this.options;
    const result = await postJson(this.url('verify'), { merchant_id: merchantId, amount: input.amountRials, authority: input.token }, timeoutMs);
    if (result.kind !== 'answer' || !isRecord(result.json) || result.status >= 500) {
      return { outcome: 'unknown', reason: describeFailure('Zarinpal verify', result, timeoutMs) };
    }
    const data = result.json.data;
    const error = firstError(result.json.errors);
    const code = isRecord(data) && typeof data.code === 'number' ? data.code : error?.code;
    if (code === undefined) {
      return { outcome: 'unknown', reason: describeFailure('Zarinpal verify', result, timeoutMs) };
    }
    const known = ZARINPAL_VERIFY_CODES[code];
    const text = gatewayText(error?.message ?? (isRecord(data) ? data.message : undefined), this.secrets);
    const label = `ZARINPAL_${code}: ${known?.reason ?? (text || 'unknown code')}`;
    if (!known) return { outcome: 'unknown', reason: label };
    if (known.definite === 'not_paid') return { outcome: 'not_paid', reason: label };
    const refId = isRecord(data) ? toId(data.ref_id) : null;
    if (!refId) return { outcome: 'unknown', reason: `${label}, but without ref_id` };
    // Code 100/101 to a verify that carried our amount: Zarinpal confirms exactly that amount.
    const paid: Extract<GatewayVerifyResult, { outcome: 'paid' }> = { outcome: 'paid', bankReference: refId, amountRials: input.amountRials };
    const cardMask = isRecord(data) ? toId(data.card_pan) : null;
    if (cardMask) paid.cardMask = cardMask;
    return paid;
  }

  async reverse(input: GatewayVerifyInput): Promise<boolean> {
    const { merchantId, timeoutMs } = this.options;
    const result = await postJson(this.url('reverse'), { merchant_id: merchantId, authority: input.token }, timeoutMs);
    return (
      result.kind === 'answer' &&
      result.status < 300 &&
      isRecord(result.json) &&
      isRecord(result.json.data) &&
      result.json.data.code === 100
    );
  }
}

/** A v4 authority: `A` or `S` followed by letters and digits (36 characters today). */
const AUTHORITY = /^[A-Za-z0-9]{10,64}$/;

/**
 * Zarinpal's `errors` member: `[]` on success, an object `{code, message, validations}` on
 * failure (some proxies and older answers wrap it in an array).
 */
function firstError(errors: unknown): { code: number; message?: string } | null {
  const candidate = Array.isArray(errors) ? errors[0] : errors;
  if (!isRecord(candidate) || candidate.code == null) return null;
  const code = typeof candidate.code === 'number' ? candidate.code : Number(candidate.code);
  if (!Number.isInteger(code)) return null;
  return { code, message: typeof candidate.message === 'string' ? candidate.message : undefined };
}
