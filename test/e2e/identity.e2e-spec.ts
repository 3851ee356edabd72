import { generateNationalId } from '@app/iran';
import { StaffRole } from '../../src/modules/membership/entities/staff-user.entity';
import { IdentityVerificationService } from '../../src/modules/membership/identity-verification.service';
import { inRegistry, lastCode, nationalId, registerCitizen } from '../helpers/citizen';
import { insertInquiryProperty } from '../helpers/inquiries';
import { orgClient } from '../helpers/org';
import { signedStaffToken } from '../helpers/staff';
import { createTestApp, TestApp } from '../helpers/test-app';

describe('Identity verification: sandbox registry and its admin endpoints', () => {
  let t: TestApp;
  let admin: string;
  let clerk: string;

  beforeAll(async () => {
    t = await createTestApp({ IDENTITY_CACHE_TTL_SECONDS: '600' });
    admin = (await signedStaffToken(t, { username: 'id-admin', roles: [StaffRole.Admin] })).token;
    clerk = (await signedStaffToken(t, { username: 'id-clerk', roles: [StaffRole.RegionClerk], regions: [1] })).token;
    // the first application of a run may migrate the embedded database
  }, 180_000);
  afterAll(() => t?.close());

  it('admins add, list, read, edit and remove people; answers follow the edits (cache forgotten); audited without names', async () => {
    const nationalId = generateNationalId(424242);
    const added = await t
      .http()
      .post('/api/v1/admin/identity-registry')
      .set('Authorization', `Bearer ${admin}`)
      .send({ nationalId, mobile: '۰۹۱۲۵۵۵۶۶۷۷', firstName: 'علي', lastName: 'كريمی', fatherName: 'حسن', birthDate: '1370/6/1' })
      .expect(201);
    expect(added.body).toMatchObject({ nationalId, mobile: '09125556677', firstName: 'علی', lastName: 'کریمی', birthDate: '1370/06/01', alive: true });

    const identity = t.app.get(IdentityVerificationService);
    const ctx = { purpose: 'registration' as const };
    await expect(identity.matchMobile(nationalId, '09125556677', ctx)).resolves.toEqual({ result: 'matched' });
    await expect(identity.matchMobile(nationalId, '09125556678', ctx)).resolves.toEqual({ result: 'not_matched' });
    await expect(identity.civilRecord(nationalId, '1370/06/01', ctx)).resolves.toMatchObject({ result: 'found', firstName: 'علی', alive: true });
    await expect(identity.civilRecord(nationalId, '1370/06/02', ctx)).resolves.toEqual({ result: 'not_found' });

    const list = await t.http().get('/api/v1/admin/identity-registry').query({ search: nationalId.slice(0, 6) }).set('Authorization', `Bearer ${admin}`).expect(200);
    expect(list.body.items.map((p: { nationalId: string }) => p.nationalId)).toContain(nationalId);
    expect(list.body.meta).toMatchObject({ page: 1, total: expect.any(Number) });
    await t.http().get(`/api/v1/admin/identity-registry/${nationalId}`).set('Authorization', `Bearer ${admin}`).expect(200);

    // a birth date typed in Gregorian is kept as the registry's Jalali YYYY/MM/DD
    const gregorian = await t.http().patch(`/api/v1/admin/identity-registry/${nationalId}`).set('Authorization', `Bearer ${admin}`).send({ birthDate: '1991-08-24' }).expect(200);
    expect(gregorian.body.birthDate).toBe('1370/06/02');
    const wrong = await t.http().patch(`/api/v1/admin/identity-registry/${nationalId}`).set('Authorization', `Bearer ${admin}`).send({ birthDate: '1991-13-01' }).expect(400);
    expect(wrong.body.errors).toEqual([expect.objectContaining({ field: 'birthDate', code: 'isCalendarDay' })]);
    await t.http().patch(`/api/v1/admin/identity-registry/${nationalId}`).set('Authorization', `Bearer ${admin}`).send({ birthDate: '1370-06-01' }).expect(200);
    await expect(identity.civilRecord(nationalId, '1370/06/01', ctx)).resolves.toMatchObject({ result: 'found' });
    await t.http().patch(`/api/v1/admin/identity-registry/${nationalId}`).set('Authorization', `Bearer ${admin}`).send({ mobile: null }).expect(200);
    // the cached "matched" is forgotten with the edit
    await expect(identity.matchMobile(nationalId, '09125556677', ctx)).resolves.toEqual({ result: 'not_matched' });

    const audit = await t.sql<{ action: string; metadata: Record<string, unknown>; after: unknown }>(
      `select action, metadata, after from audit_log where action like 'identity.%' order by at`,
    );
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['identity.registry.put', 'identity.registry.updated', 'identity.mobile_match', 'identity.civil_record']));
    const text = JSON.stringify(audit);
    expect(text).not.toContain('کریمی');
    expect(text).not.toContain('09125556677');
    expect(text).not.toContain(nationalId);
    expect(audit.filter((a) => a.action === 'identity.mobile_match').map((a) => a.metadata.result)).toEqual(['matched', 'not_matched', 'not_matched']);

    await t.http().delete(`/api/v1/admin/identity-registry/${nationalId}`).set('Authorization', `Bearer ${admin}`).expect(204);
    await t.http().get(`/api/v1/admin/identity-registry/${nationalId}`).set('Authorization', `Bearer ${admin}`).expect(404);
    await t.http().get('/api/v1/admin/identity-registry/12345').set('Authorization', `Bearer ${admin}`).expect(400);
  });

  it('only administrators reach the registry', async () => {
    await t.http().get('/api/v1/admin/identity-registry').set('Authorization', `Bearer ${clerk}`).expect(403);
    await t.http().get('/api/v1/admin/identity-registry').expect(401);
  });
});

