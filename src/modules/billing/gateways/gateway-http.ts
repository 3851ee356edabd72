import { OutboundResult, postOutbound } from '@app/common';
/**
 * The one HTTP call the gateway adapters make: a JSON POST with a hard timeout
 * (connection, headers and body together) that never throws. Adapters turn its result into
 * a definite outcome only when the gateway answered with something they understand;
 * everything else (timeouts, network errors, 5xx, bodies that are not JSON) stays
 * "unknown" for the reconciliation job.
 */
export type GatewayHttpResult = OutboundResult;

export function postJson(url: string, body: unknown, timeoutMs: number): Promise<GatewayHttpResult> {
  return postOutbound(url, {
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
    timeoutMs,
  });
}

/** A short description of a failed call, for outcome reasons and error causes (no URL: it may hold ids). */
export function describeFailure(gateway: string, result: GatewayHttpResult, timeoutMs: number): string {
  switch (result.kind) {
    case 'timeout':
      return `${gateway}: no answer within ${timeoutMs} ms`;
    case 'network':
      return `${gateway}: network error (${result.code ?? 'no usable answer'})`;
    case 'answer':
      return result.json === undefined
        ? `${gateway}: HTTP ${result.status} with a body that is not JSON`
        : `${gateway}: HTTP ${result.status} with an unexpected body`;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An integer amount from a number or a digit string (gateways send both); null otherwise. */
export function toIntegerAmount(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : null;
  if (typeof value === 'string' && /^\d{1,15}$/.test(value.trim())) return Number(value.trim());
  return null;
}

/** A non-empty string id from a string or a number; null otherwise. */
export function toId(value: unknown): string | null {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '' && value.trim().length <= 100) return value.trim();
  return null;
}

/** A gateway's own text, single-line, short, with secrets (merchant / terminal ids) removed. */
export function gatewayText(value: unknown, secrets: string[]): string {
  if (typeof value !== 'string') return '';
  let out = value.replace(/\s+/g, ' ').trim().slice(0, 160);
  for (const secret of secrets) if (secret) out = out.split(secret).join('***');
  return out;
}

/** Checks the amount a payments service passes in before anything is sent. */
export function assertRials(amountRials: number): void {
  if (!Number.isSafeInteger(amountRials) || amountRials <= 0) {
    throw new RangeError(`amountRials must be a positive integer number of Rials (got ${amountRials})`);
  }
}

export function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
