/**
 * A bank's integration with the Qazvin citizen e-services API, typed from the published
 * OpenAPI document (`npm run openapi:types` writes examples/generated/openapi.d.ts with
 * openapi-typescript). Node 20+, no dependencies beyond node:crypto and node:http.
 *
 * The flow: token → ask for an inquiry about a named citizen → (the citizen consents and
 * submits in the citizen app; the region desk answers) → signed webhooks → the answer,
 * whose JWS is verified offline with the municipality's published keys (JWKS).
 */
import { createHmac, createPublicKey, timingSafeEqual, verify as verifySignature, type JsonWebKey } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { components, operations } from './generated/openapi';

type Schemas = components['schemas'];
export type TokenResponse = operations['OAuthController_token']['responses'][200]['content']['application/json'];
export type CreateInquiry = operations['OrgInquiriesController_create']['requestBody']['content']['application/json'];
export type OrgInquiry = Schemas['OrgInquiryDto'];
export type OrgInquiryList = Schemas['OrgInquiryListDto'];
export type Answer = Schemas['AnswerDto'];
export type CreateWebhook = operations['OrgWebhooksController_create']['requestBody']['content']['application/json'];
export type WebhookWithSecret = Schemas['WebhookSecretDto'];
export type Problem = Schemas['ProblemDto'];
export type WebhookEventType = CreateWebhook['events'][number];

/** The JSON body of every webhook. */
export interface WebhookEvent {
  id: string;
  type: WebhookEventType;
  createdAt: string;
  data: { requestId?: string; trackingCode?: string | null; status?: string; [key: string]: unknown };
}

/** A problem+json answer, thrown by the client. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(`${status} ${problem.code}: ${problem.detail}`);
  }
}

export class QazvinClient {
  private accessToken?: string;
  private expiresAt = 0;

  constructor(
    private readonly baseUrl: string,
    private readonly clientId: string,
    private readonly clientSecret: string,
    private readonly scope?: string,
  ) {}

  /** OAuth 2.0 client credentials; the token is reused until a minute before it expires. */
  async token(): Promise<string> {
    if (this.accessToken && Date.now() < this.expiresAt - 60_000) return this.accessToken;
    const res = await fetch(`${this.baseUrl}/api/v1/oauth/token`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: `Basic ${Buffer.from(`${encodeURIComponent(this.clientId)}:${encodeURIComponent(this.clientSecret)}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', ...(this.scope ? { scope: this.scope } : {}) }),
    });
    const body = (await res.json()) as TokenResponse | Problem;
    if (!res.ok) throw new ApiError(res.status, body as Problem);
    const token = body as TokenResponse;
    this.accessToken = token.access_token;
    this.expiresAt = Date.now() + token.expires_in * 1000;
    return token.access_token;
  }

  /** Asks for an inquiry; retrying with the same idempotency key never creates a second one. */
  createInquiry(input: CreateInquiry, idempotencyKey: string): Promise<OrgInquiry> {
    return this.call<OrgInquiry>('POST', '/api/v1/org/inquiries', input, { 'Idempotency-Key': idempotencyKey });
  }

  /** One page, newest first: `{items, meta: {page, pageSize, total}}` (`meta.total` counts every match; pageSize 1–100, default 20). */
  listInquiries(query: { status?: string; from?: string; to?: string; page?: number; pageSize?: number } = {}): Promise<OrgInquiryList> {
    const qs = new URLSearchParams(
      Object.entries(query).filter((e): e is [string, string | number] => e[1] !== undefined).map(([k, v]): [string, string] => [k, String(v)]),
    );
    return this.call<OrgInquiryList>('GET', `/api/v1/org/inquiries${qs.size ? `?${qs}` : ''}`);
  }

  /** By tracking code or by the request id `createInquiry` answered. */
  getInquiry(ref: string): Promise<OrgInquiry> {
    return this.call<OrgInquiry>('GET', `/api/v1/org/inquiries/${encodeURIComponent(ref)}`);
  }

  getAnswer(ref: string): Promise<Answer> {
    return this.call<Answer>('GET', `/api/v1/org/inquiries/${encodeURIComponent(ref)}/answer`);
  }

  registerWebhook(input: CreateWebhook, idempotencyKey: string): Promise<WebhookWithSecret> {
    return this.call<WebhookWithSecret>('POST', '/api/v1/org/webhooks', input, { 'Idempotency-Key': idempotencyKey });
  }

  /** The municipality's public signing keys (cache them; they change rarely). */
  async keys(): Promise<Array<JsonWebKey & { kid: string }>> {
    const res = await fetch(`${this.baseUrl}/api/v1/certificates/keys`);
    return ((await res.json()) as { keys: Array<JsonWebKey & { kid: string }> }).keys;
  }

  private async call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { Authorization: `Bearer ${await this.token()}`, Accept: 'application/json', ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
        body: body ? JSON.stringify(body) : undefined,
      });
      // 429: wait as told (Retry-After) and try again, a few times
      if (res.status === 429 && attempt < 4) {
        await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? '1') * 1000));
        continue;
      }
      const text = await res.text();
      const json = text ? JSON.parse(text) : undefined;
      if (!res.ok) throw new ApiError(res.status, json as Problem);
      return json as T;
    }
  }
}

