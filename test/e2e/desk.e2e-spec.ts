import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { persianDigits, toJalali } from '@app/iran';
import { StaffRole } from '../../src/modules/membership/entities/staff-user.entity';
import { DeskSlaService } from '../../src/modules/desk/desk-sla.service';
import { registerCitizen } from '../helpers/citizen';
import { insertInquiryProperty, scanJpeg, scanPng } from '../helpers/inquiries';
import { gatewayEnv, localPath, seedPropertiesWithDebts, TEST_RETURN_ORIGIN } from '../helpers/payments';
import { payBillInSandbox } from '../helpers/desk';
import { signedStaffToken } from '../helpers/staff';
import { createTestApp, TestApp } from '../helpers/test-app';

// the letter's date typed in Gregorian: the answer prints it as the Jalali 1404/08/20
const ORG = { kind: 'bank', name: 'بانک ملی ایران، شعبه مرکزی قزوین', letterNumber: '4521/ص', letterDate: '2025-11-11' };
const CERT = { kind: 'transfer', requestNumber: '1-1398-000045', year: 1398, date: '2019-06-01' };
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * The region desks end to end over HTTP: an office inquiry with debts (one round of
 * correction, payment through the sandbox gateway moving it on by itself, two-person answer,
 * PDF) and a notary inquiry with a site visit; region scoping, four eyes, settlement first;
 * certificate verification (genuine, tampered, revoked).
 */
