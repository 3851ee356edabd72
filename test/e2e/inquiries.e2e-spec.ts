import { formatJalali, isoDay, parseTypedDay, persianDigits } from '@app/iran';
import sharp from 'sharp';
import { CommonErrors } from '@app/common';
import { StaffRole } from '../../src/modules/membership/entities/staff-user.entity';
import { StorageService } from '../../src/modules/documents/storage.service';
import { InquiryStatus } from '../../src/modules/inquiries/domain/inquiry-status';
import { InquiryWorkflowService } from '../../src/modules/inquiries/inquiry-workflow.service';
import { isValidTrackingCode } from '../../src/modules/inquiries/domain/tracking-code';
import { registerCitizen } from '../helpers/citizen';
import { insertInquiryProperty, scanJpeg, scanPng, tinyPng } from '../helpers/inquiries';
import { signedStaffToken } from '../helpers/staff';
import { createTestApp, TestApp } from '../helpers/test-app';
import { runAll } from '../../src/database/sql';

const ORG = { kind: 'bank', name: 'بانک ملی ایران، شعبه مرکزی قزوین', letterNumber: '۱۲۳۴/ص', letterDate: '1404/08/20' };
const CERTS = [
  { kind: 'transfer', requestNumber: '1-1398-000045', year: 1398, date: '2019-06-01' },
  { kind: 'apartment_completion', requestNumber: '1-1402-000123', year: 1402, date: '2023-08-14' },
];

