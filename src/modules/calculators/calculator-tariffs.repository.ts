import { Injectable } from '@nestjs/common';
import { firstRow, query, type Query, statement } from '../../database/sql';
import type { TariffTables } from './domain';

/** The newest version of a year's tables, as a calculation reads it. */
export interface LatestTariff {
  id: string;
  version: number;
  tables: TariffTables;
}

/** The statements on `calculator_tariff` beyond the entity's own reads and inserts. */
@Injectable()
export class CalculatorTariffsRepository {
  /** The newest version of a year with its tables (the hot read of every calculation), or undefined. */
  latest(year: number): Query<LatestTariff | undefined> {
    return query(
      `select id, version, tables from calculator_tariff where jalali_year = ? order by version desc limit 1`,
      [year],
      firstRow((r) => ({
        id: String(r.id),
        version: Number(r.version),
        // jsonb arrives parsed from pg, as text from some drivers
        tables: typeof r.tables === 'string' ? (JSON.parse(r.tables) as TariffTables) : (r.tables as TariffTables),
      })),
    );
  }

  /** The newest version number of a year and its id, without the tables, or undefined. */
  latestVersion(year: number): Query<{ id: string; version: number } | undefined> {
    return query(
      `select id, version from calculator_tariff where jalali_year = ? order by version desc limit 1`,
      [year],
      firstRow((r) => ({ id: String(r.id), version: Number(r.version) })),
    );
  }

  /** One writer per year until the caller's transaction ends, so versions stay 1, 2, 3, … without a unique-violation race. */
  lockYear(year: number): Query<void> {
    return statement(`select pg_advisory_xact_lock(hashtext(?))`, [`calculator_tariff:${year}`]);
  }
}
