import type { Response } from 'supertest';
import { StaffRole } from '../../src/modules/membership/entities/staff-user.entity';
import { OrganizationsService } from '../../src/modules/membership/organizations.service';
import { lastCode, registerCitizen } from '../helpers/citizen';
import { orgClient } from '../helpers/org';
import { currentBill, seedPropertiesWithDebts } from '../helpers/payments';
import { signedStaffToken, staffToken } from '../helpers/staff';
import { createTestApp, TestApp } from '../helpers/test-app';

/**
 * An access token is refused (401 TOKEN_REVOKED) from the first request after its
 * organization, API client or account is disabled, its roles, regions or scopes change, or
 * its session is logged out; a freshly issued token works where it should. The test app
 * reads the principal's state on every request (AUTH_REVOCATION_CACHE_MS=0).
 */
describe('revocation of access tokens', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    // a member signs in a second time within a minute here
    t = await createTestApp({ OTP_RESEND_COOLDOWN_SECONDS: '0' });
    admin = (await signedStaffToken(t, { username: 'root', roles: [StaffRole.Admin] })).token;
  });
  afterAll(() => t?.close());

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const asAdmin = () => bearer(admin);
  const expectRevoked = (res: Response) => {
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('TOKEN_REVOKED');
  };
  const newOrgToken = async (clientId: string, clientSecret: string) =>
    (await t.http().post('/api/v1/oauth/token').send({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).expect(200)).body
      .access_token as string;

  describe('organizations', () => {
    const CODE = '1-4-21-7-0-0-0';
    beforeAll(async () => {
      await seedPropertiesWithDebts(t, [CODE]);
    });

    it('a disabled bank neither settles a bill nor registers a webhook on its existing token; re-enabled, only a new token works', async () => {
      const bank = await orgClient(t, 'بانک غیرفعال‌شونده', ['bills:report', 'webhooks:manage']);
      await t.http().get('/api/v1/org/me').set(bearer(bank.token)).expect(200);
      const bill = await currentBill(t, CODE);
      const payment = { billId: bill.billId, paymentId: bill.paymentId, amount: bill.amountRials, bankReference: 'REV-1', paidAt: new Date(Date.now() - 60_000).toISOString() };
      await t.http().patch(`/api/v1/admin/organizations/${bank.organizationId}`).set(asAdmin()).send({ active: false }).expect(200);

      expectRevoked(await t.http().post('/api/v1/bank/bill-payments').set(bearer(bank.token)).send(payment));
      expectRevoked(await t.http().post('/api/v1/org/webhooks').set(bearer(bank.token)).send({ url: 'https://hooks.example.com/q', events: ['inquiry.answered'] }));
      expect(await t.sql(`select id from billing_bank_payment`)).toHaveLength(0);
      expect(await t.sql(`select id from webhook_endpoint`)).toHaveLength(0);

      await t.http().patch(`/api/v1/admin/organizations/${bank.organizationId}`).set(asAdmin()).send({ active: true }).expect(200);
      // disabling ended the old token for good; a new one settles the bill
      expectRevoked(await t.http().get('/api/v1/org/me').set(bearer(bank.token)));
      const fresh = await newOrgToken(bank.clientId, bank.clientSecret);
      await t.http().post('/api/v1/bank/bill-payments').set(bearer(fresh)).send(payment).expect(200);
      expect(await t.sql(`select bank_reference from billing_bank_payment`)).toEqual([{ bank_reference: 'REV-1' }]);
    });

    it('a disabled API client’s token is refused; the organization’s other client keeps working', async () => {
      const bank = await orgClient(t, 'بانک دو کلاینتی', ['bills:report']);
      const other = await t.app.get(OrganizationsService).createClient(bank.organizationId, { name: 'second', scopes: ['bills:report'] }, t.orm.em.fork());
      const otherToken = await newOrgToken(other.clientId, other.clientSecret);
      await t.http().patch(`/api/v1/admin/clients/${bank.clientId}`).set(asAdmin()).send({ active: false }).expect(200);
      expectRevoked(await t.http().get('/api/v1/bank/statements').set(bearer(bank.token)));
      await t.http().get('/api/v1/org/me').set(bearer(otherToken)).expect(200);
    });

    it('a scope removed from a client no longer works on its old tokens; a new token carries what is left', async () => {
      const bank = await orgClient(t, 'بانک کم‌دامنه', ['bills:report', 'webhooks:manage']);
      await t.http().get('/api/v1/org/webhooks').set(bearer(bank.token)).expect(200);
      await t.http().patch(`/api/v1/admin/clients/${bank.clientId}`).set(asAdmin()).send({ scopes: ['bills:report'] }).expect(200);
      expectRevoked(await t.http().get('/api/v1/org/webhooks').set(bearer(bank.token)));
      const fresh = await newOrgToken(bank.clientId, bank.clientSecret);
      expect((await t.http().get('/api/v1/org/me').set(bearer(fresh)).expect(200)).body.scopes).toEqual(['bills:report']);
      expect((await t.http().get('/api/v1/org/webhooks').set(bearer(fresh)).expect(403)).body.code).toBe('FORBIDDEN');
      // an edit that changes nothing the token carries leaves it alone
      await t.http().patch(`/api/v1/admin/clients/${bank.clientId}`).set(asAdmin()).send({ scopes: ['bills:report'] }).expect(200);
      await t.http().get('/api/v1/org/me').set(bearer(fresh)).expect(200);
    });

    it('an organization disabled behind the service’s back (SQL) is refused too: the guard reads the flags', async () => {
      const bank = await orgClient(t, 'بانک مستقیم', ['bills:report']);
      await t.sql(`update organization set active = false where id = $1`, [bank.organizationId]);
      expectRevoked(await t.http().get('/api/v1/org/me').set(bearer(bank.token)));
      await t.sql(`update organization set active = true where id = $1`, [bank.organizationId]);
      await t.http().get('/api/v1/org/me').set(bearer(bank.token)).expect(200);
    });
  });

  describe('staff', () => {
    const staffId = async (username: string) =>
      (await t.sql<{ id: string }>(`select id from staff_user where username = $1`, [username]))[0].id;
    const login = async (username: string) =>
      (await t.http().post('/api/v1/staff/auth/login').send({ username, password: 'correct horse battery staple' }).expect(200)).body;

    it('a disabled staff member no longer reads the desk on its old token; re-enabled, a new sign-in does', async () => {
      const token = await staffToken(t, { username: 'clerk.off', roles: [StaffRole.RegionClerk], regions: [1] });
      await t.http().get('/api/v1/desk/inquiries').set(bearer(token)).expect(200);
      const id = await staffId('clerk.off');
      await t.http().patch(`/api/v1/admin/staff/${id}`).set(asAdmin()).send({ active: false }).expect(200);
      expectRevoked(await t.http().get('/api/v1/desk/inquiries').set(bearer(token)));
      await t.http().patch(`/api/v1/admin/staff/${id}`).set(asAdmin()).send({ active: true }).expect(200);
      expectRevoked(await t.http().get('/api/v1/desk/inquiries').set(bearer(token)));
      const fresh = await login('clerk.off');
      await t.http().get('/api/v1/desk/inquiries').set(bearer(fresh.accessToken)).expect(200);
    });

    it('a demoted staff member (roles changed) is refused on its old token; the new token carries the new role', async () => {
      const token = await staffToken(t, { username: 'clerk.demoted', roles: [StaffRole.RegionClerk], regions: [1] });
      const id = await staffId('clerk.demoted');
      await t.http().patch(`/api/v1/admin/staff/${id}`).set(asAdmin()).send({ roles: ['inspector'] }).expect(200);
      expectRevoked(await t.http().get('/api/v1/desk/inquiries').set(bearer(token)));
      const fresh = await login('clerk.demoted');
      expect(fresh.roles).toEqual(['inspector']);
      await t.http().get('/api/v1/desk/inquiries').set(bearer(fresh.accessToken)).expect(403);
      await t.http().get('/api/v1/desk/visits').set(bearer(fresh.accessToken)).expect(200);
    });

    it('a staff member moved to another region is refused on its old token; the new token has the new region', async () => {
      const token = await staffToken(t, { username: 'clerk.moved', roles: [StaffRole.RegionClerk], regions: [1] });
      await t.http().get('/api/v1/desk/regions/1/team').set(bearer(token)).expect(200);
      const id = await staffId('clerk.moved');
      await t.http().patch(`/api/v1/admin/staff/${id}`).set(asAdmin()).send({ regions: [2] }).expect(200);
      expectRevoked(await t.http().get('/api/v1/desk/regions/1/team').set(bearer(token)));
      const fresh = await login('clerk.moved');
      await t.http().get('/api/v1/desk/regions/1/team').set(bearer(fresh.accessToken)).expect(404);
      await t.http().get('/api/v1/desk/regions/2/team').set(bearer(fresh.accessToken)).expect(200);
    });

    it('a change that touches no access (the full name) leaves the tokens working', async () => {
      const token = await staffToken(t, { username: 'clerk.renamed', roles: [StaffRole.RegionClerk], regions: [1] });
      await t.http().patch(`/api/v1/admin/staff/${await staffId('clerk.renamed')}`).set(asAdmin()).send({ fullName: 'نام تازه' }).expect(200);
      await t.http().get('/api/v1/desk/inquiries').set(bearer(token)).expect(200);
    });

    it('logout ends the staff access token, not only the refresh token', async () => {
      await staffToken(t, { username: 'clerk.leaving', roles: [StaffRole.RegionClerk], regions: [1] });
      const session = await login('clerk.leaving');
      await t.http().get('/api/v1/desk/inquiries').set(bearer(session.accessToken)).expect(200);
      await t.http().post('/api/v1/auth/logout').send({ refreshToken: session.refreshToken }).expect(204);
      expectRevoked(await t.http().get('/api/v1/desk/inquiries').set(bearer(session.accessToken)));
      await t.http().post('/api/v1/auth/refresh').send({ refreshToken: session.refreshToken }).expect(401);
    });
  });

  describe('citizens', () => {
    it('a member an admin deactivates is refused on its token and cannot sign in; reactivated, a new sign-in works', async () => {
      const mobile = '09121117001';
      const member = await registerCitizen(t, mobile);
      await t.http().get('/api/v1/me').set(bearer(member.accessToken)).expect(200);
      const found = await t.http().get('/api/v1/admin/citizens').query({ mobile: '۰۹۱۲۱۱۱۷۰۰۱' }).set(asAdmin()).expect(200);
      expect(found.body).toMatchObject({ id: member.profile.id, active: true });
      // only admins
      await t.http().patch(`/api/v1/admin/citizens/${member.profile.id}`).set(bearer(member.accessToken)).send({ active: false }).expect(403);

      const off = await t.http().patch(`/api/v1/admin/citizens/${member.profile.id}`).set(asAdmin()).send({ active: false }).expect(200);
      expect(off.body.active).toBe(false);
      expectRevoked(await t.http().get('/api/v1/me').set(bearer(member.accessToken)));
      expect((await t.http().post('/api/v1/auth/refresh').send({ refreshToken: member.refreshToken }).expect(401)).body.code).toBe('REFRESH_TOKEN_INVALID');
      const audit = await t.sql<{ before: { active: boolean }; after: { active: boolean } }>(
        `select before, after from audit_log where action = 'citizen.account.updated' and target_id = $1`,
        [member.profile.id],
      );
      expect(audit).toEqual([expect.objectContaining({ before: expect.objectContaining({ active: true }), after: expect.objectContaining({ active: false }) })]);

      await t.http().patch(`/api/v1/admin/citizens/${member.profile.id}`).set(asAdmin()).send({ active: true }).expect(200);
      expectRevoked(await t.http().get('/api/v1/me').set(bearer(member.accessToken)));
      await t.http().post('/api/v1/auth/otp').send({ mobile }).expect(202);
      const signIn = await t.http().post('/api/v1/auth/otp/verify').send({ mobile, code: await lastCode(t, mobile) }).expect(200);
      await t.http().get('/api/v1/me').set(bearer(signIn.body.accessToken)).expect(200);
    });

    it('answers 404 for an unknown member and 400 without exactly one of mobile and national ID', async () => {
      expect((await t.http().get('/api/v1/admin/citizens').query({ mobile: '09121117999' }).set(asAdmin()).expect(404)).body.code).toBe('CITIZEN_NOT_FOUND');
      await t.http().get('/api/v1/admin/citizens').set(asAdmin()).expect(400);
      await t.http().patch('/api/v1/admin/citizens/0193b0f4-8a5e-7c1d-9f2a-3b4c5d6e7f80').set(asAdmin()).send({ active: false }).expect(404);
      await t.http().patch('/api/v1/admin/citizens/not-a-uuid').set(asAdmin()).send({ active: 'no' }).expect(400);
    });

    it('logout ends the access token of the session; the member’s other session continues after a refresh', async () => {
      const mobile = '09121117002';
      const first = await registerCitizen(t, mobile);
      await t.http().post('/api/v1/auth/otp').send({ mobile }).expect(202);
      const second = (await t.http().post('/api/v1/auth/otp/verify').send({ mobile, code: await lastCode(t, mobile) }).expect(200)).body;
      await t.http().post('/api/v1/auth/logout').send({ refreshToken: first.refreshToken }).expect(204);
      expectRevoked(await t.http().get('/api/v1/me').set(bearer(first.accessToken)));
      // every access token of the account ended; the other session's refresh token still works
      expectRevoked(await t.http().get('/api/v1/me').set(bearer(second.accessToken)));
      const renewed = await t.http().post('/api/v1/auth/refresh').send({ refreshToken: second.refreshToken }).expect(200);
      await t.http().get('/api/v1/me').set(bearer(renewed.body.accessToken)).expect(200);
      await t.http().post('/api/v1/auth/refresh').send({ refreshToken: first.refreshToken }).expect(401);
    });

    it('a reused refresh token ends the access tokens of the account as well as the family', async () => {
      const member = await registerCitizen(t, '09121117003');
      const rotated = await t.http().post('/api/v1/auth/refresh').send({ refreshToken: member.refreshToken }).expect(200);
      expect((await t.http().post('/api/v1/auth/refresh').send({ refreshToken: member.refreshToken }).expect(401)).body.code).toBe('REFRESH_TOKEN_REUSED');
      expectRevoked(await t.http().get('/api/v1/me').set(bearer(rotated.body.accessToken)));
    });
  });
});
