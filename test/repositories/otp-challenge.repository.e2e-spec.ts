import { cte, run, runAll } from '../../src/database/sql';
import { OtpChallengeRepository, type NewChallenge } from '../../src/modules/membership/auth/otp-challenge.repository';
import { OtpPurpose } from '../../src/modules/membership/entities/otp-challenge.entity';
import { RateLimitRepository } from '../../src/modules/rate-limit/rate-limit.repository';
import { createTestDb, TestDb } from '../helpers/test-app';

const challenge = (n: number, mobile: string, overrides: Partial<NewChallenge> = {}): NewChallenge => ({
  id: `00000000-0000-7000-8000-0000000000${String(n).padStart(2, '0')}`,
  mobile,
  purpose: OtpPurpose.CitizenLogin,
  codeHash: 'hash-right',
  ttlSeconds: 120,
  maxAttempts: 3,
  staffUserId: null,
  ...overrides,
});

describe('OtpChallengeRepository (real database)', () => {
  let db: TestDb;
  const repo = new OtpChallengeRepository();
  const limits = new RateLimitRepository();
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(() => db?.close());

  /** One issue as OtpService sends it: the lock and the composed statement in one round trip. */
  const issue = async (c: NewChallenge, cooldownSeconds: number, perHour: number, ip?: { key: string; limit: number }) => {
    const mobileOk = repo.mobileAllows(cooldownSeconds, perHour);
    const ipHit = ip ? cte(limits.hit(ip.key, 3600, ip.limit, mobileOk)) : undefined;
    const [, found] = await runAll(db.em(), [repo.lockMobile(c.mobile), repo.issue(c, { mobileOk, ipHit, accepted: ipHit ?? mobileOk }, [])]);
    return found;
  };
  const written = (mobile: string) =>
    db.sql<{ id: string; ttl: number; attempts: number; max_attempts: number }>(
      `select id, extract(epoch from expires_at - created_at)::int as ttl, attempts, max_attempts from otp_challenge where mobile = $1 order by id`,
      [mobile],
    );

  it('writes a challenge only when the cooldown and the hourly cap allow it, and says what it found', async () => {
    const first = await issue(challenge(1, '09120000011'), 60, 2);
    expect(first).toMatchObject({ count: 0, last: null, oldest: null, mobileOk: true, ipHit: null });
    expect(first.at).toBeInstanceOf(Date);
    expect(first.dbNow).toBeInstanceOf(Date);

    const tooSoon = await issue(challenge(2, '09120000011'), 60, 2);
    expect(tooSoon.mobileOk).toBe(false);
    expect(tooSoon.count).toBe(1);
    expect(tooSoon.last!.getTime()).toBeLessThanOrEqual(tooSoon.at.getTime());
    expect(tooSoon.at.getTime() - tooSoon.last!.getTime()).toBeLessThan(60_000);
    expect(await written('09120000011')).toEqual([{ id: challenge(1, '').id, ttl: 120, attempts: 0, max_attempts: 3 }]);

    // no cooldown: the hourly cap decides
    expect((await issue(challenge(3, '09120000011'), 0, 2)).mobileOk).toBe(true);
    const capped = await issue(challenge(4, '09120000011'), 0, 2);
    expect(capped).toMatchObject({ count: 2, mobileOk: false });
    expect(capped.oldest!.getTime()).toBeLessThanOrEqual(capped.last!.getTime());
    expect((await written('09120000011')).map((r) => r.id)).toEqual([challenge(1, '').id, challenge(3, '').id]);
  });

  it('counts the IP only for an accepted number and writes nothing once the IP is at its cap', async () => {
    const ip = { key: 'otp:ip:repo-test', limit: 1 };
    const first = await issue(challenge(11, '09120000021'), 60, 5, ip);
    expect(first.mobileOk).toBe(true);
    expect(first.ipHit!.count).toBe(1);
    // a refused number does not count against the IP
    const refused = await issue(challenge(12, '09120000021'), 60, 5, ip);
    expect(refused).toMatchObject({ mobileOk: false, ipHit: null });
    // another number from the same IP: the IP is at its cap, so nothing is written
    const ipCapped = await issue(challenge(13, '09120000022'), 60, 5, ip);
    expect(ipCapped).toMatchObject({ mobileOk: true, ipHit: null });
    expect(await written('09120000022')).toEqual([]);
    expect(await db.sql(`select count from rate_limit_counter where key = $1`, [ip.key])).toEqual([{ count: 1 }]);
  });

  it('counts wrong codes, consumes a right one once, and locks a challenge whose tries are used up', async () => {
    const mobile = '09120000031';
    await db.sql(
      `insert into citizen (id, mobile, national_id, first_name, last_name, father_name, birth_date_jalali, birth_date, token_epoch, created_at, updated_at)
       values ('00000000-0000-7000-8000-00000000c031', $1, '0012345679', 'علی', 'آزمون', 'رضا', '1360/01/01', '1981-03-21', 4, now(), now())`,
      [mobile],
    );
    await issue(challenge(21, mobile), 0, 5);
    const verify = (codeHash: string, withCitizen = true) => run(db.em(), repo.verify({ mobile, purpose: OtpPurpose.CitizenLogin, codeHash, withCitizen }));

    const wrong = await verify('hash-wrong');
    expect(wrong).toEqual({
      found: true,
      challenge: { id: challenge(21, '').id, mobile, staffUserId: null, attempts: 1, maxAttempts: 3, consumed: false },
      citizen: null,
      ipHit: null,
    });
    const right = await verify('hash-right');
    expect(right.challenge).toMatchObject({ consumed: true, attempts: 1 });
    expect(right.citizen).toEqual({ id: '00000000-0000-7000-8000-00000000c031', active: true, epoch: 4 });
    expect(await verify('hash-right')).toEqual({ found: false, challenge: null, citizen: null, ipHit: null });

    // by id, without the member read, one try only
    const staff = challenge(22, mobile, { purpose: OtpPurpose.StaffSecondFactor, maxAttempts: 1, staffUserId: '00000000-0000-7000-8000-00000000d001' });
    await issue(staff, 0, 5);
    const byId = (codeHash: string) =>
      run(db.em(), repo.verify({ challengeId: staff.id, purpose: OtpPurpose.StaffSecondFactor, codeHash, withCitizen: false }));
    expect((await byId('hash-wrong')).challenge).toMatchObject({ attempts: 1, consumed: false, staffUserId: staff.staffUserId });
    expect(await byId('hash-right')).toEqual({ found: true, challenge: null, citizen: null, ipHit: null });
  });

  it('with an IP limit counts every check and finds no challenge once the IP is over it', async () => {
    const mobile = '09120000041';
    await issue(challenge(31, mobile), 0, 5);
    const check = () => {
      const hit = cte(limits.hit('otp-verify:ip:repo-test', 3600));
      return run(db.em(), repo.verify({ mobile, purpose: OtpPurpose.CitizenLogin, codeHash: 'hash-wrong', withCitizen: true }, { hit, limit: 1 }));
    };
    const first = await check();
    expect(first.found).toBe(true);
    expect(first.ipHit!.count).toBe(1);
    const over = await check();
    expect(over).toMatchObject({ found: false, challenge: null });
    expect(over.ipHit!.count).toBe(2);
    expect(await db.sql(`select attempts from otp_challenge where id = $1`, [challenge(31, '').id])).toEqual([{ attempts: 1 }]);
  });
});
