import { setTimeout as sleep } from 'node:timers/promises';
import { postOutbound } from '@app/common';
import { CivilRecord, IdentityProvider, MobileMatch } from './identity-provider';

export interface HttpIdentityOptions {
  /** e.g. `https://inquiry.example.ir` (IDENTITY_HTTP_BASE_URL). */
  baseUrl: string;
  businessId: string;
  token: string;
  timeoutMs: number;
  /** Further tries after a transient failure (timeout, network error, 429, 5xx). */
  retries: number;
  /** Pause before the n-th retry: `backoffMs * n` (default 200). */
  backoffMs?: number;
}

type Outcome<T> = { kind: 'done'; value: T } | { kind: 'transient'; reason: string };

/**
 * A licensed inquiry service (JSON over HTTPS; `Authorization: Bearer <token>` and
 * `X-Business-Id`), through the outbound helper of the SMS and payment adapters:
 *
 * - `POST {base}/shahkar/v1/match` `{nationalId, mobile}` → 200 `{isMatched: boolean}`;
 *   400 `{code: "INVALID_NATIONAL_ID"}` → not matched (invalid national ID);
 * - `POST {base}/civil-registry/v1/identity` `{nationalId, birthDate}` (Jalali
 *   `YYYY/MM/DD`) → 200 `{firstName, lastName, fatherName, alive}`; 404 (or 400
 *   `INVALID_NATIONAL_ID`) → not found.
 *
 * Timeouts, network errors, 429 and 5xx are retried (IDENTITY_HTTP_RETRIES) and then
 * answered `unavailable`, as are refused credentials and bodies that do not parse: never a
 * match by default. The reason names the failure only (no body: it may hold personal data).
 */
export class HttpIdentityProvider implements IdentityProvider {
  readonly name = 'http' as const;

  constructor(private readonly options: HttpIdentityOptions) {}

  matchMobile(nationalId: string, mobile: string): Promise<MobileMatch> {
    return this.ask<MobileMatch>('/shahkar/v1/match', { nationalId, mobile }, (status, json) => {
      const body = json as { isMatched?: unknown; code?: unknown } | undefined;
      if (status === 200 && typeof body?.isMatched === 'boolean') return body.isMatched ? { result: 'matched' } : { result: 'not_matched' };
      if (status === 400 && body?.code === 'INVALID_NATIONAL_ID') return { result: 'not_matched', reason: 'invalid_national_id' };
      return { result: 'unavailable', reason: status === 200 ? 'MALFORMED_BODY' : `HTTP_${status}` };
    });
  }

  civilRecord(nationalId: string, birthDate: string): Promise<CivilRecord> {
    return this.ask<CivilRecord>('/civil-registry/v1/identity', { nationalId, birthDate }, (status, json) => {
      const body = json as Record<string, unknown> | undefined;
      if (status === 404 || (status === 400 && body?.code === 'INVALID_NATIONAL_ID')) return { result: 'not_found' };
      if (
        status === 200 &&
        body &&
        [body.firstName, body.lastName, body.fatherName].every((v) => typeof v === 'string' && v.trim() !== '') &&
        typeof body.alive === 'boolean'
      ) {
        return { result: 'found', firstName: body.firstName as string, lastName: body.lastName as string, fatherName: body.fatherName as string, alive: body.alive };
      }
      return { result: 'unavailable', reason: status === 200 ? 'MALFORMED_BODY' : `HTTP_${status}` };
    });
  }

  private async ask<T>(path: string, payload: Record<string, string>, classify: (status: number, json: unknown) => T | { result: 'unavailable'; reason: string }): Promise<T | { result: 'unavailable'; reason: string }> {
    let last = 'UNKNOWN';
    for (let attempt = 0; attempt <= this.options.retries; attempt++) {
      if (attempt > 0) await sleep((this.options.backoffMs ?? 200) * attempt);
      const outcome = await this.once(path, payload, classify);
      if (outcome.kind === 'done') return outcome.value;
      last = outcome.reason;
    }
    return { result: 'unavailable', reason: last };
  }

  private async once<T>(path: string, payload: Record<string, string>, classify: (status: number, json: unknown) => T): Promise<Outcome<T>> {
    const answer = await postOutbound(`${this.options.baseUrl.replace(/\/+$/, '')}${path}`, {
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        authorization: `Bearer ${this.options.token}`,
        'x-business-id': this.options.businessId,
      },
      body: JSON.stringify(payload),
      timeoutMs: this.options.timeoutMs,
    });
    if (answer.kind === 'timeout') return { kind: 'transient', reason: 'TIMEOUT' };
    if (answer.kind === 'network') return { kind: 'transient', reason: `NETWORK${answer.code ? `_${answer.code}` : ''}` };
    if (answer.status === 429 || answer.status >= 500) return { kind: 'transient', reason: `HTTP_${answer.status}` };
    return { kind: 'done', value: classify(answer.status, answer.json) };
  }
}