describe('desk: review, finances, visits, answers', () => {
  let t: TestApp;
  let citizen: { token: string; nid: string; mobile: string };
  let clerk1: { token: string; id: string };
  let clerk2: { token: string; id: string };
  let manager1: { token: string; id: string };
  let manager1b: { token: string; id: string };
  let inspector1: { token: string; id: string };
  let admin: { token: string; id: string };
  const debtCode = '1-3-811-7-0-0-0';
  let notaryProperty: { id: string; renewalCode: string };

  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const desk = (token: string, method: 'get' | 'post', path: string) => t.http()[method](`/api/v1/desk/inquiries${path}`).set(auth(token));
  const upload = (id: string, kind: string, bytes: Buffer) =>
    t.http().put(`/api/v1/inquiries/${id}/documents/${kind}`).set(auth(citizen.token)).attach('file', bytes, { filename: `${kind}.jpg`, contentType: 'image/jpeg' }).expect(200);
  const lastSms = async (mobile: string) => (await t.sql<{ body: string }>(`select body from sms_message where mobile = $1 order by created_at desc limit 1`, [mobile]))[0]?.body ?? '';
  const status = async (id: string) => (await t.http().get(`/api/v1/inquiries/${id}`).set(auth(citizen.token)).expect(200)).body.status as string;

  beforeAll(async () => {
    t = await createTestApp(gatewayEnv({ CHROMIUM_PATH: CHROMIUM }));
    const mobile = '09121770001';
    const c = await registerCitizen(t, mobile, { firstName: 'زهرا', lastName: 'کریمی' });
    citizen = { token: c.accessToken, nid: c.profile.nationalId, mobile };
    clerk1 = await signedStaffToken(t, { username: 'desk.clerk1', roles: [StaffRole.RegionClerk], regions: [1] });
    clerk2 = await signedStaffToken(t, { username: 'desk.clerk2', roles: [StaffRole.RegionClerk], regions: [2] });
    manager1 = await signedStaffToken(t, { username: 'desk.manager1', roles: [StaffRole.RegionManager], regions: [1] });
    manager1b = await signedStaffToken(t, { username: 'desk.manager1b', roles: [StaffRole.RegionManager], regions: [1] });
    inspector1 = await signedStaffToken(t, { username: 'desk.inspector1', roles: [StaffRole.Inspector], regions: [1] });
    admin = await signedStaffToken(t, { username: 'desk.admin', roles: [StaffRole.Admin] });
    // a property with renewal and waste debts of three years, owned by the citizen, with an earlier certificate
    await seedPropertiesWithDebts(t, [debtCode]);
    const [p] = await t.sql<{ id: string }>(`select id from property where renewal_code = $1`, [debtCode]);
    await t.sql(`insert into property_owner (id, property_id, national_id, full_name, share_percent, created_at, updated_at) values (gen_random_uuid(), $1, $2, 'زهرا کریمی', 100, now(), now())`, [p.id, c.profile.nationalId]);
    await t.sql(
      `insert into property_certificate (id, property_id, kind, request_number, jalali_year, issue_date, created_at, updated_at) values (gen_random_uuid(), $1, $2, $3, $4, $5, now(), now())`,
      [p.id, CERT.kind, CERT.requestNumber, CERT.year, CERT.date],
    );
    // assessed before this one exists: the notary property has no debts
    notaryProperty = await insertInquiryProperty(t, { region: 1, owners: [c.profile.nationalId], certificates: [{ kind: 'inquiry', requestNumber: 'N-77', year: 1401, date: '2022-05-05' }] });
  });
  afterAll(() => t?.close());

  async function submittedOffice(): Promise<string> {
    const created = await t
      .http()
      .post('/api/v1/inquiries')
      .set(auth(citizen.token))
      .send({ type: 'office', renewalCode: debtCode, region: 1, lastRequestNumber: CERT.requestNumber, undertakingsVersion: 'office-1404-01', undertakingsAccepted: true, organization: ORG })
      .expect(201);
    const id = created.body.id as string;
    await t.http().post(`/api/v1/inquiries/${id}/confirm`).set(auth(citizen.token)).expect(200);
    await upload(id, 'deed', await scanJpeg());
    await upload(id, 'national_card', await scanJpeg());
    await upload(id, 'office_letter', await scanJpeg());
    await t.http().post(`/api/v1/inquiries/${id}/submit`).set(auth(citizen.token)).expect(200);
    return id;
  }

  let officeId = '';
  let officeAnswer: { number: string; verificationCode: string; jws: string; contentHash: string };

  it('office inquiry: queue, region scoping, claim, correction round, assessment, payment, two-person answer', async () => {
    officeId = await submittedOffice();
    // queue of region 1, ordered by due time, with counts
    const queue = (await t.http().get('/api/v1/desk/inquiries').set(auth(clerk1.token)).expect(200)).body;
    const item = queue.items.find((i: { id: string }) => i.id === officeId);
    expect(item).toMatchObject({ status: 'submitted', region: 1, renewalCode: debtCode, overdue: false, claimedBy: null });
    expect(queue.counts).toEqual(expect.arrayContaining([{ status: 'submitted', count: 1 }]));
    // a page past the last keeps the queue's total (and its counts)
    const past = (await t.http().get('/api/v1/desk/inquiries').query({ page: 50 }).set(auth(clerk1.token)).expect(200)).body;
    expect(past.items).toEqual([]);
    expect(past.meta).toEqual({ ...queue.meta, page: 50 });
    expect(queue.meta.total).toBeGreaterThanOrEqual(1);
    expect(past.counts).toEqual(queue.counts);
    expect((await t.http().get('/api/v1/desk/inquiries').query({ sla: 'overdue' }).set(auth(clerk1.token)).expect(200)).body.items).toHaveLength(0);
    // due by the end of today (Tehran) or not, depending on the clock: consistent with its due time either way
    const dueToday = (await t.http().get('/api/v1/desk/inquiries').query({ sla: 'due_today', type: 'office', q: debtCode }).set(auth(clerk1.token)).expect(200)).body.items;
    const sameDay = new Date(item.reviewDueAt).toLocaleDateString('en-CA', { timeZone: 'Asia/Tehran' }) === new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Tehran' });
    expect(dueToday.map((i: { id: string }) => i.id)).toEqual(sameDay ? [officeId] : []);
    expect((await t.http().get('/api/v1/desk/inquiries').query({ q: item.trackingCode }).set(auth(clerk1.token)).expect(200)).body.items).toHaveLength(1);
    expect((await t.http().get('/api/v1/desk/inquiries').query({ type: 'notary' }).set(auth(clerk1.token)).expect(200)).body.items).toHaveLength(0);
    await t.http().get('/api/v1/desk/inquiries').query({ region: 2 }).set(auth(clerk1.token)).expect(404);
    await t.http().get('/api/v1/desk/inquiries').query({ sla: 'soon' }).set(auth(clerk1.token)).expect(400);
    // a clerk of another region sees nothing and cannot act
    expect((await t.http().get('/api/v1/desk/inquiries').set(auth(clerk2.token)).expect(200)).body.items).toHaveLength(0);
    await desk(clerk2.token, 'get', `/${officeId}`).expect(404);
    await desk(clerk2.token, 'post', `/${officeId}/claim`).expect(404);
    // citizens and anonymous callers are refused
    await t.http().get('/api/v1/desk/inquiries').set(auth(citizen.token)).expect(403);
    await t.http().get('/api/v1/desk/inquiries').expect(401);

    const claimed = (await desk(clerk1.token, 'post', `/${officeId}/claim`).expect(200)).body;
    expect(claimed.inquiry.status).toBe('in_review');
    expect(claimed.desk).toMatchObject({ claimedBy: clerk1.id, claimedByName: 'desk.clerk1' });
    expect(claimed.documents).toHaveLength(3);
    expect(claimed.documents[0].url).toMatch(/^http/);
    // one clerk at a time
    const manager1Clerk = await signedStaffToken(t, { username: 'desk.clerk1b', roles: [StaffRole.RegionClerk], regions: [1] });
    expect((await desk(manager1Clerk.token, 'post', `/${officeId}/claim`).expect(409)).body.code).toBe('DESK_CASE_CLAIMED');

    // bad reviews: missing documents, rejection without reason
    expect((await desk(clerk1.token, 'post', `/${officeId}/review`).send({ documents: [{ kind: 'deed', verdict: 'accepted' }] }).expect(400)).body.code).toBe('REVIEW_INVALID');
    const all = (deed: Record<string, string>) => ({
      documents: [{ kind: 'deed', ...deed }, { kind: 'national_card', verdict: 'accepted' }, { kind: 'office_letter', verdict: 'accepted' }],
    });
    expect((await desk(clerk1.token, 'post', `/${officeId}/review`).send(all({ verdict: 'rejected' })).expect(400)).body.code).toBe('REVIEW_INVALID');
    await desk(clerk1.token, 'post', `/${officeId}/review`).send({ documents: 'x' }).expect(400);
    // assessment needs an accepted review
    expect((await desk(clerk1.token, 'post', `/${officeId}/assess`).expect(409)).body.code).toBe('REVIEW_REQUIRED');

    // one round of correction
    const reason = 'تصویر صفحه ۲ سند ناخوانا است';
    const back = (await desk(clerk1.token, 'post', `/${officeId}/review`).send(all({ verdict: 'rejected', reason })).expect(200)).body;
    expect(back.inquiry.status).toBe('needs_correction');
    expect(back.inquiry.history.at(-1)).toMatchObject({ to: 'needs_correction', reason: `deed: ${reason}` });
    expect(await lastSms(citizen.mobile)).toContain(reason);
    await upload(officeId, 'deed', await scanPng().then(() => scanJpeg(1000, 800)));
    const resubmitted = await t.http().post(`/api/v1/inquiries/${officeId}/submit`).set(auth(citizen.token)).expect(200);
    expect(new Date(resubmitted.body.reviewDueAt).getTime()).toBeGreaterThan(Date.now());
    await desk(clerk1.token, 'post', `/${officeId}/claim`).expect(200);
    await desk(clerk1.token, 'post', `/${officeId}/review`).send(all({ verdict: 'accepted' })).expect(200);

    // the answer before settlement is refused
    expect((await desk(clerk1.token, 'post', `/${officeId}/answer`).send({}).expect(409)).body.code).toBe('FINANCES_NOT_SETTLED');

    // finances: debts → awaiting_payment with the bill; the citizen is told by SMS; tracking shows it
    const assessed = (await desk(clerk1.token, 'post', `/${officeId}/assess`).expect(200)).body;
    expect(assessed.inquiry.status).toBe('awaiting_payment');
    const bill = assessed.desk.finances.bill;
    expect(assessed.desk.finances).toMatchObject({ settled: false });
    expect(bill.billId).toMatch(/^\d+$/);
    // SMS texts write numbers in Persian digits
    const billSms = await lastSms(citizen.mobile);
    expect(billSms).toContain(persianDigits(bill.billId));
    expect(billSms).not.toMatch(/[0-9]/);
    const tracked = (await t.http().get(`/api/v1/tracking/${assessed.inquiry.trackingCode}`).expect(200)).body;
    expect(tracked.next.bill).toMatchObject({ billId: bill.billId, paymentId: bill.paymentId });
    expect((await desk(clerk1.token, 'post', `/${officeId}/answer`).send({}).expect(409)).body.code).toBe('INQUIRY_STATUS_CONFLICT');

    // payment through the sandbox gateway; the settlement job moves the inquiry on, exactly once
    const started = (await t.http().post('/api/v1/payments').send({ billId: bill.billId, returnUrl: `${TEST_RETURN_ORIGIN}/done` }).expect(201)).body;
    const paid = await t.http().post(`${localPath(started.redirectUrl)}/pay`).expect(303);
    await t.http().get(localPath(paid.headers.location)).expect(303);
    await t.jobs.drain();
    expect(await status(officeId)).toBe('in_review');
    await t.jobs.drain();
    const history = (await t.http().get(`/api/v1/inquiries/${officeId}`).set(auth(citizen.token)).expect(200)).body.history;
    expect(history.filter((h: { from: string; to: string }) => h.from === 'awaiting_payment')).toEqual([expect.objectContaining({ to: 'in_review', by: 'system' })]);

    // one clerk at a time: another clerk of the region can neither prepare nor reject the held case
    const sameRegionClerk = await signedStaffToken(t, { username: 'desk.clerk1c', roles: [StaffRole.RegionClerk], regions: [1] });
    expect((await desk(sameRegionClerk.token, 'post', `/${officeId}/answer`).send({}).expect(409)).body.code).toBe('DESK_CASE_CLAIMED');
    expect((await desk(sameRegionClerk.token, 'post', `/${officeId}/reject`).send({ reason: 'مدارک ناقص است' }).expect(409)).body.code).toBe('DESK_CASE_CLAIMED');
    expect(await status(officeId)).toBe('in_review');

    // two people: the clerk prepares; the clerk cannot approve; a manager does
    await desk(clerk1.token, 'post', `/${officeId}/answer/approve`).expect(403);
    expect((await desk(manager1.token, 'post', `/${officeId}/answer/approve`).expect(409)).body.code).toBe('ANSWER_NOT_PREPARED');
    await desk(clerk1.token, 'post', `/${officeId}/answer`).send({ note: 'صرفاً جهت ارائه به بانک، در ۱۲ نسخه' }).expect(200);
    // the answer is not there before approval
    expect((await t.http().get(`/api/v1/inquiries/${officeId}/answer`).set(auth(citizen.token)).expect(409)).body.code).toBe('ANSWER_NOT_READY');
    // a member deactivated meanwhile is still the letter's applicant and still told by SMS
    await t.sql(`update citizen set active = false where mobile = $1`, [citizen.mobile]);
    const approved = (await desk(manager1.token, 'post', `/${officeId}/answer/approve`).expect(200)).body;
    await t.sql(`update citizen set active = true where mobile = $1`, [citizen.mobile]);
    expect(approved.inquiry.status).toBe('answered');
    expect(approved.desk.certificateNumber).toMatch(/^\d{4}-1-\d{6}$/);
    expect(await lastSms(citizen.mobile)).toContain(persianDigits(approved.desk.certificateNumber));

    const answer = (await t.http().get(`/api/v1/inquiries/${officeId}/answer`).set(auth(citizen.token)).expect(200)).body;
    expect(answer).toMatchObject({ number: approved.desk.certificateNumber, status: 'valid' });
    // free text keeps the digits the clerk typed, in the signed letter too
    expect(answer.content.note).toBe('صرفاً جهت ارائه به بانک، در ۱۲ نسخه');
    expect(answer.content).toMatchObject({
      inquiryType: 'office',
      addressee: { kind: 'office', name: ORG.name, letterDate: '1404/08/20' },
      applicant: { fullName: 'زهرا کریمی' },
      property: { renewalCode: debtCode, region: 1 },
      finances: { settled: true, paidBills: [expect.objectContaining({ billId: bill.billId, amountRials: bill.amountRials })] },
      issuer: { preparedBy: 'desk.clerk1', approvedBy: 'desk.manager1' },
    });
    expect(JSON.stringify(answer.content)).not.toContain(citizen.nid);
    officeAnswer = answer;
    // another member or staff of another region: 404
    const stranger = await registerCitizen(t, '09121770002');
    await t.http().get(`/api/v1/inquiries/${officeId}/answer`).set(auth(stranger.accessToken)).expect(404);
    await t.http().get(`/api/v1/inquiries/${officeId}/answer`).query({ format: 'html' }).set(auth(stranger.accessToken)).expect(404);
    await t.http().get(`/api/v1/inquiries/${officeId}/answer`).set(auth(clerk2.token)).expect(404);

    const html = await t.http().get(`/api/v1/inquiries/${officeId}/answer`).query({ format: 'html' }).set(auth(citizen.token)).expect(200);
    expect(html.headers['content-type']).toMatch(/text\/html/);
    expect(html.text).toContain('dir="rtl"');
    expect(html.text).toContain(debtCode);
    expect(html.text).toContain('زهرا کریمی');
    expect(html.text).toContain('در ۱۲ نسخه');
    expect(html.text).toContain('مورخ ۱۴۰۴/۰۸/۲۰');
    expect(html.text).toContain('<svg');
    expect(html.text).toContain("font-family:'Vazirmatn'");
  });

  it('renders the answer as a PDF with Persian text (pdftotext finds the renewal code and the applicant)', async () => {
    if (!existsSync(CHROMIUM)) {
      // CI installs Debian's chromium (.ci/run): there the PDF must really be rendered
      if (process.env.CI) throw new Error(`no Chromium at ${CHROMIUM} in CI`);
      // eslint-disable-next-line no-console
      console.warn(`PDF test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium poppler-utils)`);
      const res = await t.http().get(`/api/v1/inquiries/${officeId}/answer`).query({ format: 'pdf' }).set(auth(citizen.token)).expect(503);
      expect(res.body.code).toBe('PDF_UNAVAILABLE');
      return;
    }
    await t.jobs.drain();
    const res = await t.http().get(`/api/v1/inquiries/${officeId}/answer`).query({ format: 'pdf' }).set(auth(citizen.token)).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = res.body as Buffer;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const dir = mkdtempSync(join(tmpdir(), 'answer-pdf-'));
    const file = join(dir, 'answer.pdf');
    writeFileSync(file, pdf);
    if (process.env.ANSWER_PDF_OUT) writeFileSync(process.env.ANSWER_PDF_OUT, pdf);
    let text: string;
    try {
      execFileSync('pdftotext', ['-enc', 'UTF-8', file, join(dir, 'answer.txt')]);
      text = readFileSync(join(dir, 'answer.txt'), 'utf8');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(text).toContain(debtCode);
    expect(text).toContain('زهرا');
    expect(text).toContain('کریمی');
    expect(text).toContain('شهرداری قزوین');
  });

  it('verifies genuine, tampered and revoked certificates; publishes the keys', async () => {
    const jwks = (await t.http().get('/api/v1/certificates/keys').expect(200)).body;
    expect(jwks.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' });
    const [h, p, s] = officeAnswer.jws.split('.');
    expect(JSON.parse(Buffer.from(h, 'base64url').toString())).toMatchObject({ alg: 'EdDSA', kid: jwks.keys[0].kid });
    expect(JSON.parse(Buffer.from(p, 'base64url').toString())).toMatchObject({ sub: officeAnswer.number, sha256: officeAnswer.contentHash });

    // offline verification with the published key
    const { createPublicKey, verify } = await import('node:crypto');
    const key = createPublicKey({ key: jwks.keys[0], format: 'jwk' });
    expect(verify(null, Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'))).toBe(true);

    const byNumber = (await t.http().get('/api/v1/certificates/verify').query({ number: officeAnswer.number, code: officeAnswer.verificationCode.toLowerCase() }).expect(200)).body;
    expect(byNumber).toMatchObject({ status: 'valid', certificate: { number: officeAnswer.number, renewalCode: debtCode, contentHash: officeAnswer.contentHash } });
    expect(JSON.stringify(byNumber)).not.toContain('زهرا');
    expect((await t.http().get('/api/v1/certificates/verify').query({ number: officeAnswer.number, code: 'ZZZZZZZZ' }).expect(200)).body.status).toBe('unknown');
    expect((await t.http().get('/api/v1/certificates/verify').query({ number: 'x', code: 'y' }).expect(400)).body.code).toBe('VERIFY_QUERY_INVALID');
    await t.http().get('/api/v1/certificates/verify').expect(400);

    expect((await t.http().post('/api/v1/certificates/verify').send({ jws: officeAnswer.jws }).expect(200)).body.status).toBe('valid');
    // the QR code's whole text: the verification URL, a newline, the JWS
    const qrText = `${(officeAnswer as unknown as { verifyUrl: string }).verifyUrl}\n${officeAnswer.jws}`;
    expect((await t.http().post('/api/v1/certificates/verify').send({ jws: qrText }).expect(200)).body.status).toBe('valid');
    // altered payload (another content hash), forged signature, garbage
    const altered = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), sha256: '0'.repeat(64) })).toString('base64url');
    expect((await t.http().post('/api/v1/certificates/verify').send({ jws: `${h}.${altered}.${s}` }).expect(200)).body).toMatchObject({ status: 'invalid', certificate: null });
    const flipped = `${s.slice(0, -4)}${s.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    expect((await t.http().post('/api/v1/certificates/verify').send({ jws: `${h}.${p}.${flipped}` }).expect(200)).body.status).toBe('invalid');
    expect((await t.http().post('/api/v1/certificates/verify').send({ jws: 'a.b.c.d.e.f.g' }).expect(200)).body.status).toBe('invalid');
    await t.http().post('/api/v1/certificates/verify').send({}).expect(400);

    // revocation: admins only, with a reason; then verification says revoked
    await t.http().post(`/api/v1/admin/certificates/${officeAnswer.number}/revoke`).set(auth(manager1.token)).send({ reason: 'سند مخدوش' }).expect(403);
    await t.http().post(`/api/v1/admin/certificates/${officeAnswer.number}/revoke`).set(auth(admin.token)).send({}).expect(400);
    await t.http().post(`/api/v1/admin/certificates/9999-1-000000/revoke`).set(auth(admin.token)).send({ reason: 'سند مخدوش' }).expect(404);
    await t.http().post(`/api/v1/admin/certificates/${officeAnswer.number}/revoke`).set(auth(admin.token)).send({ reason: 'سند مخدوش' }).expect(200);
    expect((await t.http().post(`/api/v1/admin/certificates/${officeAnswer.number}/revoke`).set(auth(admin.token)).send({ reason: 'دوباره' }).expect(409)).body.code).toBe('CERTIFICATE_ALREADY_REVOKED');
    const revoked = (await t.http().get('/api/v1/certificates/verify').query({ number: officeAnswer.number, code: officeAnswer.verificationCode }).expect(200)).body;
    expect(revoked).toMatchObject({ status: 'revoked', certificate: { revocationReason: 'سند مخدوش' } });
    expect((await t.http().post('/api/v1/certificates/verify').send({ jws: officeAnswer.jws }).expect(200)).body.status).toBe('revoked');
  });

  it('notary inquiry: nothing due → site visit → inspector’s findings → answer by two managers', async () => {
    const created = await t
      .http()
      .post('/api/v1/inquiries')
      .set(auth(citizen.token))
      .send({ type: 'notary', renewalCode: notaryProperty.renewalCode, region: 1, lastRequestNumber: 'N-77', undertakingsVersion: 'notary-1404-01', undertakingsAccepted: true, notaryOfficeNumber: '125' })
      .expect(201);
    const id = created.body.id as string;
    await t.http().post(`/api/v1/inquiries/${id}/confirm`).set(auth(citizen.token)).expect(200);
    await upload(id, 'deed', await scanJpeg());
    await upload(id, 'national_card', await scanJpeg());
    const slots = (await t.http().get('/api/v1/inquiries/visit-slots').query({ region: 1 }).set(auth(citizen.token)).expect(200)).body;
    await t.http().post(`/api/v1/inquiries/${id}/visit`).set(auth(citizen.token)).send({ slotId: slots[0].slotId }).expect(200);
    await t.http().post(`/api/v1/inquiries/${id}/submit`).set(auth(citizen.token)).expect(200);

    await desk(manager1.token, 'post', `/${id}/claim`).expect(200);
    // a manager reassigns it to a clerk of the region; not to a clerk of another region
    expect((await desk(manager1.token, 'post', `/${id}/reassign`).send({ staffId: clerk2.id }).expect(400)).body.code).toBe('STAFF_NOT_ELIGIBLE');
    // nor to an inspector of the region (not a desk role) or to nobody
    expect((await desk(manager1.token, 'post', `/${id}/reassign`).send({ staffId: inspector1.id }).expect(400)).body.code).toBe('STAFF_NOT_ELIGIBLE');
    expect((await desk(manager1.token, 'post', `/${id}/reassign`).send({ staffId: '0193a8b2-7c4e-7d1a-9f00-1b2c3d4e5f60' }).expect(400)).body.code).toBe('STAFF_NOT_ELIGIBLE');
    await desk(clerk1.token, 'post', `/${id}/reassign`).send({ staffId: clerk1.id }).expect(403);
    expect((await desk(manager1.token, 'post', `/${id}/reassign`).send({ staffId: clerk1.id }).expect(200)).body.desk.claimedBy).toBe(clerk1.id);
    await desk(clerk1.token, 'post', `/${id}/review`).send({ documents: [{ kind: 'deed', verdict: 'accepted' }, { kind: 'national_card', verdict: 'accepted' }] }).expect(200);
    // the only debt is the tariff's notary inquiry fee; once paid the inquiry goes to its visit by itself
    const assessed = (await desk(clerk1.token, 'post', `/${id}/assess`).expect(200)).body;
    expect(assessed.inquiry.status).toBe('awaiting_payment');
    expect(assessed.desk.finances).toMatchObject({ settled: false, totalRials: 2_500_000, inquiryFeeRials: 2_500_000, bill: { amountRials: 2_500_000 } });
    const debts = (await t.http().get('/api/v1/debts').query({ renewalCode: notaryProperty.renewalCode }).expect(200)).body;
    expect(debts.items).toEqual([expect.objectContaining({ feeType: 'inquiry', amountRials: 2_500_000 })]);
    // assessing again adds no second fee
    expect((await desk(clerk1.token, 'post', `/${id}/assess`).expect(409)).body.code).toBe('INQUIRY_STATUS_CONFLICT');
    await payBillInSandbox(t, assessed.desk.finances.bill.billId);
    const scheduled = (await desk(clerk1.token, 'get', `/${id}`).expect(200)).body;
    expect(scheduled.inquiry.status).toBe('visit_scheduled');
    expect(scheduled.inquiry.history.at(-1)).toMatchObject({ from: 'awaiting_payment', to: 'visit_scheduled', by: 'system' });
    expect(scheduled.desk.finances).toMatchObject({ settled: true, paidBills: [expect.objectContaining({ amountRials: 2_500_000 })] });
    expect(await lastSms(citizen.mobile)).toContain('بازدید');
    expect((await desk(clerk1.token, 'post', `/${id}/answer`).send({}).expect(409)).body.code).toBe('INQUIRY_STATUS_CONFLICT');

    // the inspector's list of the day's visits
    const day = slots[0].slotId.split('-')[1] as string;
    const date = `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}`;
    const visits = (await t.http().get('/api/v1/desk/visits').query({ date }).set(auth(inspector1.token)).expect(200)).body;
    expect(visits).toEqual([expect.objectContaining({ id, renewalCode: notaryProperty.renewalCode, status: 'visit_scheduled' })]);
    expect((await t.http().get('/api/v1/desk/visits').query({ date }).set(auth(clerk2.token)).expect(200)).body).toEqual([]);
    // the same day typed in Jalali, Persian digits included, lists the same visits; a wrong date names both forms
    const j = toJalali(new Date(`${date}T12:00:00Z`));
    const jalaliDay = persianDigits(`${j.jy}/${String(j.jm).padStart(2, '0')}/${String(j.jd).padStart(2, '0')}`);
    expect((await t.http().get('/api/v1/desk/visits').query({ date: jalaliDay }).set(auth(inspector1.token)).expect(200)).body).toEqual(visits);
    const wrongDay = (await t.http().get('/api/v1/desk/visits').query({ date: '1405/13/01' }).set(auth(inspector1.token)).expect(400)).body;
    expect(wrongDay.errors).toEqual([expect.objectContaining({ field: 'date', code: 'isCalendarDay', message: expect.stringContaining('۱۴۰۵/۰۹/۱۵') })]);
    await desk(inspector1.token, 'post', `/${id}/visit-result`).send({ findings: '' }).expect(400);
    // before the booked slot's start the result is refused, saying when
    const early = (await desk(inspector1.token, 'post', `/${id}/visit-result`).send({ findings: 'ساختمان مطابق سوابق است.', matchesRecords: true }).expect(409)).body;
    expect(early.code).toBe('VISIT_NOT_STARTED');
    expect(early.visitStartsAtJalali).toMatch(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}$/);
    expect(early.detail ?? early.title).toMatch(/[۰-۹]{4}\/[۰-۹]{2}\/[۰-۹]{2}/);
    const earlyEn = (await desk(inspector1.token, 'post', `/${id}/visit-result`).set('Accept-Language', 'en').send({ findings: 'ساختمان مطابق سوابق است.', matchesRecords: true }).expect(409)).body;
    expect(earlyEn.detail).toContain(`from the booked slot’s start (${early.visitStartsAtJalali} Tehran time)`);
    expect(await status(id)).toBe('visit_scheduled');
    // the slot has begun (moved into the past, as if the clock had come to it)
    await t.sql(`update inquiry set visit_starts_at = now() - interval '1 minute' where id = $1`, [id]);
    // a PDF renamed .jpg is refused like a document upload; nothing is recorded
    await desk(inspector1.token, 'post', `/${id}/visit-result`)
      .field('findings', 'ساختمان مطابق سوابق است.')
      .field('matchesRecords', 'true')
      .attach('photos', Buffer.from('%PDF-1.4 not an image'), { filename: 'photo.jpg', contentType: 'image/jpeg' })
      .expect((r) => expect(r.status).toBeGreaterThanOrEqual(400));
    expect(await status(id)).toBe('visit_scheduled');
    const visited = (
      await desk(inspector1.token, 'post', `/${id}/visit-result`)
        .field('findings', 'ساختمان مطابق سوابق است.')
        .field('matchesRecords', 'true')
        .attach('photos', await scanJpeg(800, 600, { gps: true }), { filename: 'front.jpg', contentType: 'image/jpeg' })
        .expect(200)
    ).body;
    expect(visited.inquiry.status).toBe('visited');
    expect(visited.desk.visit).toMatchObject({ matchesRecords: true, photos: [expect.objectContaining({ url: expect.stringMatching(/^http/) })] });
    const photo = Buffer.from(await (await fetch(visited.desk.visit.photos[0].url)).arrayBuffer());
    expect(createHash('sha256').update(photo).digest('hex')).toBe(visited.desk.visit.photos[0].sha256);
    expect(photo.includes(Buffer.from('SpyPhone'))).toBe(false);

    // the same person cannot both prepare and approve
    await desk(manager1.token, 'post', `/${id}/answer`).send({}).expect(200);
    expect((await desk(manager1.token, 'post', `/${id}/answer/approve`).expect(403)).body.code).toBe('FOUR_EYES_REQUIRED');
    const approved = (await desk(manager1b.token, 'post', `/${id}/answer/approve`).expect(200)).body;
    expect(approved.inquiry.status).toBe('answered');
    const answer = (await t.http().get(`/api/v1/inquiries/${id}/answer`).set(auth(citizen.token)).expect(200)).body;
    expect(answer.content).toMatchObject({
      inquiryType: 'notary',
      addressee: { kind: 'notary', notaryOfficeNumber: '125' },
      visit: { findings: 'ساختمان مطابق سوابق است.', matchesRecords: true },
      finances: { settled: true, paidBills: [expect.objectContaining({ amountRials: 2_500_000 })], paidTotalRials: 2_500_000 },
      issuer: { preparedBy: 'desk.manager1', approvedBy: 'desk.manager1b' },
    });
    expect((await t.http().post('/api/v1/certificates/verify').send({ jws: answer.jws }).expect(200)).body.status).toBe('valid');
    // terminal: nothing more
    expect((await desk(clerk1.token, 'post', `/${id}/reject`).send({ reason: 'دیر شد' }).expect(409)).body.code).toBe('INQUIRY_STATUS_CONFLICT');
  });

  it('rejects with a reason (SMS, visit released), marks overdue reviews and tells the manager, and counts per region', async () => {
    const id = await submittedOffice();
    await desk(clerk1.token, 'post', `/${id}/reject`).send({ reason: 'x' }).expect(400);
    const rejected = (await desk(clerk1.token, 'post', `/${id}/reject`).send({ reason: 'مالکیت احراز نشد' }).expect(200)).body;
    expect(rejected.inquiry.status).toBe('rejected');
    expect(await lastSms(citizen.mobile)).toContain('مالکیت احراز نشد');

    // an overdue review: the SLA scan marks it once and tells region 1's managers
    const late = await submittedOffice();
    await t.sql(`update inquiry set review_due_at = now() - interval '2 hours' where id = $1`, [late]);
    await t.sql(`update staff_user set mobile = '09121770099' where id = $1`, [manager1.id]);
    const marked = await t.app.get(DeskSlaService).slaScan();
    expect(marked).toEqual([{ inquiryId: late, region: 1 }]);
    expect(await t.app.get(DeskSlaService).slaScan()).toEqual([]);
    expect(await lastSms('09121770099')).toContain('منطقه ۱');
    const overdue = (await t.http().get('/api/v1/desk/inquiries').query({ sla: 'overdue' }).set(auth(clerk1.token)).expect(200)).body;
    expect(overdue.items.map((i: { id: string }) => i.id)).toEqual([late]);
    expect(overdue.items[0].overdue).toBe(true);

    const stats = (await t.http().get('/api/v1/desk/stats').set(auth(manager1.token)).expect(200)).body;
    expect(stats.regions).toEqual([expect.objectContaining({ region: 1, answered: 2, overdue: 1 })]);
    expect(stats.regions[0].received).toBeGreaterThanOrEqual(4);
    expect(typeof stats.regions[0].medianReviewWorkingHours).toBe('number');
    expect((await t.http().get('/api/v1/desk/stats').set(auth(admin.token)).expect(200)).body.regions).toHaveLength(3);
    await t.http().get('/api/v1/desk/stats').set(auth(clerk1.token)).expect(403);
    await t.http().get('/api/v1/desk/stats').query({ from: '2026-13-01' }).set(auth(manager1.token)).expect(400);
  });
});
