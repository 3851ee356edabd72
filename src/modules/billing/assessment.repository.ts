import { Injectable } from '@nestjs/common';
import { cte, query, type Query, statement, withCtes } from '../../database/sql';
import { PropertyBillingFacts } from '../properties/billing-facts.read-model';

/** What one assessment batch did: the last subject id it read (null: none), how many it read and how many demands it created. */
export interface AssessBatch {
  lastId: string | null;
  n: number;
  created: number;
}

// The parts of the two batch statements reference each other by these fixed names (t: the
// tariff, batch: the subjects, calc, amounts, ins), all chosen here.

/**
 * Renewal tax and waste fee of a batch of properties, computed in SQL with exact numeric
 * arithmetic (areas in hundredths of m², `div` = integer division, i.e. rounded down).
 *   renewal = ⌊(land cm² × land value + building cm² × building value) × rate‰ / 100 / 1000⌋
 *   waste   = ⌊base(use) × band‰ × zone‰ × max(units, 1) / 10⁶⌋
 * Zero amounts (e.g. green spaces) make no demand. Existing demands are kept
 * (`on conflict do nothing`), so a run can be repeated or resumed.
 */
const PROPERTY_CALC = `  select p.id, p.renewal_code, p.region,
         p.land_area, p.building_area, p.structure_type, p.use, p.units, p.zone_code,
         round(p.land_area::numeric * 100) as land_cm2,
         round(p.building_area::numeric * 100) as building_cm2,
         coalesce(rv.land_value_per_m2::numeric, (t.renewal->>'defaultLandValuePerM2')::numeric) as land_value,
         case when rv.land_value_per_m2 is null then 'default' else 'block' end as land_value_source,
         coalesce((t.renewal->'buildingValuePerM2'->>p.structure_type::text), t.renewal->'buildingValuePerM2'->>'other')::numeric as building_value,
         (t.renewal->>'ratePerMille')::numeric as rate,
         coalesce((t.waste->'baseRialsByUse'->>p.use::text), t.waste->'baseRialsByUse'->>'other')::numeric as waste_base,
         (select (b->>'factorPermille')::numeric from jsonb_array_elements(t.waste->'areaBands') b
           where (case when p.building_area > 0 then p.building_area else p.land_area end)::numeric >= (b->>'fromM2')::numeric
             and (b->>'toM2' is null or (case when p.building_area > 0 then p.building_area else p.land_area end)::numeric < (b->>'toM2')::numeric)
           limit 1) as band,
         coalesce((t.waste->'zoneCoefficientPermille'->>p.zone_code)::numeric, 1000) as zone_coef,
         greatest(p.units, 1) as units_billed
    from batch p
    cross join t
    left join billing_regional_value rv
      on rv.jalali_year = t.jalali_year and rv.region = p.region and rv.district = p.district and rv.block = p.block
`;

const PROPERTY_AMOUNTS = `  select c.*,
         div((c.land_cm2 * c.land_value + c.building_cm2 * c.building_value) * c.rate, 100000) as renewal_amount,
         div(c.waste_base * coalesce(c.band, 0) * c.zone_coef * c.units_billed, 1000000) as waste_amount
    from calc c
`;

const PROPERTY_INS = `  insert into billing_demand (id, created_at, updated_at, fee_type, subject_id, subject_code, property_id, region, jalali_year,
                              amount_rials, assessed_rials, status, tariff_id, snapshot)
  select gen_random_uuid(), now(), now(), f.fee_type, a.id, a.renewal_code, a.id, a.region, t.jalali_year,
         f.amount, f.amount, 'open', t.id,
         jsonb_build_object('tariffId', t.id, 'tariffVersion', t.version, 'jalaliYear', t.jalali_year,
                            'penalty', t.penalty, 'discount', t.discount, 'inputs', f.inputs, 'amountRials', f.amount::text)
    from amounts a
    cross join t
    cross join lateral (values
      ('renewal', a.renewal_amount, jsonb_build_object(
          'landAreaM2', a.land_area, 'buildingAreaM2', a.building_area, 'structureType', a.structure_type,
          'landValuePerM2', a.land_value, 'landValueSource', a.land_value_source,
          'buildingValuePerM2', a.building_value, 'ratePerMille', a.rate)),
      ('waste', a.waste_amount, jsonb_build_object(
          'use', a.use, 'areaM2', case when a.building_area > 0 then a.building_area else a.land_area end,
          'baseRials', a.waste_base, 'bandFactorPermille', a.band, 'zoneCode', a.zone_code,
          'zoneCoefficientPermille', a.zone_coef, 'units', a.units_billed))
    ) as f(fee_type, amount, inputs)
   where f.amount > 0
  on conflict (subject_id, fee_type, jalali_year) do nothing
  returning 1
`;

