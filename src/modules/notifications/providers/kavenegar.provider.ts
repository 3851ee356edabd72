import { OTP_TEMPLATES, OutgoingSms, SmsProvider, SmsProviderError, SmsSendResult } from './sms-provider';
import { postToProvider, providerText } from './provider-http';

export interface KavenegarOptions {
  apiKey: string;
  /** e.g. `https://api.kavenegar.com` (no trailing `/v1`). */
  baseUrl: string;
  /** Sender line for plain-text messages; unset = the account's default line. */
  sender?: string;
  /** Name of the Verify Lookup template defined in the Kavenegar panel (holds `%token`). */
  otpTemplate: string;
  timeoutMs: number;
}

interface StatusInfo {
  reason: string;
  retryable: boolean;
}

/**
 * Kavenegar's documented `return.status` codes (REST API error table) and whether retrying
 * the same message can ever succeed. Outages, credit, account, line and template
 * configuration are fixed by someone else meanwhile: retry (delay, never lose). Problems of
 * this very message (receptor, text, token, parameters) fail it at once.
 */
export const KAVENEGAR_STATUSES: Readonly<Record<number, StatusInfo>> = {
  400: { reason: 'parameters are incomplete', retryable: false },
  401: { reason: 'account is disabled', retryable: true },
  402: { reason: 'operation failed', retryable: true },
  403: { reason: 'API key is not valid', retryable: true },
  404: { reason: 'unknown method (check KAVENEGAR_BASE_URL)', retryable: true },
  405: { reason: 'wrong HTTP method', retryable: true },
  406: { reason: 'required parameters are empty', retryable: false },
  407: { reason: 'access denied (allowed IPs of the account)', retryable: true },
  408: { reason: 'IP must be configured in the security settings', retryable: true },
  409: { reason: 'server cannot answer now, try later', retryable: true },
  411: { reason: 'receptor is not valid', retryable: false },
  412: { reason: 'sender line is not valid', retryable: true },
  413: { reason: 'message is empty or too long', retryable: false },
  414: { reason: 'too many records in one request', retryable: false },
  416: { reason: 'source IP does not match the account settings', retryable: true },
  417: { reason: 'send date is not valid', retryable: false },
  418: { reason: 'insufficient credit', retryable: true },
  419: { reason: 'text, receptor and sender arrays differ in length', retryable: false },
  420: { reason: 'links in the text are not allowed for this account', retryable: false },
  422: { reason: 'data contains invalid characters', retryable: false },
  424: { reason: 'template not found or not approved yet', retryable: true },
  426: { reason: 'method requires the advanced service', retryable: true },
  427: { reason: 'line requires an access level', retryable: true },
  428: { reason: 'code cannot be sent by voice call (token is not numeric)', retryable: false },
  429: { reason: 'IP is rate-limited', retryable: true },
  431: { reason: 'token structure is not valid (spaces, new lines or separators)', retryable: false },
  432: { reason: 'template has no token parameter', retryable: true },
  451: { reason: 'too many calls from this IP in the time window', retryable: true },
  501: { reason: 'test account: only the account owner’s number can receive', retryable: true },
};

interface KavenegarEnvelope {
  return?: { status?: unknown; message?: unknown };
  entries?: Array<{ messageid?: unknown }> | null;
}

/**
 * Kavenegar (kavenegar.com) REST API v1. One-time codes go through Verify Lookup
 * (`verify/lookup.json`, template from the panel, `%token` = the code); everything else
 * through `sms/send.json`. The API key is part of the URL path, so it is kept out of every
 * error message.
 */
export class KavenegarProvider implements SmsProvider {
  readonly name = 'kavenegar' as const;

  constructor(private readonly options: KavenegarOptions) {}

  async send(message: OutgoingSms): Promise<SmsSendResult> {
    const { apiKey, baseUrl, sender, otpTemplate, timeoutMs } = this.options;
    const base = `${baseUrl.replace(/\/+$/, '')}/v1/${encodeURIComponent(apiKey)}`;
    let url: string;
    const form = new URLSearchParams({ receptor: message.mobile });
    if (OTP_TEMPLATES.has(message.template)) {
      const token = message.params.code;
      if (!token) throw new SmsProviderError('INVALID_PARAMS', false, `Kavenegar: template ${message.template} needs a code`);
      url = `${base}/verify/lookup.json`;
      form.set('token', token);
      form.set('template', otpTemplate);
    } else {
      url = `${base}/sms/send.json`;
      form.set('message', message.text);
      if (sender) form.set('sender', sender);
    }

    const res = await postToProvider({
      provider: 'Kavenegar',
      url,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8', Accept: 'application/json' },
      body: form.toString(),
      timeoutMs,
      secrets: [apiKey],
    });

    const envelope = (res.json ?? {}) as KavenegarEnvelope;
    const status = typeof envelope.return?.status === 'number' ? envelope.return.status : undefined;
    if (status === undefined) {
      // Not Kavenegar's JSON: a proxy page, a crash, an outage.
      throw new SmsProviderError(
        `HTTP_${res.status}`,
        true,
        `Kavenegar: unexpected HTTP ${res.status} answer${res.snippet ? ` (${res.snippet})` : ''}`,
      );
    }
    if (status === 200 && res.status >= 200 && res.status < 300) {
      const id = envelope.entries?.[0]?.messageid;
      if (typeof id !== 'number' && typeof id !== 'string') {
        throw new SmsProviderError('MALFORMED_RESPONSE', true, 'Kavenegar: accepted without a message id');
      }
      return { providerMessageId: String(id) };
    }
    const known = KAVENEGAR_STATUSES[status];
    const detail = providerText(envelope.return?.message, [apiKey]);
    throw new SmsProviderError(
      `KAVENEGAR_${status}`,
      known?.retryable ?? true,
      `Kavenegar ${status}: ${known?.reason ?? 'unknown status'}${detail ? ` (${detail})` : ''}`,
    );
  }
}
