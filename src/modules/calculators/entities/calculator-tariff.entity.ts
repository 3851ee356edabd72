import { Entity, Property, Unique } from '@mikro-orm/core';
import { BaseEntity } from '../../../database/base.entity';
import type { TariffTables } from '../domain/tariffs';

/**
 * One version of the calculators' tariff and coefficient tables of a Jalali year (the
 * whole `TariffTables` document as jsonb). Rows are never changed: an edit adds the next
 * version, and the newest version of a year is the current one. Calculator results are
 * not stored, so an edit changes only calculations made after it.
 */
@Entity({ tableName: 'calculator_tariff' })
@Unique({ name: 'calculator_tariff_year_version_unique', properties: ['jalaliYear', 'version'] })
export class CalculatorTariff extends BaseEntity {
  @Property({ type: 'integer' })
  jalaliYear: number;

  /** Counts from 1 within a year. */
  @Property({ type: 'integer' })
  version: number;

  @Property({ type: 'json', columnType: 'jsonb' })
  tables: TariffTables;

  /** Why this version was made (e.g. a council resolution), or `default`. */
  @Property({ type: 'text' })
  note: string;
}
