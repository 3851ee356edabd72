import { Entity, Index, ManyToOne, Property as Column, type Rel } from '@mikro-orm/core';
import { BaseEntity } from '../../../database/base.entity';
import { Property } from './property.entity';

/** An owner of a property with their share (percent of six dang). */
@Entity({ tableName: 'property_owner' })
@Index({ name: 'property_owner_national_id_idx', properties: ['nationalId'] })
export class PropertyOwner extends BaseEntity {
  @ManyToOne(() => Property, { deleteRule: 'cascade' })
  property: Rel<Property>;

  @Column({ type: 'text' })
  nationalId: string;

  @Column({ type: 'text' })
  fullName: string;

  @Column({ type: 'double' })
  sharePercent: number;
}
