import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomainError } from '@app/common';
import { run, runAll } from '../../src/database/sql';
import { StaffRole } from '../../src/modules/membership/entities/staff-user.entity';
import { NotificationsService } from '../../src/modules/notifications/notifications.service';
import { SMS_SEND_QUEUE } from '../../src/modules/notifications/sms-delivery.service';
import { FakeSmsServer, startFakeKavenegar, startFakeSmsIr } from '../helpers/fake-sms-servers';
import { signedStaffToken } from '../helpers/staff';
import { createTestApp, TestApp } from '../helpers/test-app';

const OUTBOX = '/api/v1/sandbox/sms-outbox';
const ADMIN_OUTBOX = '/api/v1/admin/sms-outbox';

interface MessageRow {
  id: string;
  mobile: string;
  template: string;
  body: string;
  provider: string;
  status: string;
  attempts: number;
  provider_message_id: string | null;
  last_error: string | null;
  sent_at: Date | null;
}

interface JobRow {
  status: string;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  delay: number;
  payload: string;
}

/** Queues an SMS inside a committed transaction, as the membership module does. */
async function queueCommitted(t: TestApp, input: Parameters<NotificationsService['queueSms']>[0]): Promise<string> {
  const notifications = t.app.get(NotificationsService);
  let id = '';
  await t.orm.em.fork().transactional(async (tx) => {
    const sms = notifications.queueSms(input);
    await runAll(tx, sms.queries);
    id = sms.id;
  });
  return id;
}

async function messageRow(t: TestApp, id: string): Promise<MessageRow> {
  const [row] = await t.sql<MessageRow>(`select * from sms_message where id = $1`, [id]);
  return row;
}

async function jobOf(t: TestApp, messageId: string): Promise<JobRow> {
  const [row] = await t.sql<JobRow>(
    `select status, attempts, max_attempts, last_error, payload::text as payload,
            extract(epoch from run_at - now())::int as delay
       from job where queue = $1 and payload->>'messageId' = $2`,
    [SMS_SEND_QUEUE, messageId],
  );
  return row;
}

