import { Injectable } from '@nestjs/common';
import { jsonValue } from '../../../database/json-value';
import { type Cte, cte, onlyWhenCte, query, type Query, type Row, statement } from '../../../database/sql';
import { composeWith, type NamedStatement } from '../../../database/sql-batch';
import { type HitRow, readHit } from '../../rate-limit/rate-limit.service';
import { OtpPurpose } from '../entities/otp-challenge.entity';

/** An `otp_challenge` row as issued (its times come from the database's clock). */
export interface NewChallenge {
  id: string;
  mobile: string;
  purpose: OtpPurpose;
  /** The code's HMAC (the code itself never reaches SQL). */
  codeHash: string;
  ttlSeconds: number;
  maxAttempts: number;
  staffUserId: string | null;
}

/** What `issue` found about the number's last hour, and whether it wrote the challenge. */
export interface IssueCheck {
  /** Challenges of the number and purpose in the hour before `at`. */
  count: number;
  last: Date | null;
  oldest: Date | null;
  /** The database's clock, read after the lock. */
  at: Date;
  /** The cooldown and the hourly cap allowed a new challenge (the IP's count aside). */
  mobileOk: boolean;
  /** The client IP's counter after its gated hit (none: refused at its limit, or no IP rule). */
  ipHit: HitRow | null;
  /** The statement's `now()`, for a refused gated hit. */
  dbNow: Date;
}

/** The member a citizen-login code belongs to, read with the consuming update. */
export interface ChallengeCitizen {
  id: string;
  active: boolean;
  epoch: number;
}

/** What one check of a code did. */
export interface VerifyOutcome {
  /** A live challenge was there (and, with an IP limit, the IP was under it). */
  found: boolean;
  /** The challenge as updated; null when its attempts were already used up. */
  challenge: { id: string; mobile: string; staffUserId: string | null; attempts: number; maxAttempts: number; consumed: boolean } | null;
  /** Citizen login with a right code: the member with the number (null: a new number). */
  citizen: ChallengeCitizen | null;
  /** The client IP's counter after this check's hit, when the check counted one. */
  ipHit: HitRow | null;
}

const date = (v: unknown) => (v instanceof Date ? v : new Date(String(v)));
const dateOrNull = (v: unknown) => (v === null || v === undefined ? null : date(v));
const hitOf = (v: unknown): HitRow | null => {
  const json = jsonValue<Row | null>(v ?? null);
  return json ? readHit(json) : null;
};

/** A handle's statement as a CTE of this repository's own composed statement, under the handle's name. */
function named(c: Cte): NamedStatement {
  return { name: c.name, sql: c.query.sql, params: c.query.params };
}

/**
 * Every statement on `otp_challenge`. The OTP paths are hot: issuing is one round trip (the
 * number's advisory lock, then one composed statement), checking a code is one statement.
 */
