import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { createHmac, randomInt } from 'node:crypto';
import { uuidv7 } from '@app/common';
import { normalizeMobile } from '@app/iran';
import { APP_CONFIG } from '../../../config/config.module';
import { composeWith, executeBatch, type NamedStatement } from '../../../database/sql-batch';
import { type Cte, cte, onlyWhenCte, statement } from '../../../database/sql';
import type { ResolvedConfig } from '../../../config/app-config';
import { NotificationsService } from '../../notifications/notifications.service';
import { clientKey, RateLimitRule, RateLimitService, readHit } from '../../rate-limit/rate-limit.service';
import { OtpPurpose } from '../entities/otp-challenge.entity';
import { MembershipErrors } from '../membership.errors';
import { jsonValue } from '../../../database/json-value';

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
    const citizenCode = input.purpose === OtpPurpose.CitizenLogin;
    const cooldownSeconds = citizenCode ? otp.resendCooldownSeconds : 0;
    const perHour = citizenCode ? otp.maxPerMobilePerHour : this.config.auth.staffOtpMaxPerHour;
    const ipRule =
      citizenCode && input.ip ? { key: `otp:ip:${clientKey(input.ip)}`, limit: otp.maxPerIpPerHour, windowSeconds: 3600 } : undefined;
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const challengeId = uuidv7();
    const mobileOk = cte(
      statement(`select from recent where (last is null or last <= at - make_interval(secs => ?)) and n < ?`, [cooldownSeconds, perHour]),
    );
    const ipHit = ipRule ? cte(this.limits.hit(ipRule, mobileOk)) : undefined;
    const accepted = ipHit ?? mobileOk;
    const sms = this.notifications.queueSms(
      {
        mobile: input.mobile,
        template: input.purpose === OtpPurpose.CitizenLogin ? 'otp_login' : 'staff_2fa',
        params: { code },
        secretParams: ['code'],
      },
      accepted,
    );
    const composed = composeWith(
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
        named(mobileOk),
        ...(ipHit ? [named(ipHit)] : []),
        {
          name: 'challenge',
          sql: `insert into otp_challenge (id, mobile, purpose, code_hash, expires_at, attempts, max_attempts, staff_user_id, created_at, updated_at)
                select ?, ?, ?, ?, at + make_interval(secs => ?), 0, ?, ?, at, at from clock${onlyWhenCte(accepted)}`,
          params: [challengeId, input.mobile, input.purpose, this.hash(input.purpose, code), otp.ttlSeconds, otp.maxAttempts, input.staffUserId ?? null],
        },
        ...sms.queries.map((q) => named(cte(q))),
      ],
      {
        sql: `select r.n, r.last, r.oldest, r.at, exists (select from ${mobileOk.name}) as mobile_ok,
                     ${ipHit ? `(select row_to_json(h) from ${ipHit.name} h)` : 'null'} as ip_hit, now() as db_now
                from recent r`,
        params: [],
      },
    );
    const [, [row]] = await executeBatch(em, [{ sql: 'select pg_advisory_xact_lock(hashtextextended(?, 0))', params: [`otp:${input.mobile}`] }, composed]);
    if (!row.mobile_ok) {
      const time = (v: unknown) => new Date(v as string | Date).getTime();
      const now = time(row.at);
      const cooldownWait = row.last ? Math.ceil((time(row.last) + cooldownSeconds * 1000 - now) / 1000) : 0;
      if (cooldownWait > 0) throw MembershipErrors.OTP_RESEND_TOO_SOON({ retryAfterSeconds: cooldownWait });
      const wait = Math.ceil((time(row.oldest) + 3600_000 - now) / 1000);
      throw MembershipErrors.OTP_TOO_MANY_REQUESTS({ retryAfterSeconds: Math.max(1, wait) });
    }
    if (ipRule) {
      const hit = jsonValue<Record<string, unknown> | null>(row.ip_hit) ?? undefined;
      this.limits.assertAllowed(this.limits.resultOf(ipRule, hit && readHit(hit), new Date(row.db_now as string | Date)), (retryAfterSeconds) =>
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
    const codeHash = this.hash(input.purpose, input.code);
    // a citizen login also learns, in the same statement, whether the number belongs to a member
    const member =
      input.purpose === OtpPurpose.CitizenLogin
        ? `, (select json_build_object('id', m.id, 'active', m.active, 'epoch', m.token_epoch) from citizen m where m.mobile = u.mobile and u.ok) as citizen`
        : '';
    const ipHit = input.ipLimit ? cte(this.limits.hit(input.ipLimit)) : undefined;
    const gate = input.ipLimit ? 'ip_ok' : undefined;
    const composed = composeWith(
      [
        ...(ipHit && input.ipLimit
          ? [named(ipHit), { name: 'ip_ok', sql: `select from ${ipHit.name} where count <= ?`, params: [input.ipLimit.limit] }]
          : []),
        {
          name: 'c',
          sql: `select id, code_hash, attempts, max_attempts from otp_challenge
                 where ${input.challengeId ? 'id = ?' : 'mobile = ?'} and purpose = ? and consumed_at is null and expires_at > now()
                   ${gate ? `and exists (select from ${gate})` : ''}
                 order by created_at desc limit 1
                 for update`,
          params: [input.challengeId ?? input.mobile, input.purpose],
        },
        {
          name: 'u',
          sql: `update otp_challenge o
                   set consumed_at = case when c.code_hash = ? then now() else o.consumed_at end,
                       attempts = o.attempts + case when c.code_hash = ? then 0 else 1 end,
                       updated_at = now()
                  from c
                 where o.id = c.id and o.attempts < o.max_attempts
                returning o.id, o.mobile, o.staff_user_id, o.attempts, o.max_attempts, o.consumed_at is not null as ok`,
          params: [codeHash, codeHash],
        },
      ],
      {
        sql: `select c.id as found, u.id, u.mobile, u.staff_user_id, u.attempts, u.max_attempts, u.ok${member}
                     ${ipHit ? `, (select row_to_json(h) from ${ipHit.name} h) as ip_hit` : ''}
                from (select 1) one left join c on true left join u on true`,
        params: [],
      },
    );
    const [row] = await em.execute<Array<Record<string, unknown>>>(composed.sql, composed.params);
    if (input.ipLimit) this.limits.assertAllowed(this.limits.resultOf(input.ipLimit, readHit(jsonValue<Record<string, unknown>>(row.ip_hit))));
    if (!row.found) throw MembershipErrors.OTP_EXPIRED();
    if (!row.id) throw MembershipErrors.OTP_LOCKED({ retryAfterSeconds: this.config.auth.otp.resendCooldownSeconds });
    if (!row.ok) throw MembershipErrors.OTP_INVALID({ extensions: { attemptsLeft: Number(row.max_attempts) - Number(row.attempts) } });
    return {
      id: String(row.id),
      mobile: String(row.mobile),
      staffUserId: (row.staff_user_id as string | null) ?? null,
      citizen: jsonValue<VerifiedChallenge['citizen']>(row.citizen ?? null),
    };
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

/** A handle's statement as a CTE of this module's own composed statement, under the handle's name. */
function named(c: Cte): NamedStatement {
  return { name: c.name, sql: c.query.sql, params: c.query.params };
}
