import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Actor, assertRegionAccess, CommonErrors, pageMeta, pageOffset } from '@app/common';
import {
  assertRenewalCodeRegion,
  isIranValidationError,
  maskNationalId,
  normalizePersianText,
  parseRenewalCode,
  renewalCodePrefix,
  RenewalCode,
} from '@app/iran';
import {
  PropertySearchItemDto,
  PropertySearchQuery,
  PropertySearchResultDto,
  PropertySummaryDto,
  StreetWideningDto,
  ZoningDto,
} from './dto/property.dto';
import { PropertiesErrors } from './properties.errors';
import { ReadPool } from '../../database/read-pool';
import { type Query, run, runPage } from '../../database/sql';
import { PropertiesRepository, type PropertyInquiryRecords, type PropertySearchFilter, round2 } from './properties.repository';

export type { PropertyInquiryRecords } from './properties.repository';

/** Largest bbox side (degrees) and most features one map request may answer. */
export const MAP_MAX_BBOX_DEGREES = 0.05;
export const MAP_MAX_FEATURES = 2000;



/**
 * The property registry's read side: one SQL round trip per request returning exactly the
 * read model (no entity hydration on these hot paths), spatial work in PostGIS.
 */
@Injectable()
export class PropertiesService {
  constructor(
    private readonly em: EntityManager,
    private readonly repo: PropertiesRepository,
    private readonly reads: ReadPool,
  ) {}

  /** Parses a renewal code typed by a person and checks it against the region they chose. */
  parseCode(input: string, region?: number): RenewalCode {
    try {
      const code = parseRenewalCode(input);
      if (region !== undefined) assertRenewalCodeRegion(code, region);
      return code;
    } catch (err) {
      if (isIranValidationError(err) && err.code === 'RENEWAL_CODE_REGION_MISMATCH') throw PropertiesErrors.REGION_MISMATCH();
      if (isIranValidationError(err)) {
        throw PropertiesErrors.RENEWAL_CODE_INVALID({
          fieldErrors: [
            {
              field: 'renewalCode',
              code: 'RENEWAL_CODE_INVALID',
              message: { fa: PropertiesErrors.specs.RENEWAL_CODE_INVALID.message.fa, en: err.message },
            },
          ],
        });
      }
      throw err;
    }
  }

  async summary(input: string, region?: number): Promise<PropertySummaryDto> {
    const code = this.parseCode(input, region);
    const summary = await this.reads.run(this.repo.summary(code.canonical));
    if (!summary) throw PropertiesErrors.PROPERTY_NOT_FOUND();
    return summary;
  }

  async zoning(input: string, region?: number): Promise<ZoningDto> {
    const code = this.parseCode(input, region);
    const found = await run(this.em, this.repo.zoning(code.canonical));
    if (!found) throw PropertiesErrors.PROPERTY_NOT_FOUND();
    if (!found.zone) throw PropertiesErrors.ZONE_NOT_FOUND();
    return { renewalCode: found.renewalCode, ...found.zone };
  }

  /** Amount in path (اعلام مقدار در مسیر), computed from the geometries by PostGIS. */
  async streetWidening(input: string, region?: number): Promise<StreetWideningDto> {
    const code = this.parseCode(input, region);
    const found = await run(this.em, this.repo.streetWidening(code.canonical));
    if (!found) throw PropertiesErrors.PROPERTY_NOT_FOUND();
    const parcelArea = found.parcelAreaM2;
    const plans = found.plans.filter((p) => p.affectedAreaM2 > 0.01).map((p) => ({ ...p, affectedAreaM2: round2(p.affectedAreaM2) }));
    const affected = round2(plans.reduce((sum, p) => sum + p.affectedAreaM2, 0));
    return {
      renewalCode: code.canonical,
      affected: affected > 0,
      affectedAreaM2: affected,
      parcelAreaM2: round2(parcelArea),
      sharePercent: parcelArea > 0 ? round2((affected / parcelArea) * 100) : 0,
      plans,
    };
  }

  /**
   * Parcels in a bbox as a GeoJSON FeatureCollection, built by PostgreSQL and passed
   * through as text (no parse and re-serialize of a few hundred kilobytes in Node).
   */
  async parcelsInBbox(bbox: string): Promise<string> {
    const found = await this.reads.run(this.repo.parcelsInBbox(parseBbox(bbox), MAP_MAX_FEATURES + 1));
    if (found.n > MAP_MAX_FEATURES) {
      throw PropertiesErrors.MAP_TOO_MANY_FEATURES({ extensions: { maxFeatures: MAP_MAX_FEATURES } });
    }
    return found.fc;
  }

