import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { JobsService } from '../../jobs/jobs.service';
import { createHash } from 'node:crypto';
import { APP_CONFIG } from '../../../config/config.module';
import type { ResolvedConfig } from '../../../config/app-config';
import { run } from '../../../database/sql';
import { clientKey } from '../../rate-limit/rate-limit.service';
import { MembershipErrors } from '../membership.errors';
import { StaffLoginThrottleRepository } from './staff-login-throttle.repository';

const PURGE_EVERY_MS = 3600_000;

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
    private readonly repository: StaffLoginThrottleRepository,
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
    const [nameKey, pairKey] = keys(username, ip);
    const row = await run(em, this.repository.count(nameKey, pairKey, this.config.auth.staffLogin));
    // a concurrent attempt that set a wait meanwhile leaves this one uncounted: refused too
    if (row.wait !== null || row.counted < 2) {
      throw MembershipErrors.STAFF_LOGIN_THROTTLED({ retryAfterSeconds: Math.max(1, row.wait ?? 1) });
    }
  }

  /** After a correct password: the username's counter and that of this address start again. */
  async succeeded(em: EntityManager, username: string, ip: string | undefined): Promise<void> {
    await run(em, this.repository.clear(...keys(username, ip)));
  }

  /** Deletes the counters whose failures are forgotten. */
  async purgeForgotten(): Promise<void> {
    await run(this.orm.em.fork(), this.repository.purgeOlderThan(this.config.auth.staffLogin.failureMemoryHours));
  }
}

/** The username's counter key and the (username, client IP) one; both hashed. */
function keys(username: string, ip: string | undefined): [string, string] {
  const name = createHash('sha256').update(username).digest('base64url').slice(0, 22);
  return [`u:${name}`, `u:${name}:ip:${clientKey(ip)}`];
}
