import { Injectable } from '@nestjs/common';
import { query, type Query, statement } from '../../database/sql';

/**
 * A row as a bulk statement reads it: one JSON parameter per statement, expanded by
 * PostgreSQL with `json_to_recordset` (the column list of each statement names the fields
 * it reads; other fields are ignored). `geom` is GeoJSON text.
 */
export type BulkRow = Record<string, unknown>;

/** A parcel: the `property` columns (`id`, `renewal_code`, `region`, … `zone_code`) and `geom`. */
export type ParcelRow = BulkRow & { id: string; renewal_code: string; geom: string };
/** An owner of the parcel with `renewal_code`. */
export interface OwnerRow {
  id: string;
  renewal_code: string;
  national_id: string;
  full_name: string;
  share_percent: number;
}
/** A certificate of the parcel with `renewal_code` (`issue_date` ISO). */
export interface CertificateRow {
  id: string;
  renewal_code: string;
  kind: string;
  request_number: string;
  jalali_year: number;
  issue_date: string;
}
export type ZoneRow = BulkRow & { code: string; name: string; rules: unknown; plan_name: string; approval_date: string; geom: string };
export type WideningPlanRow = BulkRow & {
  name: string;
  street_name: string | null;
  approval_date: string;
  geom: string;
  /** Width of the street today and the approved width, in metres (null when the source does not say). */
  current_width?: number | null;
  planned_width?: number | null;
};
export type LayerFeatureRow = BulkRow & { layer: string; name: string; kind: string | null; properties: unknown; geom: string };

/** What is already registered of a parcel file: its renewal codes, and certificate number → holding parcel's code. */
export interface ExistingParcels {
  codes: string[];
  certificateHolders: Map<string, string>;
}

const GEOM = `st_setsrid(st_geomfromgeojson(x.geom), 4326)`;

/**
 * The bulk statements of the property registry's imports (and of any bulk load, such as
 * the demo city): validity and duplicate checks of a whole file in one statement each, and
 * writes of a batch of rows in one statement (the caller chooses the batch size and runs
 * them in its transaction).
 */
@Injectable()
export class PropertyImportRepository {
  /** The 1-based positions of the invalid geometries (GeoJSON objects) and PostGIS's reason. */
  invalidGeometries(geometries: unknown[]): Query<Array<{ ord: number; reason: string | null }>> {
    return query(
      `select t.ord::int as ord, d.reason
         from json_array_elements(?::json) with ordinality as t(g, ord)
         cross join lateral st_isvaliddetail(st_setsrid(st_geomfromgeojson(t.g::text), 4326)) as d
        where not d.valid`,
      [JSON.stringify(geometries)],
      (rows) => rows.map((r) => ({ ord: Number(r.ord), reason: (r.reason as string | null) ?? null })),
    );
  }

  /** Which of these renewal codes exist, and which parcels hold these certificate request numbers. */
  existingParcels(codes: string[], certificateNumbers: string[]): Query<ExistingParcels> {
    return query(
      `select 'p' as t, p.renewal_code as k, null as owner
         from property p where p.renewal_code in (select json_array_elements_text(?::json))
       union all
       select 'c', c.request_number, p.renewal_code
         from property_certificate c join property p on p.id = c.property_id
        where c.request_number in (select json_array_elements_text(?::json))`,
      [JSON.stringify(codes), JSON.stringify(certificateNumbers)],
      (rows) => ({
        codes: rows.filter((r) => r.t === 'p').map((r) => String(r.k)),
        certificateHolders: new Map(rows.filter((r) => r.t === 'c').map((r) => [String(r.k), String(r.owner)])),
      }),
    );
  }

  /** Which of these zone codes exist. */
  existingZones(codes: string[]): Query<string[]> {
    return query(`select code from zone where code in (select json_array_elements_text(?::json))`, [JSON.stringify(codes)], (rows) =>
      rows.map((r) => String(r.code)),
    );
  }