  /** "Find your property on the map": the parcel containing a point. */
  async parcelAt(lat: number, lon: number): Promise<PropertySummaryDto> {
    if (!Number.isFinite(lat) || !Number.isFinite(lon)) throw PropertiesErrors.POINT_INVALID();
    const summary = await this.reads.run(this.repo.parcelAt(lat, lon));
    if (!summary) throw PropertiesErrors.PARCEL_NOT_FOUND_AT_POINT();
    return summary;
  }

  /**
   * Members only. A citizen finds the properties they own (by their national ID, never
   * anyone else's); staff search within their regions (admins: all) by the given criteria.
   */
  async search(actor: Actor, query: PropertySearchQuery, citizenNationalId?: string): Promise<PropertySearchResultDto> {
    const filter: PropertySearchFilter = {};
    if (actor.type === 'citizen') {
      if (!citizenNationalId) throw CommonErrors.FORBIDDEN();
      filter.ownerNationalId = citizenNationalId;
    } else if (actor.type === 'staff') {
      const criteria = [query.renewalCodePrefix, query.q, query.postalCode, query.plateMain, query.ownerNationalId];
      if (criteria.every((c) => c === undefined || c === '')) throw PropertiesErrors.SEARCH_CRITERIA_REQUIRED();
      if (query.region !== undefined) {
        assertRegionAccess(actor, query.region);
        filter.region = query.region;
      } else if (!actor.roles?.includes('admin')) {
        filter.regions = actor.regions ?? [];
      }
      if (query.renewalCodePrefix) {
        const prefix = renewalCodePrefix(query.renewalCodePrefix);
        if (!prefix) throw PropertiesErrors.RENEWAL_CODE_INVALID();
        if (!actor.roles?.includes('admin') && !(actor.regions ?? []).includes(Number(prefix.split('-')[0]))) {
          return { items: [], meta: pageMeta(query, 0) };
        }
        filter.renewalCodePrefix = prefix;
      }
      if (query.q) filter.addressContains = normalizePersianText(query.q);
      if (query.postalCode) filter.postalCode = query.postalCode;
      if (query.plateMain) {
        filter.plateMain = query.plateMain;
        if (query.plateSub) filter.plateSub = query.plateSub;
      }
      if (query.ownerNationalId) filter.ownerNationalId = query.ownerNationalId;
    } else {
      throw CommonErrors.FORBIDDEN();
    }
    const { limit, offset } = pageOffset(query);
    const page = await runPage(this.em, (l, o) => this.repo.search(filter, l, o), limit, offset);
    // citizens see only their own properties; national IDs are masked for everyone
    const items: PropertySearchItemDto[] = page.items.map((r) => ({ ...r, owners: r.owners.map((o) => ({ ...o, nationalId: maskNationalId(o.nationalId) })) }));
    return { items, meta: pageMeta(query, page.total) };
  }

  /**
   * For the inquiry workflow: the property's summary, its owners with unmasked national IDs
   * (for the ownership check; callers mask before showing) and its certificate history,
   * newest first, null when no property has the code — a query the caller runs on its
   * entity manager (in its transaction, or with its other reads in one round trip).
   */
  inquiryRecords(renewalCode: string): Query<PropertyInquiryRecords | null> {
    return this.repo.inquiryRecords(renewalCode);
  }
}

/** Checks a `minLon,minLat,maxLon,maxLat` bbox typed by a person (also the city viewer's). */
export function parseBbox(bbox: string, maxDegrees = MAP_MAX_BBOX_DEGREES): [number, number, number, number] {
  const parts = bbox.split(',').map(Number);
  const [minLon, minLat, maxLon, maxLat] = parts;
  if (
    parts.length !== 4 ||
    parts.some((n) => !Number.isFinite(n)) ||
    minLon < -180 || maxLon > 180 || minLat < -90 || maxLat > 90 ||
    minLon >= maxLon || minLat >= maxLat
  ) {
    throw PropertiesErrors.BBOX_INVALID();
  }
  if (maxLon - minLon > maxDegrees || maxLat - minLat > maxDegrees) {
    throw PropertiesErrors.BBOX_TOO_LARGE({ extensions: { maxDegrees } });
  }
  return [minLon, minLat, maxLon, maxLat];
}