describe('inquiries: citizen side', () => {
  let t: TestApp;
  let owner: { token: string; nid: string };
  let other: { token: string; nid: string };
  let clerk1: string;
  let clerk2: string;
  let eligible: { id: string; renewalCode: string };
  let notaryProperty: { id: string; renewalCode: string };
  let noCertificates: { id: string; renewalCode: string };
  let guessed: { id: string; renewalCode: string };
  let storage: StorageService;

  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const draft = (p: { renewalCode: string }, extra: Record<string, unknown> = {}) => ({
    type: 'office',
    renewalCode: p.renewalCode,
    region: Number(p.renewalCode[0]),
    lastRequestNumber: '1-1402-000123',
    undertakingsVersion: 'office-1404-01',
    undertakingsAccepted: true,
    organization: ORG,
    ...extra,
  });
  const create = (token: string, body: Record<string, unknown>) => t.http().post('/api/v1/inquiries').set(auth(token)).send(body);
  const upload = (token: string, id: string, kind: string, bytes: Buffer, name = `${kind}.jpg`, type = 'image/jpeg') =>
    t.http().put(`/api/v1/inquiries/${id}/documents/${kind}`).set(auth(token)).attach('file', bytes, { filename: name, contentType: type });
  const objectKeyOf = async (id: string, kind: string) =>
    (await t.sql<{ object_key: string }>(`select object_key from inquiry_document where inquiry_id = $1 and kind = $2`, [id, kind]))[0]?.object_key;
  const confirmedDraft = async (body = draft(eligible)) => {
    const res = await create(owner.token, body).expect(201);
    await t.http().post(`/api/v1/inquiries/${res.body.id}/confirm`).set(auth(owner.token)).expect(200);
    return res.body.id as string;
  };

  beforeAll(async () => {
    t = await createTestApp({ DOCUMENT_UPLOAD_MAX_BYTES: String(1024 * 1024), TRACKING_RATE_LIMIT_PER_MINUTE: '12' });
    storage = t.app.get(StorageService);
    const a = await registerCitizen(t, '09121240001');
    const b = await registerCitizen(t, '09121240002');
    owner = { token: a.accessToken, nid: a.profile.nationalId };
    other = { token: b.accessToken, nid: b.profile.nationalId };
    clerk1 = (await signedStaffToken(t, { username: 'inq.clerk1', roles: [StaffRole.RegionClerk], regions: [1] })).token;
    clerk2 = (await signedStaffToken(t, { username: 'inq.clerk2', roles: [StaffRole.RegionClerk], regions: [2] })).token;
    eligible = await insertInquiryProperty(t, { region: 1, owners: [owner.nid, '0499370899'], certificates: CERTS });
    notaryProperty = await insertInquiryProperty(t, { region: 1, owners: [owner.nid], certificates: [{ kind: 'inquiry', requestNumber: 'N-77', year: 1401, date: '2022-05-05' }] });
    noCertificates = await insertInquiryProperty(t, { region: 2, owners: [owner.nid], certificates: [{ kind: 'building_permit', requestNumber: 'BP-1', year: 1400, date: '2021-01-01' }] });
    guessed = await insertInquiryProperty(t, { region: 1, owners: [owner.nid], certificates: CERTS.map((c) => ({ ...c, requestNumber: `G${c.requestNumber}` })) });
  });
  afterAll(() => t?.close());

  it('serves the versioned Persian undertakings publicly', async () => {
    const res = await t.http().get('/api/v1/inquiries/undertakings').query({ type: 'notary' }).expect(200);
    expect(res.body).toMatchObject({ type: 'notary', version: 'notary-1404-01' });
    expect(res.body.items.join(' ')).toMatch(/بازدید/);
    await t.http().get('/api/v1/inquiries/undertakings').query({ type: 'bank' }).expect(400);
  });

  it('answers every coded error of a draft', async () => {
    const code = async (body: Record<string, unknown>, status: number, token = owner.token) => (await create(token, body).expect(status)).body.code;
    expect(await code(draft(eligible, { undertakingsAccepted: false }), 400)).toBe('UNDERTAKINGS_NOT_ACCEPTED');
    expect(await code(draft(eligible, { undertakingsVersion: 'office-1300-01' }), 400)).toBe('UNDERTAKINGS_NOT_ACCEPTED');
    expect(await code(draft(eligible, { region: 2 }), 400)).toBe('REGION_MISMATCH');
    expect(await code(draft({ renewalCode: '1-7-999-999-0-0-0' }), 404)).toBe('PROPERTY_NOT_FOUND');
    expect(await code(draft(eligible, { organization: undefined }), 400)).toBe('INQUIRY_DETAILS_INVALID');
    expect(await code(draft(eligible), 403, other.token)).toBe('NOT_PROPERTY_OWNER');
    const notEligible = await create(owner.token, draft(noCertificates)).expect(422);
    expect(notEligible.body.code).toBe('NOT_ELIGIBLE');
    expect(notEligible.body.detail).toContain('02823322222');
    expect(notEligible.body.desk).toMatchObject({ region: 2, phones: expect.arrayContaining(['02823322222']) });
    await create(other.token, { ...draft(eligible), type: 'office', renewalCode: 'abc' }).expect(400);
  });

  it('takes the letter date in either calendar and keeps it as the Jalali date printed on the answer; one error naming the forms otherwise', async () => {
    for (const letterDate of ['2025-11-11', '1404-08-20', '۱۴۰۴/۸/۲۰']) {
      const res = await create(owner.token, draft(eligible, { organization: { ...ORG, letterDate } })).expect(201);
      expect([letterDate, res.body.organization.letterDate]).toEqual([letterDate, '1404/08/20']);
      const read = await t.http().get(`/api/v1/inquiries/${res.body.id}`).set(auth(owner.token)).expect(200);
      expect(read.body.organization).toMatchObject({ kind: ORG.kind, name: ORG.name, letterDate: '1404/08/20' });
    }
    for (const letterDate of ['1404/13/01', '2025-02-29', '11/11/2025', 20251111]) {
      const bad = await create(owner.token, draft(eligible, { organization: { ...ORG, letterDate } })).set('Accept-Language', 'en').expect(400);
      expect([letterDate, bad.body.errors]).toEqual([
        letterDate,
        [{ field: 'organization.letterDate', code: 'isCalendarDay', message: expect.stringMatching(/Jalali YYYY\/MM\/DD such as 1405\/09\/15.*Gregorian YYYY-MM-DD such as 2026-12-06/) }],
      ]);
    }
    const fa = await create(owner.token, draft(eligible, { organization: { ...ORG, letterDate: '1404/02/32' } })).expect(400);
    expect(fa.body.errors).toEqual([{ field: 'organization.letterDate', code: 'isCalendarDay', message: expect.stringMatching(/شمسی.*۱۴۰۵\/۰۹\/۱۵.*میلادی.*2026-12-06/) }]);
  });

  it('limits wrong last-request numbers to 5 per member, property and day', async () => {
    for (let i = 1; i <= 5; i++) {
      const res = await create(owner.token, draft(guessed, { lastRequestNumber: `WRONG-${i}` })).expect(400);
      expect(res.body).toMatchObject({ code: 'LAST_REQUEST_NUMBER_MISMATCH', attemptsLeft: 5 - i });
    }
    const blocked = await create(owner.token, draft(guessed, { lastRequestNumber: 'G1-1402-000123' })).expect(429);
    expect(blocked.body.code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // another property of the same member is not affected
    await create(owner.token, draft(eligible)).expect(201);
  });

  it('runs an office inquiry end to end: draft, confirm, documents, submit, SMS, tracking', async () => {
    const created = await create(owner.token, draft(eligible, { lastRequestNumber: '۱-۱۴۰۲-۰۰۰۱۲۳' })).expect(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({ type: 'office', status: 'draft', renewalCode: eligible.renewalCode, region: 1, trackingCode: null });
    expect(created.body.records.property).toMatchObject({ renewalCode: eligible.renewalCode, landArea: 300 });
    expect(created.body.records.owners.map((o: { nationalId: string }) => o.nationalId)).toContain(`${owner.nid.slice(0, 3)}****${owner.nid.slice(7)}`);
    expect(JSON.stringify(created.body)).not.toContain(owner.nid);
    expect(created.body.records.certificates[0]).toMatchObject({ kind: 'apartment_completion', requestNumber: '1-1402-000123' });
    expect(created.body.records.debts).toMatchObject({ settled: true, totalRials: 0, bill: null });
    expect(created.body.documents.filter((d: { required: boolean }) => d.required).map((d: { kind: string }) => d.kind)).toEqual([
      'deed',
      'national_card',
      'office_letter',
    ]);

    // documents need the confirmation first
    expect((await upload(owner.token, id, 'deed', await scanJpeg()).expect(409)).body.code).toBe('INQUIRY_NOT_CONFIRMED');
    const confirmed = await t.http().post(`/api/v1/inquiries/${id}/confirm`).set(auth(owner.token)).expect(200);
    expect(confirmed.body.confirmedAt).toBeTruthy();

    const deed = await upload(owner.token, id, 'deed', await scanJpeg(1800, 1400)).expect(200);
    expect(deed.body).toMatchObject({ kind: 'deed', contentType: 'image/jpeg' });
    expect(deed.body.size).toBeLessThanOrEqual(300 * 1024);
    expect(deed.body.sha256).toMatch(/^[0-9a-f]{64}$/);
    await upload(owner.token, id, 'national_card', await scanPng(), 'card.png', 'image/png').expect(200);
    expect((await upload(owner.token, id, 'power_of_attorney', await scanPng()).expect(400)).body.code).toBe('DOCUMENT_NOT_APPLICABLE');
    expect((await upload(owner.token, id, 'selfie', await scanPng()).expect(400)).body.code).toBe('DOCUMENT_KIND_INVALID');

    const incomplete = await t.http().post(`/api/v1/inquiries/${id}/submit`).set(auth(owner.token)).expect(422);
    expect(incomplete.body).toMatchObject({ code: 'INQUIRY_INCOMPLETE', missingDocuments: ['office_letter'], visitRequired: false });
    await upload(owner.token, id, 'office_letter', await scanJpeg()).expect(200);

    const submitted = await t.http().post(`/api/v1/inquiries/${id}/submit`).set(auth(owner.token)).expect(200);
    expect(submitted.body).toMatchObject({ status: 'submitted' });
    expect(isValidTrackingCode(submitted.body.trackingCode)).toBe(true);
    expect(new Date(submitted.body.reviewDueAt).getTime()).toBeGreaterThan(Date.now());
    expect(submitted.body.reviewDueAtJalali).toMatch(/^14\d\d\/\d\d\/\d\d \d\d:\d\d$/);
    const code = submitted.body.trackingCode as string;

    // the SMS went to the queue in the same transaction
    const [sms] = await t.sql<{ body: string; template: string }>(
      `select body, template from sms_message where mobile = '09121240001' order by created_at desc limit 1`,
    );
    expect(sms).toMatchObject({ template: 'inquiry_submitted' });
    expect(sms.body).toContain(persianDigits(code)); // SMS texts in Persian digits
    expect(sms.body).not.toMatch(/[0-9]/);
    // no organization asked for this inquiry: its status change queues no webhook job
    expect(await t.sql(`select id from job where queue = 'integration.inquiry-event' and payload->>'inquiryId' = $1`, [id])).toEqual([]);

    // a second submit is a status conflict
    expect((await t.http().post(`/api/v1/inquiries/${id}/submit`).set(auth(owner.token)).expect(409)).body.code).toBe('INQUIRY_STATUS_CONFLICT');
    // documents are frozen after submission
    await upload(owner.token, id, 'deed', await scanPng()).expect(409);

    const tracked = await t.http().get(`/api/v1/tracking/${code}`).expect(200);
    expect(tracked.body).toMatchObject({ trackingCode: code, status: 'submitted', step: 2, type: 'office', region: 1 });
    expect(tracked.body.next.code).toBe('wait');
    expect(JSON.stringify(tracked.body)).not.toMatch(new RegExp(`${owner.nid}|${eligible.renewalCode}|مالک`));
    const typo = code.slice(0, 5) + String((Number(code[5]) + 1) % 10) + code.slice(6);
    expect((await t.http().get(`/api/v1/tracking/${typo}`).expect(400)).body.code).toBe('TRACKING_CODE_INVALID');

    const mine = await t.http().get('/api/v1/inquiries').query({ status: 'submitted' }).set(auth(owner.token)).expect(200);
    expect(mine.body.items.map((i: { id: string }) => i.id)).toEqual([id]);
    expect((await t.http().get('/api/v1/inquiries').set(auth(other.token)).expect(200)).body.meta.total).toBe(0);

    const full = await t.http().get(`/api/v1/inquiries/${id}`).set(auth(owner.token)).expect(200);
    expect(full.body.history.map((h: { from: string | null; to: string }) => [h.from, h.to])).toEqual([
      [null, 'draft'],
      ['draft', 'submitted'],
    ]);
    expect(full.body.documents.every((d: { required: boolean; uploaded: boolean }) => !d.required || d.uploaded)).toBe(true);
    // a long file (many document and desk events) keeps its whole status history
    const workflow = t.app.get(InquiryWorkflowService);
    await runAll(
      t.orm.em.fork(),
      Array.from({ length: 250 }, (_, i) => workflow.event({ id, status: InquiryStatus.Submitted }, 'inquiry.document.viewed', { i })),
    );
    const long = await t.http().get(`/api/v1/inquiries/${id}`).set(auth(owner.token)).expect(200);
    expect(long.body.history.map((h: { from: string | null; to: string }) => [h.from, h.to])).toEqual([
      [null, 'draft'],
      ['draft', 'submitted'],
    ]);
    const audits = await t.sql<{ action: string }>(`select action from audit_log where target_type = 'inquiry' and target_id = $1`, [id]);
    expect(audits.map((a) => a.action)).toEqual(
      expect.arrayContaining(['inquiry.status_changed', 'inquiry.confirmed', 'inquiry.document.uploaded']),
    );

    // staff of the region see it and get a working presigned link; staff of another region do not
    await t.http().get(`/api/v1/inquiries/${id}`).set(auth(clerk1)).expect(200);
    await t.http().get(`/api/v1/inquiries/${id}`).set(auth(clerk2)).expect(404);
    const link = await t.http().get(`/api/v1/inquiries/${id}/documents/deed`).set(auth(clerk1)).expect(200);
    const fetched = await fetch(link.body.url);
    expect(fetched.status).toBe(200);
    expect((await sharp(Buffer.from(await fetched.arrayBuffer())).metadata()).format).toBe('jpeg');
    await t.http().get(`/api/v1/inquiries/${id}/documents/deed`).set(auth(clerk2)).expect(404);

    // another member: 404 for the inquiry, its documents and its links, never 403
    await t.http().get(`/api/v1/inquiries/${id}`).set(auth(other.token)).expect(404);
    await t.http().get(`/api/v1/inquiries/${id}/documents`).set(auth(other.token)).expect(404);
    await t.http().get(`/api/v1/inquiries/${id}/documents/deed`).set(auth(other.token)).expect(404);
    await upload(other.token, id, 'deed', await scanPng()).expect(404);
    await t.http().post(`/api/v1/inquiries/${id}/cancel`).set(auth(other.token)).send({}).expect(404);
    await t.http().get('/api/v1/inquiries/not-a-uuid').set(auth(owner.token)).expect(404);

    // cancel before review
    const cancelled = await t.http().post(`/api/v1/inquiries/${id}/cancel`).set(auth(owner.token)).send({ reason: 'دیگر لازم نیست' }).expect(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(cancelled.body.history.at(-1)).toMatchObject({ from: 'submitted', to: 'cancelled', reason: 'دیگر لازم نیست' });
    expect((await t.http().get(`/api/v1/tracking/${code}`).expect(200)).body.status).toBe('cancelled');
    await t.http().post(`/api/v1/inquiries/${id}/cancel`).set(auth(owner.token)).send({}).expect(409);
  });

  it('runs a notary inquiry end to end with a site visit; rebooking frees the old place', async () => {
    const body = draft(notaryProperty, { type: 'notary', organization: undefined, notaryOfficeNumber: '125', undertakingsVersion: 'notary-1404-01', lastRequestNumber: 'N-77' });
    const id = await confirmedDraft(body);
    await upload(owner.token, id, 'deed', await scanJpeg()).expect(200);
    await upload(owner.token, id, 'national_card', await scanJpeg()).expect(200);
    const incomplete = await t.http().post(`/api/v1/inquiries/${id}/submit`).set(auth(owner.token)).expect(422);
    expect(incomplete.body).toMatchObject({ missingDocuments: [], visitRequired: true });

    const slots = await t.http().get('/api/v1/inquiries/visit-slots').query({ region: 1 }).set(auth(owner.token)).expect(200);
    expect(slots.body.length).toBeGreaterThan(5);
    const [first, second] = slots.body;
    expect(first).toMatchObject({ region: 1, capacity: 2, remaining: 2 });
    expect(first.slotId).toMatch(/^1-\d{8}-\d{4}$/);
    await t.http().post(`/api/v1/inquiries/${id}/visit`).set(auth(owner.token)).send({ slotId: first.slotId }).expect(200);
    const moved = await t.http().post(`/api/v1/inquiries/${id}/visit`).set(auth(owner.token)).send({ slotId: second.slotId }).expect(200);
    expect(moved.body.visit).toMatchObject({ slotId: second.slotId });
    const after = await t.http().get('/api/v1/inquiries/visit-slots').query({ region: 1 }).set(auth(owner.token)).expect(200);
    const left = (slotId: string) => after.body.find((s: { slotId: string }) => s.slotId === slotId)?.remaining;
    expect(left(first.slotId)).toBe(2);
    expect(left(second.slotId)).toBe(1);
    // a slot outside the calendar, of another region, or malformed
    const friday = second.slotId.replace(/-(\d{4})$/, '-2300');
    expect((await t.http().post(`/api/v1/inquiries/${id}/visit`).set(auth(owner.token)).send({ slotId: friday }).expect(400)).body.code).toBe('VISIT_SLOT_INVALID');
    expect((await t.http().post(`/api/v1/inquiries/${id}/visit`).set(auth(owner.token)).send({ slotId: `2${second.slotId.slice(1)}` }).expect(400)).body.code).toBe('VISIT_SLOT_INVALID');
    await t.http().post(`/api/v1/inquiries/${id}/visit`).set(auth(owner.token)).send({ slotId: '../etc' }).expect(400);

    const submitted = await t.http().post(`/api/v1/inquiries/${id}/submit`).set(auth(owner.token)).expect(200);
    expect(isValidTrackingCode(submitted.body.trackingCode)).toBe(true);
    const tracked = await t.http().get(`/api/v1/tracking/${submitted.body.trackingCode}`).expect(200);
    expect(tracked.body).toMatchObject({ type: 'notary', status: 'submitted' });

    // an office inquiry cannot book a visit
    const officeId = await confirmedDraft();
    expect((await t.http().post(`/api/v1/inquiries/${officeId}/visit`).set(auth(owner.token)).send({ slotId: first.slotId }).expect(400)).body.code).toBe('VISIT_NOT_APPLICABLE');
  });

  it('lists visit slots from a day typed in either calendar; a day in neither is one field error naming both', async () => {
    const day = new Date(Date.now() + 5 * 86_400_000);
    const jalali = formatJalali(day); // the Tehran day, e.g. 1405/09/20
    const gregorian = isoDay(parseTypedDay(jalali)!);
    const slots = async (from: string) => (await t.http().get('/api/v1/inquiries/visit-slots').query({ region: 1, from }).set(auth(owner.token)).expect(200)).body as Array<{ slotId: string; startsAtJalali: string }>;
    const fromJalali = await slots(jalali);
    expect(fromJalali.length).toBeGreaterThan(0);
    expect(fromJalali.every((s) => s.startsAtJalali.slice(0, 10) >= jalali)).toBe(true);
    expect(fromJalali.every((s) => s.slotId.slice(2, 10) >= gregorian.replace(/-/g, ''))).toBe(true); // slot ids carry the Gregorian day
    expect(await slots(gregorian)).toEqual(fromJalali);
    expect(await slots(persianDigits(jalali.replace(/\//g, '-')))).toEqual(fromJalali);
    for (const from of ['1405/13/01', '2026-02-30', 'tomorrow']) {
      const bad = await t.http().get('/api/v1/inquiries/visit-slots').query({ region: 1, from }).set(auth(owner.token)).set('Accept-Language', 'en').expect(400);
      expect([from, bad.body.errors]).toEqual([from, [{ field: 'from', code: 'isCalendarDay', message: expect.stringContaining('Gregorian YYYY-MM-DD') }]]);
    }
  });

  it('lets an attorney inquire for an owner and then requires the power of attorney', async () => {
    const body = draft(eligible, { applicantRole: 'attorney', principalNationalId: '0499370899' });
    expect((await create(other.token, { ...body, principalNationalId: '0013542419' }).expect(403)).body.code).toBe('NOT_PROPERTY_OWNER');
    const res = await create(other.token, body).expect(201);
    expect(res.body.documents).toEqual(expect.arrayContaining([{ kind: 'power_of_attorney', required: true, uploaded: false, verdict: null, reason: null }]));
  });

  describe('uploads are validated by content', () => {
    let id: string;
    beforeAll(async () => {
      id = await confirmedDraft();
    });

    it('refuses a PDF renamed .jpg, an empty file, an oversize file and a missing file', async () => {
      const pdf = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n');
      expect((await upload(owner.token, id, 'deed', pdf, 'deed.jpg', 'image/jpeg').expect(415)).body.code).toBe('DOCUMENT_TYPE_NOT_ALLOWED');
      expect((await upload(owner.token, id, 'deed', Buffer.alloc(0), 'empty.jpg').expect(400)).body.code).toMatch(/DOCUMENT_EMPTY|DOCUMENT_REQUIRED/);
      const big = Buffer.concat([await scanJpeg(), Buffer.alloc(1024 * 1024)]);
      expect((await upload(owner.token, id, 'deed', big).expect(413)).body.code).toBe('PAYLOAD_TOO_LARGE');
      expect((await t.http().put(`/api/v1/inquiries/${id}/documents/deed`).set(auth(owner.token)).field('x', '1').expect(400)).body.code).toBe('DOCUMENT_REQUIRED');
      expect(await objectKeyOf(id, 'deed')).toBeUndefined();
    });

    it('re-encodes a PNG with a script appended: the stored object carries no script', async () => {
      const polyglot = Buffer.concat([await scanPng(), Buffer.from('<script>alert(document.cookie)</script>')]);
      const res = await upload(owner.token, id, 'national_card', polyglot, 'card.png', 'image/png').expect(200);
      const stored = await storage.get(await objectKeyOf(id, 'national_card'));
      expect(stored.includes(Buffer.from('<script>'))).toBe(false);
      expect((await sharp(stored).metadata()).format).toBe('jpeg');
      expect(res.body.size).toBe(stored.length);
    });

    it('keeps only a safe base name of a path-traversal file name and stores under a random key', async () => {
      const res = await upload(owner.token, id, 'birth_certificate', await scanPng(), '../../../etc/passwd.png', 'image/png').expect(200);
      expect(res.body.originalName).toBe('passwd.png');
      expect(await objectKeyOf(id, 'birth_certificate')).toMatch(/^documents\/\d{4}\/\d{2}\/[0-9a-f]{32}$/);
    });

    it('refuses a 64×48 national card with DOCUMENT_TOO_SMALL saying what to rescan and the minimum; a normal scan passes', async () => {
      const tiny = await upload(owner.token, id, 'national_card', await tinyPng(), 'card.png', 'image/png').expect(422);
      expect(tiny.body).toMatchObject({ code: 'DOCUMENT_TOO_SMALL', width: 64, height: 48, minWidth: 480, minHeight: 300, scanKind: 'card' });
      expect(tiny.body.detail ?? tiny.body.title).toContain('کارت ملی');
      expect(JSON.stringify(tiny.body)).toContain('۴۸۰×۳۰۰');
      // a page kind has the larger floor: a card-sized scan is too small for a deed page
      const page = await upload(owner.token, id, 'deed', await scanPng(600, 400)).expect(422);
      expect(page.body).toMatchObject({ code: 'DOCUMENT_TOO_SMALL', minWidth: 900, minHeight: 650, scanKind: 'page' });
      expect(JSON.stringify(page.body)).toContain('سند مالکیت');
      // a blank page is refused as illegible
      const blank = await sharp({ create: { width: 1000, height: 720, channels: 3, background: '#f4f4f4' } }).png().toBuffer();
      expect((await upload(owner.token, id, 'deed', blank, 'deed.png', 'image/png').expect(422)).body.code).toBe('DOCUMENT_ILLEGIBLE');
      // portrait or landscape alike
      await upload(owner.token, id, 'national_card', await scanPng(320, 500), 'card.png', 'image/png').expect(200);
    });

    it('stores a JPEG with GPS EXIF without any EXIF', async () => {
      const gps = await scanJpeg(900, 700, { gps: true });
      expect((await sharp(gps).metadata()).exif).toBeDefined();
      await upload(owner.token, id, 'deed', gps).expect(200);
      const stored = await storage.get(await objectKeyOf(id, 'deed'));
      const meta = await sharp(stored).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(stored.includes(Buffer.from('SpyPhone'))).toBe(false);
    });

    it('deletes the old object when a document is replaced', async () => {
      const before = await objectKeyOf(id, 'deed');
      await upload(owner.token, id, 'deed', await scanJpeg(950, 680)).expect(200);
      const after = await objectKeyOf(id, 'deed');
      expect(after).not.toBe(before);
      await expect(storage.get(before)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(storage.get(after)).resolves.toBeInstanceOf(Buffer);
    });

    it('leaves no orphan object when the database write fails, and no row when storage fails', async () => {
      const workflow = t.app.get(InquiryWorkflowService);
      const put = jest.spyOn(storage, 'put');
      // the audit entry, written after the document row in the same transaction, fails in the database
      const failing = jest.spyOn(workflow, 'event').mockImplementationOnce(() => ({ sql: 'select 1 / 0', params: [], read: () => undefined }));
      await upload(owner.token, id, 'office_letter', await scanPng()).expect(500);
      const orphanKey = put.mock.calls.at(-1)![0];
      await expect(storage.get(orphanKey)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(await objectKeyOf(id, 'office_letter')).toBeUndefined();
      failing.mockRestore();

      put.mockRejectedValueOnce(CommonErrors.STORAGE_UNAVAILABLE({ retryAfterSeconds: 10 }));
      expect((await upload(owner.token, id, 'office_letter', await scanPng()).expect(503)).body.code).toBe('STORAGE_UNAVAILABLE');
      expect(await objectKeyOf(id, 'office_letter')).toBeUndefined();
      put.mockRestore();
    });

    const clamavHost = process.env.CLAMAV_HOST;
    if (!clamavHost) {
      // eslint-disable-next-line no-console
      console.log('skipping the EICAR upload test: no ClamAV daemon (set CLAMAV_HOST/CLAMAV_PORT to run it)');
    }
    (clamavHost ? it : it.skip)('refuses EICAR when ClamAV runs', async () => {
      const scanned = await createTestApp({ CLAMAV_HOST: clamavHost!, CLAMAV_PORT: process.env.CLAMAV_PORT ?? '3310' });
      try {
        const a = await registerCitizen(scanned, '09121240009');
        const p = await insertInquiryProperty(scanned, { region: 1, owners: [a.profile.nationalId], certificates: CERTS });
        const res = await scanned.http().post('/api/v1/inquiries').set(auth(a.accessToken)).send(draft(p)).expect(201);
        await scanned.http().post(`/api/v1/inquiries/${res.body.id}/confirm`).set(auth(a.accessToken)).expect(200);
        const eicar = Buffer.from('X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*');
        const refused = await scanned
          .http()
          .put(`/api/v1/inquiries/${res.body.id}/documents/deed`)
          .set(auth(a.accessToken))
          .attach('file', eicar, { filename: 'deed.jpg', contentType: 'image/jpeg' })
          .expect(422);
        expect(refused.body.code).toBe('DOCUMENT_INFECTED');
      } finally {
        await scanned.close();
      }
    });
  });

  it('rate-limits public tracking per client IP', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) statuses.push((await t.http().get('/api/v1/tracking/123456789018')).status);
    expect(statuses).toContain(429);
    const limited = await t.http().get('/api/v1/tracking/123456789018').expect(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('refuses a deactivated member with a still-valid token: no draft, no submission', async () => {
    const m = await registerCitizen(t, '09121240003');
    const mine = await insertInquiryProperty(t, { region: 1, owners: [m.profile.nationalId], certificates: [{ kind: 'transfer', requestNumber: 'D-1403-9', year: 1403, date: '2024-05-01' }] });
    const res = await create(m.accessToken, draft(mine, { lastRequestNumber: 'D-1403-9' })).expect(201);
    await t.http().post(`/api/v1/inquiries/${res.body.id}/confirm`).set(auth(m.accessToken)).expect(200);
    await upload(m.accessToken, res.body.id, 'deed', await scanJpeg()).expect(200);
    await upload(m.accessToken, res.body.id, 'national_card', await scanJpeg()).expect(200);
    await upload(m.accessToken, res.body.id, 'office_letter', await scanJpeg()).expect(200);
    await t.sql(`update citizen set active = false where id = $1`, [m.profile.id]);
    // refused by the guard, which reads the member's state on each request (TOKEN_REVOKED)
    expect((await create(m.accessToken, draft(mine, { lastRequestNumber: 'D-1403-9' })).expect(401)).body.code).toBe('TOKEN_REVOKED');
    expect((await t.http().post(`/api/v1/inquiries/${res.body.id}/submit`).set(auth(m.accessToken)).expect(401)).body.code).toBe('TOKEN_REVOKED');
    expect(await t.sql(`select status, tracking_code from inquiry where citizen_id = $1`, [m.profile.id])).toEqual([{ status: 'draft', tracking_code: null }]);
    expect(await t.sql(`select id from sms_message where mobile = '09121240003' and template = 'inquiry_submitted'`)).toEqual([]);
  });

  it('needs a member token: anonymous 401, staff cannot create', async () => {
    await t.http().post('/api/v1/inquiries').send(draft(eligible)).expect(401);
    await t.http().post('/api/v1/inquiries').set(auth(clerk1)).send(draft(eligible)).expect(403);
    await t.http().get('/api/v1/inquiries/visit-slots').query({ region: 1 }).expect(401);
  });
});
