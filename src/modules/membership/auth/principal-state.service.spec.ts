import type { MikroORM } from '@mikro-orm/postgresql';
import type { ResolvedConfig } from '../../../config/app-config';
import { type PrincipalKey, PrincipalStateRepository } from './principal-state.repository';
import { PrincipalStateService } from './principal-state.service';
import type { AccessTokenClaims } from './token.types';

const STAFF = '0193b0f4-8a5e-7c1d-9f2a-3b4c5d6e7f80';
const ORG = '0193b0f4-8a5e-7c1d-9f2a-3b4c5d6e7f81';

/** The service over a fake connection whose answer the test sets; `statements` records each read's key. */
function setup(cacheMs: number) {
  let row: { active: boolean; epoch: number } | undefined = { active: true, epoch: 0 };
  let failNext = false;
  const statements: PrincipalKey[] = [];
  const repository = new PrincipalStateRepository();
  const find = repository.find.bind(repository);
  jest.spyOn(repository, 'find').mockImplementation((key: PrincipalKey) => {
    statements.push(key);
    return find(key);
  });
  const execute = jest.fn(async () => {
    if (failNext) {
      failNext = false;
      throw new Error('connection lost');
    }
    return row ? [{ ...row, verified: true }] : [];
  });
  const orm = { em: { fork: () => ({ execute }) } } as unknown as MikroORM;
  const service = new PrincipalStateService(orm, repository, { auth: { revocationCacheMs: cacheMs } } as ResolvedConfig);
  return {
    service,
    statements,
    set: (next: typeof row) => (row = next),
    failNextRead: () => (failNext = true),
  };
}

const staff = (ep?: number): AccessTokenClaims => ({ sub: STAFF, typ: 'staff', roles: ['region_clerk'], regions: [1], ep });

describe('PrincipalStateService', () => {
  afterEach(() => jest.useRealTimers());

  it('accepts a token at the current epoch of an active principal; refuses another epoch, an inactive or a missing one', async () => {
    const s = setup(0);
    expect(await s.service.holds(staff(0))).toBe(true);
    expect(await s.service.holds(staff(1))).toBe(false);
    s.set({ active: false, epoch: 0 });
    expect(await s.service.holds(staff(0))).toBe(false);
    s.set(undefined);
    expect(await s.service.holds(staff(0))).toBe(false);
  });

  it('counts a token without an epoch (issued before epochs existed) as epoch 0', async () => {
    const s = setup(0);
    expect(await s.service.holds(staff(undefined))).toBe(true);
    s.set({ active: true, epoch: 1 });
    expect(await s.service.holds(staff(undefined))).toBe(false);
  });

  it('reads on every request with a window of 0', async () => {
    const s = setup(0);
    await s.service.holds(staff(0));
    await s.service.holds(staff(0));
    expect(s.statements).toHaveLength(2);
  });

  it('trusts a read for the window, then sees the change', async () => {
    jest.useFakeTimers({ now: new Date('2026-12-05T08:00:00Z') });
    const s = setup(5000);
    expect(await s.service.holds(staff(0))).toBe(true);
    s.set({ active: false, epoch: 1 });
    jest.setSystemTime(new Date('2026-12-05T08:00:04.999Z'));
    expect(await s.service.holds(staff(0))).toBe(true);
    expect(s.statements).toHaveLength(1);
    jest.setSystemTime(new Date('2026-12-05T08:00:05Z'));
    expect(await s.service.holds(staff(0))).toBe(false);
    expect(s.statements).toHaveLength(2);
  });

  it('lets concurrent requests of one principal share one read, and does not keep a failed read', async () => {
    const s = setup(5000);
    const answers = await Promise.all([s.service.holds(staff(0)), s.service.holds(staff(0)), s.service.holds(staff(0))]);
    expect(answers).toEqual([true, true, true]);
    expect(s.statements).toHaveLength(1);

    const t = setup(5000);
    t.failNextRead();
    await expect(t.service.holds(staff(0))).rejects.toThrow('connection lost');
    expect(await t.service.holds(staff(0))).toBe(true);
    expect(t.statements).toHaveLength(2);
  });

  it('checks an organization token by its client and organization, both active', async () => {
    const s = setup(0);
    expect(await s.service.holds({ sub: ORG, typ: 'organization', scopes: ['bills:report'], cid: 'qz_bank_1', ep: 0 })).toBe(true);
    expect(s.statements[0]).toEqual({ kind: 'organization', organizationId: ORG, clientId: 'qz_bank_1' });
    // no client id, or a subject that is no id: refused without a read
    expect(await s.service.holds({ sub: ORG, typ: 'organization', scopes: [] })).toBe(false);
    expect(await s.service.holds({ sub: 'x', typ: 'citizen' })).toBe(false);
    expect(s.statements).toHaveLength(1);
  });
});
