import { createTestApp, TestApp } from '../helpers/test-app';
import { invalidExamples } from '../helpers/openapi-examples';
import { DocumentsErrors } from '../../src/modules/documents/documents.errors';
import { PropertiesErrors } from '../../src/modules/properties/properties.errors';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const operations = (doc: Json) =>
  Object.entries(doc.paths as Json).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method] as Json })),
  );

/**
 * The contract as a bank's security review reads it (Spectral's OWASP ruleset runs on the
 * committed copy in CI; these check what it cannot: examples against their schemas, and
 * that the document states what the server does, from its configuration).
 */
describe('OpenAPI contract: examples, security schemes, rate limits, admin surface', () => {
  let t: TestApp;
  let doc: Json;
  beforeAll(async () => {
    // a token lifetime other than the default: the schemes must state the configured one
    t = await createTestApp({ ACCESS_TOKEN_TTL_SECONDS: '600', ORG_TOKEN_TTL_SECONDS: '1200' });
    doc = (await t.http().get('/docs-json').expect(200)).body;
  });
  afterAll(() => t?.close());

  it('has every example valid against its own schema', () => {
    expect(invalidExamples(doc)).toEqual([]);
  });

  it('reports a bad example wherever it is planted (schema property, parameter, media type)', () => {
    const bad = structuredClone(doc);
    bad.components.schemas.ProblemDto.properties.status.example = 'four hundred';
    const param = bad.paths['/api/v1/inquiries/{id}'].get.parameters.find((p: Json) => p.name === 'id');
    param.example = 'x'.repeat(37); // longer than the id's maxLength
    bad.paths['/api/v1/auth/otp'].post.requestBody.content['application/json'].example = { mobile: 9121234567 };
    expect(invalidExamples(bad).map((e) => e.at)).toEqual(
      expect.arrayContaining([
        '/components/schemas/ProblemDto/properties/status/example',
        expect.stringMatching(/^\/paths\/~1api~1v1~1inquiries~1\{id\}\/get\/parameters\/\d+\/example$/),
        '/paths/~1api~1v1~1auth~1otp/post/requestBody/content/application~1json/example',
      ]),
    );
  });

  it('states the configured token lifetimes and RFC 8725 practice in every JWT scheme', () => {
    const schemes = doc.components.securitySchemes;
    expect(Object.keys(schemes).sort()).toEqual(['admin', 'citizen', 'organization', 'staff']);
    for (const name of ['citizen', 'staff', 'admin']) {
      expect(schemes[name]).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
      expect(schemes[name].description).toContain('expires after 10 minutes');
    }
    expect(schemes.organization.description).toContain('expires after 20 minutes');
    for (const scheme of Object.values(schemes) as Json[]) {
      expect(scheme.description).toMatch(/RFC8725/);
      expect(scheme.description).toContain('HS256');
    }
  });

  it('puts every admin operation, and only those, under the admin scheme', () => {
    const all = operations(doc);
    const admin = all.filter((o) => o.path.startsWith('/api/v1/admin/'));
    expect(admin.length).toBeGreaterThan(30);
    for (const { op } of admin) expect(op.security).toEqual([{ admin: [] }]);
    for (const { op } of all.filter((o) => !o.path.startsWith('/api/v1/admin/'))) {
      expect(op.security.some((r: Json) => 'admin' in r)).toBe(false);
    }
  });

  it('declares 401 and 403 on every secured operation and 500 on every operation, as problem+json', () => {
    for (const { path, method, op } of operations(doc)) {
      const where = `${method.toUpperCase()} ${path}`;
      expect([where, Object.keys(op.responses['500'].content)]).toEqual([where, ['application/problem+json']]);
      if (op.security.length) {
        expect([where, op.responses['401']?.content?.['application/problem+json']]).toEqual([where, expect.anything()]);
        expect([where, op.responses['403']?.content?.['application/problem+json']]).toEqual([where, expect.anything()]);
      }
    }
  });

  it('documents RateLimit headers and a 429 with Retry-After exactly where a limiter counts the call', () => {
    const fee = doc.paths['/api/v1/calculators/building-fee'].post;
    expect(fee['x-rate-limit']).toEqual({ limit: 60, windowSeconds: 60, per: 'client IP address' });
    expect(Object.keys(fee.responses['200'].headers)).toEqual(['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset']);
    expect(fee.responses['429'].headers).toHaveProperty('Retry-After');
    expect(fee.responses['429'].headers).toHaveProperty('RateLimit-Remaining');
    // the organization API's limiter, with the configured limits
    const orgInquiries = doc.paths['/api/v1/org/inquiries'].post;
    expect(orgInquiries['x-rate-limit']).toMatchObject({ limit: t.config.integration.orgRateLimitPerMinute, windowSeconds: 60, dailyQuota: t.config.integration.orgQuotaPerDay });
    expect(orgInquiries.responses['201'].headers).toHaveProperty('RateLimit-Limit');
    expect(orgInquiries.responses['401'].headers).toBeUndefined(); // the access guard answers before the limiter
    // an operation without a limiter states none
    const me = doc.paths['/api/v1/me'].get;
    expect(me['x-rate-limit']).toBeUndefined();
    expect(me.responses['200'].headers).toBeUndefined();
    // and every 429 anywhere says when to retry
    for (const { op } of operations(doc)) if (op.responses['429']) expect(op.responses['429'].headers).toHaveProperty('Retry-After');
  });

  it('orders the tags by who uses them: citizens, banks and offices, desks, administrators', () => {
    const names: string[] = doc.tags.map((tag: Json) => tag.name);
    const used = new Set(operations(doc).flatMap(({ op }) => op.tags as string[]));
    expect([...used].filter((tag) => !names.includes(tag))).toEqual([]);
    const at = (tag: string) => names.indexOf(tag);
    expect(at('auth')).toBe(0);
    expect(at('inquiries')).toBeLessThan(at('org-inquiries'));
    expect(at('bank')).toBeLessThan(at('desk'));
    expect(at('desk')).toBeLessThan(at('admin-staff'));
    expect(names.filter((n) => n.startsWith('admin-')).every((n) => at(n) > at('desk'))).toBe(true);
  });

  it('lists, on every upload operation, the error codes of each status the upload can answer (the scan checks included)', () => {
    const uploads = operations(doc).filter(({ op }) => op.requestBody?.content?.['multipart/form-data']);
    const key = ({ method, path }: { method: string; path: string }) => `${method.toUpperCase()} ${path}`;
    expect(uploads.map(key).sort()).toEqual([
      'POST /api/v1/admin/imports/{kind}',
      'POST /api/v1/desk/inquiries/{id}/visit-result',
      'PUT /api/v1/inquiries/{id}/documents/{kind}',
    ]);
    const missing: string[] = [];
    const expectCodes = (op: Json, name: string, codes: Array<[string, number]>) => {
      for (const [code, status] of codes) {
        const description: string = op.responses[String(status)]?.description ?? '';
        if (!description.includes(`\`${code}\``)) missing.push(`${name}: ${status} ${code}`);
      }
    };
    const statusesOf = (specs: Record<string, { status: number }>, only?: (code: string) => boolean) =>
      Object.entries(specs)
        .filter(([code]) => !only || only(code))
        .map(([code, spec]): [string, number] => [code, spec.status]);
    for (const upload of uploads) {
      const name = key(upload);
      expectCodes(upload.op, name, [['PAYLOAD_TOO_LARGE', 413]]);
      if (upload.path.startsWith('/api/v1/admin/imports')) {
        expectCodes(upload.op, name, statusesOf(PropertiesErrors.specs, (code) => code.startsWith('IMPORT_')));
        continue;
      }
      // the scans: every code of the documents' intake (a visit's photos are optional, so never DOCUMENT_REQUIRED)
      expectCodes(upload.op, name, statusesOf(DocumentsErrors.specs, (code) => code !== 'DOCUMENT_REQUIRED' || upload.method === 'put'));
    }
    expect(missing).toEqual([]);
    // the 422 of a document upload names the scan checks by code, not the generic sentence
    const documents = uploads.find(({ method }) => method === 'put')!.op;
    expect(documents.responses['422'].description).toMatch(/DOCUMENT_TOO_SMALL.*DOCUMENT_ILLEGIBLE/s);
    expect(documents.responses['415'].description).toContain('DOCUMENT_TYPE_NOT_ALLOWED');
  });

  it('names the audience of its server', () => {
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/', 'x-internal': false, description: expect.stringMatching(/Production.*Sandbox/s) })]);
  });
});
