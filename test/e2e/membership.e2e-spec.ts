import { normalizeDigits } from '@app/iran';
import { StaffRole } from '../../src/modules/membership/entities/staff-user.entity';
import { inRegistry, lastCode, nationalId, registerCitizen } from '../helpers/citizen';
import { signedStaffToken } from '../helpers/staff';
import { createTestApp, TestApp } from '../helpers/test-app';

describe('citizen membership: SMS code, registration, sessions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('answers a code request identically for members and non-members, with Persian digits', async () => {
    await registerCitizen(t, '09121110001');
    await t.sql(`update otp_challenge set created_at = now() - interval '2 minutes'`);
    const member = await t.http().post('/api/v1/auth/otp').send({ mobile: '۰۹۱۲۱۱۱۰۰۰۱' }).expect(202);
    const stranger = await t.http().post('/api/v1/auth/otp').send({ mobile: '+98 912 111 0002' }).expect(202);
    expect(member.body).toEqual({ expiresInSeconds: 120, resendAfterSeconds: 60 });
    expect(stranger.body).toEqual(member.body);
    expect(Object.keys(stranger.headers).sort()).toEqual(Object.keys(member.headers).sort());
    const [row] = await t.sql<{ code_hash: string; body: string }>(
      `select c.code_hash, m.body from otp_challenge c join sms_message m on m.mobile = c.mobile where c.mobile = '09121110002'`,
    );
    const code = /(\d{6})/.exec(normalizeDigits(row.body))![1];
    expect(row.code_hash).not.toContain(code); // only a keyed hash is stored
    expect(row.code_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a resend inside the cooldown with 429 and Retry-After', async () => {
    await t.http().post('/api/v1/auth/otp').send({ mobile: '09121110003' }).expect(202);
    const again = await t.http().post('/api/v1/auth/otp').send({ mobile: '09121110003' }).expect(429);
    expect(again.body.code).toBe('OTP_RESEND_TOO_SOON');
    const retry = Number(again.headers['retry-after']);
    expect(retry).toBeGreaterThan(50);
    expect(retry).toBeLessThanOrEqual(60);
  });

  it('sends one code to concurrent requests for one number; the others are told to wait', async () => {
    const mobile = '09121110041';
    const answers = await Promise.all(Array.from({ length: 6 }, () => t.http().post('/api/v1/auth/otp').send({ mobile })));
    expect(answers.map((r) => r.status).sort()).toEqual([202, 429, 429, 429, 429, 429]);
    expect(answers.filter((r) => r.status === 429).every((r) => r.body.code === 'OTP_RESEND_TOO_SOON')).toBe(true);
    expect(await t.sql(`select 1 from otp_challenge where mobile = $1`, [mobile])).toHaveLength(1);
    expect(await t.sql(`select 1 from sms_message where mobile = $1`, [mobile])).toHaveLength(1);
  });

  it('counts wrong codes: attemptsLeft 4…0, then the 6th try is OTP_LOCKED even with the right code', async () => {
    const mobile = '09121110004';
    await t.http().post('/api/v1/auth/otp').send({ mobile }).expect(202);
    const code = await lastCode(t, mobile);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let left = 4; left >= 0; left--) {
      const res = await t.http().post('/api/v1/auth/otp/verify').send({ mobile, code: wrong }).expect(400);
      expect(res.body).toMatchObject({ code: 'OTP_INVALID', attemptsLeft: left });
    }
    const locked = await t.http().post('/api/v1/auth/otp/verify').send({ mobile, code }).expect(429);
    expect(locked.body.code).toBe('OTP_LOCKED');
  });

  it('under concurrent verifies counts every wrong try once, never past the limit, and consumes a right code once', async () => {
    const mobile = '09121110016';
    await t.http().post('/api/v1/auth/otp').send({ mobile }).expect(202);
    const code = await lastCode(t, mobile);
    const wrong = code === '000000' ? '111111' : '000000';
    const guesses = await Promise.all(
      Array.from({ length: 12 }, () => t.http().post('/api/v1/auth/otp/verify').send({ mobile, code: wrong })),
    );
    const statuses = guesses.map((r) => r.body.code).sort();
    expect(statuses.filter((c) => c === 'OTP_INVALID')).toHaveLength(5);
    expect(statuses.filter((c) => c === 'OTP_LOCKED')).toHaveLength(7);
    expect(guesses.filter((r) => r.body.code === 'OTP_INVALID').map((r) => r.body.attemptsLeft).sort()).toEqual([0, 1, 2, 3, 4]);
    const [row] = await t.sql<{ attempts: number }>(`select attempts from otp_challenge where mobile = $1`, [mobile]);
    expect(row.attempts).toBe(5);

    const other = '09121110017';
    await t.http().post('/api/v1/auth/otp').send({ mobile: other }).expect(202);
    const right = await lastCode(t, other);
    const tries = await Promise.all(Array.from({ length: 8 }, () => t.http().post('/api/v1/auth/otp/verify').send({ mobile: other, code: right })));
    expect(tries.filter((r) => r.status === 200 && r.body.status === 'registration_required')).toHaveLength(1);
    expect(tries.filter((r) => r.status !== 200).every((r) => r.body.code === 'OTP_EXPIRED')).toBe(true);
  });

  it('answers OTP_EXPIRED after 120 seconds and when no code was sent', async () => {
    const mobile = '09121110005';
    await t.http().post('/api/v1/auth/otp').send({ mobile }).expect(202);
    const code = await lastCode(t, mobile);
    await t.sql(`update otp_challenge set expires_at = now() - interval '1 second' where mobile = $1`, [mobile]);
    const res = await t.http().post('/api/v1/auth/otp/verify').send({ mobile, code }).expect(400);
    expect(res.body.code).toBe('OTP_EXPIRED');
    const none = await t.http().post('/api/v1/auth/otp/verify').send({ mobile: '09121119999', code: '123456' }).expect(400);
    expect(none.body.code).toBe('OTP_EXPIRED');
  });

  it('registers a new number (Persian-digit code works) and signs a member in', async () => {
    const mobile = '09121110006';
    await t.http().post('/api/v1/auth/otp').send({ mobile }).expect(202);
    const code = await lastCode(t, mobile);
    const persianCode = code.replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]);
    const verified = await t.http().post('/api/v1/auth/otp/verify').send({ mobile, code: persianCode }).expect(200);
    expect(verified.body).toEqual({ status: 'registration_required', registrationToken: expect.any(String) });
    // the registration token is not an access token
    await t.http().get('/api/v1/me').set('Authorization', `Bearer ${verified.body.registrationToken}`).expect(401);

    const nid = nationalId();
    // the registry's spelling differs in letter forms and spacing only: the registration verifies
    await inRegistry(t, { nationalId: nid, mobile, firstName: 'فاطمه', lastName: 'کریمی', fatherName: 'رضا', birthDate: '1375/02/10' });
    const reg = await t
      .http()
      .post('/api/v1/auth/register')
      .send({
        registrationToken: verified.body.registrationToken,
        nationalId: nid.replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]),
        firstName: 'فاطمه',
        lastName: 'كريمي',
        fatherName: 'رضا',
        birthDate: '۱۳۷۵/۰۲/۱۰',
      })
      .expect(201);
    expect(reg.body).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: 900,
      profile: { mobile, nationalId: nid, lastName: 'کریمی', birthDate: '1375/02/10' },
    });
    const me = await t.http().get('/api/v1/me').set('Authorization', `Bearer ${reg.body.accessToken}`).expect(200);
    expect(me.body.nationalId).toBe(nid);
    const patched = await t
      .http()
      .patch('/api/v1/me')
      .set('Authorization', `Bearer ${reg.body.accessToken}`)
      .send({ email: 'f.karimi@example.com' })
      .expect(200);
    expect(patched.body.email).toBe('f.karimi@example.com');

    await t.sql(`update otp_challenge set created_at = now() - interval '2 minutes' where mobile = $1`, [mobile]);
    await t.http().post('/api/v1/auth/otp').send({ mobile }).expect(202);
    const login = await t.http().post('/api/v1/auth/otp/verify').send({ mobile, code: await lastCode(t, mobile) }).expect(200);
    expect(login.body).toMatchObject({ status: 'authenticated', accessToken: expect.any(String), refreshToken: expect.stringMatching(/^rt_/) });
  });

  it('refuses the login of a deactivated member with the right code (403) and consumes the code', async () => {
    const mobile = '09121110031';
    await registerCitizen(t, mobile);
    await t.sql(`update citizen set active = false where mobile = $1`, [mobile]);
    await t.sql(`update otp_challenge set created_at = now() - interval '2 minutes' where mobile = $1`, [mobile]);
    await t.http().post('/api/v1/auth/otp').send({ mobile }).expect(202);
    const code = await lastCode(t, mobile);
    const refused = await t.http().post('/api/v1/auth/otp/verify').send({ mobile, code }).expect(403);
    expect(refused.body.code).toBe('FORBIDDEN');
    // never "registration_required" (that would offer a second account for the number), and the code is spent
    const again = await t.http().post('/api/v1/auth/otp/verify').send({ mobile, code }).expect(400);
    expect(again.body.code).toBe('OTP_EXPIRED');
  });

  it('rejects an invalid national ID with a field error, and duplicates with coded 409s', async () => {
    const mobile = '09121110007';
    await t.http().post('/api/v1/auth/otp').send({ mobile }).expect(202);
    const verified = await t.http().post('/api/v1/auth/otp/verify').send({ mobile, code: await lastCode(t, mobile) }).expect(200);
    const base = { registrationToken: verified.body.registrationToken, firstName: 'علی', lastName: 'رضایی', fatherName: 'حسین', birthDate: '1360/01/15' };
    const bad = await t.http().post('/api/v1/auth/register').send({ ...base, nationalId: '0499370898' }).expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'nationalId', code: 'isNationalId' })]);
    const repeated = await t.http().post('/api/v1/auth/register').send({ ...base, nationalId: '1111111111' }).expect(400);
    expect(repeated.body.errors[0].field).toBe('nationalId');
    const badDate = await t.http().post('/api/v1/auth/register').send({ ...base, nationalId: nationalId(), birthDate: '1360/13/01' }).expect(400);
    expect(badDate.body.errors).toEqual([expect.objectContaining({ field: 'birthDate', code: 'isCalendarDay', message: expect.stringContaining('2026-12-06') })]);

    const taken = await registerCitizen(t, '09121110008');
    const dupNid = await t.http().post('/api/v1/auth/register').send({ ...base, nationalId: taken.profile.nationalId }).expect(409);
    expect(dupNid.body.code).toBe('NATIONAL_ID_ALREADY_REGISTERED');
    const listed = nationalId();
    await inRegistry(t, { nationalId: listed, mobile, firstName: 'علی', lastName: 'رضایی', fatherName: 'حسین', birthDate: '1360/01/15' });
    await t.http().post('/api/v1/auth/register').send({ ...base, nationalId: listed }).expect(201);
    const dupMobile = await t.http().post('/api/v1/auth/register').send({ ...base, nationalId: nationalId() }).expect(409);
    expect(dupMobile.body.code).toBe('MOBILE_ALREADY_REGISTERED');
    const forged = await t.http().post('/api/v1/auth/register').send({ ...base, registrationToken: 'x'.repeat(40), nationalId: nationalId() }).expect(401);
    expect(forged.body.code).toBe('REGISTRATION_TOKEN_INVALID');
  });

  it('rotates refresh tokens and revokes the whole family when an old one is reused', async () => {
    const { refreshToken: first } = await registerCitizen(t, '09121110009');
    const second = await t.http().post('/api/v1/auth/refresh').send({ refreshToken: first }).expect(200);
    expect(second.body.refreshToken).not.toBe(first);
    const third = await t.http().post('/api/v1/auth/refresh').send({ refreshToken: second.body.refreshToken }).expect(200);
    const reuse = await t.http().post('/api/v1/auth/refresh').send({ refreshToken: first }).expect(401);
    expect(reuse.body.code).toBe('REFRESH_TOKEN_REUSED');
    // the newest token of the family is dead too
    const after = await t.http().post('/api/v1/auth/refresh').send({ refreshToken: third.body.refreshToken }).expect(401);
    expect(after.body.code).toBe('REFRESH_TOKEN_INVALID');
    const [audit] = await t.sql(`select 1 from audit_log where action = 'auth.refresh.reuse_detected'`);
    expect(audit).toBeDefined();
  });

  it('logs out by revoking the session', async () => {
    const { refreshToken } = await registerCitizen(t, '09121110010');
    await t.http().post('/api/v1/auth/logout').send({ refreshToken }).expect(204);
    await t.http().post('/api/v1/auth/refresh').send({ refreshToken }).expect(401);
    await t.http().post('/api/v1/auth/logout').send({ refreshToken }).expect(204);
  });

  it('never writes codes, tokens or passwords to the audit log', async () => {
    const dump = JSON.stringify(await t.sql(`select * from audit_log`));
    expect(dump).not.toMatch(/rt_[A-Za-z0-9_-]{20}/);
    const codes = (await t.sql<{ body: string }>(`select body from sms_message`)).map((r) => /(\d{6})/.exec(normalizeDigits(r.body))![1]);
    for (const code of codes) expect(dump).not.toContain(`"${code}"`);
  });
});

