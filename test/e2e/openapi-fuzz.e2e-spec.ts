import fc from 'fast-check';
import type { AddressInfo } from 'node:net';
import type { OpenAPIObject } from '@nestjs/swagger';
import { buildOpenApiDocument } from '../../src/app.setup';
import { StaffRole } from '../../src/modules/membership/entities/staff-user.entity';
import { registerCitizen } from '../helpers/citizen';
import { orgClient } from '../helpers/org';
import { seedPropertiesWithDebts } from '../helpers/payments';
import { signedStaffToken, staffToken } from '../helpers/staff';
import { createTestApp, TestApp, usingRealPostgres } from '../helpers/test-app';

/**
 * A generated fuzz run over the whole HTTP contract, schemathesis-style: the OpenAPI
 * document is built from this very application (as `npm run openapi` does, so it never goes
 * stale) and every operation gets invalid and boundary values — wrong types, empty and huge
 * strings, deep objects, control characters, Persian digits, negative and huge numbers,
 * missing required and extra fields, bad path parameters — without a token and with the
 * token of each principal it names (citizen, staff admin, desk clerk, organization client).
 * No answer may be a 5xx; every 4xx must be problem+json with a `code`.
 * Deterministic: the plan is a pure function of the document and FUZZ_SEED.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 18);
const CONCURRENCY = 4;
const REQUEST_TIMEOUT_MS = 15_000;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  default?: unknown;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
};
type Parameter = { name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema?: Schema };
type Operation = {
  operationId?: string;
  responses?: Record<string, unknown>;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: Schema }> };
  security?: Array<Record<string, string[]>>;
};
type Principal = 'none' | 'citizen' | 'admin' | 'clerk' | 'organization';

interface Case {
  op: string;
  method: string;
  path: string;
  query: Array<[string, string]>;
  headers: Record<string, string>;
  body?: { kind: 'json'; text: string } | { kind: 'form'; fields: Array<[string, string]>; file: boolean } | { kind: 'urlencoded'; text: string };
  principal: Principal;
  what: string;
}

const deep = (depth: number): Json => {
  let v: Json = 'x';
  for (let i = 0; i < depth; i++) v = i % 3 === 2 ? [v] : { a: v };
  return v;
};

/** Values no schema accepts everywhere: every field gets a seeded selection of them. */
const HOSTILE: Array<[string, Json]> = [
  ['null', null],
  ['true', true],
  ['zero', 0],
  ['negative', -1],
  ['fraction', 1.5],
  ['huge number', 1e308],
  ['-huge number', -1e308],
  ['2^53+1', 2 ** 53 + 1],
  ['empty string', ''],
  ['blank', '   '],
  ['huge string', 'ب'.repeat(20_000)],
  ['NUL', '\u0000'],
  ['inner NUL', 'a\u0000b'],
  ['escape', '\u001b[31m'],
  ['DEL', 'a\u007f'],
  ['Persian digits', '۱۲۳۴۵۶۷۸۹۰'],
  ['Arabic digits', '٠١٢٣٤٥'],
  ['numeric string', '-1'],
  ['overflow string', '9'.repeat(40)],
  ['exponent', '1e400'],
  ['NaN', 'NaN'],
  ['hex', '0x10'],
  ['lone surrogate', '\ud800'],
  ['RTL override', '\u202eabc'],
  ['SQL', "' or 1=1--"],
  ['path traversal', '../../etc/passwd'],
  ['percent', '%00%'],
  ['markup', '<script>alert(1)</script>'],
  ['object', {}],
  ['array', []],
  ['nested arrays', [[[[[]]]]]],
  ['deep (20)', deep(20)],
  ['deep (60)', deep(60)],
  ['proto', JSON.parse('{"__proto__":{"admin":true}}') as Json],
  ['bad date', '2026-02-30'],
  ['bad Jalali', '1405/13/40'],
  ['epoch', '1970-01-01T00:00:00Z'],
  ['far future', '9999-12-31T23:59:59Z'],
  ['year 0', '0000-01-01'],
  ['nil uuid', '00000000-0000-0000-0000-000000000000'],
  ['uuid', '0193b0f4-8a5e-7c1d-9f2a-3b4c5d6e7f80'],
];

