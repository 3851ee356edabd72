/**
 * The contract every internet payment gateway adapter implements (sandbox, Saman/SEP,
 * Zarinpal v4). The payments service owns the `payment` rows; an adapter only speaks its
 * gateway's protocol. Nothing a browser sends to a callback is trusted: `parseCallback`
 * only finds which payment the request is about, and `verify` asks the gateway itself,
 * server to server, with the amount the payments service stored.
 */
export type GatewayName = 'sandbox' | 'sep' | 'zarinpal';

export interface GatewayStartInput {
  /** Our payment id (uuid); sent to the gateway as the merchant's reference (ResNum / metadata). */
  paymentId: string;
  /** Integer Rials, as stored on the payment. */
  amountRials: number;
  /** Absolute URL of `/api/v1/payments/callback/{gateway}` the gateway sends the browser back to. */
  callbackUrl: string;
  /** Payer's mobile (09xxxxxxxxx) when known; gateways show saved cards for it. */
  mobile?: string;
  /** Short Persian description shown on the gateway page. */
  description: string;
}

export interface GatewayStartResult {
  /** The gateway's token / authority for this payment; stored on the payment row (unique per gateway). */
  token: string;
  /** Where the browser goes next (GET). */
  redirectUrl: string;
}

/** What a callback request claims. Untrusted until `verify` confirms it. */
export interface GatewayCallback {
  /** The gateway token / authority the callback refers to, or null if absent. */
  token: string | null;
  /**
   * What the browser-carried parameters claim. Never closes a payment on its own: a claimed
   * cancel or failure is verified like a claimed payment (a forged cancel must not close a
   * session the payer can still pay in); it only names a verified non-payment `cancelled`.
   */
  claimed: 'paid' | 'cancelled' | 'failed';
  /**
   * The gateway's own receipt number when the callback carries one that its verify API
   * needs (SEP's `RefNum`; absent for sandbox and Zarinpal). Untrusted like the rest: the
   * payments service keeps it with the payment and passes it back as
   * `GatewayVerifyInput.reference`; the gateway's verify answer is what counts.
   */
  reference?: string | null;
}

export interface GatewayVerifyInput {
  token: string;
  paymentId: string;
  /** The amount the payments service stored (never the callback's). */
  amountRials: number;
  /** `GatewayCallback.reference` of the callback, for gateways that verify by it (SEP); others ignore it. */
  reference?: string;
}

export type GatewayVerifyResult =
  /** The gateway confirms a successful payment of exactly `amountRials`. */
  | {
      outcome: 'paid';
      /** The gateway's unique reference of the transaction (SEP RefNum, Zarinpal ref_id): settle once per value. */
      bankReference: string;
      cardMask?: string;
      amountRials: number;
      /** Shaparak retrieval reference number (شماره مرجع), when the gateway gives one. */
      rrn?: string;
      /** Trace number (شماره پیگیری), when the gateway gives one. */
      traceNo?: string;
    }
  /** The gateway says the payment did not happen (cancelled, failed, expired). */
  | { outcome: 'not_paid'; reason: string }
  /** The gateway confirms money moved, but not the stored amount: must be reversed/flagged. */
  | { outcome: 'amount_mismatch'; bankReference: string; amountRials: number }
  /** No definite answer (timeout, 5xx, unknown code, the session still open): leave pending for reconciliation. */
  | {
      outcome: 'unknown';
      reason: string;
      /** The gateway says the session is still open and not paid yet (a claimed payment is refuted for now). */
      open?: boolean;
    };

export interface PaymentGateway {
  readonly name: GatewayName;
  start(input: GatewayStartInput): Promise<GatewayStartResult>;
  /** Reads the callback's query (GET) or form body (POST) parameters. */
  parseCallback(params: Record<string, string | undefined>): GatewayCallback;
  verify(input: GatewayVerifyInput): Promise<GatewayVerifyResult>;
  /** Asks the gateway to return the money of a verified transaction; true when it did. */
  reverse(input: GatewayVerifyInput): Promise<boolean>;
}

/** DI token of the `Map<GatewayName, PaymentGateway>` of the gateways enabled by config. */
export const PAYMENT_GATEWAYS = Symbol('PAYMENT_GATEWAYS');
