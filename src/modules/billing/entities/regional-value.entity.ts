import { Entity, Property, Unique } from '@mikro-orm/core';
import { BaseEntity } from '../../../database/base.entity';

/** Regional land value (ارزش منطقه‌ای) per m² of one block (region/district/block) in a Jalali year. */
@Entity({ tableName: 'billing_regional_value' })
@Unique({ name: 'billing_regional_value_unique', properties: ['jalaliYear', 'region', 'district', 'block'] })
export class RegionalValue extends BaseEntity {
  @Property({ type: 'integer' })
  jalaliYear: number;

  @Property({ type: 'smallint' })
  region: number;

  @Property({ type: 'integer' })
  district: number;

  @Property({ type: 'integer' })
  block: number;

  /** Integer Rials per m². */
  @Property({ type: 'bigint', columnType: 'bigint' })
  landValuePerM2: string;
}