/** Path parameter values (strings on the wire). */
const BAD_PATH = ['%00', 'a%00b', '%1B', '-1', '0', '99999999999999999999999', 'x'.repeat(600), '..', '%2e%2e', '%25', '۱۲۳', '%E2%80%AE', 'null', '%20', '00000000-0000-0000-0000-000000000000'];

describe('OpenAPI fuzz: every operation, invalid and boundary values, with and without auth: no 5xx', () => {
  let t: TestApp;
  let base: string;
  let doc: OpenAPIObject;
  const tokens: Partial<Record<Principal, string>> = {};
  const known: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp({
      OTP_MAX_PER_MOBILE_PER_HOUR: '1000',
      OTP_MAX_PER_IP_PER_HOUR: '100000',
      OTP_VERIFY_MAX_PER_IP_PER_HOUR: '100000',
      PAYMENT_MAX_PER_IP_PER_HOUR: '100000',
      TRACKING_RATE_LIMIT_PER_MINUTE: '100000',
      CERT_VERIFY_RATE_LIMIT_PER_MINUTE: '100000',
      ORG_RATE_LIMIT_PER_MINUTE: '1000000',
      ORG_QUOTA_PER_DAY: '100000000',
    });
    doc = buildOpenApiDocument(t.app, t.config);
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    tokens.citizen = (await registerCitizen(t, '09121818181')).accessToken;
    tokens.admin = (await signedStaffToken(t, { username: 'fuzz.admin', roles: [StaffRole.Admin] })).token;
    tokens.clerk = await staffToken(t, { username: 'fuzz.clerk', roles: [StaffRole.RegionClerk], regions: [1] });
    tokens.organization = (
      await orgClient(t, 'بانک فاز', ['inquiries:read', 'inquiries:write', 'certificates:verify', 'bills:report', 'webhooks:manage'])
    ).token;
    // one real property with debts and bills, so the baseline of property routes passes validation and reads rows
    await seedPropertiesWithDebts(t, ['1-3-77-5-0-0-0']);
    known.renewalCode = '1-3-77-5-0-0-0';
  }, 120_000);
  afterAll(() => t?.close());

  it('answers no 5xx and only coded problem+json 4xx', async () => {
    const cases = plan(doc, known);
    // pages for people (only text/html on success, e.g. the payment result page) answer their 4xx as a Persian page too
    const humanPages = new Set(
      Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.entries(ops as Record<string, Operation>)
          .filter(([, op]) => {
            const success = Object.entries(op.responses ?? {}).filter(([status]) => status.startsWith('2'));
            const types = success.flatMap(([, r]) => Object.keys((r as { content?: Record<string, unknown> }).content ?? {}));
            return types.length > 0 && types.every((type) => type === 'text/html');
          })
          .map(([method]) => `${method.toUpperCase()} ${path}`),
      ),
    );
    const started = Date.now();
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    const covered = new Set<string>();
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const c = cases[next++];
        const outcome = await send(base, c, tokens);
        covered.add(c.op);
        statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
        const problem =
          (/^application\/problem\+json/.test(outcome.type) && typeof outcome.code === 'string' && outcome.code.length > 0) ||
          (humanPages.has(c.op) && /^text\/html/.test(outcome.type) && outcome.status < 500);
        if (outcome.status >= 500 || outcome.status === 0 || (outcome.status >= 400 && !problem)) {
          failures.push(`${outcome.status} ${outcome.code ?? outcome.type} ← ${c.method} ${c.path} as ${c.principal}: ${c.what}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (Date.now() - started) / 1000;
    const fivexx = [...statuses].filter(([s]) => s >= 500 || s === 0).reduce((n, [, k]) => n + k, 0);
    const operations = countOperations(doc);
    process.stdout.write(
      `\nopenapi fuzz (${usingRealPostgres ? 'PostgreSQL' : 'embedded'}, seed ${SEED}): ${cases.length} requests, ` +
        `${covered.size}/${operations} operations, 5xx = ${fivexx}, uncoded 4xx = ${failures.length - fivexx}, ${seconds.toFixed(1)} s; ` +
        `statuses ${[...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')}\n`,
    );
    expect(covered.size).toBe(operations);
    expect(cases.length).toBeGreaterThan(3000);
    expect(failures.slice(0, 40)).toEqual([]);
  }, 240_000);
});

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

