import { GatewayErrors } from './gateway.errors';
import {
  assertRials,
  describeFailure,
  gatewayText,
  isRecord,
  postJson,
  toId,
  toIntegerAmount,
  trimSlash,
} from './gateway-http';
import {
  GatewayCallback,
  GatewayStartInput,
  GatewayStartResult,
  GatewayVerifyInput,
  GatewayVerifyResult,
  PaymentGateway,
} from './payment-gateway';

export interface SepOptions {
  /** The terminal (merchant) number Saman issued. */
  terminalId: string;
  /** e.g. `https://sep.shaparak.ir` (token request and the payment page). */
  baseUrl: string;
  /** Host of the verify / reverse services; defaults to `baseUrl` (the same host today). */
  verifyBaseUrl?: string;
  timeoutMs: number;
}

/**
 * `ResultCode` of SEP's VerifyTransaction / ReverseTransaction (Saman IPG guide), and what
 * each means for a payment. Terminal and IP problems are ours to fix and say nothing about
 * the money, so they stay unknown (the reconciliation job asks again).
 */
export const SEP_VERIFY_RESULTS: Readonly<Record<number, { reason: string; definite: 'paid' | 'not_paid' | null }>> = {
  0: { reason: 'verified', definite: 'paid' },
  2: { reason: 'already verified (duplicate request)', definite: 'paid' },
  [-2]: { reason: 'transaction not found', definite: 'not_paid' },
  [-6]: { reason: 'more than 30 minutes passed: SEP has reversed the transaction', definite: 'not_paid' },
  [-104]: { reason: 'terminal is disabled', definite: null },
  [-105]: { reason: 'terminal not found (check SEP_TERMINAL_ID)', definite: null },
  [-106]: { reason: 'server IP address is not allowed for this terminal', definite: null },
};

/** `State` / `Status` a SEP callback carries (Saman IPG guide). */
const SEP_STATUS_OK = '2';
const SEP_STATUS_CANCELLED = '1';

/**
 * Saman Electronic Payment (SEP) token-based internet payment gateway:
 * `POST /onlinepg/onlinepg` `{action: 'token', ...}` → `{status: 1, token}`; the browser
 * goes to `/OnlinePG/SendToken?token=…`; SEP posts the result back as a form with
 * `State`, `Status`, `RefNum`, `Token`, …; `VerifyTransaction` with `RefNum` (the digital
 * receipt) and the terminal number confirms the transaction and its amounts. SEP reverses
 * on its own any transaction not verified within 30 minutes.
 *
 * SEP verifies by `RefNum`, which only the callback carries: `parseCallback` returns it as
 * `reference` and `verify`/`reverse` need it back in `input.reference`. SEP's verify answer
 * does not echo our ResNum, so the RefNum is bound to a payment only by the payments
 * service's unique bank reference (this adapter returns the RefNum as `bankReference`).
 */
export class SepGateway implements PaymentGateway {
  readonly name = 'sep' as const;

  constructor(private readonly options: SepOptions) {}

  private get secrets(): string[] {
    return [this.options.terminalId];
  }

  async start(input: GatewayStartInput): Promise<GatewayStartResult> {
    assertRials(input.amountRials);
    const { terminalId, baseUrl, timeoutMs } = this.options;
    const body: Record<string, unknown> = {
      action: 'token',
      TerminalId: terminalId,
      Amount: input.amountRials,
      ResNum: input.paymentId,
      RedirectUrl: input.callbackUrl,
    };
    if (input.mobile) body.CellNumber = input.mobile;
    const result = await postJson(`${trimSlash(baseUrl)}/onlinepg/onlinepg`, body, timeoutMs);
    if (result.kind === 'answer' && isRecord(result.json) && result.status < 500) {
      const json = result.json;
      const token = toId(json.token);
      if (Number(json.status) === 1 && token) {
        return { token, redirectUrl: `${trimSlash(baseUrl)}/OnlinePG/SendToken?token=${encodeURIComponent(token)}` };
      }
      if (Number(json.status) === -1) {
        const code = toId(json.errorCode) ?? '?';
        const desc = gatewayText(json.errorDesc, this.secrets);
        throw GatewayErrors.PAYMENT_GATEWAY_REJECTED({
          extensions: { gateway: this.name, gatewayCode: code },
          cause: new Error(`SEP refused the token request: errorCode ${code}${desc ? ` (${desc})` : ''}`),
        });
      }
    }
    throw GatewayErrors.PAYMENT_GATEWAY_UNAVAILABLE({
      extensions: { gateway: this.name },
      retryAfterSeconds: 60,
      cause: new Error(describeFailure('SEP token request', result, timeoutMs)),
    });
  }

