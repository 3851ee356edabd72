import { EntityManager } from '@mikro-orm/postgresql';
import { uuidv7 } from '@app/common';
import type { ZoneRules } from '../../modules/properties/entities/zone.entity';
import { DemoCity, DemoCitySamples, generateCity, ParcelRecord } from './demo-city';

export interface LoadDemoCityOptions {
  parcels: number;
  seed?: number;
  /** Rows per INSERT (each batch commits on its own, so an interrupted load keeps what it wrote). */
  batchSize?: number;
  /** Called after every batch with (parcels written, total). */
  onProgress?: (done: number, total: number) => void;
}

export interface LoadDemoCityResult {
  loaded: boolean;
  parcels: number;
  elapsedMs: number;
  samples: DemoCitySamples;
}

/**
 * Writes the generated demo city into the property registry: zones, widening plans,
 * city-viewer layers, then parcels with owners and certificate history in batches
 * (one JSON parameter per statement, expanded by PostgreSQL with json_to_recordset).
 * Does nothing when the registry already holds properties (returns the samples anyway).
 */
export async function loadDemoCity(em: EntityManager, options: LoadDemoCityOptions): Promise<LoadDemoCityResult> {
  const started = Date.now();
  const city = generateCity({ parcels: options.parcels, seed: options.seed });
  const [{ n }] = await em.execute<Array<{ n: number }>>('select count(*)::int as n from property');
  if (Number(n) > 0) return { loaded: false, parcels: Number(n), elapsedMs: Date.now() - started, samples: city.samples };

  await em.transactional(async (tx) => {
    await insertReference(tx, city);
  });
  let done = 0;
  for (const batch of city.parcelBatches(options.batchSize ?? 1000)) {
    await em.transactional((tx) => insertParcels(tx, batch));
    done += batch.length;
    options.onProgress?.(done, city.parcelCount);
  }
  await em.execute('analyze property; analyze property_owner; analyze property_certificate');
  return { loaded: true, parcels: done, elapsedMs: Date.now() - started, samples: city.samples };
}

async function insertReference(tx: EntityManager, city: DemoCity): Promise<void> {
  await tx.execute(
    `insert into zone (code, name, rules, plan_name, approval_date, geom, updated_at)
     select x.code, x.name, x.rules, x.plan_name, x.approval_date, st_setsrid(st_geomfromgeojson(x.geom), 4326), now()
       from json_to_recordset(?::json) as x(code text, name text, rules jsonb, plan_name text, approval_date text, geom text)`,
    [
      JSON.stringify(
        city.zones.map(({ code, name, planName, approvalDate, geometry, ...rules }) => ({
          code,
          name,
          rules: rules satisfies ZoneRules,
          plan_name: planName,
          approval_date: approvalDate,
          geom: JSON.stringify(geometry),
        })),
      ),
    ],
  );
  await tx.execute(
    `insert into widening_plan (id, name, street_name, current_width, planned_width, approval_date, geom, created_at, updated_at)
     select x.id, x.name, x.street_name, x.current_width, x.planned_width, x.approval_date, st_setsrid(st_geomfromgeojson(x.geom), 4326), now(), now()
       from json_to_recordset(?::json) as x(id uuid, name text, street_name text, current_width float8, planned_width float8, approval_date text, geom text)`,
    [
      JSON.stringify(
        city.wideningPlans.map((w) => ({
          id: uuidv7(),
          name: w.name,
          street_name: w.streetName,
          current_width: w.currentWidthMeters,
          planned_width: w.plannedWidthMeters,
          approval_date: w.approvalDate,
          geom: JSON.stringify(w.geometry),
        })),
      ),
    ],
  );
  const features = [
    ...city.regions.map((r) => ({ layer: 'regions', name: r.name, kind: null, properties: { region: r.region }, geom: r.geometry })),
    ...city.districts.map((d) => ({ layer: 'districts', name: d.name, kind: null, properties: { region: d.region, district: d.district }, geom: d.geometry })),
    ...city.streets
      .filter((s) => s.kind === 'main')
      .map((s) => ({ layer: 'streets', name: s.name, kind: s.kind, properties: { widthMeters: s.widthMeters }, geom: s.geometry })),
    ...city.places.map((p) => ({ layer: 'places', name: p.name, kind: p.kind, properties: { region: p.region }, geom: p.geometry })),
  ];
  for (let i = 0; i < features.length; i += 2000) {
    await tx.execute(
      `insert into city_layer_feature (id, layer, name, kind, properties, geom, created_at, updated_at)
       select x.id, x.layer, x.name, x.kind, x.properties, st_setsrid(st_geomfromgeojson(x.geom), 4326), now(), now()
         from json_to_recordset(?::json) as x(id uuid, layer text, name text, kind text, properties jsonb, geom text)`,
      [JSON.stringify(features.slice(i, i + 2000).map((f) => ({ ...f, id: uuidv7(), geom: JSON.stringify(f.geom) })))],
    );
  }
}