function countOperations(doc: OpenAPIObject): number {
  return Object.values(doc.paths).reduce((n, item) => n + METHODS.filter((m) => (item as Record<string, unknown>)[m]).length, 0);
}

/** The whole run, in order: a pure function of the document, the known values and the seed. */
function plan(doc: OpenAPIObject, known: Record<string, string>): Case[] {
  const rng = seeded(SEED);
  const cases: Case[] = [];
  const schemas = (doc.components?.schemas ?? {}) as Record<string, Schema>;
  const resolve = (s: Schema | undefined, depth = 0): Schema => {
    if (!s || depth > 8) return {};
    if (s.$ref) return resolve(schemas[s.$ref.split('/').pop()!], depth + 1);
    if (s.allOf?.length) {
      const parts = s.allOf.map((p) => resolve(p, depth + 1));
      return {
        type: 'object',
        properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})),
        required: parts.flatMap((p) => p.required ?? []),
      };
    }
    return s;
  };
  const valid = (raw: Schema | undefined, depth = 0): Json => {
    const s = resolve(raw);
    if (s.example !== undefined) return s.example as Json;
    if (s.default !== undefined) return s.default as Json;
    if (s.enum?.length) return s.enum[0] as Json;
    if (s.oneOf?.length || s.anyOf?.length) return valid((s.oneOf ?? s.anyOf)![0], depth + 1);
    switch (s.type) {
      case 'string':
        return s.format === 'date-time' ? new Date().toISOString() : s.format === 'uuid' ? '0193b0f4-8a5e-7c1d-9f2a-3b4c5d6e7f80' : 'نمونه';
      case 'integer':
      case 'number':
        return s.minimum ?? 1;
      case 'boolean':
        return true;
      case 'array':
        return depth > 4 ? [] : [valid(s.items, depth + 1)];
      default: {
        if (!s.properties || depth > 4) return {};
        return Object.fromEntries(Object.entries(s.properties).map(([k, p]) => [k, valid(p, depth + 1)]));
      }
    }
  };
  const randomValues = fc.sample(
    fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.integer({ min: -2_147_483_648, max: 2_147_483_647 }),
      fc.double(),
      fc.jsonValue({ maxDepth: 3 }),
    ),
    { seed: SEED, numRuns: 2000 },
  ) as Json[];
  let randomAt = 0;
  const randomValue = (): Json => randomValues[randomAt++ % randomValues.length];
  const pick = <T,>(list: T[], n: number): T[] => {
    const copy = [...list];
    const out: T[] = [];
    while (out.length < n && copy.length) out.push(copy.splice(Math.floor(rng() * copy.length), 1)[0]);
    return out;
  };

  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = (item as Record<string, Operation | undefined>)[method];
      if (!op) continue;
      const opName = `${method.toUpperCase()} ${path}`;
      const params = op.parameters ?? [];
      const principals = principalsOf(op, path);
      const content = op.requestBody?.content ?? {};
      const bodyType = Object.keys(content)[0];
      const bodySchema = bodyType ? resolve(content[bodyType].schema) : undefined;
      const baseBody = bodySchema ? (valid(bodySchema) as Json) : undefined;
      const baseParams: Record<string, string> = {};
      for (const p of params) {
        const v = p.in === 'path' && known[p.name] ? known[p.name] : valid(p.schema);
        baseParams[p.name] = typeof v === 'string' ? v : JSON.stringify(v);
      }

      const make = (principal: Principal, what: string, over: { params?: Record<string, string | undefined>; body?: Json | undefined; rawBody?: string; dropBody?: boolean } = {}): Case => {
        const values = { ...baseParams, ...over.params };
        let url = path;
        const query: Array<[string, string]> = [];
        const headers: Record<string, string> = {};
        for (const p of params) {
          const v = values[p.name];
          if (p.in === 'path') url = url.replace(`{${p.name}}`, v === undefined ? '' : p.name in (over.params ?? {}) ? v : encode(v));
          else if (v === undefined) continue;
          else if (p.in === 'query') query.push([p.name, v]);
          else if (p.in === 'header' && p.name.toLowerCase() !== 'authorization') headers[p.name] = v.replace(/[^\t\x20-\x7e]/g, '?').slice(0, 8000);
        }
        const c: Case = { op: opName, method: method.toUpperCase(), path: url, query, headers, principal, what };
        if (over.dropBody || !bodyType) return c;
        const body = over.body === undefined && !('body' in over) ? baseBody : over.body;
        if (bodyType === 'multipart/form-data') {
          const fields = body && typeof body === 'object' && !Array.isArray(body) ? Object.entries(body).filter(([k]) => k !== 'file' && k !== 'photos') : [];
          c.body = { kind: 'form', fields: fields.map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]), file: true };
        } else if (bodyType === 'application/x-www-form-urlencoded') {
          const fields = body && typeof body === 'object' && !Array.isArray(body) ? Object.entries(body) : [];
          c.body = { kind: 'urlencoded', text: over.rawBody ?? new URLSearchParams(fields.map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)])).toString() };
        } else {
          c.body = { kind: 'json', text: over.rawBody ?? JSON.stringify(body) ?? '' };
        }
        return c;
      };

      const primary = principals[0];
      const others = (['none', ...principals.slice(1)] as Principal[]).filter((p) => p !== primary);
      // the valid example, as every principal
      cases.push(make(primary, 'example'));
      for (const p of others) cases.push(make(p, 'example'));

      // each parameter: bad path values, a seeded selection of hostile values, random values, absent
      for (const p of params) {
        if (p.in === 'path') {
          for (const v of pick(BAD_PATH, 6)) cases.push(make(primary, `${p.name}=${v.slice(0, 20)}`, { params: { [p.name]: v } }));
          continue;
        }
        for (const [name, v] of pick(HOSTILE, 10)) {
          cases.push(make(primary, `${p.name}: ${name}`, { params: { [p.name]: typeof v === 'string' ? v : JSON.stringify(v) } }));
        }
        for (let i = 0; i < 2; i++) {
          const v = randomValue();
          cases.push(make(primary, `${p.name}: random`, { params: { [p.name]: typeof v === 'string' ? v : JSON.stringify(v) } }));
        }
        if (p.required) cases.push(make(primary, `${p.name} missing`, { params: { [p.name]: undefined } }));
      }

      // the body: each property hostile, random and missing; whole-body shapes
      if (bodySchema && baseBody && typeof baseBody === 'object' && !Array.isArray(baseBody)) {
        const fields = Object.keys(bodySchema.properties ?? {});
        for (const field of fields) {
          for (const [name, v] of pick(HOSTILE, 8)) cases.push(make(primary, `body.${field}: ${name}`, { body: { ...baseBody, [field]: v } }));
          cases.push(make(primary, `body.${field}: random`, { body: { ...baseBody, [field]: randomValue() } }));
          if (bodySchema.required?.includes(field)) {
            const rest = { ...baseBody };
            delete rest[field];
            cases.push(make(primary, `body.${field} missing`, { body: rest }));
          }
        }
        cases.push(make(primary, 'body: extra field', { body: { ...baseBody, extraField: 'x', isAdmin: true } }));
        cases.push(make(primary, 'body: every field NUL', { body: Object.fromEntries(fields.map((f) => [f, '\u0000'])) }));
      }
      if (bodyType) {
        for (const [name, raw] of [
          ['empty body', ''],
          ['null body', 'null'],
          ['array body', '[]'],
          ['string body', '"x"'],
          ['number body', '-1'],
          ['malformed JSON', '{"a":'],
          ['deep body (5000)', '{"a":'.repeat(5000) + '1' + '}'.repeat(5000)],
          ['nested arrays (5000)', '['.repeat(5000) + ']'.repeat(5000)],
        ] as const) {
          cases.push(make(primary, name, { rawBody: raw }));
        }
        cases.push(make(primary, 'no body at all', { dropBody: true }));
        for (const p of others) cases.push(make(p, 'deep body', { rawBody: '{"a":'.repeat(3000) + '1' + '}'.repeat(3000) }));
      }
      // without a token (or with another principal's), a few hostile inputs still answer 4xx
      for (const p of others) {
        for (const [name, v] of pick(HOSTILE, 3)) {
          const param = params.find((x) => x.in === 'query');
          if (param) cases.push(make(p, `${param.name}: ${name}`, { params: { [param.name]: typeof v === 'string' ? v : JSON.stringify(v) } }));
        }
        const pathParam = params.find((x) => x.in === 'path');
        if (pathParam) cases.push(make(p, `${pathParam.name}=%00`, { params: { [pathParam.name]: '%00' } }));
      }
    }
  }
  return cases;
}