  parseCallback(params: Record<string, string | undefined>): GatewayCallback {
    // SEP's documents and live callbacks differ in letter case (Token/token, RRN/Rrn).
    const p = new Map<string, string>();
    for (const [key, value] of Object.entries(params)) {
      if (typeof value === 'string') p.set(key.toLowerCase(), value.trim());
    }
    const token = wellFormed(p.get('token'));
    const reference = wellFormed(p.get('refnum'));
    const state = p.get('state') ?? '';
    const status = p.get('status') ?? '';
    let claimed: GatewayCallback['claimed'] = 'failed';
    if (state === 'OK' && status === SEP_STATUS_OK && reference) claimed = 'paid';
    else if (state === 'CanceledByUser' || status === SEP_STATUS_CANCELLED) claimed = 'cancelled';
    return { token, claimed, reference };
  }

  async verify(input: GatewayVerifyInput): Promise<GatewayVerifyResult> {
    if (!input.reference) {
      return { outcome: 'unknown', reason: 'SEP: no RefNum (SEP verifies by the RefNum its callback carries)' };
    }
    const result = await this.call('VerifyTransaction', input.reference);
    if (result.kind !== 'answer' || !isRecord(result.json) || result.status >= 500) {
      return { outcome: 'unknown', reason: describeFailure('SEP verify', result, this.options.timeoutMs) };
    }
    const json = result.json;
    const code = toResultCode(json.ResultCode);
    const known = SEP_VERIFY_RESULTS[code];
    const description = gatewayText(json.ResultDescription, this.secrets);
    const label = `SEP_${Number.isNaN(code) ? 'NO_RESULT_CODE' : code}: ${known?.reason ?? (description || 'unknown result code')}`;
    if (!known || known.definite === null) return { outcome: 'unknown', reason: label };
    if (known.definite === 'not_paid') return { outcome: 'not_paid', reason: label };

    // ResultCode 0 / 2: the transaction exists and is verified; check what it says.
    const detail = json.TransactionDetail;
    if (json.Success !== true || !isRecord(detail)) {
      return { outcome: 'unknown', reason: `${label}, but Success is not true or TransactionDetail is missing` };
    }
    const refNum = toId(detail.RefNum) ?? input.reference;
    if (refNum !== input.reference) {
      return { outcome: 'unknown', reason: `${label}, but for another RefNum` };
    }
    const terminal = toId(detail.TerminalNumber);
    if (terminal !== null && terminal !== String(this.options.terminalId)) {
      return { outcome: 'unknown', reason: `${label}, but for another terminal` };
    }
    const original = toIntegerAmount(detail.OrginalAmount ?? detail.OriginalAmount);
    const affective = detail.AffectiveAmount == null ? null : toIntegerAmount(detail.AffectiveAmount);
    if (original === null || (detail.AffectiveAmount != null && affective === null)) {
      return { outcome: 'unknown', reason: `${label}, but the amounts are missing or not integers` };
    }
    if (original !== input.amountRials || (affective !== null && affective !== input.amountRials)) {
      // What left the card is the affective amount when SEP gives it.
      return { outcome: 'amount_mismatch', bankReference: refNum, amountRials: affective ?? original };
    }
    const paid: Extract<GatewayVerifyResult, { outcome: 'paid' }> = { outcome: 'paid', bankReference: refNum, amountRials: original };
    const cardMask = toId(detail.MaskedPan);
    const rrn = toId(detail.RRN ?? detail.Rrn);
    const traceNo = toId(detail.StraceNo ?? detail.TraceNo);
    if (cardMask) paid.cardMask = cardMask;
    if (rrn) paid.rrn = rrn;
    if (traceNo) paid.traceNo = traceNo;
    return paid;
  }

  async reverse(input: GatewayVerifyInput): Promise<boolean> {
    if (!input.reference) return false;
    const result = await this.call('ReverseTransaction', input.reference);
    return (
      result.kind === 'answer' &&
      result.status < 300 &&
      isRecord(result.json) &&
      toResultCode(result.json.ResultCode) === 0 &&
      result.json.Success === true
    );
  }

  private call(operation: 'VerifyTransaction' | 'ReverseTransaction', refNum: string) {
    const { terminalId, baseUrl, verifyBaseUrl, timeoutMs } = this.options;
    const terminalNumber = /^\d{1,15}$/.test(terminalId) ? Number(terminalId) : terminalId;
    const url = `${trimSlash(verifyBaseUrl ?? baseUrl)}/verifyTxnRandomSessionkey/ipg/${operation}`;
    return postJson(url, { RefNum: refNum, TerminalNumber: terminalNumber }, timeoutMs);
  }
}

/** A token / RefNum as SEP issues them (letters, digits, `-`, `_`, `=`), or null. */
function wellFormed(value: string | undefined): string | null {
  return value && /^[A-Za-z0-9_=+/-]{1,100}$/.test(value) ? value : null;
}

function toResultCode(value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d{1,6}$/.test(value.trim())) return Number(value.trim());
  return Number.NaN;
}
