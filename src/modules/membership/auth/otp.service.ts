import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { normalizeMobile } from '@app/iran';
import { APP_CONFIG } from '../../../config/config.module';
import type { ResolvedConfig } from '../../../config/app-config';
import { NotificationsService } from '../../notifications/notifications.service';
import { clientKey, RateLimitService } from '../../rate-limit/rate-limit.service';
import { OtpChallenge, OtpPurpose } from '../entities/otp-challenge.entity';
import { MembershipErrors } from '../membership.errors';

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
      // serialize requests for one number so the cooldown and the hourly cap hold under concurrency
      await tx.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`otp:${input.mobile}`]);
      const [recent] = await tx.execute<Array<{ n: string; last: Date | null; oldest: Date | null }>>(
          `select count(*) as n, max(created_at) as last, min(created_at) as oldest from otp_challenge
            where mobile = ? and purpose = ? and created_at > now() - interval '1 hour'`,
          [input.mobile, input.purpose],
        );
      const now = Date.now();
      if (recent.last) {
        const wait = Math.ceil((new Date(recent.last).getTime() + otp.resendCooldownSeconds * 1000 - now) / 1000);
        if (wait > 0) throw MembershipErrors.OTP_RESEND_TOO_SOON({ retryAfterSeconds: wait });
      }
      if (Number(recent.n) >= otp.maxPerMobilePerHour) {
        const wait = Math.ceil((new Date(recent.oldest!).getTime() + 3600_000 - now) / 1000);
        throw MembershipErrors.OTP_TOO_MANY_REQUESTS({ retryAfterSeconds: Math.max(1, wait) });
      }
      if (input.ip) {
        await this.limits.consume(
          { key: `otp:ip:${clientKey(input.ip)}`, limit: otp.maxPerIpPerHour, windowSeconds: 3600 },
          (retryAfterSeconds) => MembershipErrors.OTP_TOO_MANY_REQUESTS({ retryAfterSeconds }),
          tx,
        );
      }
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const challenge = tx.create(OtpChallenge, {
        mobile: input.mobile,
        purpose: input.purpose,
        codeHash: '',
        expiresAt: new Date(now + otp.ttlSeconds * 1000),
        maxAttempts: otp.maxAttempts,
        staffUserId: input.staffUserId ?? null,
      });
      challenge.codeHash = this.hash(challenge.id, code);
      tx.persist(challenge);
      this.notifications.queueSms(tx, {
        mobile: input.mobile,
        template: input.purpose === OtpPurpose.CitizenLogin ? 'otp_login' : 'staff_2fa',
        params: { code },
        secretParams: ['code'],
      });
      return {
        challengeId: challenge.id,
        expiresInSeconds: otp.ttlSeconds,
        resendAfterSeconds: otp.resendCooldownSeconds,
      };
    });
  }

  /**
   * Checks a code against the newest live challenge (of the number, or the given one).
   * Wrong → OTP_INVALID with attemptsLeft; past the limit → OTP_LOCKED; none/expired →
   * OTP_EXPIRED. A right code consumes the challenge.
   */
  async verify(
    em: EntityManager,
    input: { mobile?: string; challengeId?: string; purpose: OtpPurpose; code: string },
  ): Promise<OtpChallenge> {
    const result = await em.transactional(async (tx) => {
      const where = input.challengeId
        ? { id: input.challengeId, purpose: input.purpose }
        : { mobile: input.mobile!, purpose: input.purpose };
      const challenge = await tx.findOne(OtpChallenge, { ...where, consumedAt: null }, {
        orderBy: { createdAt: 'desc' },
        lockMode: LockMode.PESSIMISTIC_WRITE,
      });
      if (!challenge || challenge.expiresAt <= new Date()) return { error: 'expired' as const };
      if (challenge.attempts >= challenge.maxAttempts) {
        return { error: 'locked' as const, retryAfter: this.config.auth.otp.resendCooldownSeconds };
      }
      const expected = Buffer.from(challenge.codeHash, 'hex');
      const actual = Buffer.from(this.hash(challenge.id, input.code), 'hex');
      if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
        challenge.attempts += 1;
        return { error: 'invalid' as const, attemptsLeft: challenge.maxAttempts - challenge.attempts };
      }
      challenge.consumedAt = new Date();
      return { challenge };
    });
    switch (result.error) {
      case 'expired':
        throw MembershipErrors.OTP_EXPIRED();
      case 'locked':
        throw MembershipErrors.OTP_LOCKED({ retryAfterSeconds: result.retryAfter });
      case 'invalid':
        throw MembershipErrors.OTP_INVALID({ extensions: { attemptsLeft: result.attemptsLeft } });
    }
    return result.challenge!;
  }

  private hash(challengeId: string, code: string): string {
    return createHmac('sha256', this.key).update(`${challengeId}:${code}`).digest('hex');
  }
}
