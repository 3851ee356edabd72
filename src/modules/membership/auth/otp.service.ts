import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { uuidv7 } from '@app/common';
import { normalizeMobile } from '@app/iran';
import { APP_CONFIG } from '../../../config/config.module';
import { composeWith, executeBatch } from '../../../database/sql-batch';
import type { ResolvedConfig } from '../../../config/app-config';
import { NotificationsService } from '../../notifications/notifications.service';
import { clientKey, RateLimitService } from '../../rate-limit/rate-limit.service';
import { OtpPurpose } from '../entities/otp-challenge.entity';
import { MembershipErrors } from '../membership.errors';
import { jsonValue } from '../../../database/json-value';

/** A consumed challenge: whose number, and (staff second factor) whose login it completes. */
export interface VerifiedChallenge {
  id: string;
  mobile: string;
  staffUserId: string | null;
  /** Citizen login: the member with this number, or null for a new number (read with the consuming update). */
  citizen: { id: string; active: boolean } | null;
}

export interface IssuedChallenge {
  challengeId: string;
  expiresInSeconds: number;
  resendAfterSeconds: number;
}

/**
 * One-time SMS codes: 6 digits from a CSPRNG, stored only as an HMAC, valid for
 * OTP_TTL_SECONDS, at most OTP_MAX_ATTEMPTS wrong tries, a resend cooldown and hourly
 * caps per mobile number and per client IP.
 */
@Injectable()
export class OtpService {
  private readonly key: Buffer;

  constructor(
    private readonly limits: RateLimitService,
    private readonly notifications: NotificationsService,
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
  ) {
    this.key = createHmac('sha256', config.auth.otpHmacKey ?? config.auth.jwtSecret).update('otp-code-hash').digest();
  }

  normalizeMobileOrThrow(input: string): string {
    const mobile = normalizeMobile(input);
    if (!mobile) {
      throw MembershipErrors.MOBILE_INVALID({
        fieldErrors: [
          {
            field: 'mobile',
            code: 'isIranMobile',
            message: { fa: 'شماره همراه معتبر نیست.', en: 'Invalid mobile number.' },
          },
        ],
      });
    }
    return mobile;
  }

  /**
   * Creates a challenge and queues its SMS: one round trip, two statements in one implicit
   * transaction. The first serializes the requests for one number (an advisory lock held to
   * the end), so the second, with a snapshot taken after the lock, sees what the previous
   * holder committed. The second reads the number's last hour and, only when the cooldown
   * and the hourly cap allow it and the client IP's hourly count is under its cap, counts the
   * IP's request and writes the challenge, its SMS and the SMS's job (data-modifying CTEs
   * gated on each other). A refused request writes nothing and counts nothing.
   */
  async issue(
    em: EntityManager,
    input: { mobile: string; purpose: OtpPurpose; ip?: string; staffUserId?: string },
  ): Promise<IssuedChallenge> {
    const otp = this.config.auth.otp;
    const ipRule = input.ip ? { key: `otp:ip:${clientKey(input.ip)}`, limit: otp.maxPerIpPerHour, windowSeconds: 3600 } : undefined;
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const challengeId = uuidv7();
    const accepted = ipRule ? 'ip_hit' : 'mobile_ok';
    const sms = this.notifications.smsStatements(
      {
        mobile: input.mobile,
        template: input.purpose === OtpPurpose.CitizenLogin ? 'otp_login' : 'staff_2fa',
        params: { code },
        secretParams: ['code'],
      },
      accepted,
    );
    const statement = composeWith(
      [
        // one clock for the challenge's times and what they are compared with: the database's,
        // read after the lock (now() would be the transaction's start, before the wait)
        { name: 'clock', sql: 'select clock_timestamp() as at', params: [] },
        {
          name: 'recent',
          sql: `select count(*)::int as n, max(created_at) as last, min(created_at) as oldest, (select at from clock) as at from otp_challenge
                 where mobile = ? and purpose = ? and created_at > (select at from clock) - interval '1 hour'`,
          params: [input.mobile, input.purpose],
        },
        {
          name: 'mobile_ok',
          sql: `select from recent where (last is null or last <= at - make_interval(secs => ?)) and n < ?`,
          params: [otp.resendCooldownSeconds, otp.maxPerMobilePerHour],
        },
        ...(ipRule ? [{ name: 'ip_hit', ...this.limits.hitStatement(ipRule, { when: 'mobile_ok' }) }] : []),
        {
          name: 'challenge',
          sql: `insert into otp_challenge (id, mobile, purpose, code_hash, expires_at, attempts, max_attempts, staff_user_id, created_at, updated_at)
                select ?, ?, ?, ?, at + make_interval(secs => ?), 0, ?, ?, at, at from clock where exists (select from ${accepted})`,
          params: [challengeId, input.mobile, input.purpose, this.hash(challengeId, code), otp.ttlSeconds, otp.maxAttempts, input.staffUserId ?? null],
        },
        ...sms.statements,
      ],
      {
        sql: `select r.n, r.last, r.oldest, r.at, exists (select from mobile_ok) as mobile_ok,
                     ${ipRule ? '(select row_to_json(h) from ip_hit h)' : 'null'} as ip_hit, now() as db_now
                from recent r`,
        params: [],
      },
    );
    const [, [row]] = await executeBatch(em, [{ sql: 'select pg_advisory_xact_lock(hashtextextended(?, 0))', params: [`otp:${input.mobile}`] }, statement]);
    if (!row.mobile_ok) {
      const time = (v: unknown) => new Date(v as string | Date).getTime();
      const now = time(row.at);
      const cooldownWait = row.last ? Math.ceil((time(row.last) + otp.resendCooldownSeconds * 1000 - now) / 1000) : 0;
      if (cooldownWait > 0) throw MembershipErrors.OTP_RESEND_TOO_SOON({ retryAfterSeconds: cooldownWait });
      const wait = Math.ceil((time(row.oldest) + 3600_000 - now) / 1000);
      throw MembershipErrors.OTP_TOO_MANY_REQUESTS({ retryAfterSeconds: Math.max(1, wait) });
    }
    if (ipRule) {
      const hit = jsonValue<Record<string, unknown> | null>(row.ip_hit) ?? undefined;
      this.limits.assertAllowed(this.limits.resultOf(ipRule, hit, new Date(row.db_now as string | Date)), (retryAfterSeconds) =>
        MembershipErrors.OTP_TOO_MANY_REQUESTS({ retryAfterSeconds }),
      );
    }
    return {
      challengeId,
      expiresInSeconds: otp.ttlSeconds,
      resendAfterSeconds: otp.resendCooldownSeconds,
    };
  }

