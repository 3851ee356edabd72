import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
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
  LayerDto,
  PropertySearchItemDto,
  PropertySearchQuery,
  PropertySearchResultDto,
  PropertySummaryDto,
  StreetWideningDto,
  ZoningDto,
} from './dto/property.dto';
import { APP_CONFIG } from '../../config/config.module';
import type { ResolvedConfig } from '../../config/app-config';
import { preparedRead } from '../../database/prepared-read';
import { CityLayer } from './entities/city-layer-feature.entity';
import { PropertiesErrors } from './properties.errors';
import { pgArray } from '../../database/pg-array';
import { jsonValue } from '../../database/json-value';
import type { SqlStatement } from '../../database/sql-batch';

/** Largest bbox side (degrees) and most features one map request may answer. */
export const MAP_MAX_BBOX_DEGREES = 0.05;
export const MAP_MAX_FEATURES = 2000;

const LAYER_TITLES: Record<CityLayer, string> = {
  [CityLayer.Regions]: 'مناطق شهرداری',
  [CityLayer.Districts]: 'نواحی',
  [CityLayer.Streets]: 'معابر اصلی',
  [CityLayer.Places]: 'اماکن عمومی',
};

const SUMMARY_COLUMNS = `
  p.renewal_code, p.region, p.district, p.block, p.parcel, p.address, p.use, p.land_area, p.building_area,
  p.floors, p.units, p.construction_year, p.structure_type, p.access_road_width, p.frontage, p.zone_code,
  st_area(p.geom::geography) as parcel_area_m2, st_asgeojson(st_pointonsurface(p.geom), 7) as location`;

type Row = Record<string, unknown>;

/**
 * The statements of the hot public reads, exported so the benchmark's bare `node:http` +
 * `pg` comparison server runs exactly the same SQL (knex `?` placeholders).
 */
export const PROPERTY_READ_SQL = {
  summary: `select ${SUMMARY_COLUMNS} from property p where p.renewal_code = ?`,
  parcelAt: `select ${SUMMARY_COLUMNS} from property p
        where p.geom && st_setsrid(st_point(?, ?), 4326)
          and st_intersects(p.geom, st_setsrid(st_point(?, ?), 4326))
          and p.building = 0 and p.apartment = 0 and p.shop = 0
        limit 1`,
  /**
   * Up to `limit` parcels in an envelope (minLon, minLat, maxLon, maxLat) as GeoJSON text, and
   * how many there were. The features are joined as text: `st_asgeojson(...)::json` inside
   * `json_agg` parsed every geometry again and took a third of the statement's time (2.8 →
   * 1.8 ms for 546 parcels).
   */
  parcelsInBbox: `with hits as (
     select renewal_code, use, zone_code, geom from property
      where geom && st_makeenvelope(?, ?, ?, ?, 4326)
        and building = 0 and apartment = 0 and shop = 0
      limit ?)
   select (select count(*) from hits)::int as n,
          '{"type":"FeatureCollection","features":[' || coalesce(string_agg(
            '{"type":"Feature","id":' || to_json(renewal_code)::text ||
            ',"properties":{"renewalCode":' || to_json(renewal_code)::text || ',"use":' || coalesce(to_json(use)::text, 'null') ||
            ',"zoneCode":' || coalesce(to_json(zone_code)::text, 'null') ||
            '},"geometry":' || st_asgeojson(geom, 7) || '}', ','), '') || ']}' as fc
     from hits`,
} as const;

/**
 * The property registry's read side: one SQL round trip per request returning exactly the
 * read model (no entity hydration on these hot paths), spatial work in PostGIS.
 */
@Injectable()
export class PropertiesService {
  constructor(
    private readonly em: EntityManager,
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
  ) {}

