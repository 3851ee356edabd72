import { Injectable } from '@nestjs/common';
import { jsonValue } from '../../database/json-value';
import { cte, query, type Query, statement, withCtes } from '../../database/sql';
import { PropertyBillingFacts } from '../properties/billing-facts.read-model';

/** The inquiry fees of a year's newest tariff. */
export interface InquiryFees {
  tariffId: string;
  officeRials: number | null;
  notaryRials: number | null;
}

/** A block's regional land value (ارزش منطقه‌ای) per m², integer Rials. */
export interface RegionalValueRow {
  region: number;
  district: number;
  block: number;
  landValuePerM2: number;
}

/** What the land value lookup finds for a property's block: its own value, and the newest tariff's default. */
export interface LandValueFacts {
  blockValue: number | null;
  defaultValue: number | null;
  tariffVersion: number | null;
}

/** The statements on `billing_tariff` and `billing_regional_value` (versions are written through the `Tariff` entity). */
@Injectable()
export class TariffsRepository {
  constructor(private readonly properties: PropertyBillingFacts) {}

  /** The inquiry fees of the year's newest tariff version (undefined: the year has no tariff). */
  latestInquiryFees(jalaliYear: number): Query<InquiryFees | undefined> {
    return query(`select id, inquiry from billing_tariff where jalali_year = ? order by version desc limit 1`, [jalaliYear], (rows) => {
      if (!rows[0]) return undefined;
      const fees = jsonValue<{ officeRials?: number; notaryRials?: number } | null>(rows[0].inquiry);
      return { tariffId: String(rows[0].id), officeRials: fees?.officeRials ?? null, notaryRials: fees?.notaryRials ?? null };
    });
  }

  /** The id of the year's newest tariff version (undefined: none). */
  latestId(jalaliYear: number): Query<string | undefined> {
    return query(`select id from billing_tariff where jalali_year = ? order by version desc limit 1`, [jalaliYear], (rows) =>
      rows[0] ? String(rows[0].id) : undefined,
    );
  }

  /** Holds the year's version lock until the caller's transaction ends (one writer of a year's versions at a time). */
  lockYear(jalaliYear: number): Query<void> {
    return statement(`select pg_advisory_xact_lock(hashtext(?))`, [`billing_tariff:${jalaliYear}`]);
  }

  /** The year's highest version number (null: none yet). */
  latestVersion(jalaliYear: number): Query<number | null> {
    return query(`select max(version) as v from billing_tariff where jalali_year = ?`, [jalaliYear], (rows) => (rows[0]?.v == null ? null : Number(rows[0].v)));
  }

  /** The year's values of these blocks that exist. */
  regionalValuesOf(jalaliYear: number, blocks: Array<{ region: number; district: number; block: number }>): Query<RegionalValueRow[]> {
    return query(
      `select region, district, block, land_value_per_m2 from billing_regional_value
        where jalali_year = ? and (region, district, block) in (select * from json_to_recordset(?::json) as x(region smallint, district int, block int))`,
      [jalaliYear, JSON.stringify(blocks.map((b) => ({ region: b.region, district: b.district, block: b.block })))],
      (rows) =>
        rows.map((r) => ({ region: Number(r.region), district: Number(r.district), block: Number(r.block), landValuePerM2: Number(r.land_value_per_m2) })),
    );
  }

  /** Inserts or replaces the year's values of these blocks. */
  upsertRegionalValues(jalaliYear: number, values: RegionalValueRow[]): Query<void> {
    return statement(
      `insert into billing_regional_value (id, created_at, updated_at, jalali_year, region, district, block, land_value_per_m2)
       select gen_random_uuid(), now(), now(), ?, x.region, x.district, x.block, x.value
         from json_to_recordset(?::json) as x(region smallint, district int, block int, value bigint)
       on conflict (jalali_year, region, district, block) do update set land_value_per_m2 = excluded.land_value_per_m2, updated_at = now()`,
      [jalaliYear, JSON.stringify(values.map((v) => ({ region: v.region, district: v.district, block: v.block, value: v.landValuePerM2 })))],
    );
  }

  /**
   * One statement: the block value of the property's block in the year and the year's newest
   * tariff default (`renewal.defaultLandValuePerM2`); undefined when the property is unknown.
   */
  landValueFor(renewalCode: string, jalaliYear: number): Query<LandValueFacts | undefined> {
    const block = cte(this.properties.blockOf(renewalCode));
    return withCtes(
      [block],
      query(
        `select rv.land_value_per_m2 as block_value,
                (t.renewal->>'defaultLandValuePerM2') as default_value,
                t.version as tariff_version
           from ${block.name} p
           left join billing_regional_value rv
             on rv.jalali_year = ? and rv.region = p.region and rv.district = p.district and rv.block = p.block
           left join lateral (select renewal, version from billing_tariff where jalali_year = ? order by version desc limit 1) t on true`,
        [jalaliYear, jalaliYear],
        (rows) =>
          rows[0] && {
            blockValue: rows[0].block_value == null ? null : Number(rows[0].block_value),
            defaultValue: rows[0].default_value == null ? null : Number(rows[0].default_value),
            tariffVersion: rows[0].tariff_version == null ? null : Number(rows[0].tariff_version),
          },
      ),
    );
  }
}
