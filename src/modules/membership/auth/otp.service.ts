import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { createHmac, randomInt } from 'node:crypto';
import { uuidv7 } from '@app/common';
import { normalizeMobile } from '@app/iran';
import { APP_CONFIG } from '../../../config/config.module';
import { cte, run, runAll } from '../../../database/sql';
import type { ResolvedConfig } from '../../../config/app-config';
import { NotificationsService } from '../../notifications/notifications.service';
import { clientKey, RateLimitRule, RateLimitService } from '../../rate-limit/rate-limit.service';
import { OtpPurpose } from '../entities/otp-challenge.entity';
import { MembershipErrors } from '../membership.errors';
import { OtpChallengeRepository } from './otp-challenge.repository';

const TEMPLATES = {
  [OtpPurpose.CitizenLogin]: 'otp_login',
  [OtpPurpose.StaffSecondFactor]: 'staff_2fa',
  [OtpPurpose.MobileChange]: 'otp_mobile_change',
} as const;

/** A consumed challenge: whose number, and (staff second factor) whose login it completes. */
export interface VerifiedChallenge {
  id: string;
  mobile: string;
  staffUserId: string | null;
  /** Citizen login: the member with this number, or null for a new number (read with the consuming update). */
  citizen: { id: string; active: boolean; epoch: number } | null;
}

export interface IssuedChallenge {
  challengeId: string;
  expiresInSeconds: number;
  resendAfterSeconds: number;
}

/**
 * One-time SMS codes: 6 digits from a CSPRNG, stored only as an HMAC, valid for
 * OTP_TTL_SECONDS, at most OTP_MAX_ATTEMPTS wrong tries. Citizens' codes have a resend
 * cooldown and hourly caps per mobile number and per client IP. Staff second-factor codes
 * are counted apart, by their own hourly cap per mobile number (STAFF_OTP_MAX_PER_HOUR),
 * with no cooldown and no per-IP count: each follows a correct password, whose attempts
 * StaffLoginThrottle limits.
 */
@Injectable()
export class OtpService {
  private readonly key: Buffer;

  constructor(
    private readonly limits: RateLimitService,
    private readonly notifications: NotificationsService,
    private readonly challenges: OtpChallengeRepository,
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
    // a member's mobile-change code follows the citizen login's rules (cooldown, hourly caps per number and IP), counted apart
    const citizenCode = input.purpose !== OtpPurpose.StaffSecondFactor;
    const cooldownSeconds = citizenCode ? otp.resendCooldownSeconds : 0;
    const perHour = citizenCode ? otp.maxPerMobilePerHour : this.config.auth.staffOtpMaxPerHour;
    const ipRule =
      citizenCode && input.ip ? { key: `otp:ip:${clientKey(input.ip)}`, limit: otp.maxPerIpPerHour, windowSeconds: 3600 } : undefined;
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const challengeId = uuidv7();
    const mobileOk = this.challenges.mobileAllows(cooldownSeconds, perHour);
    const ipHit = ipRule ? cte(this.limits.hit(ipRule, mobileOk)) : undefined;
    const accepted = ipHit ?? mobileOk;
    const sms = this.notifications.queueSms(
      {
        mobile: input.mobile,
        template: TEMPLATES[input.purpose],
        params: { code },
        secretParams: ['code'],
      },
      accepted,
    );
    const [, found] = await runAll(em, [
      this.challenges.lockMobile(input.mobile),
      this.challenges.issue(
        {
          id: challengeId,
          mobile: input.mobile,
          purpose: input.purpose,
          codeHash: this.hash(input.purpose, code),
          ttlSeconds: otp.ttlSeconds,
          maxAttempts: otp.maxAttempts,
          staffUserId: input.staffUserId ?? null,
        },
        { mobileOk, ipHit, accepted },
        sms.queries,
      ),
    ]);
    if (!found.mobileOk) {
      const now = found.at.getTime();
      const cooldownWait = found.last ? Math.ceil((found.last.getTime() + cooldownSeconds * 1000 - now) / 1000) : 0;
      if (cooldownWait > 0) throw MembershipErrors.OTP_RESEND_TOO_SOON({ retryAfterSeconds: cooldownWait });
      const wait = Math.ceil(((found.oldest?.getTime() ?? 0) + 3600_000 - now) / 1000);
      throw MembershipErrors.OTP_TOO_MANY_REQUESTS({ retryAfterSeconds: Math.max(1, wait) });
    }
    if (ipRule) {
      this.limits.assertAllowed(this.limits.resultOf(ipRule, found.ipHit ?? undefined, found.dbNow), (retryAfterSeconds) =>
        MembershipErrors.OTP_TOO_MANY_REQUESTS({ retryAfterSeconds }),
      );
    }
    return {
      challengeId,
      expiresInSeconds: otp.ttlSeconds,
      resendAfterSeconds: cooldownSeconds,
    };
  }

