import { Injectable } from '@nestjs/common';
import { query, statement, type Query } from '../../../database/sql';
import { composeWith, NamedStatement } from '../../../database/sql-batch';

/** Exponent cap of the delay (2^20 s is far past any STAFF_LOGIN_MAX_DELAY_SECONDS). */
const MAX_EXPONENT = 20;

/** The counting rules, validated integers from the configuration (written into the SQL). */
export interface ThrottleRules {
  freeFailuresPerUsername: number;
  freeFailuresPerIp: number;
  maxDelaySeconds: number;
  failureMemoryHours: number;
}

/** What one attempt found: the seconds to wait (null when none), and how many of the two counters took it. */
export interface AttemptCount {
  wait: number | null;
  counted: number;
}

/** The statements on `staff_login_throttle` (see StaffLoginThrottle for the policy). */
@Injectable()
export class StaffLoginThrottleRepository {
  /**
   * One statement: unless either key is still waiting, counts a failure-to-be on both keys
   * (the name's and the pair's), each setting its next wait once past its free failures.
   */
  count(nameKey: string, pairKey: string, rules: ThrottleRules): Query<AttemptCount> {
    const memory = `now() - make_interval(hours => ${Number(rules.failureMemoryHours)})`;
    const count = (name: string, key: string, free: number): NamedStatement => {
      const failures = `case when t.last_failure_at < ${memory} then 1 else t.failures + 1 end`;
      return {
        name,
        // the wait after this attempt, should it fail: 2^(failures - free) s once past the free ones
        sql: `insert into staff_login_throttle as t (key, failures, last_failure_at, blocked_until)
              select ?, 1, now(), ${blockAfter('1', free, rules.maxDelaySeconds)} where not exists (select from waiting)
              on conflict (key) do update set
                failures = ${failures},
                last_failure_at = now(),
                blocked_until = ${blockAfter(failures, free, rules.maxDelaySeconds)}
              where t.blocked_until is null or t.blocked_until <= now()
              returning key`,
        params: [key],
      };
    };
    const composed = composeWith(
      [
        {
          name: 'waiting',
          sql: `select blocked_until from staff_login_throttle where key in (?, ?) and blocked_until > now()`,
          params: [nameKey, pairKey],
        },
        count('by_name', nameKey, rules.freeFailuresPerUsername),
        count('by_pair', pairKey, rules.freeFailuresPerIp),
      ],
      {
        sql: `select ceil(extract(epoch from (select max(blocked_until) from waiting) - now()))::int as wait,
                     (select count(*) from by_name)::int + (select count(*) from by_pair)::int as counted`,
        params: [],
      },
    );
    return query(composed.sql, composed.params, ([row]) => ({ wait: row.wait == null ? null : Number(row.wait), counted: Number(row.counted) }));
  }

  /** Forgets the name's and the pair's counters. */
  clear(nameKey: string, pairKey: string): Query<void> {
    return statement(`delete from staff_login_throttle where key in (?, ?)`, [nameKey, pairKey]);
  }

  /** Deletes the counters whose last failure is older than `hours`. */
  purgeOlderThan(hours: number): Query<void> {
    return statement(`delete from staff_login_throttle where last_failure_at < now() - make_interval(hours => ?)`, [hours]);
  }
}

/** The end of the wait after `failures` (an SQL expression) when `free` are allowed: 2^(failures - free) s, at most `maxDelay`. */
function blockAfter(failures: string, free: number, maxDelay: number): string {
  return `case when (${failures}) >= ${Number(free)}
            then now() + make_interval(secs => least(power(2, least((${failures}) - ${Number(free)}, ${MAX_EXPONENT})), ${Number(maxDelay)}))
          end`;
}
