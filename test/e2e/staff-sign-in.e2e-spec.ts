import type { Response } from 'supertest';
import { StaffRole } from '../../src/modules/membership/entities/staff-user.entity';
import { StaffService } from '../../src/modules/membership/staff.service';
import { lastCode } from '../helpers/citizen';
import { createTestApp, TestApp } from '../helpers/test-app';

const ATTACKER = '203.0.113.9';
const OFFICE = '198.51.100.7';
const ADMIN_MOBILE = '09127770001';

/**
 * Staff sign-in without a lock anyone can trigger (NIST SP 800-63B §5.2.2): attempts are
 * throttled per (username, client IP) and per username with growing waits; unknown,
 * disabled and existing usernames are answered alike; staff second-factor codes have their
 * own cap, apart from the citizens' OTP caps. The client IP comes from X-Forwarded-For
 * (TRUST_PROXY=1), so one test speaks from several addresses.
 */
describe('staff sign-in: throttling without lock-out, no username enumeration', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ TRUST_PROXY: '1', STAFF_LOGIN_FREE_FAILURES_PER_USERNAME: '12', STAFF_OTP_MAX_PER_HOUR: '8' });
    const staff = t.app.get(StaffService);
    const em = () => t.orm.em.fork();
    await staff.create({ username: 'admin', password: 'admin-password-1', fullName: 'مدیر سامانه', mobile: ADMIN_MOBILE, roles: [StaffRole.Admin] }, em());
    for (const username of ['clerk.a', 'clerk.b', 'clerk.c', 'clerk.d', 'clerk.e']) {
      await staff.create({ username, password: 'clerk-password-1', fullName: username, roles: [StaffRole.RegionClerk], regions: [1] }, em());
    }
    const disabled = await staff.create({ username: 'clerk.gone', password: 'clerk-password-1', fullName: 'غیرفعال', roles: [StaffRole.RegionClerk], regions: [1] }, em());
    await staff.update(disabled.id, { active: false });
  });
  afterAll(() => t?.close());

  const login = (username: string, password: string, ip: string) =>
    t.http().post('/api/v1/staff/auth/login').set('X-Forwarded-For', ip).send({ username, password });
  /** Lets the current wait of every counter pass, as if its Retry-After had been waited out. */
  const waitOut = () => t.sql(`update staff_login_throttle set blocked_until = now() - interval '1 millisecond' where blocked_until is not null`);
  /** An answer without what differs by request (its id and path). */
  const shape = (r: Response) => ({
    status: r.status,
    contentType: r.headers['content-type'],
    retryAfter: r.headers['retry-after'],
    body: { ...r.body, requestId: undefined, instance: undefined },
  });

  it('an attacker hammering the admin’s name from one address does not stop the admin signing in from another', async () => {
    for (let i = 0; i < 5; i++) expect((await login('admin', `guess-${i}`, ATTACKER)).status).toBe(401);
    // the attacker waits out each delay and tries again: the delay reaches 32 s
    for (let i = 0; i < 5; i++) {
      await waitOut();
      await login('admin', `patient-guess-${i}`, ATTACKER).expect(401);
    }
    for (let i = 0; i < 5; i++) {
      const refused = await login('admin', `guess-more-${i}`, ATTACKER).expect(429);
      expect(refused.body.code).toBe('STAFF_LOGIN_THROTTLED');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(16);
    }
    // the refused attempts were not looked at (not even the right password) and not counted
    expect((await login('admin', 'admin-password-1', ATTACKER).expect(429)).body.code).toBe('STAFF_LOGIN_THROTTLED');
    const rows = await t.sql<{ key: string; failures: number }>(`select key, failures from staff_login_throttle order by key`);
    expect(rows.map((r) => r.failures)).toEqual([10, 10]);
    // names and addresses are stored hashed
    expect(JSON.stringify(rows)).not.toMatch(/admin|203\.0\.113/);
    const signIn = await login('admin', 'admin-password-1', OFFICE).expect(200);
    expect(signIn.body).toMatchObject({ status: 'second_factor_required', sentTo: '0912***0001' });
    // the success cleared the name's counter and the office's, not the attacker's
    expect(await t.sql(`select failures from staff_login_throttle`)).toEqual([{ failures: 10 }]);
    expect((await login('admin', 'admin-password-1', ATTACKER).expect(429)).body.code).toBe('STAFF_LOGIN_THROTTLED');
    const account = await t.sql<Record<string, unknown>>(`select * from staff_user where username = 'admin'`);
    expect(Object.keys(account[0])).not.toEqual(expect.arrayContaining(['locked_until']));
  });

  it('makes each failure past the free ones double the wait: 1, 2, 4, 8 s', async () => {
    const waits: string[] = [];
    for (let i = 0; i < 5; i++) await login('clerk.a', 'wrong', '192.0.2.10').expect(401);
    for (let round = 0; round < 4; round++) {
      const refused = await login('clerk.a', 'clerk-password-1', '192.0.2.10').expect(429);
      waits.push(refused.headers['retry-after']);
      await waitOut();
      await login('clerk.a', 'wrong', '192.0.2.10').expect(401);
    }
    expect(waits).toEqual(['1', '2', '4', '8']);
  });

  it('starts the count again after a successful sign-in', async () => {
    for (let i = 0; i < 4; i++) await login('clerk.b', 'wrong', '192.0.2.20').expect(401);
    await login('clerk.b', 'clerk-password-1', '192.0.2.20').expect(200);
    // five free failures again (without the reset the second one would wait)
    for (let i = 0; i < 5; i++) await login('clerk.b', 'wrong', '192.0.2.20').expect(401);
    expect((await login('clerk.b', 'clerk-password-1', '192.0.2.20').expect(429)).headers['retry-after']).toBe('1');
  });

  it('answers unknown, disabled and existing usernames identically: failures, waits, and comparable time', async () => {
    const sequence = async (username: string, ip: string) => {
      const answers: Response[] = [];
      const times: number[] = [];
      for (let i = 0; i < 7; i++) {
        const started = process.hrtime.bigint();
        answers.push(await login(username, 'wrong-password', ip));
        times.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
      return { answers: answers.map(shape), times };
    };
    const existing = await sequence('clerk.c', '192.0.2.30');
    const unknown = await sequence('no.such.clerk', '192.0.2.31');
    const disabled = await sequence('clerk.gone', '192.0.2.32');
    expect(existing.answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 429, 429]);
    expect(unknown.answers).toEqual(existing.answers);
    expect(disabled.answers).toEqual(existing.answers);
    // every failure checks a password hash (scrypt, tens of ms): an unknown or disabled name
    // is not answered measurably faster than a wrong password
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const failures = (xs: number[]) => median(xs.slice(0, 5));
    expect(failures(unknown.times)).toBeGreaterThan(failures(existing.times) * 0.4);
    expect(failures(disabled.times)).toBeGreaterThan(failures(existing.times) * 0.4);
  });

  it('counts concurrent attempts once each: of ten at once, five are looked at and five wait', async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, () => login('clerk.d', 'wrong', '192.0.2.40')));
    expect(answers.map((a) => a.status).sort()).toEqual([401, 401, 401, 401, 401, 429, 429, 429, 429, 429]);
  });

  it('throttles a username everywhere once its much larger budget is spent, by many addresses', async () => {
    // 12 free failures per name (this file's setting), 5 per address: three addresses spend it
    for (const ip of ['192.0.2.51', '192.0.2.52', '192.0.2.53']) {
      for (let i = 0; i < 4; i++) await login('clerk.e', 'wrong', ip).expect(401);
    }
    const everywhere = await login('clerk.e', 'clerk-password-1', '192.0.2.54').expect(429);
    expect(everywhere.body.code).toBe('STAFF_LOGIN_THROTTLED');
    await waitOut();
    await login('clerk.e', 'clerk-password-1', '192.0.2.54').expect(200);
  });

  it('counts the admin’s second-factor codes apart from the citizens’ OTP caps: the 6th sign-in of the hour works', async () => {
    // the first sign-in of the hour was in the first test: these are the 2nd to the 8th
    expect(await t.sql(`select id from otp_challenge where mobile = $1`, [ADMIN_MOBILE])).toHaveLength(1);
    for (let i = 0; i < 7; i++) {
      const step1 = await login('admin', 'admin-password-1', OFFICE).expect(200);
      const code = await lastCode(t, ADMIN_MOBILE);
      const step2 = await t.http().post('/api/v1/staff/auth/verify').send({ challengeId: step1.body.challengeId, code }).expect(200);
      expect(step2.body.status).toBe('authenticated');
    }
    // the staff cap (STAFF_OTP_MAX_PER_HOUR, 8 here) is its own
    const ninth = await login('admin', 'admin-password-1', OFFICE).expect(429);
    expect(ninth.body.code).toBe('OTP_TOO_MANY_REQUESTS');
    // and the citizens' caps are untouched: the same number and address still get a citizen code
    await t.http().post('/api/v1/auth/otp').set('X-Forwarded-For', OFFICE).send({ mobile: ADMIN_MOBILE }).expect(202);
    const perIp = await t.sql<{ count: number }>(`select count from rate_limit_counter where key like 'otp:ip:%'`);
    expect(perIp).toEqual([{ count: 1 }]);
  });
});