describe('OTP hourly caps', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ OTP_RESEND_COOLDOWN_SECONDS: '0', OTP_MAX_PER_IP_PER_HOUR: '8' });
  });
  afterAll(() => t?.close());

  it('allows 5 codes per number per hour, then 429 with Retry-After', async () => {
    for (let i = 0; i < 5; i++) await t.http().post('/api/v1/auth/otp').send({ mobile: '09351110001' }).expect(202);
    const res = await t.http().post('/api/v1/auth/otp').send({ mobile: '09351110001' }).expect(429);
    expect(res.body.code).toBe('OTP_TOO_MANY_REQUESTS');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(3000);
  });

  it('caps codes per client IP across numbers', async () => {
    // 5 above + 3 here = 8 = the IP limit of this app
    for (let i = 2; i <= 4; i++) await t.http().post('/api/v1/auth/otp').send({ mobile: `0935111000${i}` }).expect(202);
    const res = await t.http().post('/api/v1/auth/otp').send({ mobile: '09351110009' }).expect(429);
    expect(res.body.code).toBe('OTP_TOO_MANY_REQUESTS');
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    // the refusal wrote nothing: no challenge, no SMS, no job, and the IP's count stays at the cap
    expect(await t.sql(`select 1 from otp_challenge where mobile = $1`, ['09351110009'])).toHaveLength(0);
    expect(await t.sql(`select 1 from sms_message where mobile = $1`, ['09351110009'])).toHaveLength(0);
    const [ip] = await t.sql<{ count: number }>(`select sum(count)::int as count from rate_limit_counter where key like 'otp:ip:%'`);
    expect(ip.count).toBe(8);
    const [jobs] = await t.sql<{ n: number }>(`select count(*)::int as n from job where queue = 'sms.send'`);
    expect(jobs.n).toBe(8);
  });
});

