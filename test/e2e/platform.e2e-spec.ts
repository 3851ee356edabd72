import { RequestContext as OrmRequestContext } from '@mikro-orm/core';
import { FrontedExpressAdapter } from '@app/common';
import { DebtsController } from '../../src/modules/billing/billing.controller';
import { createTestApp, TestApp } from '../helpers/test-app';
import { signedStaffToken, staffToken } from '../helpers/staff';
import { StaffRole } from '../../src/modules/membership/entities/staff-user.entity';

const PROBLEM = /^application\/problem\+json/;

describe('HTTP platform: problem+json errors, normalization, request ids, docs, health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('answers an unknown route with 404 problem+json (Persian by default)', async () => {
    const res = await t.http().get('/api/v1/does-not-exist').expect(404);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({
      type: 'urn:qazvin:problem:route-not-found',
      status: 404,
      code: 'ROUTE_NOT_FOUND',
      detail: 'این نشانی در سامانه وجود ندارد.',
      instance: '/api/v1/does-not-exist',
    });
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
  });

  it('answers in English when Accept-Language prefers it', async () => {
    const res = await t.http().get('/api/v1/nope').set('Accept-Language', 'en-US,en;q=0.9,fa;q=0.5').expect(404);
    expect(res.body.detail).toBe('No such endpoint.');
    expect(res.headers['content-language']).toBe('en');
  });

  it('sends no CORS headers when no origin is allowed (CORS_ORIGINS unset), on a hot read and on a Nest route', async () => {
    for (const path of ['/api/v1/debts?renewalCode=1-1-1-1-0-0-0', '/api/v1/no-such-route']) {
      const res = await t.http().get(path).set('Origin', 'https://evil.example');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.headers['access-control-expose-headers']).toBeUndefined();
    }
    const preflight = await t.http().options('/api/v1/debts').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'GET');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers the hot public reads before Express (no ORM request context: Express’s chain never ran), with the same headers and errors', async () => {
    expect(t.app.getHttpAdapter()).toBeInstanceOf(FrontedExpressAdapter);
    const debts = t.app.get(DebtsController);
    const original = debts.debts.bind(debts);
    const contexts: boolean[] = [];
    const spy = jest.spyOn(debts, 'debts').mockImplementation((query) => {
      contexts.push(OrmRequestContext.currentRequestContext() !== undefined);
      return original(query);
    });
    try {
      const hot = await t.http().get('/api/v1/debts?renewalCode=1-1-1-1-0-0-0').set('Accept-Language', 'en').set('X-Request-Id', 'hot-1').expect(404);
      expect(hot.body).toMatchObject({ code: 'PROPERTY_NOT_FOUND', instance: '/api/v1/debts', requestId: 'hot-1' });
      expect(hot.headers['x-request-id']).toBe('hot-1');
      expect(hot.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(hot.headers['x-powered-by']).toBeUndefined();
      const invalid = await t.http().get('/api/v1/debts?renewalCode=1-1-1-1-0-0-0&region=99').expect(400);
      expect(invalid.body.errors.map((e: { field: string }) => e.field)).toEqual(['region']);
      expect(contexts).toEqual([false]);
    } finally {
      spy.mockRestore();
    }
  });

  it('echoes a well-formed X-Request-Id and replaces a malformed one', async () => {
    const ok = await t.http().get('/health/live').set('X-Request-Id', 'bank-42.req_7').expect(200);
    expect(ok.headers['x-request-id']).toBe('bank-42.req_7');
    const bad = await t.http().get('/health/live').set('X-Request-Id', 'no spaces <script>').expect(200);
    expect(bad.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers malformed JSON with 400 MALFORMED_JSON', async () => {
    const res = await t
      .http()
      .post('/api/v1/staff/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"username": "admin",')
      .expect(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.code).toBe('MALFORMED_JSON');
  });

  it('answers a 2 MB JSON body with 413 PAYLOAD_TOO_LARGE', async () => {
    const big = JSON.stringify({ username: 'a', password: 'x'.repeat(2 * 1024 * 1024) });
    const res = await t.http().post('/api/v1/staff/auth/login').set('Content-Type', 'application/json').send(big).expect(413);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers a body in an unsupported content type with 415', async () => {
    const res = await t.http().post('/api/v1/staff/auth/login').set('Content-Type', 'text/plain').send('hello').expect(415);
    expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers invalid fields with 400 VALIDATION_FAILED and field errors, rejecting unknown fields', async () => {
    const res = await t.http().post('/api/v1/staff/auth/login').send({ username: 'ab', extra: 1 }).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const fields = res.body.errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`);
    expect(fields).toEqual(expect.arrayContaining(['username:minLength', 'password:isString', 'extra:whitelistValidation']));
    expect(res.body.errors[0].message).toMatch(/[\u0600-\u06FF]/);
  });

  it('enforces the bounds the contract states: request strings, arrays, path and query parameters (400 VALIDATION_FAILED)', async () => {
    const fields = (res: { body: { errors: Array<{ field: string; code: string }> } }) => res.body.errors.map((e) => `${e.field}:${e.code}`);
    // a path parameter on a hot public route (the parameter's own length check)
    const longCode = '1-'.repeat(30) + '1'; // 61 characters
    const path = await t.http().get(`/api/v1/properties/${longCode}`).expect(400);
    expect(path.body.code).toBe('VALIDATION_FAILED');
    expect(fields(path)).toEqual(['renewalCode:maxLength']);
    // a query parameter read on its own
    const bbox = await t.http().get('/api/v1/city-view/layers/streets').query({ bbox: '1'.repeat(101) }).expect(400);
    expect(fields(bbox)).toEqual(['bbox:maxLength']);
    // a query DTO date (the date validator states its bound and refuses anything longer as no date)
    const range = await t.http().get('/api/v1/calendar/days').query({ from: '1404/01/01' + 'x'.repeat(21), to: '1404/01/02' }).expect(400);
    expect(fields(range)).toEqual(['from:isCalendarDay']);
    // a body string (mobile numbers: the validator states and enforces its own bound)
    const otp = await t.http().post('/api/v1/auth/otp').send({ mobile: '0912' + '-'.repeat(30) + '1234567' }).expect(400);
    expect(fields(otp)).toEqual(['mobile:isIranMobile']);
    // an array and each of its strings (admin)
    const { token: admin } = await signedStaffToken(t, { username: 'bounds.admin', roles: [StaffRole.Admin] });
    const region = await t
      .http()
      .patch('/api/v1/admin/regions/1')
      .set('Authorization', `Bearer ${admin}`)
      .send({ deskPhones: Array.from({ length: 11 }, (_, i) => `0283333${String(i).padStart(4, '0')}`) })
      .expect(400);
    expect(fields(region)).toEqual(['deskPhones:arrayMaxSize']);
    // the header form of the token request's credentials
    const basic = await t.http().post('/api/v1/oauth/token').set('Authorization', `Basic ${'A'.repeat(1400)}`).send({ grant_type: 'client_credentials' }).expect(400);
    expect(fields(basic)).toEqual(['Authorization:maxLength']);
  });

  it('enforces the number bounds the contract states: body, nested body, path and query numbers (400 VALIDATION_FAILED)', async () => {
    const fields = (res: { body: { errors: Array<{ field: string; code: string }> } }) => res.body.errors.map((e) => `${e.field}:${e.code}`);
    const { token: admin } = await signedStaffToken(t, { username: 'numbers.admin', roles: [StaffRole.Admin] });
    const as = <T extends { set(k: string, v: string): T }>(req: T) => req.set('Authorization', `Bearer ${admin}`);
    // a body integer (a tariff's Jalali year, 1300–1500)
    const assess = await as(t.http().post('/api/v1/admin/billing/assessments')).send({ jalaliYear: 1501 }).expect(400);
    expect(assess.body.code).toBe('VALIDATION_FAILED');
    expect(fields(assess)).toEqual(['jalaliYear:max']);
    expect(assess.body.errors[0].message).toMatch(/[\u0600-\u06FF]/);
    // a nested body integer (Rials per m², at most the calculators' 10^10) and a block beyond six digits
    const values = await as(t.http().put('/api/v1/admin/billing/regional-values/1405'))
      .send({ values: [{ region: 1, district: 2, block: 1_000_000, landValuePerM2: 10_000_000_001 }] })
      .expect(400);
    expect(fields(values).sort()).toEqual(['values.0.block:max', 'values.0.landValuePerM2:max']);
    // an integer path parameter, above and below its bounds (checked before the handler runs)
    const year = await as(t.http().get('/api/v1/admin/billing/tariffs/1501')).expect(400);
    expect(year.body.code).toBe('VALIDATION_FAILED');
    expect(fields(year)).toEqual(['jalaliYear:max']);
    const region = await as(t.http().get('/api/v1/desk/regions/0/team')).expect(400);
    expect(fields(region)).toEqual(['id:min']);
    // a query integer
    const query = await as(t.http().get('/api/v1/admin/billing/regional-values/1405').query({ region: 10 })).expect(400);
    expect(fields(query)).toEqual(['region:max']);
    // the bounds themselves are accepted
    await as(t.http().get('/api/v1/admin/billing/regional-values/1500').query({ region: 9 })).expect(200);
    await as(t.http().get('/api/v1/desk/regions/1/team')).expect(200);
  });

  it('answers 401 problem+json without a token and 403 for a role that is not allowed', async () => {
    const anon = await t.http().put('/api/v1/admin/calendar/days/1404-04-14').send({ kind: 'holiday' }).expect(401);
    expect(anon.headers['content-type']).toMatch(PROBLEM);
    expect(anon.body.code).toBe('UNAUTHENTICATED');
    const forged = await t
      .http()
      .put('/api/v1/admin/calendar/days/1404-04-14')
      .set('Authorization', 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4IiwidHlwIjoic3RhZmYiLCJyb2xlcyI6WyJhZG1pbiJdfQ.bad')
      .send({ kind: 'holiday' })
      .expect(401);
    expect(forged.body.code).toBe('UNAUTHENTICATED');
    const clerk = await staffToken(t, { username: 'clerk1', roles: [StaffRole.RegionClerk], regions: [1] });
    const res = await t
      .http()
      .put('/api/v1/admin/calendar/days/1404-04-14')
      .set('Authorization', `Bearer ${clerk}`)
      .send({ kind: 'holiday' })
      .expect(403);
    expect(res.body.code).toBe('FORBIDDEN');
  });

  it('normalizes Persian and Arabic digits in query values before validation', async () => {
    const res = await t.http().get('/api/v1/calendar/days').query({ from: '۱۴۰۴/۰۱/۰۱', to: '١٤٠٤/٠١/٠٣' }).expect(200);
    expect(res.body.map((d: { jalali: string }) => d.jalali)).toEqual(['1404/01/01', '1404/01/02', '1404/01/03']);
  });

  it('serves Swagger UI at /docs and the spec at /docs-json with the staff security scheme', async () => {
    const html = await t.http().get('/docs/').expect(200);
    expect(html.text).toContain('swagger-ui');
    const spec = await t.http().get('/docs-json').expect(200);
    expect(spec.body.openapi).toMatch(/^3\./);
    expect(spec.body.components.securitySchemes.staff).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(spec.body.paths['/api/v1/staff/auth/login'].post.operationId).toBe('StaffAuthController_login');
    expect(spec.body.components.schemas.ProblemDto).toBeDefined();
  });

  it('reports liveness and readiness (database and storage)', async () => {
    await t.http().get('/health/live').expect(200, /alive/);
    const ready = await t.http().get('/health/ready').expect(200);
    expect(ready.body).toMatchObject({ status: 'ready', checks: { database: { status: 'up' }, storage: { status: 'up' } } });
  });

  it('sets security headers (helmet) and hides x-powered-by', async () => {
    const res = await t.http().get('/health/live');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('maps a unique violation from the database to 409 CONFLICT without leaking SQL', async () => {
    const { toDomainError, toProblem } = await import('@app/common');
    const em = t.orm.em.fork();
    const insert = () =>
      em.execute(
        `insert into calendar_day (date, jalali, kind, source, updated_at) values ('2000-03-20', '1379/01/01', 'holiday', 'x', now())`,
      );
    await insert();
    const caught = await insert().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(caught).toBeDefined();
    const problem = toProblem(toDomainError(caught), 'en', {});
    expect(problem).toMatchObject({ status: 409, code: 'CONFLICT' });
    expect(JSON.stringify(problem)).not.toMatch(/insert|calendar_day|duplicate key/i);
  });
});

describe('HTTP platform: dependencies down → 503 with Retry-After', () => {
  it('answers 503 DATABASE_UNAVAILABLE when the database cannot be reached, and readiness says so', async () => {
    const { createApp } = await import('../../src/app.factory');
    const { loadConfig } = await import('../../src/config/app-config');
    const base = loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', JOBS_WORKER_ENABLED: 'false' });
    const app = await createApp(
      {
        ...base,
        database: { ...base.database, url: 'postgres://postgres@127.0.0.1:1/none', queryTimeoutMs: 2000 },
        storage: { ...base.storage, endPoint: '127.0.0.1', port: 1, accessKey: 'x', secretKey: 'y' },
        auth: { ...base.auth, jwtSecret: 'x'.repeat(40) },
      },
      { connect: false },
    );
    await app.init();
    const request = (await import('supertest')).default;
    try {
      const res = await request(app.getHttpServer()).get('/api/v1/calendar/days?from=1404/01/01&to=1404/01/02').expect(503);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('DATABASE_UNAVAILABLE');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
      const ready = await request(app.getHttpServer()).get('/health/ready').expect(503);
      expect(ready.headers['retry-after']).toBe('5');
      expect(ready.body).toMatchObject({ status: 'not_ready', checks: { database: { status: 'down' }, storage: { status: 'down' } } });
    } finally {
      await app.close();
    }
  });
});
