import type { ResolvedConfig } from '../../../config/app-config';

/** Absolute base URL of this service as payers' browsers reach it (PUBLIC_URL, else localhost:PORT). */
export function publicBaseUrl(config: ResolvedConfig): string {
  return (config.http.publicUrl ?? `http://localhost:${config.http.port}`).replace(/\/+$/, '');
}

/** Origins a payment's return URL may use: PUBLIC_URL's (or localhost's) and PAYMENT_RETURN_URL_ORIGINS. */
export function allowedReturnOrigins(config: ResolvedConfig): Set<string> {
  const origins = new Set(config.payments.returnUrlOrigins);
  const base = new URL(publicBaseUrl(config));
  origins.add(base.origin.toLowerCase());
  if (!config.http.publicUrl) origins.add(`http://127.0.0.1:${config.http.port}`);
  return origins;
}

/** The URL if it is an absolute http(s) URL on an allowed origin, without credentials; else null. */
export function checkReturnUrl(raw: string, allowed: Set<string>): string | null {
  if (raw.length > 2000) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username || url.password) return null;
  if (!allowed.has(url.origin.toLowerCase())) return null;
  return url.toString();
}

/** `returnUrl` with only `paymentId` added (an existing `paymentId` parameter is replaced). */
export function returnUrlFor(returnUrl: string, paymentId: string): string {
  const url = new URL(returnUrl);
  url.searchParams.set('paymentId', paymentId);
  return url.toString();
}

/** Path (under the API prefix) of the Persian payment result page. */
export const PAYMENT_RESULT_PATH = '/api/v1/payments/result';

/** Where a payer returns when the payment named no return URL: the result page of this service. */
export function defaultReturnUrl(config: ResolvedConfig): string {
  return `${publicBaseUrl(config)}${PAYMENT_RESULT_PATH}`;
}
