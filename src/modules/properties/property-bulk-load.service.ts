import type { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { run } from '../../database/sql';
import {
  type CertificateRow,
  type LayerFeatureRow,
  type OwnerRow,
  type ParcelRow,
  PropertyImportRepository,
  type WideningPlanRow,
  type ZoneRow,
} from './property-import.repository';

export type { CertificateRow, LayerFeatureRow, OwnerRow, ParcelRow, WideningPlanRow, ZoneRow } from './property-import.repository';

/** The reference layers of a city: detailed-plan zones, widening plans and the city viewer's drawn features. */
export interface ReferenceLoad {
  zones: ZoneRow[];
  wideningPlans: Array<WideningPlanRow & { id: string }>;
  layerFeatures: Array<LayerFeatureRow & { id: string }>;
}

/** A batch of parcels with their owners and certificate history (both keyed by the parcel's renewal code). */
export interface ParcelLoad {
  parcels: ParcelRow[];
  owners: OwnerRow[];
  certificates: CertificateRow[];
}

/** Rows per statement of the reference layers (one JSON parameter each). */
const REFERENCE_BATCH_ROWS = 2000;

/**
 * Bulk loads into the property registry for trusted generated data (the CLI's demo city and
 * the benchmarks): the registry's own bulk statements (PropertyImportRepository), run in the
 * caller's entity manager / transaction, without the import's per-row validation and audit.
 * A person's files go through PropertyImportService instead.
 */
@Injectable()
export class PropertyBulkLoadService {
  constructor(private readonly repo: PropertyImportRepository) {}

  /** How many properties the registry holds. */
  count(em: EntityManager): Promise<number> {
    return run(em, this.repo.propertyCount());
  }

  /** Zones, widening plans and city-viewer features, in batches, on `em` (run it in a transaction to load all or nothing). */
  async reference(em: EntityManager, load: ReferenceLoad): Promise<void> {
    for (const rows of chunks(load.zones)) await run(em, this.repo.insertZones(rows, false));
    for (const rows of chunks(load.wideningPlans)) await run(em, this.repo.insertWideningPlans(rows));
    for (const rows of chunks(load.layerFeatures)) await run(em, this.repo.insertLayerFeatures(rows));
  }

  /** One batch of parcels, then their owners and certificates, on `em` (the caller sizes the batch). */
  async parcels(em: EntityManager, load: ParcelLoad): Promise<void> {
    if (!load.parcels.length) return;
    await run(em, this.repo.insertParcels(load.parcels, false));
    if (load.owners.length) await run(em, this.repo.insertOwners(load.owners));
    if (load.certificates.length) await run(em, this.repo.insertCertificates(load.certificates));
  }

  /** Fresh planner statistics after a bulk load. */
  analyze(em: EntityManager): Promise<void> {
    return run(em, this.repo.analyze());
  }
}

function* chunks<T>(rows: T[]): Generator<T[]> {
  for (let i = 0; i < rows.length; i += REFERENCE_BATCH_ROWS) yield rows.slice(i, i + REFERENCE_BATCH_ROWS);
}
