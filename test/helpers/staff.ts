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
