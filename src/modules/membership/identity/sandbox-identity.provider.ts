import type { EntityManager } from '@mikro-orm/postgresql';
import { run } from '../../../database/sql';
import { CivilRecord, IdentityProvider, MobileMatch } from './identity-provider';
import { IdentityRegistryRepository } from './identity-registry.repository';

/**
 * The embedded default: answers from `identity_registry_person` (GET/POST/PATCH
 * /api/v1/admin/identity-registry). A national ID matches exactly the mobile listed with it;
 * a national ID that is not listed matches no mobile; the civil record is found when the
 * national ID and the birth date both agree. With IDENTITY_SANDBOX_UNAVAILABLE=true every
 * question is answered `unavailable`, so the 503 path can be tried.
 */
export class SandboxIdentityProvider implements IdentityProvider {
  readonly name = 'sandbox' as const;

  constructor(
    private readonly em: EntityManager,
    private readonly registry: IdentityRegistryRepository,
    private readonly unavailable: () => boolean,
  ) {}

  async matchMobile(nationalId: string, mobile: string): Promise<MobileMatch> {
    if (this.unavailable()) return { result: 'unavailable', reason: 'SANDBOX_UNAVAILABLE' };
    const person = await run(this.em.fork(), this.registry.byNationalId(nationalId));
    return person?.mobile === mobile ? { result: 'matched' } : { result: 'not_matched' };
  }

  async civilRecord(nationalId: string, birthDate: string): Promise<CivilRecord> {
    if (this.unavailable()) return { result: 'unavailable', reason: 'SANDBOX_UNAVAILABLE' };
    const person = await run(this.em.fork(), this.registry.byNationalId(nationalId));
    if (!person || person.birthDate !== birthDate) return { result: 'not_found' };
    return { result: 'found', firstName: person.firstName, lastName: person.lastName, fatherName: person.fatherName, alive: person.alive };
  }
}
