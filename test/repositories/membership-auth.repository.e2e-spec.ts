import { run } from '../../src/database/sql';
import { PrincipalStateRepository } from '../../src/modules/membership/auth/principal-state.repository';
import { StaffLoginThrottleRepository, type ThrottleRules } from '../../src/modules/membership/auth/staff-login-throttle.repository';
import { createTestDb, TestDb } from '../helpers/test-app';

describe('membership auth repositories: principal state and staff sign-in throttle (real database)', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(() => db?.close());

  it('PrincipalStateRepository.find reads a staff account, a citizen (verified or not) and an organization client, and nothing for an unknown key', async () => {
    const staff = '00000000-0000-7000-8000-00000000f101';
    const verified = '00000000-0000-7000-8000-00000000f201';
    const unverified = '00000000-0000-7000-8000-00000000f202';
    const bank = '00000000-0000-7000-8000-00000000f301';
    const closed = '00000000-0000-7000-8000-00000000f302';
    await db.sql(
      `insert into staff_user (id, username, password_hash, full_name, mobile, roles, regions, active, token_epoch, created_at, updated_at)
       values ($1, 'auth.repo', 'x', 'کارمند', null, '{region_clerk}', '{1}', true, 3, now(), now())`,
      [staff],
    );
    await db.sql(
      `insert into citizen (id, mobile, national_id, first_name, last_name, father_name, birth_date_jalali, birth_date, active, token_epoch, identity_verified_at, created_at, updated_at)
       values ($1, '09120000701', '0012345679', 'علی', 'آزمون', 'رضا', '1360/01/01', '1981-03-21', true, 1, now(), now(), now()),
              ($2, '09120000702', '0499370899', 'مریم', 'نمونه', 'حسن', '1365/05/05', '1986-07-27', false, 0, null, now(), now())`,
      [verified, unverified],
    );
    await db.sql(
      `insert into organization (id, kind, name, legal_national_id, active, created_at, updated_at)
       values ($1, 'bank', 'بانک الف', '10100000021', true, now(), now()), ($2, 'bank', 'بانک بسته', '10100000022', false, now(), now())`,
      [bank, closed],
    );
    await db.sql(
      `insert into api_client (id, organization_id, client_id, name, scopes, secret_hash, active, token_epoch, created_at, updated_at)
       values (gen_random_uuid(), $1, 'bank-live', 'کلید', '{inquiries:read}', 'h', true, 2, now(), now()),
              (gen_random_uuid(), $1, 'bank-off', 'کلید خاموش', '{inquiries:read}', 'h', false, 0, now(), now()),
              (gen_random_uuid(), $2, 'closed-live', 'کلید', '{inquiries:read}', 'h', true, 0, now(), now())`,
      [bank, closed],
    );
    const repo = new PrincipalStateRepository();
    const find = (key: Parameters<PrincipalStateRepository['find']>[0]) => run(db.em(), repo.find(key));
    expect(await find({ kind: 'staff', id: staff })).toEqual({ active: true, epoch: 3, verified: true });
    expect(await find({ kind: 'citizen', id: verified })).toEqual({ active: true, epoch: 1, verified: true });
    expect(await find({ kind: 'citizen', id: unverified })).toEqual({ active: false, epoch: 0, verified: false });
    expect(await find({ kind: 'organization', organizationId: bank, clientId: 'bank-live' })).toEqual({ active: true, epoch: 2, verified: true });
    // a disabled client, or a client of a disabled organization, is not active
    expect(await find({ kind: 'organization', organizationId: bank, clientId: 'bank-off' })).toMatchObject({ active: false });
    expect(await find({ kind: 'organization', organizationId: closed, clientId: 'closed-live' })).toMatchObject({ active: false });
    // a client id is only read with its own organization
    expect(await find({ kind: 'organization', organizationId: closed, clientId: 'bank-live' })).toBeUndefined();
    expect(await find({ kind: 'staff', id: verified })).toBeUndefined();
    expect(await find({ kind: 'citizen', id: '00000000-0000-7000-8000-00000000f2ff' })).toBeUndefined();
  });

  it('StaffLoginThrottleRepository counts attempts on both keys, makes them wait past the free failures, clears and purges', async () => {
    const repo = new StaffLoginThrottleRepository();
    const rules: ThrottleRules = { freeFailuresPerUsername: 10, freeFailuresPerIp: 2, maxDelaySeconds: 60, failureMemoryHours: 1 };
    const attempt = () => run(db.em(), repo.count('u:name', 'u:name:ip:a', rules));
    const counters = () =>
      db.sql<{ key: string; failures: number; wait: number | null }>(
        `select key, failures, extract(epoch from blocked_until - last_failure_at)::int as wait from staff_login_throttle where key like 'u:name%' order by key`,
      );
    // the first two attempts are free on both counters: counted twice, no wait
    expect(await attempt()).toEqual({ wait: null, counted: 2 });
    expect(await attempt()).toEqual({ wait: null, counted: 2 });
    // the pair's second failure reached its free ones: the next attempt must wait 2^0 = 1 s
    expect(await counters()).toEqual([
      { key: 'u:name', failures: 2, wait: null },
      { key: 'u:name:ip:a', failures: 2, wait: 1 },
    ]);
    // during a wait (made 30 s long here, so the test does not race the clock) an attempt is
    // refused uncounted, with the seconds left
    await db.sql(`update staff_login_throttle set blocked_until = now() + interval '30 seconds' where key = 'u:name:ip:a'`);
    expect(await attempt()).toEqual({ wait: 30, counted: 0 });
    expect((await counters()).map((c) => c.failures)).toEqual([2, 2]);
    // another address for the same name is not held up by this one's wait
    expect(await run(db.em(), repo.count('u:name', 'u:name:ip:b', rules))).toEqual({ wait: null, counted: 2 });

    await run(db.em(), repo.clear('u:name', 'u:name:ip:a'));
    expect((await counters()).map((c) => c.key)).toEqual(['u:name:ip:b']);

    // a failure older than the memory is purged, a recent one kept
    await db.sql(`update staff_login_throttle set last_failure_at = now() - interval '2 hours' where key = 'u:name:ip:b'`);
    await run(db.em(), repo.count('u:other', 'u:other:ip:a', rules));
    await run(db.em(), repo.purgeOlderThan(1));
    expect((await db.sql<{ key: string }>(`select key from staff_login_throttle order by key`)).map((r) => r.key)).toEqual(['u:other', 'u:other:ip:a']);
  });
});