/** Guild fee of a batch of active licences: ⌊(base × 100 + area cm² × per m²) × location‰ / 100 / 1000⌋. */
const GUILD_CALC = `  select g.id, g.guild_code, g.property_id, g.region, g.category, g.area_m2,
         coalesce(t.guild->'categories'->g.category, t.guild->'categories'->'other') as cat,
         case when jsonb_exists(t.guild->'categories', g.category) then g.category else 'other' end as category_used,
         round(g.area_m2::numeric * 100) as area_cm2,
         coalesce((t.guild->'locationCoefficientPermille'->>g.region::text)::numeric, 1000) as loc
    from batch g cross join t
`;

const GUILD_INS = `  insert into billing_demand (id, created_at, updated_at, fee_type, subject_id, subject_code, property_id, region, jalali_year,
                              amount_rials, assessed_rials, status, tariff_id, snapshot)
  select gen_random_uuid(), now(), now(), 'guild', c.id, c.guild_code, c.property_id, c.region, t.jalali_year,
         x.amount, x.amount, 'open', t.id,
         jsonb_build_object('tariffId', t.id, 'tariffVersion', t.version, 'jalaliYear', t.jalali_year,
                            'penalty', t.penalty, 'discount', t.discount, 'amountRials', x.amount::text,
                            'inputs', jsonb_build_object('category', c.category, 'categoryUsed', c.category_used, 'areaM2', c.area_m2,
                                                         'baseRials', (c.cat->>'baseRials')::numeric, 'perM2Rials', (c.cat->>'perM2Rials')::numeric,
                                                         'region', c.region, 'locationCoefficientPermille', c.loc))
    from calc c cross join t
    cross join lateral (select div(((c.cat->>'baseRials')::numeric * 100 + c.area_cm2 * (c.cat->>'perM2Rials')::numeric) * c.loc, 100000) as amount) x
   where x.amount > 0
  on conflict (subject_id, fee_type, jalali_year) do nothing
  returning 1
`;

const RESULT = `select (select id::text from batch order by id desc limit 1) as last_id,
       (select count(*) from batch)::int as n,
       (select count(*) from ins)::int as created`;

const readBatch = (rows: Array<Record<string, unknown>>): AssessBatch => ({
  lastId: rows[0]?.last_id == null ? null : String(rows[0].last_id),
  n: Number(rows[0]?.n ?? 0),
  created: Number(rows[0]?.created ?? 0),
});

/**
 * The yearly assessment's statements: set-based `insert … select … on conflict do nothing`
 * into `billing_demand`, one id-ordered batch per statement, the properties' facts from the
 * properties module's read model.
 */
@Injectable()
export class AssessmentRepository {
  constructor(private readonly properties: PropertyBillingFacts) {}

  /** Renewal and waste demands of the year for up to `limit` properties after `afterId`. */
  propertyBatch(jalaliYear: number, afterId: string, limit: number): Query<AssessBatch> {
    return withCtes(
      [
        cte(tariff(jalaliYear), 't'),
        cte(this.properties.assessmentBatch(afterId, limit), 'batch'),
        cte(statement(PROPERTY_CALC, []), 'calc'),
        cte(statement(PROPERTY_AMOUNTS, []), 'amounts'),
        cte(statement(PROPERTY_INS, []), 'ins'),
      ],
      query(RESULT, [], readBatch),
    );
  }

  /** Guild fee demands of the year for up to `limit` active licences after `afterId`. */
  guildBatch(jalaliYear: number, afterId: string, limit: number): Query<AssessBatch> {
    return withCtes(
      [
        cte(tariff(jalaliYear), 't'),
        cte(statement(`select * from guild_licence where id > ? and active order by id limit ?`, [afterId, limit]), 'batch'),
        cte(statement(GUILD_CALC, []), 'calc'),
        cte(statement(GUILD_INS, []), 'ins'),
      ],
      query(RESULT, [], readBatch),
    );
  }
}

/** The year's newest tariff version as one row. */
function tariff(jalaliYear: number) {
  return statement(`select * from billing_tariff where jalali_year = ? order by version desc limit 1`, [jalaliYear]);
}