describe('SMS notifications with the sandbox provider', () => {
  let t: TestApp;
  let notifications: NotificationsService;
  let admin: string;
  let clerk: string;

  beforeAll(async () => {
    t = await createTestApp();
    notifications = t.app.get(NotificationsService);
    admin = (await signedStaffToken(t, { username: 'sms-admin', roles: [StaffRole.Admin] })).token;
    clerk = (await signedStaffToken(t, { username: 'sms-clerk', roles: [StaffRole.RegionClerk], regions: [1] })).token;
  });
  afterAll(() => t?.close());

  it('queues an OTP in the caller’s transaction; after the commit the job delivers it and the sandbox outbox shows the code', async () => {
    const id = await queueCommitted(t, {
      mobile: '۰۹۱۲۱۲۳۴۵۶۷',
      template: 'otp_login',
      params: { code: '482917' },
      secretParams: ['code'],
    });
    expect(await messageRow(t, id)).toMatchObject({ mobile: '09121234567', status: 'queued', attempts: 0, provider: 'sandbox' });

    expect(await t.jobs.drain()).toBe(1);

    const res = await t.http().get(OUTBOX).query({ mobile: '۰۹۱۲۱۲۳۴۵۶۷' }).expect(200);
    expect(res.body.meta).toEqual({ page: 1, pageSize: 20, total: 1 });
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toEqual({
      id,
      mobile: '09121234567',
      template: 'otp_login',
      // the text in Persian digits (phones autofill either); `code` in ASCII for integrators
      body: 'کد ورود شما به سامانه شهروندسپاری شهرداری قزوین: ۴۸۲۹۱۷\nاین کد را به کسی ندهید.',
      code: '482917',
      provider: 'sandbox',
      status: 'sent',
      attempts: 1,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      sentAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(await messageRow(t, id)).toMatchObject({ provider_message_id: `sandbox-${id}`, last_error: null });
    expect((await jobOf(t, id)).status).toBe('completed');
  });

  it('delivers the messages of one batch together, each with its own provider id, once', async () => {
    const ids = [];
    for (const [i, code] of ['111111', '222222', '333333'].entries()) {
      ids.push(await queueCommitted(t, { mobile: `0912123450${i}`, template: 'otp_login', params: { code }, secretParams: ['code'] }));
    }
    expect(await t.jobs.runDue()).toBe(3);
    for (const [i, id] of ids.entries()) {
      expect(await messageRow(t, id)).toMatchObject({ mobile: `0912123450${i}`, status: 'sent', attempts: 1, provider_message_id: `sandbox-${id}`, last_error: null });
      expect((await jobOf(t, id)).status).toBe('completed');
    }
    expect(await t.jobs.drain()).toBe(0);
  });

  it('never keeps the code in clear in the job table', async () => {
    const id = await queueCommitted(t, { mobile: '09350000001', template: 'staff_2fa', params: { code: '907153' } });
    const job = await jobOf(t, id);
    expect(job.payload).toContain(id);
    expect(job.payload).not.toContain('907153');
    expect(JSON.parse(job.payload).params.code).toEqual({ sealed: expect.stringMatching(/^v1\./) });
    const all = await t.sql<{ payload: string }>(`select payload::text as payload from job`);
    for (const row of all) expect(row.payload).not.toMatch(/482917|907153/);
    await t.jobs.drain();
    expect((await messageRow(t, id)).body).toContain('۹۰۷۱۵۳'); // the sandbox outbox is meant to show it
  });

  it('leaves no message and no job when the caller’s transaction rolls back', async () => {
    let id = '';
    await expect(
      t.orm.em.fork().transactional(async (tx) => {
        const sms = notifications.queueSms({ mobile: '09350000002', template: 'otp_login', params: { code: '111111' } });
        id = sms.id;
        await runAll(tx, sms.queries);
        expect(await tx.execute(`select 1 from sms_message where id = ?`, [id])).toHaveLength(1);
        throw new Error('the OTP challenge could not be stored');
      }),
    ).rejects.toThrow('could not be stored');
    expect(id).not.toBe('');
    expect(await t.sql(`select 1 from sms_message where id = $1 or mobile = '09350000002'`, [id])).toHaveLength(0);
    expect(await t.sql(`select 1 from job where payload->>'messageId' = $1`, [id])).toHaveLength(0);
    expect(await t.jobs.drain()).toBe(0);
  });

  it('does not send a message twice when its job runs again (retried after a crash)', async () => {
    const id = await queueCommitted(t, { mobile: '09350000003', template: 'text', params: { text: 'پیام آزمایشی' } });
    await t.jobs.drain();
    const sent = await messageRow(t, id);
    expect(sent).toMatchObject({ status: 'sent', attempts: 1 });
    const [{ payload }] = await t.sql<{ payload: Record<string, unknown> }>(
      `select payload from job where payload->>'messageId' = $1`,
      [id],
    );
    await run(t.orm.em.fork(), t.jobs.enqueue(SMS_SEND_QUEUE, payload));
    expect(await t.jobs.drain()).toBe(1);
    expect(await messageRow(t, id)).toMatchObject({ status: 'sent', attempts: 1, sent_at: sent.sent_at });
  });

  it('refuses a bad mobile with a coded error, and programming mistakes loudly', () => {
    const attempt = (input: Parameters<NotificationsService['queueSms']>[0]) => () => notifications.queueSms(input);
    let invalid: unknown;
    try {
      attempt({ mobile: '0912123', template: 'otp_login', params: { code: '1' } })();
    } catch (err) {
      invalid = err;
    }
    expect(invalid).toBeInstanceOf(DomainError);
    expect(invalid).toMatchObject({ code: 'SMS_MOBILE_INVALID', status: 400 });
    expect(attempt({ mobile: '09121234567', template: 'nope' as never, params: {} })).toThrow('unknown SMS template "nope"');
    expect(attempt({ mobile: '09121234567', template: 'otp_login', params: {} })).toThrow('needs the parameter "code"');
    expect(attempt({ mobile: '09121234567', template: 'otp_login', params: { code: '1', name: 'x' } })).toThrow(
      'has no parameter "name"',
    );
    expect(attempt({ mobile: '09121234567', template: 'text', params: { text: 'x' }, secretParams: ['code'] })).toThrow(
      'secret parameter "code" is not a parameter of "text"',
    );
  });

  it('sandbox outbox: any spelling of the number; a bad or missing one is a 400', async () => {
    for (const spelling of ['+98 912 123 4567', '989121234567', '9121234567', '٠٩١٢١٢٣٤٥٦٧']) {
      const res = await t.http().get(OUTBOX).query({ mobile: spelling }).expect(200);
      expect(res.body.items.map((m: { mobile: string }) => m.mobile)).toEqual(['09121234567']);
    }
    const bad = await t.http().get(OUTBOX).query({ mobile: '12345' }).expect(400);
    expect(bad.body).toMatchObject({ code: 'SMS_MOBILE_INVALID', errors: [{ field: 'mobile', code: 'SMS_MOBILE_INVALID' }] });
    const missing = await t.http().get(OUTBOX).expect(400);
    expect(missing.body.code).toBe('VALIDATION_FAILED');
  });

  it('sandbox outbox: {items, meta} of the last hour, newest first, a page at a time, no lastError', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      ids.push(await queueCommitted(t, { mobile: '09190000010', template: 'text', params: { text: `پیام ${i}` } }));
    }
    await t.sql(`update sms_message set created_at = now() - interval '2 hours' where id = $1`, [ids[11]]);
    const res = await t.http().get(OUTBOX).query({ mobile: '09190000010', pageSize: 10 }).expect(200);
    expect(Object.keys(res.body).sort()).toEqual(['items', 'meta']);
    // pageSize limits; meta.total counts every message of the last hour (the 2-hour-old one is not)
    expect(res.body.items).toHaveLength(10);
    expect(res.body.meta).toEqual({ page: 1, pageSize: 10, total: 11 });
    const times = res.body.items.map((m: { createdAt: string }) => m.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect(res.body.items.map((m: { id: string }) => m.id)).not.toContain(ids[11]);
    expect(res.body.items[0]).not.toHaveProperty('lastError');
    const page2 = await t.http().get(OUTBOX).query({ mobile: '09190000010', pageSize: 10, page: 2 }).expect(200);
    expect(page2.body.meta).toEqual({ page: 2, pageSize: 10, total: 11 });
    expect(page2.body.items).toHaveLength(1);
    const first = res.body.items.map((m: { id: string }) => m.id);
    expect(first).not.toContain(page2.body.items[0].id);
    expect(new Set([...first, page2.body.items[0].id])).toEqual(new Set(ids.slice(0, 11)));
    // past the last page: no messages, and still the total
    expect((await t.http().get(OUTBOX).query({ mobile: '09190000010', pageSize: 10, page: 4 }).expect(200)).body).toEqual({
      items: [],
      meta: { page: 4, pageSize: 10, total: 11 },
    });
    await t.http().get(OUTBOX).query({ mobile: '09190000010', pageSize: 101 }).expect(400);
  });

  it('admin outbox: 401 without a token, 403 for a clerk', async () => {
    const anonymous = await t.http().get(ADMIN_OUTBOX).expect(401);
    expect(anonymous.body.code).toBe('UNAUTHENTICATED');
    const forbidden = await t.http().get(ADMIN_OUTBOX).set('Authorization', `Bearer ${clerk}`).expect(403);
    expect(forbidden.body.code).toBe('FORBIDDEN');
  });

  it('admin outbox: newest first, paginated, filtered by any spelling of a mobile, with lastError', async () => {
    const all = await t.http().get(ADMIN_OUTBOX).set('Authorization', `Bearer ${admin}`).expect(200);
    const [{ n }] = await t.sql<{ n: string }>(`select count(*) as n from sms_message`);
    expect(all.body.meta).toEqual({ page: 1, pageSize: 20, total: Number(n) });
    expect(all.body.items[0]).toHaveProperty('lastError', null);
    const times = all.body.items.map((m: { createdAt: string }) => m.createdAt);
    expect([...times].sort().reverse()).toEqual(times);

    const page2 = await t
      .http()
      .get(ADMIN_OUTBOX)
      .query({ mobile: '۰۹۱۹۰۰۰۰۰۱۰', page: '2', pageSize: '5' })
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    expect(page2.body.meta).toEqual({ page: 2, pageSize: 5, total: 12 });
    expect(page2.body.items).toHaveLength(5);
    for (const m of page2.body.items) expect(m.mobile).toBe('09190000010');

    const bad = await t.http().get(ADMIN_OUTBOX).query({ mobile: 'abc' }).set('Authorization', `Bearer ${admin}`).expect(400);
    expect(bad.body.code).toBe('SMS_MOBILE_INVALID');
    const tooBig = await t.http().get(ADMIN_OUTBOX).query({ pageSize: '500' }).set('Authorization', `Bearer ${admin}`).expect(400);
    expect(tooBig.body.code).toBe('VALIDATION_FAILED');
  });

  it('sandbox outbox: at most 60 reads a minute per client', async () => {
    // Fixed one-minute windows: the limit is hit within 61 reads, or 121 if a window starts meanwhile.
    let res = await t.http().get(OUTBOX).query({ mobile: '09121234567' });
    let n = 1;
    while (res.status === 200 && n < 121) {
      res = await t.http().get(OUTBOX).query({ mobile: '09121234567' });
      n++;
    }
    expect(res.status).toBe(429);
    expect(res.body.code).toBe('RATE_LIMITED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('the sandbox outbox outside the sandbox', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ SANDBOX_MODE: 'false' });
  });
  afterAll(() => t?.close());

  it('answers exactly like an unknown path, whatever the input', async () => {
    const unknown = await t.http().get('/api/v1/sandbox/sms-outbox-nope').query({ mobile: '09121234567' }).expect(404);
    const strip = (body: Record<string, unknown>) => ({ ...body, instance: undefined, requestId: undefined });
    for (const query of [{ mobile: '09121234567' }, { mobile: 'bad' }, {}]) {
      const res = await t.http().get(OUTBOX).query(query).expect(404);
      expect(res.body.code).toBe('ROUTE_NOT_FOUND');
      expect(strip(res.body)).toEqual(strip(unknown.body));
      expect(res.headers['content-type']).toBe(unknown.headers['content-type']);
      expect(res.headers['ratelimit-limit']).toBeUndefined();
    }
  });
});

describe('SMS notifications with Kavenegar', () => {
  const API_KEY = 'test-key';
  let fake: FakeSmsServer;
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    fake = await startFakeKavenegar({ apiKey: API_KEY });
    t = await createTestApp({ SMS_PROVIDER: 'kavenegar', KAVENEGAR_API_KEY: API_KEY, KAVENEGAR_BASE_URL: fake.url });
    admin = (await signedStaffToken(t, { username: 'sms-admin', roles: [StaffRole.Admin] })).token;
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });
  beforeEach(() => fake.reset());

  it('sends the code through Verify Lookup; the outbox keeps it masked', async () => {
    const id = await queueCommitted(t, { mobile: '۰۹۱۲۷۶۵۴۳۲۱', template: 'otp_login', params: { code: '731904' }, secretParams: ['code'] });
    const queued = await messageRow(t, id);
    expect(queued.body).toBe('کد ورود شما به سامانه شهروندسپاری شهرداری قزوین: ••••••\nاین کد را به کسی ندهید.');
    expect(queued.provider).toBe('kavenegar');

    expect(await t.jobs.drain()).toBe(1);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0].path).toBe(`/v1/${API_KEY}/verify/lookup.json`);
    expect(fake.requests[0].form).toEqual({ receptor: '09127654321', token: '731904', template: 'qazvin-otp' });
    const sent = await messageRow(t, id);
    expect(sent).toMatchObject({ status: 'sent', attempts: 1, provider_message_id: expect.stringMatching(/^\d+$/) });
    expect(sent.body).not.toContain('731904');

    const res = await t.http().get(ADMIN_OUTBOX).query({ mobile: '09127654321' }).set('Authorization', `Bearer ${admin}`).expect(200);
    expect(res.body.items[0]).toMatchObject({ id, status: 'sent', provider: 'kavenegar', lastError: null });
    expect(JSON.stringify(res.body)).not.toContain('731904');
  });

  it('an outage delays the message, never loses it: retried with backoff, then sent exactly once', async () => {
    fake.respondWith({ kind: 'raw', httpStatus: 503, body: 'Service Temporarily Unavailable' });
    const id = await queueCommitted(t, { mobile: '09127654322', template: 'otp_login', params: { code: '215846' } });

    expect(await t.jobs.drain()).toBe(1);
    expect(fake.requests).toHaveLength(1);
    const waiting = await messageRow(t, id);
    expect(waiting).toMatchObject({ status: 'queued', attempts: 1, sent_at: null });
    expect(waiting.last_error).toMatch(/^HTTP_503: Kavenegar: unexpected HTTP 503 answer/);
    const job = await jobOf(t, id);
    expect(job).toMatchObject({ status: 'pending', attempts: 1, max_attempts: 35 });
    expect(job.delay).toBeGreaterThanOrEqual(12);
    expect(job.delay).toBeLessThanOrEqual(18);
    expect(job.last_error).not.toContain(API_KEY);

    // not due yet: nothing runs
    expect(await t.jobs.drain()).toBe(0);
    const adminView = await t.http().get(ADMIN_OUTBOX).query({ mobile: '09127654322' }).set('Authorization', `Bearer ${admin}`).expect(200);
    expect(adminView.body.items[0]).toMatchObject({ status: 'queued', lastError: expect.stringContaining('HTTP_503') });

    // Kavenegar is back and the retry is due
    fake.reset();
    await t.sql(`update job set run_at = now() where payload->>'messageId' = $1`, [id]);
    expect(await t.jobs.drain()).toBe(1);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0].form?.token).toBe('215846');
    expect(await messageRow(t, id)).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
    expect((await jobOf(t, id)).status).toBe('completed');

    expect(await t.jobs.drain()).toBe(0);
    expect(fake.requests).toHaveLength(1);
  });

  it('credit running out keeps the message queued for a retry', async () => {
    fake.respondWith({ kind: 'status', status: 418 });
    const id = await queueCommitted(t, { mobile: '09127654323', template: 'staff_2fa', params: { code: '664201' } });
    await t.jobs.drain();
    expect(await messageRow(t, id)).toMatchObject({
      status: 'queued',
      last_error: 'KAVENEGAR_418: Kavenegar 418: insufficient credit (اعتبار حساب شما کافی نیست)',
    });
    expect((await jobOf(t, id)).status).toBe('pending');
  });

  it('a message Kavenegar refuses for good (invalid receptor) fails at once and is not retried', async () => {
    fake.respondWith({ kind: 'status', status: 411 });
    const id = await queueCommitted(t, { mobile: '09127654324', template: 'text', params: { text: 'اطلاعیه' } });
    expect(await t.jobs.drain()).toBe(1);
    expect(fake.requests[0].path).toBe(`/v1/${API_KEY}/sms/send.json`);
    expect(fake.requests[0].form).toEqual({ receptor: '09127654324', message: 'اطلاعیه' });
    expect(await messageRow(t, id)).toMatchObject({
      status: 'failed',
      attempts: 1,
      last_error: expect.stringContaining('KAVENEGAR_411'),
    });
    expect((await jobOf(t, id)).status).toBe('completed');
  });

  it('marks the message failed when the last attempt fails too (the dead job can still be retried)', async () => {
    fake.respondWith({ kind: 'raw', httpStatus: 500, body: 'boom' });
    const id = await queueCommitted(t, { mobile: '09127654325', template: 'otp_login', params: { code: '300300' } });
    await t.sql(`update job set max_attempts = 1 where payload->>'messageId' = $1`, [id]);
    await t.jobs.drain();
    expect(await messageRow(t, id)).toMatchObject({ status: 'failed', last_error: expect.stringContaining('HTTP_500') });
    expect((await jobOf(t, id)).status).toBe('dead');
  });

  it('has no sandbox outbox with a real provider', async () => {
    const res = await t.http().get(OUTBOX).query({ mobile: '09127654321' }).expect(404);
    expect(res.body.code).toBe('ROUTE_NOT_FOUND');
  });
});

