import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { StaffRole } from '../../src/modules/membership/entities/staff-user.entity';
import { WebhooksService } from '../../src/modules/integration/webhooks.service';
import { registerCitizen } from '../helpers/citizen';
import { insertInquiryProperty, scanPng } from '../helpers/inquiries';
import { orgClient, OrgClient } from '../helpers/org';
import { currentBill, seedPropertiesWithDebts } from '../helpers/payments';
import { signedStaffToken } from '../helpers/staff';
import { createTestApp, TestApp } from '../helpers/test-app';

/**
 * The bad-input rows of issue 18, each through HTTP: what answered 500 (or was accepted)
 * answers a coded 4xx problem now, on the Nest pipeline and the hot reads alike.
 */
describe('hostile input: every bad input is a coded 4xx, never a 500', () => {
  let t: TestApp;
  let citizen: string;
  let clerk: string;
  let admin: string;
  let bank: OrgClient;
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const problem = (res: { status: number; headers: Record<string, string>; body: { code?: string } }, status: number, code: string) => {
    expect({ status: res.status, type: res.headers['content-type'], code: res.body.code }).toEqual({
      status,
      type: expect.stringMatching(/^application\/problem\+json/),
      code,
    });
  };

  beforeAll(async () => {
    t = await createTestApp({ ORG_RATE_LIMIT_PER_MINUTE: '1000', ORG_QUOTA_PER_DAY: '100000' });
    citizen = (await registerCitizen(t, '09121880001')).accessToken;
    clerk = (await signedStaffToken(t, { username: 'hostile.clerk', roles: [StaffRole.RegionClerk], regions: [1] })).token;
    admin = (await signedStaffToken(t, { username: 'hostile.admin', roles: [StaffRole.Admin] })).token;
    bank = await orgClient(t, 'بانک آزمون ورودی', ['bills:report', 'certificates:verify', 'webhooks:manage', 'inquiries:read', 'inquiries:write']);
  });
  afterAll(() => t?.close());

  describe('deep and large JSON', () => {
    it('{"a": × 5000 on POST /auth/otp → 400 INPUT_TOO_DEEP (was 500: call stack exceeded)', async () => {
      const body = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
      const res = await t.http().post('/api/v1/auth/otp').set('Content-Type', 'application/json').send(body);
      problem(res, 400, 'INPUT_TOO_DEEP');
      expect(res.body.detail).toMatch(/[آ-ی]/); // Persian by default
      const en = await t.http().post('/api/v1/auth/otp').set({ 'Content-Type': 'application/json', 'Accept-Language': 'en' }).send(body);
      expect(en.body.detail).toBe('The request data is nested too deeply.');
    });

    it('nested arrays on POST /certificates/verify → 400 INPUT_TOO_DEEP', async () => {
      const body = `{"items":${'['.repeat(20000)}${']'.repeat(20000)}}`;
      problem(await t.http().post('/api/v1/certificates/verify').set(bearer(bank.token)).set('Content-Type', 'application/json').send(body), 400, 'INPUT_TOO_DEEP');
      problem(await t.http().post('/api/v1/certificates/verify').set('Content-Type', 'application/json').send(body), 400, 'INPUT_TOO_DEEP');
    });

    it('deep query strings are flat (simple parser): a bracketed key is just a name', async () => {
      const res = await t.http().get(`/api/v1/properties/search?${'a['.repeat(200)}=1`).set(bearer(clerk));
      expect(res.status).toBeLessThan(500);
    });
  });

  describe('NUL and other control characters', () => {
    it.each([
      ['PATCH /me (body)', () => t.http().patch('/api/v1/me').set(bearer(citizen)).send({ firstName: 'علی\u0000' })],
      ['POST /auth/otp (body)', () => t.http().post('/api/v1/auth/otp').send({ mobile: '0912\u00001234567' })],
      ['GET /desk/inquiries?q=%00', () => t.http().get('/api/v1/desk/inquiries?q=%00').set(bearer(clerk))],
      ['GET /properties/search?q=%00', () => t.http().get('/api/v1/properties/search?q=%00').set(bearer(clerk))],
      ['GET /properties/search?q=%1B', () => t.http().get('/api/v1/properties/search?q=a%1Bb').set(bearer(clerk))],
      ['GET /admin/sms-outbox?mobile=%00', () => t.http().get('/api/v1/admin/sms-outbox?mobile=%00').set(bearer(admin))],
      ['PATCH /admin/regions/%00', () => t.http().patch('/api/v1/admin/regions/%00').set(bearer(admin)).send({ name: 'منطقه' })],
      ['POST /admin/organizations (body)', () => t.http().post('/api/v1/admin/organizations').set(bearer(admin)).send({ kind: 'bank', name: 'بانک\u0000', legalNationalId: '10100302862' })],
      ['GET /properties/%00 (path)', () => t.http().get('/api/v1/properties/1-2-3%00')],
      ['GET /debts?renewalCode=%00 (query)', () => t.http().get('/api/v1/debts?renewalCode=1-2-3-4-0-0-0%00')],
      ['GET /map/parcels/at?lat=%00 (query)', () => t.http().get('/api/v1/map/parcels/at?lat=36.2%00&lng=50')],
      ['a key with NUL in a body', () => t.http().post('/api/v1/auth/otp').set('Content-Type', 'application/json').send('{"mob\\u0000ile":"09121234567"}')],
    ])('%s → 400 INPUT_CONTROL_CHARACTER', async (_name, send) => {
      const res = await send();
      problem(res, 400, 'INPUT_CONTROL_CHARACTER');
      expect(res.body.errors?.[0]?.code).toBe('INPUT_CONTROL_CHARACTER');
    });

    it('free text keeps tab and line breaks; nothing was written for a refused one', async () => {
      await t.http().patch('/api/v1/me').set(bearer(citizen)).send({ firstName: 'علی\u0007' }).expect(400);
      const me = await t.http().get('/api/v1/me').set(bearer(citizen)).expect(200);
      expect(me.body.firstName).toBe('علی');
      await t.http().patch('/api/v1/me').set(bearer(citizen)).send({ firstName: 'علی\tرضا' }).expect(200);
    });
  });

  describe('body parser errors keep their 4xx', () => {
    it('Content-Encoding: gzip with a body that is not gzip → 400 BODY_ENCODING_INVALID (was 500)', async () => {
      for (const encoding of ['gzip', 'deflate', 'br']) {
        const res = await t.http().post('/api/v1/auth/otp').set({ 'Content-Type': 'application/json', 'Content-Encoding': encoding }).send('{"mobile":"09121234567"}');
        problem(res, 400, 'BODY_ENCODING_INVALID');
      }
    });

    it('real gzip is read; an unknown encoding is 415; invalid JSON 400; too large 413', async () => {
      const gz = gzipSync(Buffer.from(JSON.stringify({ mobile: 'x' })));
      // sent as the bytes themselves (superagent would serialize a Buffer as JSON)
      const real = await t.http().post('/api/v1/auth/otp').set({ 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }).serialize((b: Buffer) => b as never).send(gz);
      problem(real, 400, 'VALIDATION_FAILED');
      expect(real.body.errors[0].field).toBe('mobile');
      problem(await t.http().post('/api/v1/auth/otp').set({ 'Content-Type': 'application/json', 'Content-Encoding': 'x-foo' }).send('{}'), 415, 'UNSUPPORTED_MEDIA_TYPE');
      problem(await t.http().post('/api/v1/auth/otp').set('Content-Type', 'application/json').send('{"mobile":'), 400, 'MALFORMED_JSON');
      problem(await t.http().post('/api/v1/auth/otp').set('Content-Type', 'application/json').send(`{"mobile":"${'9'.repeat(2_000_000)}"}`), 413, 'PAYLOAD_TOO_LARGE');
    });
  });

  describe('bank bill payments: paidAt bounded by the bill and the clock', () => {
    let bill: { billId: string; paymentId: string; amountRials: number };
    let issuedAt: Date;
    const report = (paidAt: string, reference: string) =>
      t.http().post('/api/v1/bank/bill-payments').set(bearer(bank.token)).send({ billId: bill.billId, paymentId: bill.paymentId, amount: bill.amountRials, bankReference: reference, paidAt });

    beforeAll(async () => {
      await seedPropertiesWithDebts(t, ['1-8-801-1-0-0-0']);
      bill = await currentBill(t, '1-8-801-1-0-0-0');
      const [row] = await t.sql<{ created_at: Date }>(`select created_at from billing_bill where bill_id = $1`, [bill.billId]);
      issuedAt = row.created_at;
    });

    it('1970-01-01 → 400 PAID_AT_BEFORE_BILL (was settled); an hour before the bill existed, too; nothing settled', async () => {
      problem(await report('1970-01-01T00:00:00Z', 'REF-EPOCH-1'), 400, 'PAID_AT_BEFORE_BILL');
      problem(await report(new Date(issuedAt.getTime() - 3_600_000).toISOString(), 'REF-EARLY-1'), 400, 'PAID_AT_BEFORE_BILL');
      const [row] = await t.sql<{ status: string }>(`select status from billing_bill where bill_id = $1`, [bill.billId]);
      expect(row.status).toBe('open');
      expect(await t.sql(`select 1 from billing_bank_payment where bill_id = $1`, [bill.billId])).toHaveLength(0);
    });

    it('in the future beyond the skew → 400 PAID_AT_INVALID', async () => {
      problem(await report(new Date(Date.now() + 3_600_000).toISOString(), 'REF-FUTURE-1'), 400, 'PAID_AT_INVALID');
    });

    it('within the clock skew of the bill’s issue, and now, settle', async () => {
      const paidAt = new Date(issuedAt.getTime() - 30_000).toISOString();
      const res = await report(paidAt, 'REF-SKEW-1').expect(200);
      expect(res.body).toMatchObject({ status: 'settled', paidAt });
      const [row] = await t.sql<{ status: string; paid_at: Date }>(`select status, paid_at from billing_bill where bill_id = $1`, [bill.billId]);
      expect(row.status).toBe('paid');
      expect(row.paid_at.toISOString()).toBe(paidAt);
    });
  });

  describe('multipart file names are UTF-8', () => {
    it('an upload named کارت-ملی.jpg is stored and read back as کارت-ملی.jpg (was mojibake)', async () => {
      const owner = await registerCitizen(t, '09121880002');
      const property = await insertInquiryProperty(t, {
        region: 1,
        owners: [owner.profile.nationalId],
        certificates: [{ kind: 'transfer', requestNumber: '1-1398-000045', year: 1398, date: '2019-06-01' }],
      });
      const created = await t
        .http()
        .post('/api/v1/inquiries')
        .set(bearer(owner.accessToken))
        .send({
          type: 'office',
          renewalCode: property.renewalCode,
          region: 1,
          lastRequestNumber: '1-1398-000045',
          undertakingsVersion: 'office-1404-01',
          undertakingsAccepted: true,
          organization: { kind: 'bank', name: 'بانک ملی ایران، شعبه مرکزی قزوین', letterNumber: '۱۲۳۴/ص', letterDate: '1404/08/20' },
        })
        .expect(201);
      const id = created.body.id as string;
      await t.http().post(`/api/v1/inquiries/${id}/confirm`).set(bearer(owner.accessToken)).expect(200);
      const res = await t
        .http()
        .put(`/api/v1/inquiries/${id}/documents/national_card`)
        .set(bearer(owner.accessToken))
        .attach('file', await scanPng(), { filename: 'کارت-ملی.jpg', contentType: 'image/png' })
        .expect(200);
      expect(res.body.originalName).toBe('کارت-ملی.jpg');
      const [row] = await t.sql<{ original_name: string }>(`select original_name from inquiry_document where inquiry_id = $1 and kind = 'national_card'`, [id]);
      expect(row.original_name).toBe('کارت-ملی.jpg');
      const list = await t.http().get(`/api/v1/inquiries/${id}/documents`).set(bearer(owner.accessToken)).expect(200);
      expect(JSON.stringify(list.body)).toContain('کارت-ملی.jpg');
    });
  });

  describe('found by the OpenAPI fuzz run (each was a 500)', () => {
    it('a 5000-deep body on organization routes is refused before the org API interceptor hashes it (JSON.stringify overflowed)', async () => {
      const body = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
      for (const path of ['/api/v1/bank/bill-payments', '/api/v1/org/webhooks', '/api/v1/org/inquiries', '/api/v1/org/certificates/verify']) {
        problem(await t.http().post(path).set(bearer(bank.token)).set('Content-Type', 'application/json').send(body), 400, 'INPUT_TOO_DEEP');
      }
      const nested = `{"items":${'['.repeat(5000)}${']'.repeat(5000)}}`;
      problem(await t.http().post('/api/v1/org/certificates/verify').set(bearer(bank.token)).set('Content-Type', 'application/json').send(nested), 400, 'INPUT_TOO_DEEP');
    });

    it('null for an optional field is refused (isNotNull), not passed to the service (PATCH /me, demand amendments)', async () => {
      const res = await t.http().patch('/api/v1/me').set(bearer(citizen)).send({ lastName: null });
      problem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'lastName', code: 'isNotNull' })]);
      const amend = await t
        .http()
        .post('/api/v1/admin/billing/demands/0193b0f4-8a5e-7c1d-9f2a-3b4c5d6e7f80/amendments')
        .set(bearer(admin))
        .send({ kind: 'correction', reasonCode: 'COUNCIL_EXEMPTION', newAmountRials: null });
      problem(amend, 400, 'VALIDATION_FAILED');
      expect(amend.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'newAmountRials', code: 'isNotNull' })]));
      // leaving it out is still fine
      await t.http().patch('/api/v1/me').set(bearer(citizen)).send({ fatherName: 'حسین' }).expect(200);
    });

    it('a lone surrogate is refused as invalid Unicode (validator’s isEmail threw URIError)', async () => {
      const res = await t.http().patch('/api/v1/me').set(bearer(citizen)).set('Content-Type', 'application/json').send('{"email":"\\ud800@x.ir"}');
      problem(res, 400, 'INPUT_INVALID_UNICODE');
      expect(res.body.errors[0].field).toBe('email');
    });

    it('dates outside the years people type are refused (year 0 reached PostgreSQL), page 1e308 too (OFFSET out of range)', async () => {
      problem(await t.http().get('/api/v1/org/inquiries?from=0000-01-01').set(bearer(bank.token)), 400, 'VALIDATION_FAILED');
      problem(await t.http().get('/api/v1/org/inquiries?to=0000-01-01T00:00:00Z').set(bearer(bank.token)), 400, 'VALIDATION_FAILED');
      problem(await t.http().get('/api/v1/desk/visits?date=0000-01-01').set(bearer(clerk)), 400, 'VALIDATION_FAILED');
      problem(await t.http().get('/api/v1/desk/visits?date=2026-02-30').set(bearer(clerk)), 400, 'VALIDATION_FAILED');
      problem(await t.http().get('/api/v1/calendar/due-date?start=9999-12-31T23:59:59Z'), 400, 'VALIDATION_FAILED');
      problem(await t.http().get('/api/v1/properties/search?page=1e308').set(bearer(clerk)), 400, 'VALIDATION_FAILED');
      problem(await t.http().get('/api/v1/desk/inquiries?page=100001').set(bearer(clerk)), 400, 'VALIDATION_FAILED');
      await t.http().get('/api/v1/org/inquiries?from=2026-01-01').set(bearer(bank.token)).expect(200);
    });

    it('what Node’s HTTP parser refuses answers problem+json too: a 20 KB URL → 431, a control character in a header → 400', async () => {
      const long = await t.http().get(`/api/v1/debts?renewalCode=${'1'.repeat(20_000)}`);
      problem(long, 431, 'REQUEST_HEADERS_TOO_LARGE');
      const server = t.app.getHttpServer();
      if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = connect((server.address() as AddressInfo).port, '127.0.0.1', () =>
          socket.write('GET /api/v1/regions HTTP/1.1\r\nHost: x\r\nIdempotency-Key: a\u0001b\r\n\r\n'),
        );
        let text = '';
        socket.on('data', (chunk) => (text += String(chunk)));
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
      expect(raw).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      expect(raw).toMatch(/\r\nContent-Type: application\/problem\+json/);
      expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)).code).toBe('BAD_REQUEST');
    });
  });

  describe('webhook URLs in IPv6 forms of private addresses (SSRF)', () => {
    it.each([
      'https://[::169.254.169.254]/hook',
      'https://[::127.0.0.1]/hook',
      'https://[::ffff:0:a9fe:a9fe]/hook',
      'https://[2002:a9fe:a9fe::1]/hook',
      'https://[2001:0:4136:e378:8000:63bf:5601:5601]/hook',
      'https://[64:ff9b::a9fe:a9fe]/hook',
      'https://[64:ff9b::10.0.0.1]/hook',
      'https://[64:ff9b:1::a00:1]/hook',
    ])('registration refuses %s', async (url) => {
      problem(await t.http().post('/api/v1/org/webhooks').set(bearer(bank.token)).send({ url, events: ['payment.settled'] }), 400, 'WEBHOOK_URL_FORBIDDEN');
    });

    it('delivery checks again: an endpoint whose URL now is a 6to4 form of the metadata address fails for good, unsent', async () => {
      const receiverUrl = 'http://127.0.0.1:9/hooks'; // loopback is allowed in tests; nothing listens there
      const created = await t.http().post('/api/v1/org/webhooks').set(bearer(bank.token)).send({ url: receiverUrl, events: ['payment.settled'] }).expect(201);
      await t.sql(`update webhook_endpoint set url = 'https://[2002:a9fe:a9fe::1]/hook' where id = $1`, [created.body.id]);
      await t.orm.em.fork().transactional((tx) => t.app.get(WebhooksService).emit(tx, bank.organizationId, 'payment.settled', { billId: 'x' }));
      await t.jobs.drain();
      const deliveries = (await t.http().get('/api/v1/org/webhooks/deliveries').set(bearer(bank.token)).expect(200)).body.items as Array<Record<string, unknown>>;
      expect(deliveries[0]).toMatchObject({ status: 'failed', attempts: 1, lastError: 'WEBHOOK_URL_FORBIDDEN', lastStatusCode: null });
    });
  });
});