  /**
   * A read on the connection pool, outside any unit of work (the public lookups then need
   * no entity manager fork for their request, src/database/request-context.ts), as a named
   * prepared statement on a real PostgreSQL.
   */
  private read<T>(name: string, sql: string, params: unknown[]): Promise<T[]> {
    return preparedRead<T>(this.em, this.config.database.preparedStatements, `properties.${name}`, sql, params);
  }

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
    const [row] = await this.read<Row>('summary', PROPERTY_READ_SQL.summary, [code.canonical]);
    if (!row) throw PropertiesErrors.PROPERTY_NOT_FOUND();
    return toSummary(row);
  }

  async zoning(input: string, region?: number): Promise<ZoningDto> {
    const code = this.parseCode(input, region);
    const rows = await this.em.execute<Row[]>(
      `select p.renewal_code, z.code, z.name, z.rules, z.plan_name, z.approval_date
         from property p
         left join zone z on st_contains(z.geom, st_pointonsurface(p.geom))
        where p.renewal_code = ?
        order by z.code
        limit 1`,
      [code.canonical],
    );
    if (!rows.length) throw PropertiesErrors.PROPERTY_NOT_FOUND();
    const row = rows[0];
    if (!row.code) throw PropertiesErrors.ZONE_NOT_FOUND();
    return {
      renewalCode: String(row.renewal_code),
      zoneCode: String(row.code),
      zoneName: String(row.name),
      rules: jsonValue<ZoningDto['rules']>(row.rules),
      planName: String(row.plan_name),
      approvalDate: String(row.approval_date),
    };
  }

  /** Amount in path (اعلام مقدار در مسیر), computed from the geometries by PostGIS. */
  async streetWidening(input: string, region?: number): Promise<StreetWideningDto> {
    const code = this.parseCode(input, region);
    const rows = await this.em.execute<Row[]>(
      `select p.renewal_code, st_area(p.geom::geography) as parcel_area,
              w.name, w.street_name, w.approval_date,
              st_area(st_intersection(p.geom, w.geom)::geography) as affected
         from property p
         left join widening_plan w on st_intersects(p.geom, w.geom)
        where p.renewal_code = ?
        order by w.approval_date`,
      [code.canonical],
    );
    if (!rows.length) throw PropertiesErrors.PROPERTY_NOT_FOUND();
    const parcelArea = Number(rows[0].parcel_area ?? 0);
    const plans = rows
      .filter((r) => r.name !== null && Number(r.affected) > 0.01)
      .map((r) => ({
        planName: String(r.name),
        streetName: (r.street_name as string | null) ?? null,
        approvalDate: String(r.approval_date),
        affectedAreaM2: round2(Number(r.affected)),
      }));
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
    const [minLon, minLat, maxLon, maxLat] = parseBbox(bbox);
    const [row] = await this.read<{ n: number; fc: string }>(
      'parcelsInBbox',
      PROPERTY_READ_SQL.parcelsInBbox,
      [minLon, minLat, maxLon, maxLat, MAP_MAX_FEATURES + 1],
    );
    if (Number(row.n) > MAP_MAX_FEATURES) {
      throw PropertiesErrors.MAP_TOO_MANY_FEATURES({ extensions: { maxFeatures: MAP_MAX_FEATURES } });
    }
    return row.fc;
  }

  /** "Find your property on the map": the parcel containing a point. */
  async parcelAt(lat: number, lon: number): Promise<PropertySummaryDto> {
    if (!Number.isFinite(lat) || !Number.isFinite(lon)) throw PropertiesErrors.POINT_INVALID();
    const [row] = await this.read<Row>('parcelAt', PROPERTY_READ_SQL.parcelAt, [lon, lat, lon, lat]);
    if (!row) throw PropertiesErrors.PARCEL_NOT_FOUND_AT_POINT();
    return toSummary(row);
  }

  async layers(): Promise<LayerDto[]> {
    const rows = await this.em.execute<Array<{ layer: CityLayer; n: number }>>(
      `select layer, count(*)::int as n from city_layer_feature group by layer`,
    );
    const counts = new Map(rows.map((r) => [r.layer, Number(r.n)]));
    return Object.values(CityLayer).map((layer) => ({ layer, title: LAYER_TITLES[layer], features: counts.get(layer) ?? 0 }));
  }

  /** One city-viewer layer as GeoJSON text (see parcelsInBbox). */
  async layer(layer: string, bbox?: string): Promise<string> {
    if (!(Object.values(CityLayer) as string[]).includes(layer)) throw PropertiesErrors.LAYER_NOT_FOUND();
    const box = bbox ? parseBbox(bbox, 1) : null;
    const [row] = await this.em.execute<Array<{ fc: string }>>(
      `select json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
                'type', 'Feature', 'id', id,
                'properties', jsonb_build_object('name', name, 'kind', kind) || coalesce(properties::jsonb, '{}'::jsonb),
                'geometry', st_asgeojson(geom, 7)::json)), '[]'::json))::text as fc
         from (select * from city_layer_feature
                where layer = ? ${box ? 'and geom && st_makeenvelope(?, ?, ?, ?, 4326)' : ''}
                limit ?) f`,
      box ? [layer, ...box, MAP_MAX_FEATURES] : [layer, MAP_MAX_FEATURES],
    );
    return row.fc;
  }

  /**
   * Members only. A citizen finds the properties they own (by their national ID, never
   * anyone else's); staff search within their regions (admins: all) by the given criteria.
   */
  async search(actor: Actor, query: PropertySearchQuery, citizenNationalId?: string): Promise<PropertySearchResultDto> {
    const where: string[] = ['p.building >= 0'];
    const params: unknown[] = [];
    if (actor.type === 'citizen') {
      if (!citizenNationalId) throw CommonErrors.FORBIDDEN();
      where.push('exists (select 1 from property_owner o where o.property_id = p.id and o.national_id = ?)');
      params.push(citizenNationalId);
    } else if (actor.type === 'staff') {
      const criteria = [query.renewalCodePrefix, query.q, query.postalCode, query.plateMain, query.ownerNationalId];
      if (criteria.every((c) => c === undefined || c === '')) throw PropertiesErrors.SEARCH_CRITERIA_REQUIRED();
      if (query.region !== undefined) {
        assertRegionAccess(actor, query.region);
        where.push('p.region = ?');
        params.push(query.region);
      } else if (!actor.roles?.includes('admin')) {
        where.push(`p.region = any(?::smallint[])`);
        params.push(pgArray(actor.regions ?? []));
      }
      if (query.renewalCodePrefix) {
        const prefix = renewalCodePrefix(query.renewalCodePrefix);
        if (!prefix) throw PropertiesErrors.RENEWAL_CODE_INVALID();
        if (!actor.roles?.includes('admin') && !(actor.regions ?? []).includes(Number(prefix.split('-')[0]))) {
          return { items: [], meta: pageMeta(query, 0) };
        }
        where.push(prefix.endsWith('-') ? `p.renewal_code like ?` : `p.renewal_code = ?`);
        params.push(prefix.endsWith('-') ? `${prefix}%` : prefix);
      }
      if (query.q) {
        where.push(`p.address ilike ?`);
        params.push(`%${normalizePersianText(query.q).replace(/[%_\\]/g, (c) => `\\${c}`)}%`);
      }
      if (query.postalCode) {
        where.push('p.postal_code = ?');
        params.push(query.postalCode);
      }
      if (query.plateMain) {
        where.push('p.plate_main = ?');
        params.push(query.plateMain);
        if (query.plateSub) {
          where.push('p.plate_sub = ?');
          params.push(query.plateSub);
        }
      }
      if (query.ownerNationalId) {
        where.push('exists (select 1 from property_owner o where o.property_id = p.id and o.national_id = ?)');
        params.push(query.ownerNationalId);
      }
    } else {
      throw CommonErrors.FORBIDDEN();
    }
    const { limit, offset } = pageOffset(query);
    const rows = await this.em.execute<Row[]>(
      `select ${SUMMARY_COLUMNS}, p.postal_code, p.plate_main, p.plate_sub, count(*) over () as total,
              (select coalesce(json_agg(json_build_object('nationalId', o.national_id, 'fullName', o.full_name, 'sharePercent', o.share_percent)
                       order by o.share_percent desc), '[]'::json) from property_owner o where o.property_id = p.id) as owners
         from property p
        where ${where.join(' and ')}
        order by p.renewal_code
        limit ? offset ?`,
      [...params, limit, offset],
    );
    const total = rows.length ? Number(rows[0].total) : 0;
    const items: PropertySearchItemDto[] = rows.map((r) => {
      const owners = jsonValue<PropertySearchItemDto['owners']>(r.owners);
      return {
        ...toSummary(r),
        postalCode: (r.postal_code as string | null) ?? null,
        plateMain: (r.plate_main as string | null) ?? null,
        plateSub: (r.plate_sub as string | null) ?? null,
        // citizens see only their own properties; national IDs are masked for everyone
        owners: owners.map((o) => ({ ...o, nationalId: maskNationalId(o.nationalId), sharePercent: Number(o.sharePercent) })),
      };
    });
    return { items, meta: pageMeta(query, total) };
  }

  /**
   * For the inquiry workflow (one round trip): the property's summary, its owners with
   * unmasked national IDs (for the ownership check; callers mask before showing) and its
   * certificate history, newest first. Null when no property has the code.
   */
  async inquiryRecords(renewalCode: string): Promise<PropertyInquiryRecords | null> {
    const read = this.inquiryRecordsStatement(renewalCode);
    return this.inquiryRecordsFrom(await this.em.execute<Row[]>(read.sql, read.params));
  }

  /** `inquiryRecords` as a statement, for a caller that sends it with its own reads in one round trip; `inquiryRecordsFrom` reads its rows. */
  inquiryRecordsStatement(renewalCode: string): SqlStatement {
    return {
      sql: `select p.id, ${SUMMARY_COLUMNS},
              (select coalesce(json_agg(json_build_object('nationalId', o.national_id, 'fullName', o.full_name, 'sharePercent', o.share_percent)
                       order by o.share_percent desc, o.full_name), '[]'::json) from property_owner o where o.property_id = p.id) as owners,
              (select coalesce(json_agg(json_build_object('kind', c.kind, 'requestNumber', c.request_number, 'jalaliYear', c.jalali_year,
                       'issueDate', c.issue_date::text) order by c.issue_date desc, c.request_number desc), '[]'::json)
                 from property_certificate c where c.property_id = p.id) as certificates
         from property p where p.renewal_code = ?`,
      params: [renewalCode],
    };
  }

  /** The records `inquiryRecordsStatement` read; null when there is no such property. */
  inquiryRecordsFrom([row]: Row[]): PropertyInquiryRecords | null {
    if (!row) return null;
    return {
      id: String(row.id),
      summary: toSummary(row),
      owners: jsonValue<PropertyInquiryRecords['owners']>(row.owners).map((o) => ({ ...o, sharePercent: Number(o.sharePercent) })),
      certificates: jsonValue<PropertyInquiryRecords['certificates']>(row.certificates),
    };
  }
}