/** A registration token for a fresh mobile (OTP flow). */
export async function registrationToken(t: TestApp, mobile: string): Promise<string> {
  await t.http().post('/api/v1/auth/otp').send({ mobile }).expect(202);
  const verified = await t.http().post('/api/v1/auth/otp/verify').send({ mobile, code: await lastCode(t, mobile) }).expect(200);
  return verified.body.registrationToken as string;
}

const person = { firstName: 'علی', lastName: 'محمدی', fatherName: 'حسن', birthDate: '1370/06/31' };

describe('Identity verification: registration verifies before it creates', () => {
  let t: TestApp;
  const citizens = async () => Number((await t.sql<{ n: string }>('select count(*) as n from citizen'))[0].n);

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it("another person's national ID with a fresh mobile is refused (IDENTITY_MOBILE_MISMATCH) and creates nothing", async () => {
    const owner = await registerCitizen(t, '09121310001');
    const before = await citizens();
    const token = await registrationToken(t, '09121310002');
    // the owner's account exists: verified, so its national ID can never be taken
    const taken = await t.http().post('/api/v1/auth/register').send({ registrationToken: token, nationalId: owner.profile.nationalId, ...person }).expect(409);
    expect(taken.body.code).toBe('NATIONAL_ID_ALREADY_REGISTERED');
    expect(taken.body.detail).toContain('میز خدمت');
    // a listed person without an account: the registry says the mobile is not theirs
    const victim = nationalId();
    await inRegistry(t, { nationalId: victim, mobile: '09121319999' });
    const refused = await t.http().post('/api/v1/auth/register').send({ registrationToken: token, nationalId: victim, ...person }).expect(422);
    expect(refused.body.code).toBe('IDENTITY_MOBILE_MISMATCH');
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'mobile' })]);
    expect(await citizens()).toBe(before);
  });

  it('names are compared with the civil record (letter forms, ZWNJ and spaces normalized), naming the field that differs without its value', async () => {
    const nid = nationalId();
    await inRegistry(t, { nationalId: nid, mobile: '09121310003', firstName: 'محمدرضا', lastName: 'کیانی', fatherName: 'علی', birthDate: '1368/01/05' });
    const token = await registrationToken(t, '09121310003');
    const wrong = await t
      .http()
      .post('/api/v1/auth/register')
      .send({ registrationToken: token, nationalId: nid, firstName: 'محمد رضا', lastName: 'کیانی', fatherName: 'حسین', birthDate: '1368/01/05' })
      .expect(422);
    expect(wrong.body.code).toBe('IDENTITY_RECORD_MISMATCH');
    expect(wrong.body.errors.map((e: { field: string }) => e.field)).toEqual(['fatherName']);
    expect(JSON.stringify(wrong.body)).not.toContain('علی');
    const noRecord = await t
      .http()
      .post('/api/v1/auth/register')
      .send({ registrationToken: token, nationalId: nid, firstName: 'محمدرضا', lastName: 'کیانی', fatherName: 'علی', birthDate: '1368/01/06' })
      .expect(422);
    expect(noRecord.body.code).toBe('IDENTITY_NOT_FOUND');
    expect(noRecord.body.errors[0].field).toBe('birthDate');
    const ok = await t
      .http()
      .post('/api/v1/auth/register')
      .send({ registrationToken: token, nationalId: nid, firstName: 'محمد\u200cرضا', lastName: 'كيانی', fatherName: 'علي', birthDate: '1368/1/5' })
      .expect(201);
    const [row] = await t.sql<{ identity_verified_by: string; identity_verified_at: Date | null }>('select identity_verified_by, identity_verified_at from citizen where id = $1', [ok.body.profile.id]);
    expect(row.identity_verified_by).toBe('registry');
    expect(row.identity_verified_at).not.toBeNull();
  });

  it('a birth date typed in Gregorian verifies against the registry as the Jalali one; a date in neither calendar is one field error naming both', async () => {
    const nid = nationalId();
    await inRegistry(t, { nationalId: nid, mobile: '09121310091', birthDate: '1368/01/05' });
    const token = await registrationToken(t, '09121310091');
    const register = (birthDate: unknown) => t.http().post('/api/v1/auth/register').send({ registrationToken: token, nationalId: nid, ...person, birthDate });
    // the day before in Gregorian is another day of the civil record: not found, as in Jalali
    const wrongDay = await register('1989-03-24').expect(422);
    expect(wrongDay.body.code).toBe('IDENTITY_NOT_FOUND');
    expect(wrongDay.body.errors).toEqual([expect.objectContaining({ field: 'birthDate' })]);
    for (const bad of ['1989-02-29', '1368/13/05', '25/03/1989', 19890325]) {
      const res = await register(bad).set('Accept-Language', 'en').expect(400);
      expect([bad, res.body.code, res.body.errors]).toEqual([
        bad,
        'VALIDATION_FAILED',
        [{ field: 'birthDate', code: 'isCalendarDay', message: expect.stringMatching(/^birthDate must be a date: Jalali YYYY\/MM\/DD .*or Gregorian YYYY-MM-DD such as 2026-12-06$/) }],
      ]);
    }
    const ok = await register('۱۹۸۹-۰۳-۲۵').expect(201);
    expect(ok.body.profile.birthDate).toBe('1368/01/05');
    const [row] = await t.sql<{ birth_date_jalali: string; birth_date: string }>(`select birth_date_jalali, to_char(birth_date, 'YYYY-MM-DD') as birth_date from citizen where id = $1`, [ok.body.profile.id]);
    expect(row).toEqual({ birth_date_jalali: '1368/01/05', birth_date: '1989-03-25' });
  });

  it('a deceased record is refused', async () => {
    const nid = nationalId();
    await inRegistry(t, { nationalId: nid, mobile: '09121310004', alive: false });
    const token = await registrationToken(t, '09121310004');
    const res = await t.http().post('/api/v1/auth/register').send({ registrationToken: token, nationalId: nid, ...person }).expect(422);
    expect(res.body).toMatchObject({ code: 'IDENTITY_RECORD_MISMATCH', errors: [expect.objectContaining({ field: 'nationalId', code: 'DECEASED' })] });
  });
});

