import { Entity, Enum, Property } from '@mikro-orm/core';
import { BaseEntity } from '../../../database/base.entity';

export enum OrganizationKind {
  Bank = 'bank',
  Office = 'office',
  Notary = 'notary',
}

/** A bank, government office or notary office that integrates over the API. */
@Entity({ tableName: 'organization' })
export class Organization extends BaseEntity<'active' | 'notaryOfficeNumber'> {
  @Enum({ items: () => OrganizationKind })
  kind: OrganizationKind;

  @Property({ type: 'text' })
  name: string;

  /** 11-digit legal-entity national ID (شناسه ملی), checksum-validated. */
  @Property({ type: 'text', unique: 'organization_legal_id_unique' })
  legalNationalId: string;

  /** Notary office number (شماره دفترخانه), notaries only. */
  @Property({ type: 'text', nullable: true })
  notaryOfficeNumber?: string | null;

  @Property({ type: 'boolean' })
  active: boolean = true;
}
