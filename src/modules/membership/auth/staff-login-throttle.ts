import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { JobsService } from '../../jobs/jobs.service';
import { createHash } from 'node:crypto';
import { APP_CONFIG } from '../../../config/config.module';
import type { ResolvedConfig } from '../../../config/app-config';
import { composeWith, NamedStatement } from '../../../database/sql-batch';
import { clientKey } from '../../rate-limit/rate-limit.service';
import { MembershipErrors } from '../membership.errors';

const PURGE_EVERY_MS = 3600_000;

/** Exponent cap of the delay (2^20 s is far past any STAFF_LOGIN_MAX_DELAY_SECONDS). */
const MAX_EXPONENT = 20;

/**
 * Throttling of staff sign-ins without a lock anyone could trigger (NIST SP 800-63B
 * §5.2.2). Attempts are counted per username from one client IP and per username from
 * anywhere, whether or not the username exists. Each counter allows some free failures
 * (STAFF_LOGIN_FREE_FAILURES_PER_IP, much more per username:
 * STAFF_LOGIN_FREE_FAILURES_PER_USERNAME); from then on every failure makes the next
 * attempt wait twice as long (1 s, 2 s, 4 s, … up to STAFF_LOGIN_MAX_DELAY_SECONDS), and an
 * attempt during the wait is refused (STAFF_LOGIN_THROTTLED, 429 + Retry-After) without the
 * password being looked at. So an attacker hammering a name from one address slows only
 * that address; the owner signs in from another. A successful sign-in clears the name's
 * counter and that of its own address; failures are forgotten
 * STAFF_LOGIN_FAILURE_MEMORY_HOURS after the last one.
 */
@Injectable()
export class StaffLoginThrottle implements OnApplicationBootstrap {
  constructor(
    private readonly orm: MikroORM,
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
    private readonly jobs: JobsService,
  ) {}

  /** Where jobs run, forgotten counters are deleted hourly (one DELETE; harmless when several instances do it). */
  onApplicationBootstrap(): void {
    this.jobs.every('staff login throttle purge', PURGE_EVERY_MS, () => this.purgeForgotten());
  }

  /**
   * Counts an attempt before its password is checked (so concurrent attempts cannot all slip
   * under the limit), or refuses it while either counter makes it wait. One statement.
   */
  async attempt(em: EntityManager, username: string, ip: string | undefined): Promise<void> {
    const rules = this.config.auth.staffLogin;
    const [nameKey, pairKey] = keys(username, ip);
    // validated integers from the configuration, written into the SQL; keys are parameters
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
    const statement = composeWith(
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
    const [row] = await em.execute<Array<{ wait: number | null; counted: number }>>(statement.sql, statement.params);
    // a concurrent attempt that set a wait meanwhile leaves this one uncounted: refused too
    if (row.wait !== null || row.counted < 2) {
      throw MembershipErrors.STAFF_LOGIN_THROTTLED({ retryAfterSeconds: Math.max(1, row.wait ?? 1) });
    }
  }

  /** After a correct password: the username's counter and that of this address start again. */
  async succeeded(em: EntityManager, username: string, ip: string | undefined): Promise<void> {
    await em.execute(`delete from staff_login_throttle where key in (?, ?)`, keys(username, ip));
  }

  /** Deletes the counters whose failures are forgotten. */
  async purgeForgotten(): Promise<void> {
    await this.orm.em.fork().execute(`delete from staff_login_throttle where last_failure_at < now() - make_interval(hours => ?)`, [
      this.config.auth.staffLogin.failureMemoryHours,
    ]);
  }
}

/** The end of the wait after `failures` (an SQL expression) when `free` are allowed: 2^(failures - free) s, at most `maxDelay`. */
function blockAfter(failures: string, free: number, maxDelay: number): string {
  return `case when (${failures}) >= ${Number(free)}
            then now() + make_interval(secs => least(power(2, least((${failures}) - ${Number(free)}, ${MAX_EXPONENT})), ${Number(maxDelay)}))
          end`;
}

/** The username's counter key and the (username, client IP) one; both hashed. */
function keys(username: string, ip: string | undefined): [string, string] {
  const name = createHash('sha256').update(username).digest('base64url').slice(0, 22);
  return [`u:${name}`, `u:${name}:ip:${clientKey(ip)}`];
}
