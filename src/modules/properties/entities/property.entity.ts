import { Collection, Entity, Enum, Index, OneToMany, Property as Column } from '@mikro-orm/core';
import { BaseEntity } from '../../../database/base.entity';
import { GeoJsonGeometry, GeometryType } from '../../../database/types/geometry.type';
import { PropertyCertificate } from './property-certificate.entity';
import { PropertyOwner } from './property-owner.entity';

export enum PropertyUse {
  Residential = 'residential',
  Commercial = 'commercial',
  Office = 'office',
  Mixed = 'mixed',
  Educational = 'educational',
  Health = 'health',
  Green = 'green',
  Industrial = 'industrial',
  Other = 'other',
}

export enum StructureType {
  Steel = 'steel',
  Concrete = 'concrete',
  Masonry = 'masonry',
  Other = 'other',
}

/**
 * A property of the municipal registry, identified by its renewal code (کد نوسازی,
 * canonical `region-district-block-parcel-building-apartment-shop`). The parcel geometry is
 * a PostGIS MultiPolygon in SRID 4326; areas are computed with geography/UTM 39N in SQL.
 */
@Entity({ tableName: 'property' })
@Index({ name: 'property_region_idx', properties: ['region'] })
@Index({ name: 'property_postal_code_idx', properties: ['postalCode'] })
@Index({ name: 'property_plate_idx', properties: ['plateMain', 'plateSub'] })
@Index({ name: 'property_geom_gist', expression: 'create index "property_geom_gist" on "property" using gist ("geom")' })
@Index({
  name: 'property_address_trgm',
  expression: 'create index "property_address_trgm" on "property" using gin ("address" gin_trgm_ops)',
})
@Index({
  name: 'property_renewal_code_prefix',
  expression: 'create index "property_renewal_code_prefix" on "property" ("renewal_code" text_pattern_ops)',
})
export class Property extends BaseEntity {
  @Column({ type: 'text', unique: 'property_renewal_code_unique' })
  renewalCode: string;

  @Column({ type: 'smallint' })
  region: number;

  @Column({ type: 'integer' })
  district: number;

  @Column({ type: 'integer' })
  block: number;

  @Column({ type: 'integer' })
  parcel: number;

  @Column({ type: 'integer' })
  building: number = 0;

  @Column({ type: 'integer' })
  apartment: number = 0;

  @Column({ type: 'integer' })
  shop: number = 0;

  @Column({ type: 'text' })
  address: string;

  @Column({ type: 'text', nullable: true })
  postalCode?: string | null;

  /** Registration plate (پلاک ثبتی), main and sub numbers. */
  @Column({ type: 'text', nullable: true })
  plateMain?: string | null;

  @Column({ type: 'text', nullable: true })
  plateSub?: string | null;

  /** m² as recorded in the deed. */
  @Column({ type: 'double' })
  landArea: number;

  @Column({ type: 'double' })
  buildingArea: number = 0;

  @Enum({ items: () => PropertyUse })
  use: PropertyUse;

  @Column({ type: 'integer' })
  floors: number = 0;

  @Column({ type: 'integer' })
  units: number = 0;

  /** Jalali year of construction. */
  @Column({ type: 'integer', nullable: true })
  constructionYear?: number | null;

  @Enum({ items: () => StructureType })
  structureType: StructureType = StructureType.Other;

  /** Width in metres of the road the parcel is reached from. */
  @Column({ type: 'double', nullable: true })
  accessRoadWidth?: number | null;

  @Column({ type: 'double', nullable: true })
  frontage?: number | null;

  @Column({ type: 'text', nullable: true })
  zoneCode?: string | null;

  @Column({ type: GeometryType.forKind('MultiPolygon'), nullable: true, ignoreSchemaChanges: ['type'], lazy: true })
  geom?: GeoJsonGeometry | null;

  @OneToMany(() => PropertyOwner, (o) => o.property, { orphanRemoval: true })
  owners = new Collection<PropertyOwner>(this);

  @OneToMany(() => PropertyCertificate, (c) => c.property, { orphanRemoval: true })
  certificates = new Collection<PropertyCertificate>(this);
}