describe('OTP code checks per client IP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ OTP_VERIFY_MAX_PER_IP_PER_HOUR: '3' });
  });
  afterAll(() => t?.close());

  it('refuses the 4th check of the hour with 429 RATE_LIMITED before looking at the code, which stays usable', async () => {
    const mobile = '09351110061';
    await t.http().post('/api/v1/auth/otp').send({ mobile }).expect(202);
    const code = await lastCode(t, mobile);
    const wrong = code === '000000' ? '111111' : '000000';
    for (const left of [4, 3, 2]) {
      const res = await t.http().post('/api/v1/auth/otp/verify').send({ mobile, code: wrong }).expect(400);
      expect(res.body).toMatchObject({ code: 'OTP_INVALID', attemptsLeft: left });
    }
    const limited = await t.http().post('/api/v1/auth/otp/verify').send({ mobile, code }).expect(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    // neither consumed nor counted as a wrong try
    const [row] = await t.sql<{ attempts: number; consumed_at: Date | null }>(`select attempts, consumed_at from otp_challenge where mobile = $1`, [mobile]);
    expect(row).toEqual({ attempts: 3, consumed_at: null });
    // every check counted, the refused one included
    const [ip] = await t.sql<{ count: number }>(`select sum(count)::int as count from rate_limit_counter where key like 'otp-verify:ip:%'`);
    expect(ip.count).toBe(4);
    // the next window (simulated) accepts the right code
    await t.sql(`delete from rate_limit_counter where key like 'otp-verify:ip:%'`);
    const ok = await t.http().post('/api/v1/auth/otp/verify').send({ mobile, code }).expect(200);
    expect(ok.body.status).toBe('registration_required');
  });
});