  /**
   * Checks a code against the newest live challenge (of the number, or the given one).
   * Wrong → OTP_INVALID with attemptsLeft; past the limit → OTP_LOCKED; none/expired →
   * OTP_EXPIRED. A right code consumes the challenge. With `ipLimit`, every check counts
   * against the client IP first, and one over the limit is refused (RATE_LIMITED, 429 +
   * Retry-After) before the code is looked at.
   *
   * One statement, no explicit transaction: the code's HMAC is computed in Node (the key
   * never reaches SQL), and the statement locks the newest live challenge (`for update`),
   * then either consumes it or counts the wrong try, re-checking "attempts left" on the
   * locked row. Concurrent verifies therefore consume a code at most once and never count
   * past the limit; one that waited for a challenge another verify consumed finds none
   * (OTP_EXPIRED), as if it had come a moment later.
   */
  async verify(
    em: EntityManager,
    input: { mobile?: string; challengeId?: string; purpose: OtpPurpose; code: string; ipLimit?: RateLimitRule },
  ): Promise<VerifiedChallenge> {
    const ipHit = input.ipLimit ? cte(this.limits.hit(input.ipLimit)) : undefined;
    const outcome = await run(
      em,
      this.challenges.verify(
        {
          challengeId: input.challengeId,
          mobile: input.mobile,
          purpose: input.purpose,
          codeHash: this.hash(input.purpose, input.code),
          // a citizen login also learns, in the same statement, whether the number belongs to a member
          withCitizen: input.purpose === OtpPurpose.CitizenLogin,
        },
        ipHit && input.ipLimit ? { hit: ipHit, limit: input.ipLimit.limit } : undefined,
      ),
    );
    if (input.ipLimit) this.limits.assertAllowed(this.limits.resultOf(input.ipLimit, outcome.ipHit ?? undefined));
    if (!outcome.found) throw MembershipErrors.OTP_EXPIRED();
    const challenge = outcome.challenge;
    if (!challenge) throw MembershipErrors.OTP_LOCKED({ retryAfterSeconds: this.config.auth.otp.resendCooldownSeconds });
    if (!challenge.consumed) throw MembershipErrors.OTP_INVALID({ extensions: { attemptsLeft: challenge.maxAttempts - challenge.attempts } });
    return { id: challenge.id, mobile: challenge.mobile, staffUserId: challenge.staffUserId, citizen: outcome.citizen };
  }

  /** The per-client-IP limit of citizen code checks (OTP_VERIFY_MAX_PER_IP_PER_HOUR), for `verify`. */
  verifyIpLimit(ip: string | undefined): RateLimitRule {
    return { key: `otp-verify:ip:${clientKey(ip)}`, limit: this.config.auth.otp.verifyMaxPerIpPerHour, windowSeconds: 3600 };
  }

  /** A code's stored form: an HMAC under the OTP key (a 6-digit code is only as safe as that key). */
  private hash(purpose: OtpPurpose, code: string): string {
    return createHmac('sha256', this.key).update(`${purpose}:${code}`).digest('hex');
  }
}
