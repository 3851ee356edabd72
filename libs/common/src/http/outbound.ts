/**
 * The outbound HTTP call of the adapters that talk to other systems (SMS providers,
 * payment gateways): a POST with a hard timeout (connection, headers and body together),
 * no redirects, that never throws. Callers decide what a timeout or a network error means
 * for them (retry, "unknown" outcome, ...).
 */
export type OutboundResult =
  /** The other side answered; `json` is undefined when the body is not JSON (proxy error pages...). */
  | { kind: 'answer'; status: number; json: unknown; text: string }
  | { kind: 'timeout' }
  /** No usable answer; `code` is the socket error code (ECONNREFUSED, ENOTFOUND, ...) or null. */
  | { kind: 'network'; code: string | null };

export async function postOutbound(url: string, init: { headers: Record<string, string>; body: string; timeoutMs: number }): Promise<OutboundResult> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: init.headers,
      body: init.body,
      redirect: 'error',
      signal: AbortSignal.timeout(init.timeoutMs),
    });
    const text = await res.text();
    return { kind: 'answer', status: res.status, json: parseJsonOrUndefined(text), text };
  } catch (err) {
    const name = (err as Error | undefined)?.name;
    if (name === 'TimeoutError' || name === 'AbortError') return { kind: 'timeout' };
    return { kind: 'network', code: fetchErrorCode(err) };
  }
}

export function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * `fetch failed` hides the reason in `cause.code` (ECONNREFUSED, ENOTFOUND, ...); null when
 * there is none (the Fetch standard also turns an HTTP 407 into such a network error).
 */
function fetchErrorCode(err: unknown): string | null {
  const cause = (err as { cause?: { code?: unknown } } | undefined)?.cause;
  const code = cause?.code ?? (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code) ? code : null;
}
