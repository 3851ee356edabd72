import { Injectable } from '@nestjs/common';
import { pgArray } from '../../database/pg-array';
import { firstRow, query, type Query, type Row } from '../../database/sql';

/** A property as a subject of billing: its id, renewal code and region. */
export interface PropertySubject {
  id: string;
  code: string;
  region: number;
}

/** What billing's yearly assessment reads of a property (areas in m², as stored). */
export interface PropertyAssessmentFacts {
  id: string;
  renewalCode: string;
  region: number;
  district: number;
  block: number;
  landArea: number;
  buildingArea: number;
  structureType: string | null;
  use: string;
  units: number;
  zoneCode: string | null;
}

const subject = (r: Row): PropertySubject => ({ id: String(r.id), code: String(r.code), region: Number(r.region) });

/**
 * The property facts billing works from, exported by the properties module (billing names
 * no property table). Each method returns a `Query` that billing runs in its own
 * transaction or composes into its own one-round-trip statement as a CTE (`cte(...)`,
 * `withCtes`); the columns each one selects are part of its contract (documented below).
 */
@Injectable()
export class PropertyBillingFacts {
  /** The property with this canonical renewal code, as columns `id`, `code`, `region` (no row: none). */
  subjectByCode(renewalCode: string): Query<PropertySubject | undefined> {
    return query(`select p.id, p.renewal_code as code, p.region from property p where p.renewal_code = ?`, [renewalCode], firstRow(subject),
    );
  }

  /** Every property except the given codes, as columns `id`, `code`, `region` (to be filtered and ordered by the caller). */
  subjectsExcept(renewalCodes: string[]): Query<PropertySubject[]> {
    return query(
      `select p.id, p.renewal_code as code, p.region from property p where p.renewal_code <> all(?::text[])`,
      [pgArray(renewalCodes)],
      (rows) => rows.map(subject),
    );
  }

  /**
   * Up to `limit` properties with an id after `afterId`, by id: columns `id`, `renewal_code`,
   * `region`, `district`, `block`, `land_area`, `building_area`, `structure_type`, `use`,
   * `units`, `zone_code` (the inputs of the renewal tax and the waste fee).
   */
  assessmentBatch(afterId: string, limit: number): Query<PropertyAssessmentFacts[]> {
    return query(
      `select p.id, p.renewal_code, p.region, p.district, p.block, p.land_area, p.building_area, p.structure_type, p.use, p.units, p.zone_code
         from property p where p.id > ? order by p.id limit ?`,
      [afterId, limit],
      (rows) =>
        rows.map((r) => ({
          id: String(r.id),
          renewalCode: String(r.renewal_code),
          region: Number(r.region),
          district: Number(r.district),
          block: Number(r.block),
          landArea: Number(r.land_area),
          buildingArea: Number(r.building_area),
          structureType: (r.structure_type as string | null) ?? null,
          use: String(r.use),
          units: Number(r.units),
          zoneCode: (r.zone_code as string | null) ?? null,
        })),
    );
  }

  /** The block of the property with this canonical renewal code, as columns `region`, `district`, `block` (no row: none). */
  blockOf(renewalCode: string): Query<{ region: number; district: number; block: number } | undefined> {
    return query(`select p.region, p.district, p.block from property p where p.renewal_code = ?`, [renewalCode], (rows) =>
      rows[0] ? { region: Number(rows[0].region), district: Number(rows[0].district), block: Number(rows[0].block) } : undefined,
    );
  }

  /** How many properties the registry holds (column `n`). */
  count(): Query<number> {
    return query(`select count(*)::int as n from property`, [], (rows) => Number(rows[0]?.n ?? 0));
  }
}
