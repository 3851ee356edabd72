/**
 * The contract between the SMS delivery job and the SMS gateways (Kavenegar, SMS.ir, or
 * the sandbox). Adapters only translate one message into one HTTP call and classify the
 * answer; retries, backoff and bookkeeping belong to the delivery job.
 */

/** Injection token of the configured provider (chosen by `SMS_PROVIDER`). */
export const SMS_PROVIDER = Symbol('SMS_PROVIDER');

export type SmsProviderName = 'sandbox' | 'kavenegar' | 'smsir';

/** One message as the delivery job hands it to a provider. */
export interface OutgoingSms {
  /** Our message id (the outbox row), for correlation only. */
  id: string;
  /** Canonical mobile number, `09xxxxxxxxx`. */
  mobile: string;
  /** Template key, e.g. `otp_login`. Decides between a provider's OTP and plain-text API. */
  template: string;
  /** The fully rendered Persian text (with secrets in clear: this is what the citizen receives). */
  text: string;
  /** Template parameters in clear (e.g. `{ code: '482917' }`). */
  params: Record<string, string>;
}

export interface SmsSendResult {
  /** The provider's id of the accepted message (for support requests and delivery reports). */
  providerMessageId: string;
}

export interface SmsProvider {
  readonly name: SmsProviderName;
  send(message: OutgoingSms): Promise<SmsSendResult>;
}

/**
 * Template keys whose single secret parameter `code` is a one-time code. Real providers send
 * these through their OTP ("verify"/"lookup") APIs: service lines, high priority, delivered
 * even to numbers that block advertising SMS.
 */
export const OTP_TEMPLATES: ReadonlySet<string> = new Set(['otp_login', 'staff_2fa']);

/**
 * A provider refused or failed to take a message.
 *
 * `retryable` decides what the delivery job does: `true` (outages, timeouts, credit, account
 * or configuration problems an administrator will fix) keeps the message queued and retries
 * with backoff; `false` (this message itself can never be delivered: invalid receptor,
 * invalid parameters) marks it failed at once. The message never contains an API key.
 */
export class SmsProviderError extends Error {
  override readonly name = 'SmsProviderError';

  constructor(
    /** Stable code, e.g. `KAVENEGAR_418`, `SMSIR_104`, `TIMEOUT`, `NETWORK`, `HTTP_503`. */
    readonly code: string,
    readonly retryable: boolean,
    message: string,
  ) {
    super(message);
  }
}
