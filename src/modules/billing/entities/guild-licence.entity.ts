import { Entity, Index, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { BaseEntity } from '../../../database/base.entity';
import { Property as RegistryProperty } from '../../properties/entities/property.entity';

/** A business licence (پروانه کسب) of a guild unit occupying a property. */
@Entity({ tableName: 'guild_licence' })
@Index({ name: 'guild_licence_property_idx', properties: ['property'] })
@Index({ name: 'guild_licence_owner_idx', properties: ['ownerNationalId'] })
export class GuildLicence extends BaseEntity<'active'> {
  @Property({ type: 'text', unique: 'guild_licence_code_unique' })
  guildCode: string;

  @Property({ type: 'text' })
  businessName: string;

  /** A key of the guild categories of the tariff (food, clothing, services, ...). */
  @Property({ type: 'text' })
  category: string;

  @Property({ type: 'text' })
  ownerNationalId: string;

  @ManyToOne(() => RegistryProperty, { deleteRule: 'restrict' })
  property: Rel<RegistryProperty>;

  /** Region of the property (copied for region-scoped access). */
  @Property({ type: 'smallint' })
  region: number;

  /** Area of the business unit, m². */
  @Property({ type: 'double' })
  areaM2: number;

  @Property({ type: 'boolean' })
  active: boolean = true;
}
