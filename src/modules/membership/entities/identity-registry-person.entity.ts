import { Entity, Property } from '@mikro-orm/core';
import { BaseEntity } from '../../../database/base.entity';

/**
 * A person of the sandbox identity registry (IDENTITY_PROVIDER=sandbox): the stand-in for
 * the national mobile-ownership registry (national ID ↔ mobile) and the civil registry
 * (national ID + birth date → names, alive). Edited by administrators; never consulted with
 * a real provider.
 */
@Entity({ tableName: 'identity_registry_person' })
export class IdentityRegistryPerson extends BaseEntity<'alive' | 'mobile' | 'note'> {
  @Property({ type: 'text', unique: 'identity_registry_person_national_id_unique' })
  nationalId: string;

  /** The mobile registered to this national ID (canonical `09xxxxxxxxx`); null: none. */
  @Property({ type: 'text', nullable: true })
  mobile?: string | null;

  @Property({ type: 'text' })
  firstName: string;

  @Property({ type: 'text' })
  lastName: string;

  @Property({ type: 'text' })
  fatherName: string;

  /** Jalali `YYYY/MM/DD`. */
  @Property({ type: 'text' })
  birthDate: string;

  @Property({ type: 'boolean' })
  alive: boolean = true;

  @Property({ type: 'text', nullable: true })
  note?: string | null;
}
