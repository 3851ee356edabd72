import { APP_CONFIG } from '../../src/config/config.module';
import type { ResolvedConfig } from '../../src/config/app-config';
import { inRegistry, lastCode, registerCitizen } from '../helpers/citizen';
import { createTestApp, TestApp } from '../helpers/test-app';

/** The templates sent to a number, oldest first. */
async function outbox(t: TestApp, mobile: string): Promise<string[]> {
  return (await t.sql<{ template: string }>('select template from sms_message where mobile = $1 order by created_at', [mobile])).map((r) => r.template);
}

describe('Mobile change: the new number is re-verified against the national ID, with a code sent to it', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  }, 300_000);
  afterAll(() => t?.close());

  it('a number the registry does not give to the national ID is refused and nothing is sent; PATCH /me refuses a mobile', async () => {
    const member = await registerCitizen(t, '09121350001');
    const auth = { Authorization: `Bearer ${member.accessToken}` };
    const other = '09121359901';
    const refused = await t.http().post('/api/v1/me/mobile').set(auth).send({ mobile: other }).expect(422);
    expect(refused.body.code).toBe('IDENTITY_MOBILE_MISMATCH');
    expect(await outbox(t, other)).toEqual([]);
    expect((await t.sql(`select id from otp_challenge where mobile = $1`, [other])).length).toBe(0);

    const patch = await t.http().patch('/api/v1/me').set(auth).send({ mobile: other }).expect(400);
    expect(patch.body.code).toBe('MOBILE_CHANGE_NOT_HERE');
    expect(patch.body.detail).toContain('/api/v1/me/mobile');
    const same = await t.http().post('/api/v1/me/mobile').set(auth).send({ mobile: '09121350001' }).expect(400);
    expect(same.body.code).toBe('MOBILE_UNCHANGED');
    expect((await t.sql<{ mobile: string }>('select mobile from citizen where id = $1', [member.profile.id]))[0].mobile).toBe('09121350001');
  });

  it('a wrong code is refused and changes nothing', async () => {
    const member = await registerCitizen(t, '09121350002');
    const auth = { Authorization: `Bearer ${member.accessToken}` };
    const next = '09121350012';
    await inRegistry(t, { nationalId: member.profile.nationalId, mobile: next });
    await t.http().post('/api/v1/me/mobile').set(auth).send({ mobile: next }).expect(202);
    expect(await outbox(t, next)).toEqual(['otp_mobile_change']);
    const good = await lastCode(t, next);
    const wrong = good === '000000' ? '111111' : '000000';
    const res = await t.http().post('/api/v1/me/mobile/confirm').set(auth).send({ mobile: next, code: wrong }).expect(400);
    expect(res.body).toMatchObject({ code: 'OTP_INVALID', attemptsLeft: 4 });
    expect((await t.sql<{ mobile: string }>('select mobile from citizen where id = $1', [member.profile.id]))[0].mobile).toBe('09121350002');
    expect(await outbox(t, '09121350002')).not.toContain('mobile_changed');
    // the session is untouched
    await t.http().get('/api/v1/me').set(auth).expect(200);
  });

  it('happy path: the mobile changes, other sessions end, the caller gets fresh tokens, the old number is told; the new number signs in, the old one cannot', async () => {
    const oldMobile = '09121350003';
    const member = await registerCitizen(t, oldMobile);
    const auth = { Authorization: `Bearer ${member.accessToken}` };
    const next = '09121350013';
    await inRegistry(t, { nationalId: member.profile.nationalId, mobile: next });
    await t.http().post('/api/v1/me/mobile').set(auth).send({ mobile: next }).expect(202);
    const changed = await t.http().post('/api/v1/me/mobile/confirm').set(auth).send({ mobile: next, code: await lastCode(t, next) }).expect(200);
    expect(changed.body.profile).toMatchObject({ id: member.profile.id, mobile: next, nationalId: member.profile.nationalId, identity: { verified: true } });

    // the old session (access and refresh) is over; the fresh pair works
    expect((await t.http().get('/api/v1/me').set(auth)).status).toBe(401);
    await t.http().post('/api/v1/auth/refresh').send({ refreshToken: member.refreshToken }).expect(401);
    const me = await t.http().get('/api/v1/me').set('Authorization', `Bearer ${changed.body.accessToken}`).expect(200);
    expect(me.body.mobile).toBe(next);
    await t.http().post('/api/v1/auth/refresh').send({ refreshToken: changed.body.refreshToken }).expect(200);

    expect(await outbox(t, oldMobile)).toContain('mobile_changed');
    const [sms] = await t.sql<{ body: string }>(`select body from sms_message where mobile = $1 and template = 'mobile_changed'`, [oldMobile]);
    expect(sms.body).not.toContain(next);

    const [audit] = await t.sql<{ metadata: Record<string, unknown>; actor_id: string }>(
      `select metadata, actor_id from audit_log where action = 'citizen.mobile.changed' and target_id = $1`,
      [member.profile.id],
    );
    expect(audit.actor_id).toBe(member.profile.id);
    expect(JSON.stringify(audit.metadata)).not.toContain(next);
    expect(JSON.stringify(audit.metadata)).not.toContain(oldMobile);
    expect(audit.metadata).toMatchObject({ from: expect.stringContaining('*'), to: expect.stringContaining('*') });

    // the new number signs in to the same account; the old one is a stranger now
    await t.http().post('/api/v1/auth/otp').send({ mobile: next }).expect(202);
    const signIn = await t.http().post('/api/v1/auth/otp/verify').send({ mobile: next, code: await lastCode(t, next) }).expect(200);
    expect(signIn.body.status).toBe('authenticated');
    const who = await t.http().get('/api/v1/me').set('Authorization', `Bearer ${signIn.body.accessToken}`).expect(200);
    expect(who.body.id).toBe(member.profile.id);
    // past the login code's resend cooldown of the old number (its registration code)
    await t.sql(`update otp_challenge set created_at = created_at - interval '5 minutes' where mobile = $1`, [oldMobile]);
    await t.http().post('/api/v1/auth/otp').send({ mobile: oldMobile }).expect(202);
    const stranger = await t.http().post('/api/v1/auth/otp/verify').send({ mobile: oldMobile, code: await lastCode(t, oldMobile) }).expect(200);
    expect(stranger.body.status).toBe('registration_required');
  });

  it("another member's number is refused (MOBILE_ALREADY_REGISTERED) before anything is sent", async () => {
    const a = await registerCitizen(t, '09121350004');
    const b = await registerCitizen(t, '09121350005');
    await inRegistry(t, { nationalId: a.profile.nationalId, mobile: '09121350005' });
    const res = await t.http().post('/api/v1/me/mobile').set('Authorization', `Bearer ${a.accessToken}`).send({ mobile: '09121350005' }).expect(409);
    expect(res.body.code).toBe('MOBILE_ALREADY_REGISTERED');
    expect(await outbox(t, '09121350005')).not.toContain('otp_mobile_change');
    expect(b.profile.id).toBeDefined();
  });

  it('an unverified member is sent to verification first (IDENTITY_NOT_VERIFIED), nothing sent', async () => {
    const member = await registerCitizen(t, '09121350007');
    await t.sql('update citizen set identity_verified_at = null, identity_verified_by = null where id = $1', [member.profile.id]);
    await inRegistry(t, { nationalId: member.profile.nationalId, mobile: '09121350017' });
    const res = await t.http().post('/api/v1/me/mobile').set('Authorization', `Bearer ${member.accessToken}`).send({ mobile: '09121350017' }).expect(403);
    expect(res.body.code).toBe('IDENTITY_NOT_VERIFIED');
    expect(await outbox(t, '09121350017')).toEqual([]);
  });

  it('the registry unavailable: 503 IDENTITY_SERVICE_UNAVAILABLE with Retry-After, nothing sent, nothing changed', async () => {
    const member = await registerCitizen(t, '09121350006');
    const next = '09121350016';
    await inRegistry(t, { nationalId: member.profile.nationalId, mobile: next });
    const identity = t.app.get<ResolvedConfig>(APP_CONFIG).identity;
    identity.sandboxUnavailable = true;
    try {
      const res = await t.http().post('/api/v1/me/mobile').set('Authorization', `Bearer ${member.accessToken}`).send({ mobile: next }).expect(503);
      expect(res.body.code).toBe('IDENTITY_SERVICE_UNAVAILABLE');
      expect(res.headers['retry-after']).toBe(String(identity.retryAfterSeconds));
    } finally {
      identity.sandboxUnavailable = false;
    }
    expect(await outbox(t, next)).toEqual([]);
    expect((await t.sql<{ mobile: string }>('select mobile from citizen where id = $1', [member.profile.id]))[0].mobile).toBe('09121350006');
  });
});