describe('OTP hourly cap under concurrent requests', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ OTP_RESEND_COOLDOWN_SECONDS: '0' });
  });
  afterAll(() => t?.close());

  it('sends exactly 5 codes to 9 concurrent requests for one number, and counts only those against the IP', async () => {
    const mobile = '09351110051';
    const answers = await Promise.all(Array.from({ length: 9 }, () => t.http().post('/api/v1/auth/otp').send({ mobile })));
    expect(answers.map((r) => r.status).sort()).toEqual([202, 202, 202, 202, 202, 429, 429, 429, 429]);
    expect(answers.filter((r) => r.status === 429).every((r) => r.body.code === 'OTP_TOO_MANY_REQUESTS')).toBe(true);
    expect(await t.sql(`select 1 from otp_challenge where mobile = $1`, [mobile])).toHaveLength(5);
    const [ip] = await t.sql<{ count: number }>(`select sum(count)::int as count from rate_limit_counter where key like 'otp:ip:%'`);
    expect(ip.count).toBe(5);
  });
});

describe('staff: second factor, administration, region scoping', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await createTestApp();
    admin = (await signedStaffToken(t, { username: 'root', roles: [StaffRole.Admin] })).token;
  });
  afterAll(() => t?.close());
  const auth = () => ({ Authorization: `Bearer ${admin}` });

  it('creates staff with roles and regions (validated, audited)', async () => {
    const res = await t
      .http()
      .post('/api/v1/admin/staff')
      .set(auth())
      .send({ username: 'Manager.R1', password: 'manager-password-1', fullName: 'مدیر منطقه یک', mobile: '۰۹۱۲۰۰۰۰۱۰۱', roles: ['region_manager'], regions: [1] })
      .expect(201);
    expect(res.body).toMatchObject({ username: 'manager.r1', roles: ['region_manager'], regions: [1], mobile: '0912***0101' });
    await t
      .http()
      .post('/api/v1/admin/staff')
      .set(auth())
      .send({ username: 'clerk.r2', password: 'clerk-password-22', fullName: 'کارشناس منطقه دو', roles: ['region_clerk'], regions: [2] })
      .expect(201);
    const noRegion = await t
      .http()
      .post('/api/v1/admin/staff')
      .set(auth())
      .send({ username: 'clerk.x', password: 'clerk-password-22', fullName: 'بدون منطقه', roles: ['region_clerk'] })
      .expect(400);
    expect(noRegion.body.code).toBe('STAFF_REGIONS_INVALID');
    const noMobile = await t
      .http()
      .post('/api/v1/admin/staff')
      .set(auth())
      .send({ username: 'finance.r1', password: 'finance-password-1', fullName: 'کارشناس مالی', roles: ['finance_officer'], regions: [1] })
      .expect(409);
    expect(noMobile.body.code).toBe('STAFF_MOBILE_REQUIRED');
    const badMobile = await t
      .http()
      .post('/api/v1/admin/staff')
      .set(auth())
      .send({ username: 'finance.r1', password: 'finance-password-1', fullName: 'کارشناس مالی', mobile: '02833338888', roles: ['finance_officer'], regions: [1] })
      .expect(400);
    expect(badMobile.body.errors[0]).toMatchObject({ field: 'mobile', code: 'isIranMobile' });
    const dup = await t
      .http()
      .post('/api/v1/admin/staff')
      .set(auth())
      .send({ username: 'CLERK.R2', password: 'clerk-password-22', fullName: 'تکراری', roles: ['region_clerk'], regions: [2] })
      .expect(409);
    expect(dup.body.code).toBe('STAFF_USERNAME_TAKEN');
  });

  it('asks roles that change money or answers for an SMS second factor', async () => {
    const step1 = await t.http().post('/api/v1/staff/auth/login').send({ username: 'manager.r1', password: 'manager-password-1' }).expect(200);
    expect(step1.body).toMatchObject({ status: 'second_factor_required', sentTo: '0912***0101', challengeId: expect.any(String) });
    expect(step1.body.accessToken).toBeUndefined();
    const wrong = await t.http().post('/api/v1/staff/auth/verify').send({ challengeId: step1.body.challengeId, code: '000000' });
    expect([400]).toContain(wrong.status);
    const code = await lastCode(t, '09120000101');
    const step2 = await t.http().post('/api/v1/staff/auth/verify').send({ challengeId: step1.body.challengeId, code }).expect(200);
    expect(step2.body).toMatchObject({ status: 'authenticated', roles: ['region_manager'], regions: [1] });
    // a code works once
    await t.http().post('/api/v1/staff/auth/verify').send({ challengeId: step1.body.challengeId, code }).expect(400);
  });

  it('signs a clerk in with the password alone, and scopes it to its region', async () => {
    const login = await t.http().post('/api/v1/staff/auth/login').send({ username: 'clerk.r2', password: 'clerk-password-22' }).expect(200);
    expect(login.body.status).toBe('authenticated');
    const clerk = { Authorization: `Bearer ${login.body.accessToken}` };
    const own = await t.http().get('/api/v1/desk/regions/2/team').set(clerk).expect(200);
    expect(own.body.map((s: { username: string }) => s.username)).toEqual(['clerk.r2']);
    const other = await t.http().get('/api/v1/desk/regions/1/team').set(clerk).expect(404);
    expect(other.body.code).toBe('NOT_FOUND');
    await t.http().get('/api/v1/admin/staff').set(clerk).expect(403);
    const all = await t.http().get('/api/v1/desk/regions/1/team').set(auth()).expect(200);
    expect(all.body.map((s: { username: string }) => s.username)).toEqual(['manager.r1']);
  });

  it('ends sessions when an admin changes roles or disables an account, and audits it', async () => {
    const login = await t.http().post('/api/v1/staff/auth/login').send({ username: 'clerk.r2', password: 'clerk-password-22' }).expect(200);
    const list = await t.http().get('/api/v1/admin/staff').set(auth()).expect(200);
    const clerk = list.body.items.find((s: { username: string }) => s.username === 'clerk.r2');
    await t.http().patch(`/api/v1/admin/staff/${clerk.id}`).set(auth()).send({ regions: [2, 3] }).expect(200);
    await t.http().post('/api/v1/auth/refresh').send({ refreshToken: login.body.refreshToken }).expect(401);
    await t.http().patch(`/api/v1/admin/staff/${clerk.id}`).set(auth()).send({ active: false }).expect(200);
    await t.http().post('/api/v1/staff/auth/login').send({ username: 'clerk.r2', password: 'clerk-password-22' }).expect(401);
    const actions = (await t.sql<{ action: string }>(`select action from audit_log where target_id = $1 order by at`, [clerk.id])).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['staff.created', 'staff.roles.changed', 'staff.updated', 'staff.login.succeeded', 'staff.login.failed']));
    await t.http().get('/api/v1/admin/staff/not-a-uuid').set(auth()).expect(404);
  });

  it('lists regions with their desk phones publicly and lets admins edit them', async () => {
    const regions = await t.http().get('/api/v1/regions').expect(200);
    expect(regions.body.map((r: { id: number }) => r.id)).toEqual([1, 2, 3]);
    expect(regions.body[0].deskPhones.length).toBeGreaterThan(0);
    const res = await t.http().patch('/api/v1/admin/regions/2').set(auth()).send({ deskPhones: ['۰۲۸۳۳۳۲۲۲۲۲'] }).expect(200);
    expect(res.body.deskPhones).toEqual(['02833322222']);
    await t.http().patch('/api/v1/admin/regions/9').set(auth()).send({ deskHours: 'x' }).expect(404);
  });
});

