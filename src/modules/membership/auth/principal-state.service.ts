import { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../../../config/config.module';
import type { ResolvedConfig } from '../../../config/app-config';
import { run } from '../../../database/sql';
import { PrincipalKey, PrincipalState, PrincipalStateRepository } from './principal-state.repository';
import { AccessTokenClaims } from './token.types';

/** Entries kept at most; past it expired entries are dropped, then all (a cache, never a store). */
const MAX_ENTRIES = 10_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Revocation of access tokens: every token carries its principal's token epoch (`ep`), and
 * each request compares it, and the principal's `active` flag, with the database: a staff
 * account or a citizen by primary key, an organization's token by its API client joined
 * to the organization (client and organization both active). The services bump the epoch
 * where a change must end tokens (disabling, roles, regions, scopes, password, logout).
 *
 * One read per request at most; a process trusts a read for AUTH_REVOCATION_CACHE_MS
 * (default 5 s; 0 = read on every request), so a change takes effect within that window
 * on every instance. Concurrent requests of one principal share one read.
 */
@Injectable()
export class PrincipalStateService {
  private readonly cache = new Map<string, { until: number; state: Promise<PrincipalState | null> }>();
  private readonly ttlMs: number;

  constructor(
    private readonly orm: MikroORM,
    private readonly repository: PrincipalStateRepository,
    @Inject(APP_CONFIG) config: ResolvedConfig,
  ) {
    this.ttlMs = config.auth.revocationCacheMs;
  }

  /** Whether the token's principal is still active at the token's epoch (tokens issued before epochs existed count as epoch 0). */
  async holds(claims: AccessTokenClaims): Promise<boolean> {
    return (await this.current(claims)) !== null;
  }

  /** The principal's state when the token still holds (see `holds`), else null. */
  async current(claims: AccessTokenClaims): Promise<PrincipalState | null> {
    const state = await this.state(claims);
    return state && state.active && state.epoch === (claims.ep ?? 0) ? state : null;
  }

  /** Drops this process's cached state of a principal (after its identity was verified: takes effect at once here). */
  forget(type: 'citizen' | 'staff', id: string): void {
    this.cache.delete(`${type}:${id}`);
  }

  private state(claims: AccessTokenClaims): Promise<PrincipalState | null> {
    if (!UUID.test(claims.sub)) return Promise.resolve(null);
    if (claims.typ === 'organization' && !claims.cid) return Promise.resolve(null);
    const key = claims.typ === 'organization' ? `organization:${claims.sub}:${claims.cid}` : `${claims.typ}:${claims.sub}`;
    if (this.ttlMs === 0) return this.read(claims);
    const now = Date.now();
    const cached = this.cache.get(key);
    if (cached && cached.until > now) return cached.state;
    if (this.cache.size >= MAX_ENTRIES) this.evict(now);
    const state = this.read(claims);
    this.cache.set(key, { until: now + this.ttlMs, state });
    // a failed read is not remembered: the next request asks again
    state.catch(() => this.cache.get(key)?.state === state && this.cache.delete(key));
    return state;
  }

  /** One read by key, outside any request's transaction (the guards run before the handler's). */
  private async read(claims: AccessTokenClaims): Promise<PrincipalState | null> {
    const key: PrincipalKey =
      claims.typ === 'organization' ? { kind: 'organization', organizationId: claims.sub, clientId: claims.cid! } : { kind: claims.typ, id: claims.sub };
    return (await run(this.orm.em.fork(), this.repository.find(key))) ?? null;
  }

  private evict(now: number): void {
    for (const [key, entry] of this.cache) if (entry.until <= now) this.cache.delete(key);
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
  }
}