export interface PropertyInquiryRecords {
  id: string;
  summary: PropertySummaryDto;
  owners: Array<{ nationalId: string; fullName: string; sharePercent: number }>;
  /** Newest first. */
  certificates: Array<{ kind: string; requestNumber: string; jalaliYear: number; issueDate: string }>;
}

function parseBbox(bbox: string, maxDegrees = MAP_MAX_BBOX_DEGREES): [number, number, number, number] {
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

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function toSummary(r: Row): PropertySummaryDto {
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    renewalCode: String(r.renewal_code),
    region: Number(r.region),
    district: Number(r.district),
    block: Number(r.block),
    parcel: Number(r.parcel),
    address: String(r.address),
    use: String(r.use),
    landArea: Number(r.land_area),
    buildingArea: Number(r.building_area),
    parcelAreaM2: r.parcel_area_m2 === null ? null : round2(Number(r.parcel_area_m2)),
    floors: Number(r.floors),
    units: Number(r.units),
    constructionYear: num(r.construction_year),
    structureType: String(r.structure_type),
    accessRoadWidth: num(r.access_road_width),
    frontage: num(r.frontage),
    zoneCode: (r.zone_code as string | null) ?? null,
    location: r.location ? (JSON.parse(String(r.location)) as PropertySummaryDto['location']) : null,
  };
}