describe('Identity verification: the registry unavailable', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ IDENTITY_SANDBOX_UNAVAILABLE: 'true', IDENTITY_RETRY_AFTER_SECONDS: '120' });
  });
  afterAll(() => t?.close());

  it('registration answers 503 IDENTITY_SERVICE_UNAVAILABLE with Retry-After and creates nothing', async () => {
    const nid = nationalId();
    await inRegistry(t, { nationalId: nid, mobile: '09121320001' });
    const token = await registrationToken(t, '09121320001');
    const res = await t.http().post('/api/v1/auth/register').send({ registrationToken: token, nationalId: nid, ...person }).expect(503);
    expect(res.body.code).toBe('IDENTITY_SERVICE_UNAVAILABLE');
    expect(res.headers['retry-after']).toBe('120');
    expect(await t.sql('select id from citizen')).toEqual([]);
  });
});

describe('Identity verification: members registered before it are unverified until they verify', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('signs in, but every owner-scoped path answers IDENTITY_NOT_VERIFIED until POST /me/identity/verify succeeds', async () => {
    const mobile = '09121330001';
    const member = await registerCitizen(t, mobile);
    // as a member registered before verification existed
    await t.sql('update citizen set identity_verified_at = null, identity_verified_by = null where id = $1', [member.profile.id]);
    const auth = { Authorization: `Bearer ${member.accessToken}` };

    const me = await t.http().get('/api/v1/me').set(auth).expect(200);
    expect(me.body.identity).toEqual({ verified: false, verifiedAt: null, method: null, nextStep: 'verify' });

    const closed: Array<[string, string]> = [
      ['get', '/api/v1/properties/search?nationalId=0499370899'],
      ['get', '/api/v1/properties/1-2-34-56-0-0-0/payments'],
      ['get', '/api/v1/guilds/G-1-000123/payments'],
      ['get', '/api/v1/inquiries'],
      ['post', '/api/v1/inquiries'],
      ['get', '/api/v1/inquiries/0193a8b2-7c4e-7d1a-9f00-1b2c3d4e5f60'],
      ['get', '/api/v1/inquiries/0193a8b2-7c4e-7d1a-9f00-1b2c3d4e5f60/answer'],
      ['get', '/api/v1/me/organization-requests'],
    ];
    for (const [method, path] of closed) {
      const res = await (method === 'get' ? t.http().get(path) : t.http().post(path).send({})).set(auth);
      expect([path, res.status, res.body.code]).toEqual([path, 403, 'IDENTITY_NOT_VERIFIED']);
    }

    // the registry now disagrees about the mobile: the retry is refused, still unverified
    await inRegistry(t, { nationalId: member.profile.nationalId, mobile: '09121339999' });
    const refused = await t.http().post('/api/v1/me/identity/verify').set(auth).expect(422);
    expect(refused.body.code).toBe('IDENTITY_MOBILE_MISMATCH');
    await inRegistry(t, { nationalId: member.profile.nationalId, mobile });
    const verified = await t.http().post('/api/v1/me/identity/verify').set(auth).expect(200);
    expect(verified.body.identity).toMatchObject({ verified: true, method: 'registry', nextStep: null });
    await t.http().get('/api/v1/inquiries').set(auth).expect(200);
    await t.http().get('/api/v1/me/organization-requests').set(auth).expect(200);
  });
});

