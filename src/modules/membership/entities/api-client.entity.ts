import { Entity, Index, ManyToOne, Property } from '@mikro-orm/core';
import { BaseEntity } from '../../../database/base.entity';
import { Organization } from './organization.entity';

/**
 * An OAuth 2.0 client (client credentials) of an organization. Secrets are stored hashed;
 * after a rotation the previous secret stays valid until `previousSecretExpiresAt`.
 */
@Entity({ tableName: 'api_client' })
@Index({ name: 'api_client_organization_idx', properties: ['organization'] })
export class ApiClient extends BaseEntity<'active' | 'tokenEpoch' | 'previousSecretHash' | 'previousSecretExpiresAt' | 'lastUsedAt'> {
  @ManyToOne(() => Organization, { deleteRule: 'cascade' })
  organization: Organization;

  /** Public identifier, e.g. `qz_bank_mellat_7f3a…`. */
  @Property({ type: 'text', unique: 'api_client_client_id_unique' })
  clientId: string;

  @Property({ type: 'text' })
  name: string;

  @Property({ type: 'text[]', columnType: 'text[]' })
  scopes: string[];

  @Property({ type: 'text', hidden: true })
  secretHash: string;

  @Property({ type: 'text', nullable: true, hidden: true })
  previousSecretHash?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  previousSecretExpiresAt?: Date | null;

  @Property({ type: 'boolean' })
  active: boolean = true;

  /**
   * Bumped when the client's scopes change or it or its organization is disabled: ends the
   * client's access tokens at once (see PrincipalStateService).
   */
  @Property({ type: 'integer' })
  tokenEpoch: number = 0;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  lastUsedAt?: Date | null;
}
