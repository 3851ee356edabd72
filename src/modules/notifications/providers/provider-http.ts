import { postOutbound } from '@app/common';
import { SmsProviderError } from './sms-provider';

export interface ProviderRequest {
  /** Human name for error messages, e.g. `Kavenegar`. */
  provider: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** Values that must never appear in an error message (API keys). */
  secrets: Array<string | undefined>;
}

export interface ProviderResponse {
  status: number;
  /** The parsed JSON body, or `undefined` when the body is not JSON (proxy error pages...). */
  json: unknown;
  /** The raw body, shortened and with secrets removed (for error messages only). */
  snippet: string;
}

/**
 * POSTs to a provider with a hard timeout (connection, headers and body together) and turns
 * transport failures into retryable SmsProviderErrors. The URL (which may hold an API key,
 * as Kavenegar's does) and the fetch error's text never reach the error message.
 */
export async function postToProvider(req: ProviderRequest): Promise<ProviderResponse> {
  const result = await postOutbound(req.url, { headers: req.headers, body: req.body, timeoutMs: req.timeoutMs });
  switch (result.kind) {
    case 'answer':
      return { status: result.status, json: result.json, snippet: redactSecrets(result.text.slice(0, 200), req.secrets) };
    case 'timeout':
      throw new SmsProviderError('TIMEOUT', true, `${req.provider}: no answer within ${req.timeoutMs} ms`);
    case 'network':
      // no code: no usable answer, which includes an HTTP 407 (Kavenegar answers 407 when
      // the server's IP is not allowed; the Fetch standard makes it a network error)
      throw new SmsProviderError('NETWORK', true, `${req.provider}: network error (${result.code ?? 'no usable answer, or HTTP 407'})`);
  }
}

/** Replaces every secret (as is and URL-encoded) by `***`. */
export function redactSecrets(text: string, secrets: Array<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join('***');
  }
  return out;
}

/** A short, single-line, secret-free rendering of a provider's own message. */
export function providerText(value: unknown, secrets: Array<string | undefined>): string {
  if (typeof value !== 'string' || value.trim() === '') return '';
  return redactSecrets(value.replace(/\s+/g, ' ').trim().slice(0, 200), secrets);
}
