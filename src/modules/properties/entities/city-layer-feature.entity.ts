import { Entity, Index, Property as Column } from '@mikro-orm/core';
import { BaseEntity } from '../../../database/base.entity';
import { GeoJsonGeometry, GeometryType } from '../../../database/types/geometry.type';

export enum CityLayer {
  Regions = 'regions',
  Districts = 'districts',
  Streets = 'streets',
  Places = 'places',
}

/** A feature of the city viewer (شهرنما) layers. */
@Entity({ tableName: 'city_layer_feature' })
@Index({ name: 'city_layer_feature_layer_idx', properties: ['layer'] })
@Index({
  name: 'city_layer_feature_geom_gist',
  expression: 'create index "city_layer_feature_geom_gist" on "city_layer_feature" using gist ("geom")',
})
export class CityLayerFeature extends BaseEntity {
  @Column({ type: 'text' })
  layer: CityLayer;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', nullable: true })
  kind?: string | null;

  @Column({ type: 'json', nullable: true })
  properties?: Record<string, unknown> | null;

  @Column({ type: GeometryType.forKind('Geometry'), ignoreSchemaChanges: ['type'], lazy: true })
  geom: GeoJsonGeometry;
}