async function insertParcels(tx: EntityManager, batch: ParcelRecord[]): Promise<void> {
  const ids = batch.map(() => uuidv7());
  await tx.execute(
    `insert into property (id, renewal_code, region, district, block, parcel, building, apartment, shop, address, postal_code,
                           plate_main, plate_sub, land_area, building_area, use, floors, units, construction_year, structure_type,
                           access_road_width, frontage, zone_code, geom, created_at, updated_at)
     select x.id, x.renewal_code, x.region, x.district, x.block, x.parcel, 0, 0, 0, x.address, x.postal_code, x.plate_main,
            x.plate_sub, x.land_area, x.building_area, x.use, x.floors, x.units, x.construction_year, x.structure_type,
            x.access_road_width, x.frontage, x.zone_code, st_setsrid(st_geomfromgeojson(x.geom), 4326), now(), now()
       from json_to_recordset(?::json) as x(id uuid, renewal_code text, region smallint, district int, block int, parcel int,
            address text, postal_code text, plate_main text, plate_sub text, land_area float8, building_area float8, use text,
            floors int, units int, construction_year int, structure_type text, access_road_width float8, frontage float8,
            zone_code text, geom text)`,
    [
      JSON.stringify(
        batch.map((p, i) => ({
          id: ids[i],
          renewal_code: p.renewalCode,
          region: p.region,
          district: p.district,
          block: p.block,
          parcel: p.parcel,
          address: p.address,
          postal_code: p.postalCode,
          plate_main: p.plate.main,
          plate_sub: p.plate.sub,
          land_area: p.landArea,
          building_area: p.buildingArea,
          use: p.use,
          floors: p.floors,
          units: p.units,
          construction_year: p.constructionYear,
          structure_type: p.structureType,
          access_road_width: p.accessRoadWidth,
          frontage: p.frontage,
          zone_code: p.zoneCode,
          geom: JSON.stringify(p.geometry),
        })),
      ),
    ],
  );
  const owners = batch.flatMap((p, i) => p.owners.map((o) => ({ id: uuidv7(), property_id: ids[i], national_id: o.nationalId, full_name: o.name, share: o.share })));
  await tx.execute(
    `insert into property_owner (id, property_id, national_id, full_name, share_percent, created_at, updated_at)
     select x.id, x.property_id, x.national_id, x.full_name, x.share, now(), now()
       from json_to_recordset(?::json) as x(id uuid, property_id uuid, national_id text, full_name text, share float8)`,
    [JSON.stringify(owners)],
  );
  const certificates = batch.flatMap((p, i) =>
    p.certificates.map((c) => ({ id: uuidv7(), property_id: ids[i], kind: c.kind, request_number: c.requestNumber, jalali_year: c.jalaliYear, issue_date: c.issueDate })),
  );
  if (certificates.length) {
    await tx.execute(
      `insert into property_certificate (id, property_id, kind, request_number, jalali_year, issue_date, created_at, updated_at)
       select x.id, x.property_id, x.kind, x.request_number, x.jalali_year, x.issue_date, now(), now()
         from json_to_recordset(?::json) as x(id uuid, property_id uuid, kind text, request_number text, jalali_year int, issue_date date)`,
      [JSON.stringify(certificates)],
    );
  }
}