  /** Which of these (name, approval date) widening plans exist. */
  existingWideningPlans(keys: Array<{ name: string; approvalDate: string }>): Query<Array<{ name: string; approvalDate: string }>> {
    return query(
      `select distinct w.name, w.approval_date
         from widening_plan w
         join json_to_recordset(?::json) as x(name text, approval_date text) on x.name = w.name and x.approval_date = w.approval_date`,
      [JSON.stringify(keys.map((k) => ({ name: k.name, approval_date: k.approvalDate })))],
      (rows) => rows.map((r) => ({ name: String(r.name), approvalDate: String(r.approval_date) })),
    );
  }

  /** The positions (0-based) of the candidates a city-layer feature already has: same layer, name and geometry. */
  existingLayerFeatures(candidates: Array<{ layer: string; name: string; geom: string }>): Query<number[]> {
    return query(
      `select distinct x.ord
         from json_to_recordset(?::json) as x(ord int, layer text, name text, geom text)
         join city_layer_feature f on f.layer = x.layer and f.name = x.name
        where f.geom ~= ${GEOM}
          and st_orderingequals(f.geom, ${GEOM})`,
      [JSON.stringify(candidates.map((c, ord) => ({ ord, ...c })))],
      (rows) => rows.map((r) => Number(r.ord)).sort((a, b) => a - b),
    );
  }

  /** Parcels; with `upsert`, one whose renewal code exists is updated instead. */
  insertParcels(rows: ParcelRow[], upsert: boolean): Query<void> {
    return statement(
      `insert into property (id, renewal_code, region, district, block, parcel, building, apartment, shop, address, postal_code,
                             plate_main, plate_sub, land_area, building_area, use, floors, units, construction_year, structure_type,
                             access_road_width, frontage, zone_code, geom, created_at, updated_at)
       select x.id, x.renewal_code, x.region, x.district, x.block, x.parcel, x.building, x.apartment, x.shop, x.address,
              x.postal_code, x.plate_main, x.plate_sub, x.land_area, x.building_area, x.use, x.floors, x.units,
              x.construction_year, x.structure_type, x.access_road_width, x.frontage, x.zone_code,
              st_multi(st_force2d(${GEOM})), now(), now()
         from json_to_recordset(?::json) as x(id uuid, renewal_code text, region smallint, district int, block int, parcel int,
              building int, apartment int, shop int, address text, postal_code text, plate_main text, plate_sub text,
              land_area float8, building_area float8, use text, floors int, units int, construction_year int,
              structure_type text, access_road_width float8, frontage float8, zone_code text, geom text)
       ${
         upsert
           ? `on conflict (renewal_code) do update set
                address = excluded.address, postal_code = excluded.postal_code, plate_main = excluded.plate_main,
                plate_sub = excluded.plate_sub, land_area = excluded.land_area, building_area = excluded.building_area,
                use = excluded.use, floors = excluded.floors, units = excluded.units,
                construction_year = excluded.construction_year, structure_type = excluded.structure_type,
                access_road_width = excluded.access_road_width, frontage = excluded.frontage,
                zone_code = excluded.zone_code, geom = excluded.geom, updated_at = now()`
           : ''
       }`,
      [JSON.stringify(rows)],
    );
  }

  /** Removes the owners of the parcels with these renewal codes (their list is being replaced). */
  deleteOwners(renewalCodes: string[]): Query<void> {
    return statement(
      `delete from property_owner where property_id in
         (select id from property where renewal_code in (select json_array_elements_text(?::json)))`,
      [JSON.stringify(renewalCodes)],
    );
  }

  /** Removes the certificate history of the parcels with these renewal codes (it is being replaced). */
  deleteCertificates(renewalCodes: string[]): Query<void> {
    return statement(
      `delete from property_certificate where property_id in
         (select id from property where renewal_code in (select json_array_elements_text(?::json)))`,
      [JSON.stringify(renewalCodes)],
    );
  }

  insertOwners(rows: OwnerRow[]): Query<void> {
    return statement(
      `insert into property_owner (id, property_id, national_id, full_name, share_percent, created_at, updated_at)
       select x.id, p.id, x.national_id, x.full_name, x.share_percent, now(), now()
         from json_to_recordset(?::json) as x(id uuid, renewal_code text, national_id text, full_name text, share_percent float8)
         join property p on p.renewal_code = x.renewal_code`,
      [JSON.stringify(rows)],
    );
  }