describe('Identity verification: desk, squatting and organizations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ ORG_SMS_REQUESTS_PER_DAY: '2' });
  }, 180_000);
  afterAll(() => t?.close());
  const outbox = async (mobile: string) => (await t.sql<{ template: string }>('select template from sms_message where mobile = $1', [mobile])).map((r) => r.template);

  it('a clerk of another region is refused; a clerk of the desk region verifies in person (audited, SMS to the member)', async () => {
    const mobile = '09121340001';
    const member = await registerCitizen(t, mobile);
    await t.sql('update citizen set identity_verified_at = null, identity_verified_by = null where id = $1', [member.profile.id]);
    const clerk2 = (await signedStaffToken(t, { username: 'desk-r2', roles: [StaffRole.RegionClerk], regions: [2] })).token;
    const body = { nationalId: member.profile.nationalId, region: 1, cardSerial: '1a23456789', reason: 'شماره همراه به نام همسر است؛ کارت ملی رؤیت شد.' };
    const refused = await t.http().post('/api/v1/desk/identity-verifications').set('Authorization', `Bearer ${clerk2}`).send(body).expect(403);
    expect(refused.body.code).toBe('IDENTITY_DESK_REGION_FORBIDDEN');
    expect((await t.sql<{ v: Date | null }>('select identity_verified_at as v from citizen where id = $1', [member.profile.id]))[0].v).toBeNull();

    const clerk1 = (await signedStaffToken(t, { username: 'desk-r1', roles: [StaffRole.RegionClerk], regions: [1] })).token;
    const ok = await t.http().post('/api/v1/desk/identity-verifications').set('Authorization', `Bearer ${clerk1}`).send(body).expect(200);
    expect(ok.body.identity).toMatchObject({ verified: true, method: 'desk' });
    expect(await outbox(mobile)).toContain('identity_verified_desk');
    const [audit] = await t.sql<{ metadata: Record<string, unknown> }>(`select metadata from audit_log where action = 'citizen.identity.verified' and target_id = $1`, [member.profile.id]);
    expect(audit.metadata).toMatchObject({ method: 'desk', region: 1, cardSerial: '1A23456789' });
  });

  it('squatting: a verified claimant takes the national ID of an unverified account, which is suspended, signed out, its drafts cancelled and told by SMS', async () => {
    const squatterMobile = '09121340002';
    const squatter = await registerCitizen(t, squatterMobile);
    const nid = squatter.profile.nationalId;
    await t.sql('update citizen set identity_verified_at = null, identity_verified_by = null where id = $1', [squatter.profile.id]);
    // a draft of the squatter (the row as the inquiries module writes it)
    const property = await insertInquiryProperty(t, { region: 1, owners: [nid] });
    const [{ id: draftId }] = await t.sql<{ id: string }>(
      `insert into inquiry (id, type, status, citizen_id, property_id, renewal_code, region, applicant_role, undertakings_version, undertakings_accepted_at, snapshot, status_changed_at)
       values (gen_random_uuid(), 'office', 'draft', $1, $2, $3, 1, 'owner', 'v1', now(), '{}'::jsonb, now()) returning id`,
      [squatter.profile.id, property.id, property.renewalCode],
    );

    const ownerMobile = '09121340003';
    await inRegistry(t, { nationalId: nid, mobile: ownerMobile });
    const token = await registrationToken(t, ownerMobile);
    const owner = await t.http().post('/api/v1/auth/register').send({ registrationToken: token, nationalId: nid, ...person }).expect(201);
    expect(owner.body.profile).toMatchObject({ nationalId: nid, mobile: ownerMobile, identity: { verified: true } });

    const [old] = await t.sql<{ active: boolean; national_id: string }>('select active, national_id from citizen where id = $1', [squatter.profile.id]);
    expect(old).toEqual({ active: false, national_id: `suspended:${squatter.profile.id}` });
    const revoked = await t.http().get('/api/v1/me').set('Authorization', `Bearer ${squatter.accessToken}`);
    expect(revoked.status).toBe(401);
    await t.http().post('/api/v1/auth/refresh').send({ refreshToken: squatter.refreshToken }).expect(401);
    expect(await outbox(squatterMobile)).toContain('account_suspended_identity');
    expect((await t.sql<{ status: string }>('select status from inquiry where id = $1', [draftId]))[0].status).toBe('cancelled');
    expect((await t.sql(`select 1 from audit_log where action = 'citizen.suspended.national_id_claimed' and target_id = $1`, [squatter.profile.id])).length).toBe(1);

    // the verified owner's national ID can never be taken the same way
    const again = await registrationToken(t, '09121340004');
    const refused = await t.http().post('/api/v1/auth/register').send({ registrationToken: again, nationalId: nid, ...person }).expect(409);
    expect(refused.body.code).toBe('NATIONAL_ID_ALREADY_REGISTERED');
  });

  it('an organization inquiry with a mobile that is not the citizen’s sends no SMS; refused requests count towards the daily cap', async () => {
    const citizen = await registerCitizen(t, '09121340005');
    const property = await insertInquiryProperty(t, { region: 1, owners: [citizen.profile.nationalId], certificates: [{ kind: 'apartment_completion', requestNumber: '1-1402-000123', year: 1402, date: '2023-08-14' }] });
    const bank = await orgClient(t, 'بانک هویت (آزمون)', ['inquiries:read', 'inquiries:write']);
    const ask = (mobile: string) =>
      t.http().post('/api/v1/org/inquiries').set('Authorization', `Bearer ${bank.token}`).send({ nationalId: citizen.profile.nationalId, mobile, renewalCode: property.renewalCode, region: 1, letterNumber: '۱۲/ص', letterDate: '1404/08/20' });
    const mismatch = await ask('09121349999').expect(422);
    expect(mismatch.body.code).toBe('IDENTITY_MOBILE_MISMATCH');
    expect(await outbox('09121349999')).toEqual([]);
    expect((await t.sql('select id from org_inquiry_request')).length).toBe(0);
    await ask('09121340005').expect(201);
    // the cap (2 per day) counted the refused request
    const capped = await ask('09121340005').expect(429);
    expect(capped.body.code).toBe('RATE_LIMITED');
  });
});
