import type { INestApplicationContext } from '@nestjs/common';
import { type EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { uuidv7 } from '@app/common';
import type { ZoneRules } from '../../modules/properties/entities/zone.entity';
import { type ParcelLoad, PropertyBulkLoadService, type ReferenceLoad } from '../../modules/properties/property-bulk-load.service';
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
 * Writes the generated demo city into the property registry through the properties
 * module's bulk load (its repository's statements): zones, widening plans, city-viewer
 * layers, then parcels with owners and certificate history in batches (each batch commits
 * on its own). Does nothing when the registry already holds properties (returns the
 * samples anyway).
 */
export async function loadDemoCity(
  app: Pick<INestApplicationContext, 'get'>,
  options: LoadDemoCityOptions,
  em: EntityManager = (app.get(MikroORM) as MikroORM).em.fork(),
): Promise<LoadDemoCityResult> {
  const started = Date.now();
  const registry = app.get(PropertyBulkLoadService, { strict: false });
  const city = generateCity({ parcels: options.parcels, seed: options.seed });
  const n = await registry.count(em);
  if (n > 0) return { loaded: false, parcels: n, elapsedMs: Date.now() - started, samples: city.samples };

  await em.transactional((tx) => registry.reference(tx, referenceRows(city)));
  let done = 0;
  for (const batch of city.parcelBatches(options.batchSize ?? 1000)) {
    await em.transactional((tx) => registry.parcels(tx, parcelRows(batch)));
    done += batch.length;
    options.onProgress?.(done, city.parcelCount);
  }
  await registry.analyze(em);
  return { loaded: true, parcels: done, elapsedMs: Date.now() - started, samples: city.samples };
}

function referenceRows(city: DemoCity): ReferenceLoad {
  const zones = city.zones.map(({ code, name, planName, approvalDate, geometry, ...rules }) => ({
    code,
    name,
    rules: rules satisfies ZoneRules,
    plan_name: planName,
    approval_date: approvalDate,
    geom: JSON.stringify(geometry),
  }));
  const wideningPlans = city.wideningPlans.map((w) => ({
    id: uuidv7(),
    name: w.name,
    street_name: w.streetName,
    current_width: w.currentWidthMeters,
    planned_width: w.plannedWidthMeters,
    approval_date: w.approvalDate,
    geom: JSON.stringify(w.geometry),
  }));
  const features = [
    ...city.regions.map((r) => ({ layer: 'regions', name: r.name, kind: null, properties: { region: r.region }, geom: r.geometry })),
    ...city.districts.map((d) => ({ layer: 'districts', name: d.name, kind: null, properties: { region: d.region, district: d.district }, geom: d.geometry })),
    ...city.streets
      .filter((s) => s.kind === 'main')
      .map((s) => ({ layer: 'streets', name: s.name, kind: s.kind, properties: { widthMeters: s.widthMeters }, geom: s.geometry })),
    ...city.places.map((p) => ({ layer: 'places', name: p.name, kind: p.kind, properties: { region: p.region }, geom: p.geometry })),
  ];
  return { zones, wideningPlans, layerFeatures: features.map((f) => ({ ...f, id: uuidv7(), geom: JSON.stringify(f.geom) })) };
}

function parcelRows(batch: ParcelRecord[]): ParcelLoad {
  return {
    parcels: batch.map((p) => ({
      id: uuidv7(),
      renewal_code: p.renewalCode,
      region: p.region,
      district: p.district,
      block: p.block,
      parcel: p.parcel,
      building: 0,
      apartment: 0,
      shop: 0,
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
    owners: batch.flatMap((p) =>
      p.owners.map((o) => ({ id: uuidv7(), renewal_code: p.renewalCode, national_id: o.nationalId, full_name: o.name, share_percent: o.share })),
    ),
    certificates: batch.flatMap((p) =>
      p.certificates.map((c) => ({
        id: uuidv7(),
        renewal_code: p.renewalCode,
        kind: c.kind,
        request_number: c.requestNumber,
        jalali_year: c.jalaliYear,
        issue_date: c.issueDate,
      })),
    ),
  };
}
