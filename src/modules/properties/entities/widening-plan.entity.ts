import { Entity, Index, Property as Column } from '@mikro-orm/core';
import { BaseEntity } from '../../../database/base.entity';
import { GeoJsonGeometry, GeometryType } from '../../../database/types/geometry.type';

/** Land an approved street line takes (طرح تعریض / بر اصلاحی). */
@Entity({ tableName: 'widening_plan' })
@Index({ name: 'widening_plan_geom_gist', expression: 'create index "widening_plan_geom_gist" on "widening_plan" using gist ("geom")' })
export class WideningPlan extends BaseEntity {
  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', nullable: true })
  streetName?: string | null;

  /** The street's width today, metres (null when the plan did not record it). */
  @Column({ type: 'double', nullable: true })
  currentWidth?: number | null;

  /** The street's width the plan approves, metres. */
  @Column({ type: 'double', nullable: true })
  plannedWidth?: number | null;

  /** Jalali approval date. */
  @Column({ type: 'text' })
  approvalDate: string;

  @Column({ type: GeometryType.forKind('MultiPolygon'), ignoreSchemaChanges: ['type'], lazy: true })
  geom: GeoJsonGeometry;
}