describe('organizations: OAuth 2.0 client credentials', () => {
  let t: TestApp;
  let admin: string;
  let orgId: string;
  let client: { clientId: string; clientSecret: string };
  beforeAll(async () => {
    t = await createTestApp({ CLIENT_SECRET_OVERLAP_HOURS: '1' });
    admin = (await signedStaffToken(t, { username: 'root', roles: [StaffRole.Admin] })).token;
  });
  afterAll(() => t?.close());
  const auth = () => ({ Authorization: `Bearer ${admin}` });

  it('registers organizations with a validated legal ID and creates a client whose secret is shown once', async () => {
    const bad = await t.http().post('/api/v1/admin/organizations').set(auth()).send({ kind: 'bank', name: 'بانک آزمون', legalNationalId: '10100302860' }).expect(400);
    expect(bad.body.errors[0]).toMatchObject({ field: 'legalNationalId', code: 'isLegalId' });
    const notary = await t.http().post('/api/v1/admin/organizations').set(auth()).send({ kind: 'notary', name: 'دفترخانه ۱۲', legalNationalId: '14000135580' }).expect(400);
    expect(notary.body.code).toBe('NOTARY_NUMBER_REQUIRED');
    const org = await t.http().post('/api/v1/admin/organizations').set(auth()).send({ kind: 'bank', name: 'بانک آزمون', legalNationalId: '10100302862' }).expect(201);
    orgId = org.body.id;
    const created = await t.http().post(`/api/v1/admin/organizations/${orgId}/clients`).set(auth()).send({ name: 'core', scopes: ['inquiries:read', 'certificates:verify'] }).expect(201);
    client = created.body;
    expect(client.clientSecret).toMatch(/^cs_/);
    const listed = await t.http().get(`/api/v1/admin/organizations/${orgId}/clients`).set(auth()).expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(client.clientSecret);
    const [row] = await t.sql<{ secret_hash: string }>(`select secret_hash from api_client`);
    expect(row.secret_hash).not.toContain(client.clientSecret);
  });

  it('issues tokens from form, JSON and HTTP Basic requests, with scope subsets', async () => {
    const form = await t
      .http()
      .post('/api/v1/oauth/token')
      .type('form')
      .send({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret })
      .expect(200);
    expect(form.body).toMatchObject({ token_type: 'Bearer', expires_in: 1800, scope: 'certificates:verify inquiries:read' });
    const basic = await t
      .http()
      .post('/api/v1/oauth/token')
      .auth(client.clientId, client.clientSecret)
      .send({ grant_type: 'client_credentials', scope: 'inquiries:read' })
      .expect(200);
    expect(basic.body.scope).toBe('inquiries:read');
    const who = await t.http().get('/api/v1/org/me').set('Authorization', `Bearer ${basic.body.access_token}`).expect(200);
    expect(who.body).toMatchObject({ organization: { id: orgId, kind: 'bank' }, clientId: client.clientId, scopes: ['inquiries:read'] });
    const scope = await t.http().post('/api/v1/oauth/token').auth(client.clientId, client.clientSecret).send({ grant_type: 'client_credentials', scope: 'bills:report' }).expect(400);
    expect(scope.body).toMatchObject({ code: 'INVALID_SCOPE', error: 'invalid_scope' });
    const wrong = await t.http().post('/api/v1/oauth/token').send({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: 'cs_wrong' }).expect(401);
    expect(wrong.body).toMatchObject({ code: 'INVALID_CLIENT', error: 'invalid_client' });
    const grant = await t.http().post('/api/v1/oauth/token').send({ grant_type: 'password', client_id: client.clientId, client_secret: client.clientSecret }).expect(400);
    expect(grant.body.code).toBe('VALIDATION_FAILED');
  });

  it('keeps the old secret valid for the overlap after a rotation', async () => {
    const rotated = await t.http().post(`/api/v1/admin/clients/${client.clientId}/rotate-secret`).set(auth()).expect(201);
    expect(rotated.body.previousSecretValidUntil).toEqual(expect.any(String));
    await t.http().post('/api/v1/oauth/token').auth(client.clientId, client.clientSecret).send({ grant_type: 'client_credentials' }).expect(200);
    await t.http().post('/api/v1/oauth/token').auth(client.clientId, rotated.body.clientSecret).send({ grant_type: 'client_credentials' }).expect(200);
    await t.sql(`update api_client set previous_secret_expires_at = now() - interval '1 second'`);
    await t.http().post('/api/v1/oauth/token').auth(client.clientId, client.clientSecret).send({ grant_type: 'client_credentials' }).expect(401);
    client.clientSecret = rotated.body.clientSecret;
  });

  it('keeps organization and citizen tokens on their own endpoints', async () => {
    const token = await t.http().post('/api/v1/oauth/token').auth(client.clientId, client.clientSecret).send({ grant_type: 'client_credentials' }).expect(200);
    const org = { Authorization: `Bearer ${token.body.access_token}` };
    expect((await t.http().get('/api/v1/me').set(org).expect(403)).body.code).toBe('FORBIDDEN');
    await t.http().get('/api/v1/admin/staff').set(org).expect(403);
    const citizen = await registerCitizen(t, '09121110020');
    await t.http().get('/api/v1/org/me').set('Authorization', `Bearer ${citizen.accessToken}`).expect(403);
    await t.http().get('/api/v1/admin/organizations').set('Authorization', `Bearer ${citizen.accessToken}`).expect(403);
  });

  it('refuses a disabled client', async () => {
    await t.http().patch(`/api/v1/admin/clients/${client.clientId}`).set(auth()).send({ active: false }).expect(200);
    await t.http().post('/api/v1/oauth/token').auth(client.clientId, client.clientSecret).send({ grant_type: 'client_credentials' }).expect(401);
  });
});