@Injectable()
export class OtpChallengeRepository {
  /** Serializes the challenges of one number to the end of the (implicit) transaction; send it before `issue`. */
  lockMobile(mobile: string): Query<void> {
    return statement('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`otp:${mobile}`]);
  }

  /**
   * The handle for "the number may have a new challenge": the last one at least
   * `cooldownSeconds` ago and fewer than `perHour` in the last hour. A part of `issue`'s
   * statement: gate the other writes of that statement on it (the IP's hit, the SMS).
   */
  mobileAllows(cooldownSeconds: number, perHour: number): Cte {
    return cte(statement(`select from recent where (last is null or last <= at - make_interval(secs => ?)) and n < ?`, [cooldownSeconds, perHour]), 'mobile_ok');
  }

  /**
   * One statement: reads the number's last hour on the database's clock (read after the
   * lock, where `now()` would be the transaction's start), and writes the challenge only when
   * `accepted` (a handle on `mobileOk`, or on the IP's hit gated on it) has a row; `alongside`
   * (the SMS and its job, gated on `accepted` too) and `ipHit` go in as CTEs. Send it after
   * `lockMobile` in one round trip.
   */
  issue(c: NewChallenge, gates: { mobileOk: Cte; ipHit?: Cte; accepted: Cte }, alongside: Query<unknown>[]): Query<IssueCheck> {
    const { mobileOk, ipHit, accepted } = gates;
    const composed = composeWith(
      [
        { name: 'clock', sql: 'select clock_timestamp() as at', params: [] },
        {
          name: 'recent',
          sql: `select count(*)::int as n, max(created_at) as last, min(created_at) as oldest, (select at from clock) as at from otp_challenge
                 where mobile = ? and purpose = ? and created_at > (select at from clock) - interval '1 hour'`,
          params: [c.mobile, c.purpose],
        },
        named(mobileOk),
        ...(ipHit ? [named(ipHit)] : []),
        {
          name: 'challenge',
          sql: `insert into otp_challenge (id, mobile, purpose, code_hash, expires_at, attempts, max_attempts, staff_user_id, created_at, updated_at)
                select ?, ?, ?, ?, at + make_interval(secs => ?), 0, ?, ?, at, at from clock${onlyWhenCte(accepted)}`,
          params: [c.id, c.mobile, c.purpose, c.codeHash, c.ttlSeconds, c.maxAttempts, c.staffUserId],
        },
        ...alongside.map((q) => named(cte(q))),
      ],
      {
        sql: `select r.n, r.last, r.oldest, r.at, exists (select from ${mobileOk.name}) as mobile_ok,
                     ${ipHit ? `(select row_to_json(h) from ${ipHit.name} h)` : 'null'} as ip_hit, now() as db_now
                from recent r`,
        params: [],
      },
    );
    return query(composed.sql, composed.params, ([r]: Row[]) => ({
      count: Number(r.n),
      last: dateOrNull(r.last),
      oldest: dateOrNull(r.oldest),
      at: date(r.at),
      mobileOk: Boolean(r.mobile_ok),
      ipHit: hitOf(r.ip_hit),
      dbNow: date(r.db_now),
    }));
  }

  /**
   * One statement: locks the newest live challenge (of the number, or the given one) and
   * either consumes it (`codeHash` matches) or counts the wrong try, re-checking "attempts
   * left" on the locked row. `withCitizen` also reads the member with the number when the
   * code was right. With `ip`, its (ungated) hit counts first and a count over `limit` finds
   * no challenge.
   */
  verify(
    input: { challengeId?: string; mobile?: string; purpose: OtpPurpose; codeHash: string; withCitizen: boolean },
    ip?: { hit: Cte; limit: number },
  ): Query<VerifyOutcome> {
    const member = input.withCitizen
      ? `, (select json_build_object('id', m.id, 'active', m.active, 'epoch', m.token_epoch) from citizen m where m.mobile = u.mobile and u.ok) as citizen`
      : '';
    const composed = composeWith(
      [
        ...(ip ? [named(ip.hit), { name: 'ip_ok', sql: `select from ${ip.hit.name} where count <= ?`, params: [ip.limit] }] : []),
        {
          name: 'c',
          sql: `select id, code_hash, attempts, max_attempts from otp_challenge
                 where ${input.challengeId ? 'id = ?' : 'mobile = ?'} and purpose = ? and consumed_at is null and expires_at > now()
                   ${ip ? `and exists (select from ip_ok)` : ''}
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
          params: [input.codeHash, input.codeHash],
        },
      ],
      {
        sql: `select c.id as found, u.id, u.mobile, u.staff_user_id, u.attempts, u.max_attempts, u.ok${member}
                     ${ip ? `, (select row_to_json(h) from ${ip.hit.name} h) as ip_hit` : ''}
                from (select 1) one left join c on true left join u on true`,
        params: [],
      },
    );
    return query(composed.sql, composed.params, ([r]: Row[]) => ({
      found: r.found !== null && r.found !== undefined,
      challenge:
        r.id === null || r.id === undefined
          ? null
          : {
              id: String(r.id),
              mobile: String(r.mobile),
              staffUserId: (r.staff_user_id as string | null) ?? null,
              attempts: Number(r.attempts),
              maxAttempts: Number(r.max_attempts),
              consumed: Boolean(r.ok),
            },
      citizen: jsonValue<ChallengeCitizen | null>(r.citizen ?? null),
      ipHit: hitOf(r.ip_hit),
    }));
  }
}
