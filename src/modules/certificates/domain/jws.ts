import { createHash, createPublicKey, KeyObject, sign, verify } from 'node:crypto';

/**
 * Canonical JSON (RFC 8785 style for the values we sign: objects with keys sorted by code
 * point, no whitespace, strings and integers as JSON.stringify writes them). The same
 * content always gives the same bytes, so its SHA-256 identifies it.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('canonicalJson: non-finite number');
    if (value === undefined) return 'null';
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export interface OkpJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}

/** The public JWK of an Ed25519 key with its RFC 7638 thumbprint as `kid`. */
export function publicJwk(key: KeyObject): OkpJwk {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  const jwk = pub.export({ format: 'jwk' }) as { kty: string; crv: string; x: string };
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519') throw new Error('not an Ed25519 key');
  const thumbprint = createHash('sha256').update(`{"crv":"Ed25519","kty":"OKP","x":"${jwk.x}"}`).digest('base64url');
  return { kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid: thumbprint, alg: 'EdDSA', use: 'sig' };
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** Compact JWS (RFC 7515) with EdDSA over the canonical JSON of `payload`. */
export function signJws(payload: Record<string, unknown>, privateKey: KeyObject, kid: string): string {
  const header = b64(canonicalJson({ alg: 'EdDSA', kid, typ: 'JWT' }));
  const body = b64(canonicalJson(payload));
  const signature = sign(null, Buffer.from(`${header}.${body}`, 'ascii'), privateKey).toString('base64url');
  return `${header}.${body}.${signature}`;
}

export type JwsCheck =
  | { ok: true; kid: string; payload: Record<string, unknown> }
  | { ok: false; reason: 'malformed' | 'unknown_key' | 'bad_signature' };

/** Verifies a compact EdDSA JWS against the keys by kid; never throws on bad input. */
export function verifyJws(jws: string, keys: ReadonlyMap<string, KeyObject>): JwsCheck {
  const parts = typeof jws === 'string' ? jws.trim().split('.') : [];
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p)) || !parts[0] || !parts[1] || !parts[2]) {
    return { ok: false, reason: 'malformed' };
  }
  let header: { alg?: unknown; kid?: unknown };
  let payload: unknown;
  try {
    header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!header || header.alg !== 'EdDSA' || typeof header.kid !== 'string') return { ok: false, reason: 'malformed' };
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return { ok: false, reason: 'malformed' };
  const key = keys.get(header.kid);
  if (!key) return { ok: false, reason: 'unknown_key' };
  const good = verify(null, Buffer.from(`${parts[0]}.${parts[1]}`, 'ascii'), key, Buffer.from(parts[2], 'base64url'));
  return good ? { ok: true, kid: header.kid, payload: payload as Record<string, unknown> } : { ok: false, reason: 'bad_signature' };
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A short verification code: `n` Crockford base32 characters from `bytes` (random). */
export function verificationCode(bytes: Buffer, n = 8): string {
  let out = '';
  for (let i = 0; i < n; i++) out += CROCKFORD[bytes[i % bytes.length] % 32];
  return out;
}

/** Normalizes a typed verification code (case, spaces, dashes, O→0, I/L→1). */
export function normalizeVerificationCode(input: string): string {
  return input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
}
