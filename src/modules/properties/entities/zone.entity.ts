import { Entity, Index, PrimaryKey, Property as Column } from '@mikro-orm/core';
import { GeoJsonGeometry, GeometryType } from '../../../database/types/geometry.type';

/** Rules of a detailed-plan zone (طرح تفصیلی); see the calculators for how they apply. */
export interface ZoneRules {
  allowedUses: string[];
  maxOccupancyPercent: number;
  baseDensityPercent: number;
  maxDensityPercent: number;
  maxFloors: number;
  minPlotArea: number;
  setbacks: { front: number; back: number; side: number };
  bands: Array<{ minPlotArea: number; maxPlotArea: number | null; minRoadWidth: number; maxRoadWidth: number | null; densityPercent: number }>;
  parkingRule: { perUnit: number; perCommercialM2: number };
}

@Entity({ tableName: 'zone' })
@Index({ name: 'zone_geom_gist', expression: 'create index "zone_geom_gist" on "zone" using gist ("geom")' })
export class Zone {
  @PrimaryKey({ type: 'text' })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'json' })
  rules: ZoneRules;

  @Column({ type: 'text' })
  planName: string;

  /** Jalali approval date of the plan. */
  @Column({ type: 'text' })
  approvalDate: string;

  @Column({ type: GeometryType.forKind('MultiPolygon'), ignoreSchemaChanges: ['type'], lazy: true })
  geom: GeoJsonGeometry;

  @Column({ type: 'datetime', columnType: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
