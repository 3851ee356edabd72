import { MikroORM } from '@mikro-orm/postgresql';
import { StaffRole } from '../../src/modules/membership/entities/staff-user.entity';
import { StaffService } from '../../src/modules/membership/staff.service';
import type { TestApp } from './test-app';

/** Creates a staff account and logs it in over HTTP; returns its bearer token. */
export async function staffToken(
  t: TestApp,
  input: { username: string; roles: StaffRole[]; regions?: number[]; password?: string },
): Promise<string> {
  const password = input.password ?? 'correct horse battery staple';
  await t.app.get(StaffService).create(
    { username: input.username, password, fullName: input.username, roles: input.roles, regions: input.regions },
    (t.app.get(MikroORM) as MikroORM).em.fork(),
  );
  const res = await t.http().post('/api/v1/staff/auth/login').send({ username: input.username, password }).expect(200);
  return res.body.accessToken as string;
}

let mobileSeq = Math.floor(Math.random() * 1000);

/**
 * A staff bearer token signed directly (no login, no second factor): for tests of other
 * modules that only need "an admin" or "a clerk of region 2". The account row exists.
 */
export async function signedStaffToken(
  t: TestApp,
  input: { username: string; roles: StaffRole[]; regions?: number[] },
): Promise<{ token: string; id: string }> {
  const staff = await t.app.get(StaffService).create(
    {
      username: input.username,
      password: 'not-used-in-this-test',
      fullName: input.username,
      mobile: `0912${String(9000000 + (mobileSeq++ % 999999)).padStart(7, '0')}`,
      roles: input.roles,
      regions: input.regions,
    },
    (t.app.get(MikroORM) as MikroORM).em.fork(),
  );
  const { JwtService } = await import('@nestjs/jwt');
  const { JWT_ISSUER } = await import('../../src/modules/membership/auth/jwt.strategy');
  const token = t.app
    .get(JwtService)
    .sign(
      { sub: staff.id, typ: 'staff', roles: staff.roles, regions: staff.regions, ep: staff.tokenEpoch },
      { expiresIn: 900, issuer: JWT_ISSUER, algorithm: 'HS256' },
    );
  return { token, id: staff.id };
}