/**
 * Checks `X-Qazvin-Signature: t=<unix seconds>,v1=<hex>`: HMAC-SHA256 with the endpoint's
 * secret over `t + "." + rawBody` (the exact bytes received), and a timestamp within
 * `toleranceSeconds` (replays of old deliveries are refused).
 */
export function verifyWebhookSignature(secret: string, rawBody: string, header: string, toleranceSeconds = 300): boolean {
  const parts = header.split(',').map((p) => p.trim().split('='));
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > toleranceSeconds) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('hex'));
  return parts.some(([k, v]) => {
    if (k !== 'v1' || v === undefined) return false;
    const got = Buffer.from(v); // compare byte lengths: timingSafeEqual throws on unequal ones (a non-ASCII v1)
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
}

/**
 * A webhook receiver: verifies each delivery's signature (401 otherwise), answers 200 at once
 * and hands the event to `onEvent`. Deduplicate on `event.id`: a redelivery repeats it.
 */
export async function startWebhookReceiver(
  secret: () => string,
  onEvent: (event: WebhookEvent) => void,
  port = 0,
): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const seen = new Set<string>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const signature = req.headers['x-qazvin-signature'];
      if (typeof signature !== 'string' || !verifyWebhookSignature(secret(), raw, signature)) {
        res.statusCode = 401;
        res.end();
        return;
      }
      res.statusCode = 200;
      res.end();
      const event = JSON.parse(raw) as WebhookEvent;
      if (seen.has(event.id)) return;
      seen.add(event.id);
      onEvent(event);
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  const { port: bound } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${bound}/qazvin-webhooks`, server, close: () => new Promise((r) => server.close(() => r())) };
}

/**
 * Verifies an answer offline: the compact JWS (EdDSA/Ed25519) must be signed by one of the
 * published keys, and its `sha256` claim must equal the answer's content hash. (To check the
 * hash itself, hash the canonical content as documented in docs/integration.md.)
 */
export function verifyAnswerJws(answer: Pick<Answer, 'jws' | 'contentHash' | 'number'>, keys: Array<JsonWebKey & { kid: string }>): boolean {
  const [h, p, s] = answer.jws.split('.');
  if (!h || !p || !s) return false;
  const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as { alg?: string; kid?: string };
  const jwk = keys.find((k) => k.kid === header.kid);
  if (header.alg !== 'EdDSA' || !jwk) return false;
  const ok = verifySignature(null, Buffer.from(`${h}.${p}`), createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(s, 'base64url'));
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as { sha256?: string; sub?: string };
  return ok && claims.sha256 === answer.contentHash && claims.sub === answer.number;
}