describe('SMS notifications with SMS.ir', () => {
  const API_KEY = 'smsir-test-key';
  let fake: FakeSmsServer;
  let t: TestApp;

  beforeAll(async () => {
    fake = await startFakeSmsIr({ apiKey: API_KEY });
    const templates = join(mkdtempSync(join(tmpdir(), 'sms-templates-')), 'templates.json');
    writeFileSync(templates, JSON.stringify({ staff_2fa: 'کد تأیید کارکنان شهرداری قزوین: {code}' }));
    t = await createTestApp({
      SMS_TEMPLATES_FILE: templates,
      SMS_PROVIDER: 'smsir',
      SMSIR_API_KEY: API_KEY,
      SMSIR_BASE_URL: fake.url,
      SMSIR_LINE_NUMBER: '30007732000000',
      SMSIR_OTP_TEMPLATE_ID: '445566',
    });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('sends codes through send/verify and texts through send/bulk, with the configured template texts', async () => {
    const otp = await queueCommitted(t, { mobile: '09361112233', template: 'staff_2fa', params: { code: '128256' } });
    const text = await queueCommitted(t, { mobile: '09361112233', template: 'text', params: { text: 'پاسخ استعلام صادر شد.' } });
    expect(await t.jobs.drain()).toBe(2);
    const byPath = Object.fromEntries(fake.requests.map((r) => [r.path, r]));
    expect(byPath['/v1/send/verify'].json).toEqual({
      mobile: '09361112233',
      templateId: 445566,
      parameters: [{ name: 'CODE', value: '128256' }],
    });
    expect(byPath['/v1/send/bulk'].json).toEqual({
      lineNumber: 30007732000000,
      messageText: 'پاسخ استعلام صادر شد.',
      mobiles: ['09361112233'],
    });
    for (const r of fake.requests) expect(r.headers['x-api-key']).toBe(API_KEY);
    expect(await messageRow(t, otp)).toMatchObject({ status: 'sent', provider: 'smsir' });
    expect((await messageRow(t, otp)).body).toBe('کد تأیید کارکنان شهرداری قزوین: ••••••');
    expect(await messageRow(t, text)).toMatchObject({ status: 'sent', body: 'پاسخ استعلام صادر شد.' });
  });
});
