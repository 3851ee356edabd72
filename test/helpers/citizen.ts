import { generateNationalId } from '@app/iran';
import { IdentityRegistryService } from '../../src/modules/membership/identity/identity-registry.service';
import type { TestApp } from './test-app';

/** The newest one-time code sent to a number, read through the public sandbox outbox. */
export async function lastCode(t: TestApp, mobile: string): Promise<string> {
  const res = await t.http().get('/api/v1/sandbox/sms-outbox').query({ mobile }).expect(200);
  // the outbox's `code` is the one-time code in ASCII (the SMS text itself has Persian digits)
  const items = res.body.items as Array<{ code: string | null }>;
  const match = /^(\d{6})$/.exec(items[0]?.code ?? '');
  if (!match) throw new Error(`no code in the sandbox outbox for ${mobile}`);
  return match[1];
}

let seed = 1000;
/** A fresh checksum-valid national ID. */
export function nationalId(): string {
  return generateNationalId(seed++ + Math.floor(Math.random() * 1e6));
}

export interface RegistryPerson {
  nationalId: string;
  mobile: string | null;
  firstName?: string;
  lastName?: string;
  fatherName?: string;
  birthDate?: string;
  alive?: boolean;
}

/**
 * Lists a person in the sandbox identity registry (registration verifies against it): the
 * national ID with this mobile, and the civil record (defaults: علی محمدی, father حسن, 1370/06/31).
 */
export async function inRegistry(t: TestApp, p: RegistryPerson): Promise<void> {
  await t.app.get(IdentityRegistryService).put({
    nationalId: p.nationalId,
    mobile: p.mobile,
    firstName: p.firstName ?? 'علی',
    lastName: p.lastName ?? 'محمدی',
    fatherName: p.fatherName ?? 'حسن',
    birthDate: p.birthDate ?? '1370/06/31',
    alive: p.alive,
  });
}

/**
 * Registers a new citizen through the HTTP flow; returns tokens and profile. The person is
 * put in the sandbox identity registry first (national ID ↔ this mobile, the same names and
 * birth date), so the registration verifies; `inRegistry: false` leaves the registry as it is.
 */
export async function registerCitizen(
  t: TestApp,
  mobile: string,
  overrides: Partial<{ nationalId: string; firstName: string; lastName: string; inRegistry: boolean }> = {},
): Promise<{ accessToken: string; refreshToken: string; profile: { id: string; nationalId: string } }> {
  const person = { nationalId: overrides.nationalId ?? nationalId(), firstName: overrides.firstName ?? 'علی', lastName: overrides.lastName ?? 'محمدی' };
  if (overrides.inRegistry !== false) await inRegistry(t, { ...person, mobile });
  await t.http().post('/api/v1/auth/otp').send({ mobile }).expect(202);
  const code = await lastCode(t, mobile);
  const verified = await t.http().post('/api/v1/auth/otp/verify').send({ mobile, code }).expect(200);
  const res = await t
    .http()
    .post('/api/v1/auth/register')
    .send({
      registrationToken: verified.body.registrationToken,
      nationalId: person.nationalId,
      firstName: person.firstName,
      lastName: person.lastName,
      fatherName: 'حسن',
      birthDate: '1370/06/31',
    })
    .expect(201);
  return res.body;
}