  /**
   * Checks a code against the newest live challenge (of the number, or the given one).
   * Wrong → OTP_INVALID with attemptsLeft; past the limit → OTP_LOCKED; none/expired →
   * OTP_EXPIRED. A right code consumes the challenge.
   *
   * Two statements, no explicit transaction: the challenge is read, the code compared in
   * Node (the hash key never reaches SQL), then one conditional UPDATE either consumes it
   * or counts the wrong try. Its WHERE re-checks "not consumed, not expired, attempts left"
   * on the locked row, so concurrent verifies consume a code at most once and never count
   * past the limit.
   */
  async verify(
    em: EntityManager,
    input: { mobile?: string; challengeId?: string; purpose: OtpPurpose; code: string },
  ): Promise<VerifiedChallenge> {
    const [challenge] = await em.execute<Array<{ id: string; code_hash: string; attempts: number; max_attempts: number }>>(
      `select id, code_hash, attempts, max_attempts from otp_challenge
        where ${input.challengeId ? 'id = ?' : 'mobile = ?'} and purpose = ? and consumed_at is null and expires_at > now()
        order by created_at desc limit 1`,
      [input.challengeId ?? input.mobile, input.purpose],
    );
    if (!challenge) throw MembershipErrors.OTP_EXPIRED();
    const locked = () => MembershipErrors.OTP_LOCKED({ retryAfterSeconds: this.config.auth.otp.resendCooldownSeconds });
    if (challenge.attempts >= challenge.max_attempts) throw locked();
    const expected = Buffer.from(challenge.code_hash, 'hex');
    const actual = Buffer.from(this.hash(challenge.id, input.code), 'hex');
    const live = 'id = ? and consumed_at is null and expires_at > now() and attempts < max_attempts';
    if (expected.length === actual.length && timingSafeEqual(expected, actual)) {
      // a citizen login also learns, in the same statement, whether the number belongs to a member
      const member =
        input.purpose === OtpPurpose.CitizenLogin
          ? `, (select json_build_object('id', c.id, 'active', c.active) from citizen c where c.mobile = otp_challenge.mobile) as citizen`
          : '';
      const [row] = await em.execute<Array<{ id: string; mobile: string; staff_user_id: string | null; citizen?: string | { id: string; active: boolean } | null }>>(
        `update otp_challenge set consumed_at = now(), updated_at = now() where ${live} returning id, mobile, staff_user_id${member}`,
        [challenge.id],
      );
      // lost a race with another verify of the same code, or it expired meanwhile
      if (!row) throw MembershipErrors.OTP_EXPIRED();
      const citizen = jsonValue<VerifiedChallenge['citizen']>(row.citizen ?? null);
      return { id: row.id, mobile: row.mobile, staffUserId: row.staff_user_id, citizen };
    }
    const [row] = await em.execute<Array<{ attempts: number; max_attempts: number }>>(
      `update otp_challenge set attempts = attempts + 1, updated_at = now() where ${live} returning attempts, max_attempts`,
      [challenge.id],
    );
    if (!row) throw locked();
    throw MembershipErrors.OTP_INVALID({ extensions: { attemptsLeft: row.max_attempts - row.attempts } });
  }

  private hash(challengeId: string, code: string): string {
    return createHmac('sha256', this.key).update(`${challengeId}:${code}`).digest('hex');
  }
}