/** Who may call an operation, first the one that gets the full run. */
function principalsOf(op: Operation, path: string): Principal[] {
  const schemes = new Set((op.security ?? []).flatMap((s) => Object.keys(s)));
  const out: Principal[] = [];
  if (schemes.has('staff')) out.push(...((path.includes('/desk/') ? ['clerk', 'admin'] : ['admin', 'clerk']) as Principal[]));
  if (schemes.has('citizen')) out.push('citizen');
  if (schemes.has('organization')) out.push('organization');
  if (!out.length) out.push('none', 'citizen');
  return out;
}

async function send(base: string, c: Case, tokens: Partial<Record<Principal, string>>): Promise<{ status: number; type: string; code?: string }> {
  const url = new URL(base);
  url.pathname = c.path;
  const search = c.query.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
  const headers: Record<string, string> = { ...c.headers };
  const token = c.principal === 'none' ? undefined : tokens[c.principal];
  if (token) headers.Authorization = `Bearer ${token}`;
  let body: string | FormData | undefined;
  if (c.body?.kind === 'json') {
    headers['Content-Type'] = 'application/json';
    body = c.body.text;
  } else if (c.body?.kind === 'urlencoded') {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = c.body.text;
  } else if (c.body?.kind === 'form') {
    const form = new FormData();
    for (const [k, v] of c.body.fields) form.append(k, v);
    form.append('file', new Blob([Buffer.from('not an image \u0000 ۱۲۳')], { type: 'image/jpeg' }), 'کارت-ملی.jpg');
    body = form;
  }
  try {
    const res = await fetch(`${url.origin}${url.pathname}${search ? `?${search}` : ''}`, {
      method: c.method,
      headers,
      body: c.method === 'GET' || c.method === 'DELETE' ? undefined : body,
      redirect: 'manual',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const type = res.headers.get('content-type') ?? '';
    const text = await res.text();
    let code: string | undefined;
    if (type.includes('json')) {
      try {
        code = (JSON.parse(text) as { code?: string }).code;
      } catch {
        code = undefined;
      }
    }
    return { status: res.status, type, code };
  } catch (err) {
    return { status: 0, type: `no answer: ${(err as Error).name} ${(err as Error).message}` };
  }
}

/** Percent-encoding as a client sends it (a lone surrogate goes as U+FFFD, as UTF-8 encoders write it). */
function encode(v: string): string {
  return [...Buffer.from(v, 'utf8')].map((b) => (/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

/** A small seeded generator (mulberry32) for the plan's choices. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
