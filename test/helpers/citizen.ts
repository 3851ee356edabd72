import { generateNationalId } from '@app/iran';
import type { TestApp } from './test-app';

/** The newest one-time code sent to a number, read through the public sandbox outbox. */
export async function lastCode(t: TestApp, mobile: string): Promise<string> {
  const res = await t.http().get('/api/v1/sandbox/sms-outbox').query({ mobile }).expect(200);
  const items = (Array.isArray(res.body) ? res.body : res.body.items) as Array<{ body: string }>;
  const match = /(\d{6})/.exec(items[0]?.body ?? '');
  if (!match) throw new Error(`no code in the sandbox outbox for ${mobile}`);
  return match[1];
}

let seed = 1000;
/** A fresh checksum-valid national ID. */
export function nationalId(): string {
  return generateNationalId(seed++ + Math.floor(Math.random() * 1e6));
}

/** Registers a new citizen through the HTTP flow; returns tokens and profile. */
export async function registerCitizen(
  t: TestApp,
  mobile: string,
  overrides: Partial<{ nationalId: string; firstName: string; lastName: string }> = {},
): Promise<{ accessToken: string; refreshToken: string; profile: { id: string; nationalId: string } }> {
  await t.http().post('/api/v1/auth/otp').send({ mobile }).expect(202);
  const code = await lastCode(t, mobile);
  const verified = await t.http().post('/api/v1/auth/otp/verify').send({ mobile, code }).expect(200);
  const res = await t
    .http()
    .post('/api/v1/auth/register')
    .send({
      registrationToken: verified.body.registrationToken,
      nationalId: overrides.nationalId ?? nationalId(),
      firstName: overrides.firstName ?? 'علی',
      lastName: overrides.lastName ?? 'محمدی',
      fatherName: 'حسن',
      birthDate: '1370/06/31',
    })
    .expect(201);
  return res.body;
}
