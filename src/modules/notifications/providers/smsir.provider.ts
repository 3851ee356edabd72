import { OTP_TEMPLATES, OutgoingSms, SmsProvider, SmsProviderError, SmsSendResult } from './sms-provider';
import { postToProvider, providerText } from './provider-http';

export interface SmsIrOptions {
  apiKey: string;
  /** e.g. `https://api.sms.ir` (no trailing `/v1`). */
  baseUrl: string;
  /** Sender line of plain-text (bulk) messages. */
  lineNumber: string;
  /** Id of the Verify template defined in the SMS.ir panel (holds `#CODE#`). */
  otpTemplateId: number;
  timeoutMs: number;
}

interface StatusInfo {
  reason: string;
  retryable: boolean;
}

/**
 * SMS.ir's documented application `status` codes (REST API v1) and whether retrying the same
 * message can ever succeed: outages, rate limits, credit, key, account, line and template
 * configuration retry (delay, never lose); problems of this very message fail it at once.
 */
export const SMSIR_STATUSES: Readonly<Record<number, StatusInfo>> = {
  0: { reason: 'provider system error', retryable: true },
  10: { reason: 'API key is not valid', retryable: true },
  11: { reason: 'API key is disabled', retryable: true },
  12: { reason: 'API key is restricted to other IPs', retryable: true },
  13: { reason: 'account is inactive', retryable: true },
  14: { reason: 'account is suspended', retryable: true },
  20: { reason: 'too many requests', retryable: true },
  101: { reason: 'sender line is not valid', retryable: true },
  102: { reason: 'insufficient credit', retryable: true },
  103: { reason: 'message text is empty', retryable: false },
  104: { reason: 'mobile number is not valid', retryable: false },
  105: { reason: 'more than 100 mobiles', retryable: false },
  106: { reason: 'more than 100 texts', retryable: false },
  107: { reason: 'mobile list is empty', retryable: false },
  108: { reason: 'text list is empty', retryable: false },
  109: { reason: 'send time is not valid', retryable: false },
  110: { reason: 'mobile and text counts differ', retryable: false },
  113: { reason: 'template not found', retryable: true },
  114: { reason: 'a parameter value is longer than 25 characters', retryable: false },
  115: { reason: 'mobile number is blacklisted', retryable: false },
  116: { reason: 'a parameter name is empty', retryable: false },
  117: { reason: 'message text is not approved', retryable: false },
  118: { reason: 'message count exceeds the allowed limit', retryable: true },
  119: { reason: 'plan upgrade required for custom templates', retryable: true },
  123: { reason: 'sender line needs activation', retryable: true },
};

interface SmsIrEnvelope {
  status?: unknown;
  message?: unknown;
  data?: { messageId?: unknown; messageIds?: unknown[] } | null;
}

/**
 * SMS.ir REST API v1 (`x-api-key` header). One-time codes go through `send/verify` (template
 * from the panel, parameter `CODE`); everything else through `send/bulk` to one mobile.
 */
export class SmsIrProvider implements SmsProvider {
  readonly name = 'smsir' as const;

  constructor(private readonly options: SmsIrOptions) {}

  async send(message: OutgoingSms): Promise<SmsSendResult> {
    const { apiKey, baseUrl, lineNumber, otpTemplateId, timeoutMs } = this.options;
    const base = `${baseUrl.replace(/\/+$/, '')}/v1`;
    let url: string;
    let body: Record<string, unknown>;
    if (OTP_TEMPLATES.has(message.template)) {
      const code = message.params.code;
      if (!code) throw new SmsProviderError('INVALID_PARAMS', false, `SMS.ir: template ${message.template} needs a code`);
      url = `${base}/send/verify`;
      body = { mobile: message.mobile, templateId: otpTemplateId, parameters: [{ name: 'CODE', value: code }] };
    } else {
      url = `${base}/send/bulk`;
      body = { lineNumber: lineNumberValue(lineNumber), messageText: message.text, mobiles: [message.mobile] };
    }

    const res = await postToProvider({
      provider: 'SMS.ir',
      url,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'x-api-key': apiKey },
      body: JSON.stringify(body),
      timeoutMs,
      secrets: [apiKey],
    });

    const envelope = (res.json ?? {}) as SmsIrEnvelope;
    const status = typeof envelope.status === 'number' ? envelope.status : undefined;
    if (status === undefined) {
      // Not SMS.ir's JSON: a proxy page, a crash, an outage, a bare 401/429.
      throw new SmsProviderError(
        `HTTP_${res.status}`,
        true,
        `SMS.ir: unexpected HTTP ${res.status} answer${res.snippet ? ` (${res.snippet})` : ''}`,
      );
    }
    if (status === 1) return { providerMessageId: acceptedId(envelope.data) };
    const known = SMSIR_STATUSES[status];
    const detail = providerText(envelope.message, [apiKey]);
    throw new SmsProviderError(
      `SMSIR_${status}`,
      known?.retryable ?? true,
      `SMS.ir ${status}: ${known?.reason ?? 'unknown status'}${detail ? ` (${detail})` : ''}`,
    );
  }
}

/** SMS.ir documents the line as a number (e.g. 300000000000); keep it a string if it is not one. */
function lineNumberValue(line: string): number | string {
  const n = Number(line);
  return /^\d+$/.test(line) && Number.isSafeInteger(n) ? n : line;
}

/**
 * `data.messageId` (verify) or `data.messageIds[0]` (bulk). A bulk send succeeds as a whole
 * while a recipient's id is `0` (blacklisted) or `null` (invalid number or text): that message
 * was not sent and never will be.
 */
function acceptedId(data: SmsIrEnvelope['data']): string {
  const id = data?.messageId ?? (Array.isArray(data?.messageIds) ? data.messageIds[0] : undefined);
  if (id === 0) throw new SmsProviderError('SMSIR_BLACKLISTED', false, 'SMS.ir: the mobile number is blacklisted');
  if (id === null) throw new SmsProviderError('SMSIR_REJECTED', false, 'SMS.ir: the mobile number or text was rejected');
  if (typeof id !== 'number' && typeof id !== 'string') {
    throw new SmsProviderError('MALFORMED_RESPONSE', true, 'SMS.ir: accepted without a message id');
  }
  return String(id);
}
