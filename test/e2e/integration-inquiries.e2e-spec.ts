import { persianDigits } from '@app/iran';
import { existsSync } from 'node:fs';
import { createHash, createPublicKey, type JsonWebKey, verify as cryptoVerify } from 'node:crypto';
import { InquiryStatus } from '../../src/modules/inquiries/domain/inquiry-status';
import { StaffRole } from '../../src/modules/membership/entities/staff-user.entity';
import { InquiryWorkflowService } from '../../src/modules/inquiries/inquiry-workflow.service';
import { verifyWebhook } from '../../src/modules/integration/webhook-signature';
import { registerCitizen } from '../helpers/citizen';
import { insertInquiryProperty, scanJpeg, scanPng } from '../helpers/inquiries';
import { orgClient, OrgClient, payIfAwaitingPayment, startReceiver } from '../helpers/org';
import { seedPropertiesWithDebts } from '../helpers/payments';
import { signedStaffToken } from '../helpers/staff';
import { createTestApp, TestApp } from '../helpers/test-app';
import { run, runAll } from '../../src/database/sql';

const CERTS = [{ kind: 'apartment_completion', requestNumber: '1-1402-000123', year: 1402, date: '2023-08-14' }];
const MOBILE = '09121250001';

describe('Integration: organizations’ inquiries with the citizen’s consent, and their webhooks', () => {
  let t: TestApp;
  let bankA: OrgClient;
  let bankB: OrgClient;
  let writeOnly: OrgClient;
  let citizen: { accessToken: string; profile: { id: string; nationalId: string } };
  let property: { id: string; renewalCode: string };
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let secret: string;
  let requestId: string;
  let inquiryId: string;
  let trackingCode: string;
  const org = (c: OrgClient) => ({ Authorization: `Bearer ${c.token}` });
  const member = () => ({ Authorization: `Bearer ${citizen.accessToken}` });
  const ask = (c: OrgClient, extra: Record<string, unknown> = {}) =>
    t.http().post('/api/v1/org/inquiries').set(org(c)).send({
      nationalId: citizen.profile.nationalId,
      mobile: '۰۹۱۲۱۲۵۰۰۰۱',
      renewalCode: property.renewalCode,
      region: 1,
      letterNumber: '۱۲۳۴/ص/۱۴۰۴',
      letterDate: '1404/08/20',
      ...extra,
    });

  beforeAll(async () => {
    t = await createTestApp();
    bankA = await orgClient(t, 'بانک الف (آزمون)', ['inquiries:read', 'inquiries:write', 'webhooks:manage']);
    bankB = await orgClient(t, 'بانک ب (آزمون)', ['inquiries:read', 'inquiries:write']);
    writeOnly = await orgClient(t, 'اداره فقط‌نویس', ['inquiries:write']);
    citizen = await registerCitizen(t, MOBILE);
    property = await insertInquiryProperty(t, { region: 1, owners: [citizen.profile.nationalId], certificates: CERTS });
    receiver = await startReceiver();
    const hook = await t.http().post('/api/v1/org/webhooks').set(org(bankA)).send({ url: receiver.url, events: ['inquiry.submitted', 'inquiry.answered', 'inquiry.rejected'] }).expect(201);
    secret = hook.body.secret;
  });
  afterAll(async () => {
    await receiver?.close();
    await t?.close();
  });

  it('asks for an inquiry (idempotently): the citizen gets one SMS', async () => {
    const first = await ask(bankA).set('Idempotency-Key', 'ask-1').expect(201);
    expect(first.body).toMatchObject({ requestStatus: 'awaiting_consent', status: null, trackingCode: null, renewalCode: property.renewalCode, region: 1 });
    expect(first.body.nationalId).toMatch(/^\d{3}\*{4}\d{3}$/);
    requestId = first.body.id;
    const replay = await ask(bankA).set('Idempotency-Key', 'ask-1').expect(201);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect((await ask(bankA, { letterNumber: 'دیگر' }).set('Idempotency-Key', 'ask-1').expect(409)).body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const sms = await t.sql<{ body: string }>(`select body from sms_message where mobile = $1 and template = 'text'`, [MOBILE]);
    expect(sms).toHaveLength(1);
    expect(sms[0].body).toContain('بانک الف (آزمون)');
    expect(sms[0].body).toContain(persianDigits(property.renewalCode));
  });

  it('refuses bad input with field errors, a missing scope with 403', async () => {
    const bad = await ask(bankA, { nationalId: '1234567890', mobile: '0912', letterDate: '1404/13/40' }).expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['letterDate', 'mobile', 'nationalId']);
    expect(bad.body.errors.find((e: { field: string }) => e.field === 'letterDate')).toEqual({
      field: 'letterDate',
      code: 'isCalendarDay',
      message: expect.stringMatching(/شمسی.*۱۴۰۵\/۰۹\/۱۵.*میلادی.*2026-12-06/),
    });
    expect((await ask(bankA, { region: 2 }).expect(400)).body.code).toBe('REGION_MISMATCH');
    expect((await ask(bankA, { renewalCode: '1-7-999-999-0-0-0' }).expect(404)).body.code).toBe('PROPERTY_NOT_FOUND');
    await t.http().get('/api/v1/org/inquiries').set(org(writeOnly)).expect(403);
    await t.http().get(`/api/v1/org/inquiries/${requestId}`).set(org(writeOnly)).expect(403);
    const other = await orgClient(t, 'بانک فقط‌خواندنی', ['inquiries:read']);
    await ask(other).expect(403);
    // a deactivated organization whose token has not expired: refused (by the guard) before any request or SMS
    await t.sql(`update organization set active = false where id = $1`, [writeOnly.organizationId]);
    expect((await ask(writeOnly).expect(401)).body.code).toBe('TOKEN_REVOKED');
    expect(await t.sql(`select id from org_inquiry_request where organization_id = $1`, [writeOnly.organizationId])).toHaveLength(0);
    expect(await t.sql(`select id from sms_message where mobile = $1 and template = 'text'`, [MOBILE])).toHaveLength(1);
    await t.sql(`update organization set active = true where id = $1`, [writeOnly.organizationId]);
    // citizens cannot call the organization API, organizations not the member's consent API
    await t.http().get('/api/v1/org/inquiries').set(member()).expect(403);
    await t.http().get('/api/v1/me/organization-requests').set(org(bankA)).expect(403);
  });

  it('the citizen consents as a member, completes and submits; the bank gets inquiry.submitted, signed', async () => {
    const list = await t.http().get('/api/v1/me/organization-requests').set(member()).expect(200);
    expect(list.body.meta).toEqual({ page: 1, pageSize: 20, total: 1 });
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ id: requestId, organizationName: 'بانک الف (آزمون)', status: 'awaiting_consent', inquiryId: null });

    const wrong = await t.http().post(`/api/v1/me/organization-requests/${requestId}/consent`).set(member())
      .send({ lastRequestNumber: '1-1402-999999', undertakingsVersion: 'office-1404-01', undertakingsAccepted: true }).expect(400);
    expect(wrong.body.code).toBe('LAST_REQUEST_NUMBER_MISMATCH');
    const consented = await t.http().post(`/api/v1/me/organization-requests/${requestId}/consent`).set(member())
      .send({ lastRequestNumber: '1-1402-000123', undertakingsVersion: 'office-1404-01', undertakingsAccepted: true }).expect(201);
    expect(consented.body).toMatchObject({ status: 'consented' });
    inquiryId = consented.body.inquiryId;
    const again = await t.http().post(`/api/v1/me/organization-requests/${requestId}/consent`).set(member())
      .send({ lastRequestNumber: '1-1402-000123', undertakingsVersion: 'office-1404-01', undertakingsAccepted: true }).expect(409);
    expect(again.body.code).toBe('CONSENT_NOT_PENDING');

    const inquiry = await t.http().get(`/api/v1/inquiries/${inquiryId}`).set(member()).expect(200);
    expect(inquiry.body).toMatchObject({ type: 'office', status: 'draft', organization: { kind: 'bank', name: 'بانک الف (آزمون)', letterNumber: '1234/ص/1404' } }); // normalized digits
    const seen = await t.http().get(`/api/v1/org/inquiries/${requestId}`).set(org(bankA)).expect(200);
    expect(seen.body).toMatchObject({ requestStatus: 'consented', status: 'draft', trackingCode: null });

    await t.http().post(`/api/v1/inquiries/${inquiryId}/confirm`).set(member()).expect(200);
    const upload = (kind: string, bytes: Buffer) =>
      t.http().put(`/api/v1/inquiries/${inquiryId}/documents/${kind}`).set(member()).attach('file', bytes, { filename: `${kind}.jpg`, contentType: 'image/jpeg' }).expect(200);
    await upload('deed', await scanJpeg());
    await upload('national_card', await scanPng());
    await upload('office_letter', await scanJpeg());
    const submitted = await t.http().post(`/api/v1/inquiries/${inquiryId}/submit`).set(member()).expect(200);
    trackingCode = submitted.body.trackingCode;

    await t.jobs.drain();
    const got = receiver.received.map((r) => ({ ...r, json: JSON.parse(r.body) }));
    expect(got.map((r) => r.json.type)).toEqual(['inquiry.submitted']);
    expect(got[0].json.data).toMatchObject({ requestId, trackingCode, status: 'submitted', renewalCode: property.renewalCode });
    expect(verifyWebhook(secret, got[0].body, got[0].headers['x-qazvin-signature'] as string)).toBe(true);

    const byCode = await t.http().get(`/api/v1/org/inquiries/${trackingCode}`).set(org(bankA)).expect(200);
    expect(byCode.body).toMatchObject({ id: requestId, status: 'submitted', trackingCode });
    expect(byCode.body.submittedAt).toBeTruthy();
  });

  it('bank B never sees bank A’s inquiries (404, empty list)', async () => {
    await t.http().get(`/api/v1/org/inquiries/${trackingCode}`).set(org(bankB)).expect(404);
    await t.http().get(`/api/v1/org/inquiries/${requestId}`).set(org(bankB)).expect(404);
    await t.http().get('/api/v1/org/inquiries/not-a-ref').set(org(bankA)).expect(404);
    expect((await t.http().get('/api/v1/org/inquiries').set(org(bankB)).expect(200)).body).toEqual({ items: [], meta: { page: 1, pageSize: 20, total: 0 } });
  });

  it('lists this organization’s inquiries with status and date filters', async () => {
    await ask(bankA, { letterNumber: 'L-2' }).expect(201); // a second one, awaiting consent
    const all = await t.http().get('/api/v1/org/inquiries').set(org(bankA)).expect(200);
    expect(all.body.meta).toEqual({ page: 1, pageSize: 20, total: 2 });
    const submitted = await t.http().get('/api/v1/org/inquiries?status=submitted').set(org(bankA)).expect(200);
    expect(submitted.body.items.map((i: { id: string }) => i.id)).toEqual([requestId]);
    const waiting = await t.http().get('/api/v1/org/inquiries?status=awaiting_consent').set(org(bankA)).expect(200);
    expect(waiting.body.items.map((i: { letterNumber: string }) => i.letterNumber)).toEqual(['L-2']);
    const future = await t.http().get('/api/v1/org/inquiries').query({ from: new Date(Date.now() + 3600_000).toISOString() }).set(org(bankA)).expect(200);
    expect(future.body.meta.total).toBe(0);
    await t.http().get('/api/v1/org/inquiries?status=bogus').set(org(bankA)).expect(400);
    await t.http().get('/api/v1/org/inquiries?from=yesterday').set(org(bankA)).expect(400);
    await t.sql(`update org_inquiry_request set expires_at = now() - interval '1 minute' where letter_number = 'L-2'`);
    const expired = await t.http().get('/api/v1/org/inquiries?status=expired').set(org(bankA)).expect(200);
    expect(expired.body.items.map((i: { requestStatus: string }) => i.requestStatus)).toEqual(['expired']);
  });

  it('the desk answers: inquiry.answered; the bank fetches the answer and verifies its JWS with the published keys; bulk verification', async () => {
    const clerk = await signedStaffToken(t, { username: 'int.clerk1', roles: [StaffRole.RegionClerk], regions: [1] });
    const manager = await signedStaffToken(t, { username: 'int.manager1', roles: [StaffRole.RegionManager], regions: [1] });
    const desk = (token: string, path: string, body: Record<string, unknown> = {}) =>
      t.http().post(`/api/v1/desk/inquiries/${inquiryId}${path}`).set({ Authorization: `Bearer ${token}` }).send(body);
    // before the answer
    expect((await t.http().get(`/api/v1/org/inquiries/${trackingCode}/answer`).set(org(bankA)).expect(409)).body.code).toBe('ANSWER_NOT_READY');
    await desk(clerk.token, '/claim').expect(200);
    await desk(clerk.token, '/review', { documents: ['deed', 'national_card', 'office_letter'].map((kind) => ({ kind, verdict: 'accepted' })) }).expect(200);
    const assessed = await desk(clerk.token, '/assess').expect(200);
    await payIfAwaitingPayment(t, assessed.body); // debts or an inquiry fee: paid in a bank's channel
    await desk(clerk.token, '/answer').expect(200);
    await desk(manager.token, '/answer/approve').expect(200);
    await t.jobs.drain();
    const types = receiver.received.map((r) => JSON.parse(r.body).type).filter((e) => e !== 'inquiry.awaiting_payment');
    expect(types).toEqual(['inquiry.submitted', 'inquiry.answered']); // in_review is not an event
    const last = receiver.received.at(-1)!;
    expect(JSON.parse(last.body).data).toMatchObject({ trackingCode, status: 'answered' });
    expect(verifyWebhook(secret, last.body, last.headers['x-qazvin-signature'] as string)).toBe(true);
    expect((await t.http().get(`/api/v1/org/inquiries/${trackingCode}`).set(org(bankA)).expect(200)).body.status).toBe('answered');

    const answer = (await t.http().get(`/api/v1/org/inquiries/${trackingCode}/answer`).set(org(bankA)).expect(200)).body;
    expect(answer).toMatchObject({ status: 'valid', content: { inquiryType: 'office', addressee: { name: 'بانک الف (آزمون)' }, property: { renewalCode: property.renewalCode } } });
    await t.http().get(`/api/v1/org/inquiries/${trackingCode}/answer`).set(org(bankB)).expect(404);
    await t.http().get(`/api/v1/org/inquiries/${trackingCode}/answer?format=doc`).set(org(bankA)).expect(400);
    // the PDF (rendered by a job with Chromium; without it a coded 503 says why)
    await t.jobs.drain();
    const pdf = await t.http().get(`/api/v1/org/inquiries/${trackingCode}/answer?format=pdf`).set(org(bankA)).buffer(true)
      .parse((res, cb) => { const chunks: Buffer[] = []; res.on('data', (c: Buffer) => chunks.push(c)); res.on('end', () => cb(null, Buffer.concat(chunks))); });
    if (existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) {
      expect(pdf.status).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
      // the audit entry of the call holds the SHA-256 of the streamed PDF
      let audited: Array<{ metadata: { responseSha256?: string } }> = [];
      for (let i = 0; i < 20 && !audited.length; i++) {
        audited = await t.sql(`select metadata from audit_log where action = 'org_api.call' and metadata->>'path' like '%format=pdf'`);
        if (!audited.length) await new Promise((r) => setTimeout(r, 50));
      }
      expect(audited[0].metadata.responseSha256).toBe(createHash('sha256').update(pdf.body as Buffer).digest('hex'));
    } else {
      expect(pdf.status).toBe(503);
      expect(JSON.parse((pdf.body as Buffer).toString()).code).toBe('PDF_UNAVAILABLE');
    }

    // offline verification with the published JWKS
    const jwks = (await t.http().get('/api/v1/certificates/keys').expect(200)).body as { keys: Array<JsonWebKey & { kid: string }> };
    const [h, p, sig] = (answer.jws as string).split('.');
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
    const jwk = jwks.keys.find((k) => k.kid === header.kid)!;
    expect(header.alg).toBe('EdDSA');
    const key = createPublicKey({ key: jwk, format: 'jwk' });
    expect(cryptoVerify(null, Buffer.from(`${h}.${p}`), key, Buffer.from(sig, 'base64url'))).toBe(true);
    expect(JSON.parse(Buffer.from(p, 'base64url').toString('utf8')).sha256).toBe(answer.contentHash);

    // bulk verification: genuine (by JWS and by number + code), tampered, unknown
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString('utf8')), sha256: '0'.repeat(64) })).toString('base64url')}.${sig}`;
    const verifier = await orgClient(t, 'دفترخانه آزمون', ['certificates:verify']);
    const bulk = await t.http().post('/api/v1/org/certificates/verify').set(org(verifier)).send({
      items: [{ jws: answer.jws }, { number: answer.number, code: answer.verificationCode }, { jws: tampered }, { number: '1404-1-999999', code: 'ZZZZZZZZ' }],
    }).expect(200);
    expect(bulk.body.results.map((r: { status: string }) => r.status)).toEqual(['valid', 'valid', 'invalid', 'unknown']);
    expect(bulk.body.results[0].verification.certificate).toMatchObject({ number: answer.number, renewalCode: property.renewalCode });
    expect((await t.http().post('/api/v1/org/certificates/verify').set(org(verifier)).send({ items: [{ jws: answer.jws, number: '1' }] }).expect(400)).body.code).toBe('VERIFY_ITEM_INVALID');
    await t.http().post('/api/v1/org/certificates/verify').set(org(verifier)).send({ items: [] }).expect(400);
    await t.http().post('/api/v1/org/certificates/verify').set(org(bankA)).send({ items: [{ jws: answer.jws }] }).expect(403);
  });

  it('a citizen’s own inquiry (no organization asked) sends no webhook', async () => {
    const before = receiver.received.length;
    const draft = await t.http().post('/api/v1/inquiries').set(member()).send({
      type: 'office', renewalCode: property.renewalCode, region: 1, lastRequestNumber: '1-1402-000123', undertakingsVersion: 'office-1404-01', undertakingsAccepted: true,
      organization: { kind: 'bank', name: 'بانک الف (آزمون)', letterNumber: 'x', letterDate: '1404/08/20' },
    }).expect(201);
    const workflow = t.app.get(InquiryWorkflowService);
    await t.orm.em.fork().transactional(async (tx) => runAll(tx, workflow.transition(await run(tx, workflow.lock(draft.body.id)), InquiryStatus.Submitted, 'citizen')));
    await t.jobs.drain();
    expect(receiver.received.length).toBe(before);
  });

  it('debts: inquiry.awaiting_payment, then payment.settled once the bill is paid (and the inquiry moves on)', async () => {
    const debtCode = '1-3-812-9-0-0-0';
    await seedPropertiesWithDebts(t, [debtCode]);
    const [p] = await t.sql<{ id: string }>(`select id from property where renewal_code = $1`, [debtCode]);
    await t.sql(`insert into property_owner (id, property_id, national_id, full_name, share_percent, created_at, updated_at) values (gen_random_uuid(), $1, $2, 'مالک', 100, now(), now())`, [p.id, citizen.profile.nationalId]);
    await t.sql(
      `insert into property_certificate (id, property_id, kind, request_number, jalali_year, issue_date, created_at, updated_at) values (gen_random_uuid(), $1, 'transfer', 'D-1', 1399, '2020-01-01', now(), now())`,
      [p.id],
    );
    const money = await startReceiver();
    try {
      const hook = await t.http().post('/api/v1/org/webhooks').set(org(bankA)).send({ url: money.url, events: ['inquiry.awaiting_payment', 'payment.settled'] }).expect(201);
      const asked = await ask(bankA, { renewalCode: debtCode, letterNumber: 'DEBT-1' }).expect(201);
      const consented = await t.http().post(`/api/v1/me/organization-requests/${asked.body.id}/consent`).set(member())
        .send({ lastRequestNumber: 'D-1', undertakingsVersion: 'office-1404-01', undertakingsAccepted: true }).expect(201);
      const id = consented.body.inquiryId as string;
      await t.http().post(`/api/v1/inquiries/${id}/confirm`).set(member()).expect(200);
      for (const kind of ['deed', 'national_card', 'office_letter']) {
        await t.http().put(`/api/v1/inquiries/${id}/documents/${kind}`).set(member()).attach('file', await scanPng(), { filename: `${kind}.png`, contentType: 'image/png' }).expect(200);
      }
      const code = (await t.http().post(`/api/v1/inquiries/${id}/submit`).set(member()).expect(200)).body.trackingCode as string;
      const clerk = await signedStaffToken(t, { username: 'int.clerk.debt', roles: [StaffRole.RegionClerk], regions: [1] });
      const desk = (path: string, body: Record<string, unknown> = {}) => t.http().post(`/api/v1/desk/inquiries/${id}${path}`).set({ Authorization: `Bearer ${clerk.token}` }).send(body).expect(200);
      await desk('/claim');
      await desk('/review', { documents: ['deed', 'national_card', 'office_letter'].map((kind) => ({ kind, verdict: 'accepted' })) });
      const assessed = (await desk('/assess')).body;
      expect(assessed.inquiry.status).toBe('awaiting_payment');
      await t.jobs.drain();
      const waiting = money.received.map((r) => JSON.parse(r.body));
      expect(waiting.map((e) => e.type)).toEqual(['inquiry.awaiting_payment']);
      expect(waiting[0].data).toMatchObject({ trackingCode: code, status: 'awaiting_payment' });

      expect(await payIfAwaitingPayment(t, assessed)).toBe(true);
      await t.jobs.drain();
      const events = money.received.map((r) => JSON.parse(r.body));
      expect(events.map((e) => e.type)).toEqual(['inquiry.awaiting_payment', 'payment.settled']);
      expect(events[1].data).toMatchObject({ requestId: asked.body.id, trackingCode: code, billId: assessed.desk.finances.bill.billId, renewalCode: debtCode });
      expect(verifyWebhook(hook.body.secret, money.received[1].body, money.received[1].headers['x-qazvin-signature'] as string)).toBe(true);
      expect((await t.http().get(`/api/v1/org/inquiries/${code}`).set(org(bankA)).expect(200)).body.status).not.toBe('awaiting_payment');
    } finally {
      await money.close();
    }
  });

  it('the citizen may decline; others’ requests are 404 to them', async () => {
    const other = await registerCitizen(t, '09121250002');
    // the letter's date typed in Gregorian (Persian digits): kept and shown as the Jalali date
    const req = await ask(bankB, { letterDate: '۲۰۲۵-۱۱-۱۱' }).expect(201);
    expect(req.body.letterDate).toBe('1404/08/20');
    expect((await t.http().get(`/api/v1/org/inquiries/${req.body.id}`).set(org(bankB)).expect(200)).body.letterDate).toBe('1404/08/20');
    await t.http().post(`/api/v1/me/organization-requests/${req.body.id}/decline`).set({ Authorization: `Bearer ${other.accessToken}` }).expect(404);
    const stranger = await t
      .http()
      .post(`/api/v1/me/organization-requests/${req.body.id}/consent`)
      .set({ Authorization: `Bearer ${other.accessToken}` })
      .send({ lastRequestNumber: '1-1402-000123', undertakingsVersion: 'office-1404-01', undertakingsAccepted: true })
      .expect(404);
    expect(stranger.body.code).toBe('NOT_FOUND');
    expect((await t.http().get('/api/v1/me/organization-requests').set({ Authorization: `Bearer ${other.accessToken}` }).expect(200)).body).toEqual({ items: [], meta: { page: 1, pageSize: 20, total: 0 } });
    await t.http().post('/api/v1/me/organization-requests/not-a-uuid/decline').set(member()).expect(404);
    const declined = await t.http().post(`/api/v1/me/organization-requests/${req.body.id}/decline`).set(member()).expect(200);
    expect(declined.body.status).toBe('declined');
    expect((await t.http().get(`/api/v1/org/inquiries/${req.body.id}`).set(org(bankB)).expect(200)).body.requestStatus).toBe('declined');
  });
});