  insertCertificates(rows: CertificateRow[]): Query<void> {
    return statement(
      `insert into property_certificate (id, property_id, kind, request_number, jalali_year, issue_date, created_at, updated_at)
       select x.id, p.id, x.kind, x.request_number, x.jalali_year, x.issue_date, now(), now()
         from json_to_recordset(?::json) as x(id uuid, renewal_code text, kind text, request_number text, jalali_year int, issue_date date)
         join property p on p.renewal_code = x.renewal_code`,
      [JSON.stringify(rows)],
    );
  }

  /** Zones; with `upsert`, one whose code exists is updated instead. */
  insertZones(rows: ZoneRow[], upsert: boolean): Query<void> {
    return statement(
      `insert into zone (code, name, rules, plan_name, approval_date, geom, updated_at)
       select x.code, x.name, x.rules, x.plan_name, x.approval_date, st_multi(st_force2d(${GEOM})), now()
         from json_to_recordset(?::json) as x(code text, name text, rules jsonb, plan_name text, approval_date text, geom text)
       ${
         upsert
           ? `on conflict (code) do update set name = excluded.name, rules = excluded.rules, plan_name = excluded.plan_name,
                approval_date = excluded.approval_date, geom = excluded.geom, updated_at = now()`
           : ''
       }`,
      [JSON.stringify(rows)],
    );
  }

  /** New street name and geometry of existing plans, found by (name, approval date). */
  updateWideningPlans(rows: WideningPlanRow[]): Query<void> {
    return statement(
      `update widening_plan w
          set street_name = x.street_name, geom = st_multi(st_force2d(${GEOM})), updated_at = now()
         from json_to_recordset(?::json) as x(name text, street_name text, approval_date text, geom text)
        where w.name = x.name and w.approval_date = x.approval_date`,
      [JSON.stringify(rows)],
    );
  }

  insertWideningPlans(rows: Array<WideningPlanRow & { id: string }>): Query<void> {
    return statement(
      `insert into widening_plan (id, name, street_name, current_width, planned_width, approval_date, geom, created_at, updated_at)
       select x.id, x.name, x.street_name, x.current_width, x.planned_width, x.approval_date, st_multi(st_force2d(${GEOM})), now(), now()
         from json_to_recordset(?::json) as x(id uuid, name text, street_name text, current_width float8, planned_width float8,
              approval_date text, geom text)`,
      [JSON.stringify(rows)],
    );
  }

  /** New kind and properties of existing features, found by layer, name and exactly the same geometry. */
  updateLayerFeatures(rows: LayerFeatureRow[]): Query<void> {
    return statement(
      `update city_layer_feature f
          set kind = x.kind, properties = x.properties, updated_at = now()
         from json_to_recordset(?::json) as x(layer text, name text, kind text, properties jsonb, geom text)
        where f.layer = x.layer and f.name = x.name
          and f.geom ~= ${GEOM}
          and st_orderingequals(f.geom, ${GEOM})`,
      [JSON.stringify(rows)],
    );
  }

  insertLayerFeatures(rows: Array<LayerFeatureRow & { id: string }>): Query<void> {
    return statement(
      `insert into city_layer_feature (id, layer, name, kind, properties, geom, created_at, updated_at)
       select x.id, x.layer, x.name, x.kind, x.properties, st_force2d(${GEOM}), now(), now()
         from json_to_recordset(?::json) as x(id uuid, layer text, name text, kind text, properties jsonb, geom text)`,
      [JSON.stringify(rows)],
    );
  }

  /** How many properties the registry holds (every kind: parcels, buildings, units, shops). */
  propertyCount(): Query<number> {
    return query(`select count(*)::int as n from property`, [], ([r]) => Number(r.n));
  }

  /** Fresh planner statistics of the registry's tables after a bulk load. */
  analyze(): Query<void> {
    return statement(`analyze property; analyze property_owner; analyze property_certificate`, []);
  }
}
