import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestApp, TestApp } from '../helpers/test-app';

/** Where the published contract disagreed with the code (issue 20): examples, the outbox's code, one error per field. */
describe('contract fixes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('reports one error per field: a missing text field is one isString, not isString + minLength + maxLength', async () => {
    const res = await t.http().post('/api/v1/staff/auth/login').send({}).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`)).toEqual(['username:isString', 'password:isString']);
    const short = await t.http().post('/api/v1/staff/auth/login').send({ username: 'ab', password: 'x' }).expect(400);
    expect(short.body.errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`)).toEqual(['username:minLength']);
  });

  it('the sandbox outbox shows the one-time code of a login SMS in its own field', async () => {
    const mobile = '09121110088';
    await t.http().post('/api/v1/auth/otp').send({ mobile }).expect(202);
    const outbox = await t.http().get('/api/v1/sandbox/sms-outbox').query({ mobile }).expect(200);
    const [sms] = outbox.body.items as Array<{ template: string; body: string; code: string | null }>;
    expect(sms.template).toBe('otp_login');
    expect(sms.code).toMatch(/^\d{6}$/);
    const verified = await t.http().post('/api/v1/auth/otp/verify').send({ mobile, code: sms.code }).expect(200);
    expect(verified.body.status).toBe('registration_required');
  });

  it('OpenAPI: the last request number looks like the real 10-digit numbers; the outbox item documents code', () => {
    const doc = JSON.parse(readFileSync(join(__dirname, '../../config/openapi/openapi.json'), 'utf8')) as {
      components: { schemas: Record<string, { properties?: Record<string, { example?: unknown }> }> };
    };
    const examples = Object.entries(doc.components.schemas).flatMap(([name, schema]) =>
      Object.entries(schema.properties ?? {})
        .filter(([prop]) => prop === 'lastRequestNumber' || prop === 'requestNumber')
        .map(([prop, p]) => [`${name}.${prop}`, p.example] as const),
    );
    expect(examples.length).toBeGreaterThanOrEqual(3);
    for (const [where, example] of examples) expect({ where, ok: /^\d{10}$/.test(String(example)) }).toEqual({ where, ok: true });
    expect(doc.components.schemas.SandboxSmsOutboxItemDto.properties?.code?.example).toBe('482917');
  });
});
