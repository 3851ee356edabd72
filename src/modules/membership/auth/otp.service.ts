import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { uuidv7 } from '@app/common';
import { normalizeMobile } from '@app/iran';
import { APP_CONFIG } from '../../../config/config.module';
import { executeBatch } from '../../../database/sql-batch';
import type { ResolvedConfig } from '../../../config/app-config';
import { NotificationsService } from '../../notifications/notifications.service';
import { clientKey, RateLimitService } from '../../rate-limit/rate-limit.service';
import { OtpPurpose } from '../entities/otp-challenge.entity';
import { MembershipErrors } from '../membership.errors';

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

  /** Creates a challenge and queues its SMS in one transaction. */
  async issue(
    em: EntityManager,
    input: { mobile: string; purpose: OtpPurpose; ip?: string; staffUserId?: string },
  ): Promise<IssuedChallenge> {
    const otp = this.config.auth.otp;
    return em.transactional(async (tx) => {
      // One round trip: serialize requests for one number (so the cooldown and the hourly cap
      // hold under concurrency), then read its last hour, which (its own snapshot, after the
      // lock) includes what the previous holder committed; and count the client IP's request.
      // A refusal below throws, and the rollback takes the IP's count back with it.
      const ipRule = input.ip ? { key: `otp:ip:${clientKey(input.ip)}`, limit: otp.maxPerIpPerHour, windowSeconds: 3600 } : undefined;
      const [, [recent], ipRows] = await executeBatch(tx, [
        { sql: 'select pg_advisory_xact_lock(hashtextextended(?, 0))', params: [`otp:${input.mobile}`] },
        {
          sql: `select count(*) as n, max(created_at) as last, min(created_at) as oldest from otp_challenge
                 where mobile = ? and purpose = ? and created_at > now() - interval '1 hour'`,
          params: [input.mobile, input.purpose],
        },
        ...(ipRule ? [this.limits.hitStatement(ipRule)] : []),
      ]);
      const now = Date.now();
      if (recent.last) {
        const wait = Math.ceil((new Date(recent.last as string | Date).getTime() + otp.resendCooldownSeconds * 1000 - now) / 1000);
        if (wait > 0) throw MembershipErrors.OTP_RESEND_TOO_SOON({ retryAfterSeconds: wait });
      }
      if (Number(recent.n) >= otp.maxPerMobilePerHour) {
        const wait = Math.ceil((new Date(recent.oldest as string | Date).getTime() + 3600_000 - now) / 1000);
        throw MembershipErrors.OTP_TOO_MANY_REQUESTS({ retryAfterSeconds: Math.max(1, wait) });
      }
      if (ipRule) {
        this.limits.assertAllowed(this.limits.resultOf(ipRule, ipRows[0]), (retryAfterSeconds) =>
          MembershipErrors.OTP_TOO_MANY_REQUESTS({ retryAfterSeconds }),
        );
      }
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      // the hottest write of the service: the challenge, its SMS and the SMS's job as one plain
      // statement (no entities to build and flush, one round trip)
      const challengeId = uuidv7();
      const challenge = {
        sql: `insert into otp_challenge (id, mobile, purpose, code_hash, expires_at, attempts, max_attempts, staff_user_id, created_at, updated_at)
              values (?, ?, ?, ?, ?, 0, ?, ?, ?, ?)`,
        params: [
          challengeId,
          input.mobile,
          input.purpose,
          this.hash(challengeId, code),
          new Date(now + otp.ttlSeconds * 1000),
          otp.maxAttempts,
          input.staffUserId ?? null,
          // the application's clock, which the cooldown and the hourly cap above compare it with
          new Date(now),
          new Date(now),
        ],
      };
      await this.notifications.queueSmsNow(
        tx,
        {
          mobile: input.mobile,
          template: input.purpose === OtpPurpose.CitizenLogin ? 'otp_login' : 'staff_2fa',
          params: { code },
          secretParams: ['code'],
        },
        [challenge],
      );
      return {
        challengeId,
        expiresInSeconds: otp.ttlSeconds,
        resendAfterSeconds: otp.resendCooldownSeconds,
      };
    });
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
      const citizen = typeof row.citizen === 'string' ? JSON.parse(row.citizen) : (row.citizen ?? null);
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
