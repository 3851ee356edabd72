import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DomainError, FieldError, normalizeInput, uuidv7 } from '@app/common';
import {
  fromJalali,
  isIranValidationError,
  normalizeNationalId,
  normalizePostalCode,
  parseJalaliDate,
  parseRenewalCode,
  RenewalCode,
} from '@app/iran';
import { APP_CONFIG } from '../../config/config.module';
import type { ResolvedConfig } from '../../config/app-config';
import { allowLongStatements } from '../../database/long-statements';
import { AuditService } from '../audit/audit.service';
import { RegionsService } from '../membership/regions.service';
import { ImportKind, ImportMode, ImportRejectionDto, ImportRejectionReason, ImportResultDto, ZONE_LIMITS, ZONE_MAX_BANDS } from './dto/admin.dto';
import { CityLayer } from './entities/city-layer-feature.entity';
import { CertificateKind } from './entities/property-certificate.entity';
import { PropertyUse, StructureType } from './entities/property.entity';
import { ZoneRules } from './entities/zone.entity';
import { PropertiesErrors } from './properties.errors';
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

/** Most features one file may hold (the upload itself is limited to 50 MB). */
export const IMPORT_MAX_FEATURES = 100_000;
/** Most rejections a report lists. */
export const IMPORT_MAX_REJECTIONS = 10_000;
/** Rows per INSERT statement (one JSON parameter expanded by json_to_recordset). */
const BATCH_ROWS = 500;
/** Owner and certificate rows per INSERT statement (narrow rows). */
const CHILD_BATCH_ROWS = 2000;
/** Geometries per validity query (one query for files up to this size). */
const VALIDITY_BATCH = 10_000;
/** Share sums within this of 100 are accepted (shares such as 33.33 + 33.33 + 33.34). */
const SHARE_TOLERANCE = 0.01;

/** What is wrong with one member of a feature (or of an edit). */
export interface Issue {
  reason: ImportRejectionReason;
  field?: string;
  message: string;
}

/** An uploaded file as multer hands it over (memory storage). */
export interface UploadedFileLike {
  originalname?: string;
  buffer?: Buffer;
  size?: number;
}

type GeoJson = { type: string; coordinates?: unknown; geometries?: unknown };
type Json = Record<string, unknown>;

// ============================================================================ pure helpers

const REASON_FA: Record<ImportRejectionReason, string> = {
  GEOMETRY_INVALID: 'هندسه عارضه معتبر نیست (نوع نادرست، مختصات خارج از محدوده یا خودبرخورد).',
  RENEWAL_CODE_INVALID: 'کد نوسازی معتبر نیست.',
  DUPLICATE: 'این عارضه تکراری است (در همین پرونده یا از قبل در سامانه).',
  OWNER_SHARES_INVALID: 'مجموع سهم مالکان باید دقیقاً ۱۰۰ درصد باشد.',
  NATIONAL_ID_INVALID: 'کد ملی مالک معتبر نیست.',
  FIELD_INVALID: 'مقدار این فیلد معتبر نیست.',
};

export function issueToFieldError(issue: Issue, prefix = ''): FieldError {
  return {
    field: `${prefix}${issue.field ?? ''}`.replace(/\.$/, '') || 'body',
    code: issue.reason,
    message: { fa: REASON_FA[issue.reason], en: issue.message },
  };
}

/**
 * Parses the uploaded bytes as a GeoJSON FeatureCollection; anything else (no file, not
 * UTF-8 JSON, another GeoJSON type, a projected CRS) is `IMPORT_FILE_INVALID`.
 */
export function parseFeatureCollection(file: UploadedFileLike | undefined): unknown[] {
  if (!file?.buffer?.length) throw fileInvalid('no file: attach the GeoJSON file as the multipart form field `file`');
  let doc: unknown;
  try {
    doc = JSON.parse(file.buffer.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    throw fileInvalid(`the file is not valid JSON (${(err as Error).message})`);
  }
  if (!isObject(doc) || doc.type !== 'FeatureCollection' || !Array.isArray(doc.features)) {
    throw fileInvalid('the file must be a GeoJSON FeatureCollection: {"type": "FeatureCollection", "features": [...]}');
  }
  const crs = isObject(doc.crs) && isObject(doc.crs.properties) ? doc.crs.properties.name : undefined;
  if (crs !== undefined && !/CRS84|EPSG::?4326$/i.test(String(crs))) {
    throw fileInvalid(`coordinates must be WGS 84 longitude/latitude (EPSG:4326), not ${String(crs)}`);
  }
  if (doc.features.length === 0) throw fileInvalid('the FeatureCollection has no features');
  if (doc.features.length > IMPORT_MAX_FEATURES) {
    throw PropertiesErrors.IMPORT_TOO_MANY_FEATURES({ extensions: { maxFeatures: IMPORT_MAX_FEATURES, features: doc.features.length } });
  }
  return doc.features;
}

function fileInvalid(reason: string) {
  return PropertiesErrors.IMPORT_FILE_INVALID({
    message: { fa: PropertiesErrors.specs.IMPORT_FILE_INVALID.message.fa, en: `Invalid GeoJSON upload: ${reason}.` },
    extensions: { reason },
  });
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function positionProblem(p: unknown): string | null {
  if (!Array.isArray(p) || p.length < 2 || p.length > 3) return 'a position must be [longitude, latitude]';
  if (!p.every((n) => typeof n === 'number' && Number.isFinite(n))) return 'coordinates must be numbers';
  const [lon, lat] = p as number[];
  if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
    return `coordinate [${lon}, ${lat}] is outside WGS 84 longitude/latitude (is the file in a projected CRS?)`;
  }
  return null;
}

function positionsProblem(ps: unknown, min: number, what: string): string | null {
  if (!Array.isArray(ps) || ps.length < min) return `a ${what} needs at least ${min} positions`;
  for (const p of ps) {
    const problem = positionProblem(p);
    if (problem) return problem;
  }
  return null;
}

function polygonProblem(rings: unknown): string | null {
  if (!Array.isArray(rings) || rings.length === 0) return 'a polygon needs at least one ring';
  for (const ring of rings as unknown[]) {
    const problem = positionsProblem(ring, 4, 'polygon ring');
    if (problem) return problem;
    const r = ring as number[][];
    const [a, b] = [r[0], r[r.length - 1]];
    if (a[0] !== b[0] || a[1] !== b[1]) return 'a polygon ring must be closed (last position equal to the first)';
  }
  return null;
}

/**
 * Structural check of a GeoJSON geometry, so PostGIS never fails on it (validity proper —
 * self-intersections, ring orientation problems — is PostGIS's `ST_IsValid`, in one query).
 */
export function geometryProblem(g: unknown, allowed: readonly string[] | null, depth = 0): string | null {
  if (!isObject(g) || typeof g.type !== 'string') return 'the feature has no geometry';
  if (allowed && !allowed.includes(g.type)) return `geometry type ${g.type} is not allowed here (expected ${allowed.join(' or ')})`;
  const c = g.coordinates;
  switch (g.type) {
    case 'Point':
      return positionProblem(c);
    case 'MultiPoint':
      return positionsProblem(c, 1, 'MultiPoint');
    case 'LineString':
      return positionsProblem(c, 2, 'LineString');
    case 'MultiLineString':
      if (!Array.isArray(c) || c.length === 0) return 'a MultiLineString needs at least one line';
      for (const line of c as unknown[]) {
        const problem = positionsProblem(line, 2, 'LineString');
        if (problem) return problem;
      }
      return null;
    case 'Polygon':
      return polygonProblem(c);
    case 'MultiPolygon':
      if (!Array.isArray(c) || c.length === 0) return 'a MultiPolygon needs at least one polygon';
      for (const polygon of c as unknown[]) {
        const problem = polygonProblem(polygon);
        if (problem) return problem;
      }
      return null;
    case 'GeometryCollection':
      if (depth > 0) return 'nested GeometryCollections are not supported';
      if (!Array.isArray(g.geometries) || g.geometries.length === 0) return 'a GeometryCollection needs at least one geometry';
      for (const member of g.geometries as unknown[]) {
        const problem = geometryProblem(member, null, depth + 1);
        if (problem) return problem;
      }
      return null;
    default:
      return `unknown geometry type ${g.type}`;
  }
}

const AREA_TYPES = ['Polygon', 'MultiPolygon'] as const;

/** Polygon → MultiPolygon (those columns are MultiPolygon). */
function asMulti(g: GeoJson): GeoJson {
  return g.type === 'Polygon' ? { type: 'MultiPolygon', coordinates: [g.coordinates] } : g;
}

/** Reads members of a feature's `properties`, recording an issue for each bad one. */
class Fields {
  constructor(
    private readonly props: Json,
    readonly issues: Issue[],
    private readonly prefix: string,
  ) {}

  bad(name: string, message: string, reason: ImportRejectionReason = 'FIELD_INVALID'): null {
    this.issues.push({ reason, field: `${this.prefix}${name}`, message: `${name}: ${message}` });
    return null;
  }

  has(name: string): boolean {
    const v = this.props[name];
    return v !== undefined && v !== null && v !== '';
  }

  raw(name: string): unknown {
    return this.props[name];
  }

  text(name: string, opts: { required?: boolean; max?: number; numbersOk?: boolean } = {}): string | null {
    if (!this.has(name)) return opts.required ? this.bad(name, 'is required') : null;
    let v = this.props[name];
    if (typeof v === 'number' && opts.numbersOk && Number.isFinite(v)) v = String(v);
    if (typeof v !== 'string') return this.bad(name, 'must be text');
    if (v.length > (opts.max ?? 500)) return this.bad(name, `must be at most ${opts.max ?? 500} characters`);
    return v;
  }

  number(name: string, opts: { required?: boolean; min?: number; max?: number; int?: boolean; positive?: boolean } = {}): number | null {
    if (!this.has(name)) return opts.required ? this.bad(name, 'is required') : null;
    const v = toNumber(this.props[name]);
    if (v === null) return this.bad(name, 'must be a number');
    if (opts.int && !Number.isInteger(v)) return this.bad(name, 'must be a whole number');
    if (opts.positive && v <= 0) return this.bad(name, 'must be greater than 0');
    if (opts.min !== undefined && v < opts.min) return this.bad(name, `must be at least ${opts.min}`);
    if (opts.max !== undefined && v > opts.max) return this.bad(name, `must be at most ${opts.max}`);
    return v;
  }

  oneOf<T extends string>(name: string, values: readonly T[], opts: { required?: boolean } = {}): T | null {
    if (!this.has(name)) return opts.required ? this.bad(name, 'is required') : null;
    const v = this.props[name];
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) return this.bad(name, `must be one of ${values.join(', ')}`);
    return v as T;
  }

  jalaliDate(name: string, opts: { required?: boolean } = {}): string | null {
    const v = this.text(name, { required: opts.required, max: 20 });
    if (v === null) return null;
    const canonical = canonicalJalaliDate(v);
    return canonical ?? this.bad(name, 'must be a Jalali date such as 1396/05/10');
  }
}

function toNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  return null;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** `1396/5/10`, `۱۳۹۶-۰۵-۱۰` → `1396/05/10`; null when it is no Jalali date. */
export function canonicalJalaliDate(input: string): string | null {
  try {
    const { jy, jm, jd } = parseJalaliDate(input);
    return `${jy}/${pad2(jm)}/${pad2(jd)}`;
  } catch (err) {
    if (isIranValidationError(err)) return null;
    throw err;
  }
}

/** A certificate issue date: Gregorian `YYYY-MM-DD` or Jalali `YYYY/MM/DD` → ISO `YYYY-MM-DD`; null if neither. */
export function parseIssueDate(input: string): string | null {
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(input.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1700) {
    const jalali = canonicalJalaliDate(input);
    if (!jalali) return null;
    const g = fromJalali(y, mo, d);
    return `${g.gy}-${pad2(g.gm)}-${pad2(g.gd)}`;
  }
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || y > 2200) return null;
  return `${y}-${pad2(mo)}-${pad2(d)}`;
}

function renewalCodeOf(input: unknown): { code: RenewalCode } | { message: string } {
  try {
    return { code: parseRenewalCode(typeof input === 'number' ? String(input) : (input as string)) };
  } catch (err) {
    if (isIranValidationError(err)) return { message: err.message };
    throw err;
  }
}

/**
 * Owners must be listed once each and their shares add up to 100 (six dang). Returns
 * the problems; `field` is relative to the owner list.
 */
export function ownerListIssues(owners: ReadonlyArray<{ nationalId: string; sharePercent: number }>): Issue[] {
  const issues: Issue[] = [];
  const seen = new Map<string, number>();
  owners.forEach((o, i) => {
    const first = seen.get(o.nationalId);
    if (first !== undefined) {
      issues.push({ reason: 'DUPLICATE', field: `[${i}].nationalId`, message: `owners[${i}] is the same person as owners[${first}]` });
    } else {
      seen.set(o.nationalId, i);
    }
  });
  const sum = owners.reduce((s, o) => s + o.sharePercent, 0);
  if (owners.length === 0 || Math.abs(sum - 100) > SHARE_TOLERANCE) {
    issues.push({
      reason: 'OWNER_SHARES_INVALID',
      field: '',
      message: `owner shares add up to ${Math.round(sum * 10000) / 10000}, not 100`,
    });
  }
  return issues;
}

// ---------------------------------------------------------------------------- zone rules

const nonNegative = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

interface Band {
  minPlotArea: number;
  maxPlotArea: number | null;
  minRoadWidth: number;
  maxRoadWidth: number | null;
  densityPercent: number;
}

const fmt = (lo: number, hi: number | null, unit: string) => `${lo}–${hi === null ? '∞' : hi} ${unit}`;

/**
 * The density bands must tile plot area × road width, from the smallest minimum of each
 * up to no upper bound, without gaps or overlaps (ranges are [min, max), null = ∞).
 * Returns what is wrong, or null.
 */
export function bandsProblem(bands: readonly Band[]): string | null {
  if (bands.length === 0) return null;
  const cuts = (lo: (b: Band) => number, hi: (b: Band) => number | null) => {
    const values = new Set<number>();
    for (const b of bands) {
      values.add(lo(b));
      const h = hi(b);
      if (h !== null) values.add(h);
    }
    const sorted = [...values].sort((a, b) => a - b);
    return sorted.map((v, i) => [v, i + 1 < sorted.length ? sorted[i + 1] : null] as [number, number | null]);
  };
  const areas = cuts((b) => b.minPlotArea, (b) => b.maxPlotArea);
  const roads = cuts((b) => b.minRoadWidth, (b) => b.maxRoadWidth);
  const covers = (lo: number, hi: number | null, cellLo: number, cellHi: number | null) =>
    lo <= cellLo && (hi === null || (cellHi !== null && hi >= cellHi));
  for (const [aLo, aHi] of areas) {
    for (const [rLo, rHi] of roads) {
      const hits = bands
        .map((b, i) => (covers(b.minPlotArea, b.maxPlotArea, aLo, aHi) && covers(b.minRoadWidth, b.maxRoadWidth, rLo, rHi) ? i : -1))
        .filter((i) => i >= 0);
      const where = `plot area ${fmt(aLo, aHi, 'm²')}, road width ${fmt(rLo, rHi, 'm')}`;
      if (hits.length === 0) return `the density bands leave a gap at ${where}`;
      if (hits.length > 1) return `density bands ${hits.join(' and ')} overlap at ${where}`;
    }
  }
  return null;
}

/**
 * Validates zone rules (import features and PATCH alike): every number ≥ 0, the documented
 * ones ≤ ZONE_LIMITS (the calculators' bounds), occupancy ≤ 100,
 * maxDensityPercent ≥ baseDensityPercent, allowed uses from the property uses, density
 * bands without gaps or overlaps. Returns the cleaned rules (unknown members dropped).
 */
export function validateZoneRules(input: unknown, prefix = 'rules'): { rules: ZoneRules | null; issues: Issue[] } {
  const issues: Issue[] = [];
  const bad = (field: string, message: string) => issues.push({ reason: 'FIELD_INVALID', field: `${prefix}.${field}`, message: `${prefix}.${field}: ${message}` });
  if (!isObject(input)) {
    issues.push({ reason: 'FIELD_INVALID', field: prefix, message: `${prefix} must be an object` });
    return { rules: null, issues };
  }
  const num = (field: string, value: unknown, opts: { int?: boolean; max?: number } = {}) => {
    if (!nonNegative(value)) return bad(field, 'must be a number ≥ 0');
    if (opts.int && !Number.isInteger(value)) return bad(field, 'must be a whole number');
    if (opts.max !== undefined && value > opts.max) return bad(field, `must be at most ${opts.max}`);
  };
  const uses = Object.values(PropertyUse) as string[];
  const allowed = input.allowedUses;
  if (!Array.isArray(allowed) || allowed.length === 0) bad('allowedUses', 'must be a non-empty list of uses');
  else if (allowed.some((u) => typeof u !== 'string' || !uses.includes(u))) bad('allowedUses', `uses must be among ${uses.join(', ')}`);
  else if (new Set(allowed).size !== allowed.length) bad('allowedUses', 'lists a use twice');
  num('maxOccupancyPercent', input.maxOccupancyPercent, { max: 100 });
  num('baseDensityPercent', input.baseDensityPercent, { max: ZONE_LIMITS.densityPercent });
  num('maxDensityPercent', input.maxDensityPercent, { max: ZONE_LIMITS.densityPercent });
  if (nonNegative(input.baseDensityPercent) && nonNegative(input.maxDensityPercent) && input.maxDensityPercent < input.baseDensityPercent) {
    bad('maxDensityPercent', `must be at least baseDensityPercent (${input.baseDensityPercent})`);
  }
  num('maxFloors', input.maxFloors, { int: true, max: ZONE_LIMITS.floors });
  num('minPlotArea', input.minPlotArea, { max: ZONE_LIMITS.plotArea });
  const setbacks = input.setbacks;
  if (!isObject(setbacks)) bad('setbacks', 'must be an object {front, back, side}');
  else for (const side of ['front', 'back', 'side']) num(`setbacks.${side}`, setbacks[side]);
  const parking = input.parkingRule;
  if (!isObject(parking)) bad('parkingRule', 'must be an object {perUnit, perCommercialM2}');
  else for (const k of ['perUnit', 'perCommercialM2']) num(`parkingRule.${k}`, parking[k]);
  const bands: Band[] = [];
  if (!Array.isArray(input.bands)) bad('bands', 'must be a list (may be empty)');
  else if (input.bands.length > ZONE_MAX_BANDS) bad('bands', `must have at most ${ZONE_MAX_BANDS} bands`);
  else {
    let bandsOk = true;
    input.bands.forEach((b: unknown, i: number) => {
      const before = issues.length;
      if (!isObject(b)) return void bad(`bands[${i}]`, 'must be an object');
      num(`bands[${i}].minPlotArea`, b.minPlotArea, { max: ZONE_LIMITS.plotArea });
      num(`bands[${i}].minRoadWidth`, b.minRoadWidth, { max: ZONE_LIMITS.roadWidth });
      num(`bands[${i}].densityPercent`, b.densityPercent, { max: ZONE_LIMITS.densityPercent });
      for (const [max, min, limit] of [
        ['maxPlotArea', 'minPlotArea', ZONE_LIMITS.plotArea],
        ['maxRoadWidth', 'minRoadWidth', ZONE_LIMITS.roadWidth],
      ] as const) {
        const v = b[max];
        if (v === null || v === undefined) continue;
        if (!nonNegative(v)) bad(`bands[${i}].${max}`, 'must be a number ≥ 0 or null (no upper bound)');
        else if (v > limit) bad(`bands[${i}].${max}`, `must be at most ${limit} (or null: no upper bound)`);
        else if (nonNegative(b[min]) && v <= b[min]) bad(`bands[${i}].${max}`, `must be greater than ${min}`);
      }
      if (issues.length > before) bandsOk = false;
      else {
        bands.push({
          minPlotArea: b.minPlotArea as number,
          maxPlotArea: (b.maxPlotArea as number | null | undefined) ?? null,
          minRoadWidth: b.minRoadWidth as number,
          maxRoadWidth: (b.maxRoadWidth as number | null | undefined) ?? null,
          densityPercent: b.densityPercent as number,
        });
      }
    });
    const problem = bandsOk ? bandsProblem(bands) : null;
    if (problem) bad('bands', problem);
  }
  if (issues.length) return { rules: null, issues };
  const s = setbacks as Json;
  const p = parking as Json;
  return {
    rules: {
      allowedUses: allowed as string[],
      maxOccupancyPercent: input.maxOccupancyPercent as number,
      baseDensityPercent: input.baseDensityPercent as number,
      maxDensityPercent: input.maxDensityPercent as number,
      maxFloors: input.maxFloors as number,
      minPlotArea: input.minPlotArea as number,
      setbacks: { front: s.front as number, back: s.back as number, side: s.side as number },
      bands,
      parkingRule: { perUnit: p.perUnit as number, perCommercialM2: p.perCommercialM2 as number },
    },
    issues,
  };
}

// ---------------------------------------------------------------------------- features

interface Prepared {
  index: number;
  id?: string;
  /** Natural key (canonical) for duplicate detection. */
  key?: string;
  issues: Issue[];
  /** Structurally sound geometry, checked by PostGIS. */
  geometry?: GeoJson;
  row?: Json;
  owners?: Json[];
  certificates?: Json[];
}

interface ParcelContext {
  knownRegions: Set<number> | null;
}

function prepareParcel(p: Prepared, f: Fields, ctx: ParcelContext): void {
  let code: RenewalCode | null = null;
  if (!f.has('renewalCode')) f.bad('renewalCode', 'is required', 'RENEWAL_CODE_INVALID');
  else {
    const parsed = renewalCodeOf(f.raw('renewalCode'));
    if ('message' in parsed) f.bad('renewalCode', parsed.message, 'RENEWAL_CODE_INVALID');
    else if (ctx.knownRegions && !ctx.knownRegions.has(parsed.code.region)) {
      f.bad('renewalCode', `region ${parsed.code.region} is not a region of the city (${[...ctx.knownRegions].join(', ')})`, 'RENEWAL_CODE_INVALID');
    } else code = parsed.code;
  }
  if (code) p.key = code.canonical;
  p.id ??= code?.canonical ?? (typeof f.raw('renewalCode') === 'string' ? (f.raw('renewalCode') as string) : undefined);
  const address = f.text('address', { required: true, max: 500 });
  let postalCode: string | null = null;
  if (f.has('postalCode')) {
    postalCode = normalizePostalCode(typeof f.raw('postalCode') === 'number' ? String(f.raw('postalCode')) : f.raw('postalCode'));
    if (!postalCode) f.bad('postalCode', 'must be a valid 10-digit postal code');
  }
  const row: Json = {
    renewal_code: code?.canonical,
    region: code?.region,
    district: code?.district,
    block: code?.block,
    parcel: code?.parcel,
    building: code?.building,
    apartment: code?.apartment,
    shop: code?.shop,
    address,
    postal_code: postalCode,
    plate_main: f.text('plateMain', { max: 20, numbersOk: true }),
    plate_sub: f.text('plateSub', { max: 20, numbersOk: true }),
    land_area: f.number('landArea', { required: true, positive: true, max: 10_000_000 }),
    building_area: f.number('buildingArea', { min: 0, max: 10_000_000 }) ?? 0,
    use: f.oneOf('use', Object.values(PropertyUse), { required: true }),
    floors: f.number('floors', { int: true, min: 0, max: 200 }) ?? 0,
    units: f.number('units', { int: true, min: 0, max: 10_000 }) ?? 0,
    construction_year: f.number('constructionYear', { int: true, min: 1200, max: 1500 }),
    structure_type: f.oneOf('structureType', Object.values(StructureType)) ?? StructureType.Other,
    access_road_width: f.number('accessRoadWidth', { min: 0, max: 500 }),
    frontage: f.number('frontage', { min: 0, max: 10_000 }),
    zone_code: f.text('zoneCode', { max: 32 }),
  };

  const ownersRaw = f.raw('owners');
  if (ownersRaw !== undefined && ownersRaw !== null) {
    if (!Array.isArray(ownersRaw)) f.bad('owners', 'must be a list of {nationalId, fullName, sharePercent}');
    else {
      const owners: Array<{ nationalId: string; sharePercent: number; fullName: string }> = [];
      let ownersOk = true;
      ownersRaw.forEach((o: unknown, i: number) => {
        const of = new Fields(isObject(o) ? o : {}, f.issues, `properties.owners[${i}].`);
        const before = f.issues.length;
        const nationalId = of.has('nationalId') ? normalizeNationalId(of.raw('nationalId')) : null;
        if (!nationalId) of.bad('nationalId', 'must be a valid 10-digit national ID', 'NATIONAL_ID_INVALID');
        const fullName = of.text('fullName', { required: true, max: 200 });
        const sharePercent = of.number('sharePercent', { required: true, positive: true, max: 100 });
        if (f.issues.length > before) ownersOk = false;
        else owners.push({ nationalId: nationalId!, fullName: fullName!, sharePercent: sharePercent! });
      });
      if (ownersOk) {
        for (const issue of ownerListIssues(owners)) f.issues.push({ ...issue, field: `properties.owners${issue.field ?? ''}` });
      }
      p.owners = owners.map((o) => ({ national_id: o.nationalId, full_name: o.fullName, share_percent: o.sharePercent }));
    }
  }

  const certsRaw = f.raw('certificates');
  if (certsRaw !== undefined && certsRaw !== null) {
    if (!Array.isArray(certsRaw)) f.bad('certificates', 'must be a list of {kind, requestNumber, jalaliYear, issueDate}');
    else {
      p.certificates = certsRaw.map((c: unknown, i: number) => {
        const cf = new Fields(isObject(c) ? c : {}, f.issues, `properties.certificates[${i}].`);
        const requestNumber = cf.text('requestNumber', { required: true, max: 40, numbersOk: true });
        if (requestNumber !== null && !/^[0-9A-Za-z][0-9A-Za-z/-]*$/.test(requestNumber)) cf.bad('requestNumber', 'must be letters, digits, / or -');
        const issueText = cf.text('issueDate', { required: true, max: 20 });
        const issueDate = issueText === null ? null : parseIssueDate(issueText);
        if (issueText !== null && !issueDate) cf.bad('issueDate', 'must be a date such as 2023-07-12 or 1402/04/21');
        return {
          kind: cf.oneOf('kind', Object.values(CertificateKind), { required: true }),
          request_number: requestNumber,
          jalali_year: cf.number('jalaliYear', { required: true, int: true, min: 1300, max: 1500 }),
          issue_date: issueDate,
        };
      });
    }
  }
  p.row = row;
}

function prepareZone(p: Prepared, f: Fields): void {
  const code = f.text('code', { required: true, max: 32 });
  if (code !== null && !/^[\p{L}\p{N}][\p{L}\p{N}._/ -]*$/u.test(code)) f.bad('code', 'must be letters, digits, -, _, . or /');
  if (code) p.key = code;
  p.id ??= code ?? undefined;
  const { rules, issues } = validateZoneRules(f.raw('rules'), 'properties.rules');
  f.issues.push(...issues);
  p.row = {
    code,
    name: f.text('name', { required: true, max: 200 }),
    rules,
    plan_name: f.text('planName', { required: true, max: 200 }),
    approval_date: f.jalaliDate('approvalDate', { required: true }),
  };
}

function prepareWideningPlan(p: Prepared, f: Fields): void {
  const name = f.text('name', { required: true, max: 300 });
  const approvalDate = f.jalaliDate('approvalDate', { required: true });
  if (name && approvalDate) p.key = `${name}\u0000${approvalDate}`;
  p.id ??= name ?? undefined;
  p.row = { name, street_name: f.text('streetName', { max: 300 }), approval_date: approvalDate };
}

const LAYER_KEYS = new Set(['layer', 'name', 'kind']);

function prepareLayerFeature(p: Prepared, f: Fields, props: Json, geometry: unknown): void {
  const layer = f.oneOf('layer', Object.values(CityLayer), { required: true });
  const name = f.text('name', { required: true, max: 300 });
  const kind = f.text('kind', { max: 100 });
  const extra = Object.fromEntries(Object.entries(props).filter(([k]) => !LAYER_KEYS.has(k)));
  if (layer && name) p.key = `${layer}\u0000${name}\u0000${JSON.stringify(geometry)}`;
  p.id ??= name ?? undefined;
  p.row = { layer, name, kind, properties: Object.keys(extra).length ? extra : null };
}

const GEOMETRY_TYPES: Record<ImportKind, readonly string[] | null> = {
  [ImportKind.Parcels]: AREA_TYPES,
  [ImportKind.Zones]: AREA_TYPES,
  [ImportKind.WideningPlans]: AREA_TYPES,
  [ImportKind.Layers]: null,
};

/** Validation of one feature that needs no database. */
function prepareFeature(kind: ImportKind, raw: unknown, index: number, ctx: ParcelContext): Prepared {
  const p: Prepared = { index, issues: [] };
  if (!isObject(raw) || raw.type !== 'Feature') {
    p.issues.push({ reason: 'FIELD_INVALID', field: 'type', message: 'each member of `features` must be a GeoJSON Feature' });
    return p;
  }
  if (typeof raw.id === 'string' || typeof raw.id === 'number') p.id = String(raw.id);
  let props: Json = {};
  try {
    if (isObject(raw.properties)) props = normalizeInput(raw.properties) as Json;
  } catch (err) {
    // a control character, a value nested too deep: this feature's issue, not the whole file's
    if (!(err instanceof DomainError)) throw err;
    p.issues.push({ reason: 'FIELD_INVALID', field: `properties.${err.fieldErrors[0]?.field ?? ''}`.replace(/\.$/, ''), message: err.message });
  }
  const f = new Fields(props, p.issues, 'properties.');
  const problem = geometryProblem(raw.geometry, GEOMETRY_TYPES[kind]);
  if (problem) p.issues.push({ reason: 'GEOMETRY_INVALID', field: 'geometry', message: problem });
  else p.geometry = kind === ImportKind.Layers ? (raw.geometry as GeoJson) : asMulti(raw.geometry as GeoJson);
  switch (kind) {
    case ImportKind.Parcels:
      prepareParcel(p, f, ctx);
      break;
    case ImportKind.Zones:
      prepareZone(p, f);
      break;
    case ImportKind.WideningPlans:
      prepareWideningPlan(p, f);
      break;
    case ImportKind.Layers:
      prepareLayerFeature(p, f, props, raw.geometry);
      break;
  }
  return p;
}

/** Flags every later feature that repeats an earlier key (and parcels' certificate request numbers). */
function markDuplicatesInFile(kind: ImportKind, prepared: Prepared[]): void {
  const seen = new Map<string, number>();
  for (const p of prepared) {
    if (p.key === undefined) continue;
    const first = seen.get(p.key);
    if (first === undefined) seen.set(p.key, p.index);
    else p.issues.push({ reason: 'DUPLICATE', field: KEY_FIELD[kind], message: `the same ${KEY_LABEL[kind]} as feature ${first}` });
  }
  if (kind !== ImportKind.Parcels) return;
  const numbers = new Map<string, number>();
  for (const p of prepared) {
    p.certificates?.forEach((c, i) => {
      const n = c.request_number as string | null;
      if (!n) return;
      const first = numbers.get(n);
      if (first === undefined) numbers.set(n, p.index);
      else {
        p.issues.push({
          reason: 'DUPLICATE',
          field: `properties.certificates[${i}].requestNumber`,
          message: `certificate request number ${n} also appears in feature ${first}`,
        });
      }
    });
  }
}

const KEY_FIELD: Record<ImportKind, string> = {
  [ImportKind.Parcels]: 'properties.renewalCode',
  [ImportKind.Zones]: 'properties.code',
  [ImportKind.WideningPlans]: 'properties.name',
  [ImportKind.Layers]: 'properties.name',
};
const KEY_LABEL: Record<ImportKind, string> = {
  [ImportKind.Parcels]: 'renewal code',
  [ImportKind.Zones]: 'zone code',
  [ImportKind.WideningPlans]: 'name and approval date',
  [ImportKind.Layers]: 'layer, name and geometry',
};

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

// ============================================================================ service

interface ImportOptions {
  dryRun: boolean;
  mode: ImportMode;
}

/**
 * GeoJSON imports of the registry's spatial data (parcels with owners and certificate
 * history, detailed-plan zones, street-widening plans, city-viewer layers). All or
 * nothing: every feature is validated first (JavaScript, then PostGIS validity and
 * duplicates in two queries for the whole file) and every rejection reported; only a
 * clean file is written, in one transaction with multi-row INSERTs, and audited.
 */
@Injectable()
export class PropertyImportService {
  private readonly logger = new Logger(PropertyImportService.name);

  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditService,
    private readonly regions: RegionsService,
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
    private readonly repo: PropertyImportRepository,
  ) {}

  async import(kind: ImportKind, file: UploadedFileLike | undefined, options: ImportOptions): Promise<ImportResultDto> {
    const started = Date.now();
    const features = parseFeatureCollection(file);
    const sha256 = createHash('sha256').update(file!.buffer!).digest('hex');
    const fileName = String(file?.originalname ?? 'upload.geojson').slice(0, 200);

    const knownRegions = kind === ImportKind.Parcels ? new Set((await this.regions.list()).map((r) => r.id)) : null;
    const ctx: ParcelContext = { knownRegions: knownRegions?.size ? knownRegions : null };
    const prepared = features.map((raw, index) => prepareFeature(kind, raw, index, ctx));
    markDuplicatesInFile(kind, prepared);
    const existing = await this.checkInDatabase(kind, prepared, options.mode);
    this.logger.log({ kind, features: features.length, elapsedMs: Date.now() - started }, `import of ${kind}: ${features.length} features validated`);

    const rejected = prepared.filter((p) => p.issues.length > 0);
    if (rejected.length) throw this.rejection(kind, prepared, rejected.length, options);

    const result: ImportResultDto = {
      kind,
      mode: options.mode,
      accepted: prepared.length,
      rejected: 0,
      inserted: 0,
      updated: 0,
      dryRun: options.dryRun,
      fileName,
      sha256,
      elapsedMs: 0,
    };
    if (options.dryRun) return { ...result, elapsedMs: Date.now() - started };

    await this.em.transactional(async (tx) => {
      // a city's parcels in one transaction: longer than a request's statement limit
      await allowLongStatements(tx, this.config.database.longStatementTimeoutMs);
      const counts = await this.write(tx, kind, prepared, existing, options.mode);
      result.inserted = counts.inserted;
      result.updated = counts.updated;
      await run(tx, this.audit.record({
        action: 'properties.import',
        target: { type: 'import', id: kind },
        metadata: {
          kind,
          mode: options.mode,
          fileName,
          sha256,
          bytes: file!.buffer!.length,
          accepted: result.accepted,
          inserted: counts.inserted,
          updated: counts.updated,
          owners: counts.owners,
          certificates: counts.certificates,
        },
      }));
    });
    result.elapsedMs = Date.now() - started;
    this.logger.log({ ...result }, `import of ${kind}: ${result.accepted} features written in ${result.elapsedMs} ms`);
    return result;
  }

  private rejection(kind: ImportKind, prepared: Prepared[], rejected: number, options: ImportOptions) {
    const all: ImportRejectionDto[] = [];
    for (const p of prepared) {
      for (const issue of p.issues) {
        all.push({ index: p.index, ...(p.id !== undefined ? { id: p.id } : {}), reason: issue.reason, ...(issue.field ? { field: issue.field } : {}), message: issue.message });
      }
    }
    const rejections = all.slice(0, IMPORT_MAX_REJECTIONS);
    return PropertiesErrors.IMPORT_REJECTED({
      fieldErrors: rejections.map((r) => issueToFieldError({ reason: r.reason, field: r.field, message: r.message }, `features[${r.index}].`)),
      extensions: {
        kind,
        accepted: 0,
        rejected,
        total: prepared.length,
        dryRun: options.dryRun,
        rejections,
        rejectionsTruncated: all.length > rejections.length,
      },
    });
  }

  /**
   * PostGIS validity of every geometry (one query) and keys already in the database (one
   * query). Adds the issues to the features; returns the existing keys (for upserts).
   */
  private async checkInDatabase(kind: ImportKind, prepared: Prepared[], mode: ImportMode): Promise<Set<string>> {
    const withGeometry = prepared.filter((p) => p.geometry);
    for (let start = 0; start < withGeometry.length; start += VALIDITY_BATCH) {
      const batch = withGeometry.slice(start, start + VALIDITY_BATCH);
      const invalid = await run(this.em, this.repo.invalidGeometries(batch.map((p) => p.geometry)));
      for (const row of invalid) {
        batch[row.ord - 1].issues.push({
          reason: 'GEOMETRY_INVALID',
          field: 'geometry',
          message: `PostGIS: ${row.reason ?? 'invalid geometry'}`,
        });
      }
    }
    const keyed = prepared.filter((p) => p.key !== undefined);
    const existing = new Set<string>();
    const upsert = mode === ImportMode.Upsert;
    const duplicate = (p: Prepared, what: string) =>
      p.issues.push({ reason: 'DUPLICATE', field: KEY_FIELD[kind], message: `${what} is already in the database (use ?mode=upsert to update it)` });

    switch (kind) {
      case ImportKind.Parcels: {
        const numbers = prepared.flatMap((p) => (p.certificates ?? []).map((c) => c.request_number as string | null).filter((n): n is string => !!n));
        const found = await run(this.em, this.repo.existingParcels(keyed.map((p) => p.key!), numbers));
        for (const code of found.codes) existing.add(code);
        const certOwner = found.certificateHolders;
        const replacing = new Set(upsert ? prepared.filter((p) => p.key && p.certificates).map((p) => p.key!) : []);
        for (const p of prepared) {
          if (p.key && existing.has(p.key) && !upsert) duplicate(p, `renewal code ${p.key}`);
          p.certificates?.forEach((c, i) => {
            const owner = certOwner.get(c.request_number as string);
            // a number held by a property whose history this file replaces is free again
            if (owner !== undefined && !replacing.has(owner)) {
              p.issues.push({
                reason: 'DUPLICATE',
                field: `properties.certificates[${i}].requestNumber`,
                message: `certificate request number ${String(c.request_number)} is already registered (property ${owner})`,
              });
            }
          });
        }
        break;
      }
      case ImportKind.Zones: {
        for (const code of await run(this.em, this.repo.existingZones(keyed.map((p) => p.key!)))) existing.add(code);
        if (!upsert) for (const p of keyed) if (existing.has(p.key!)) duplicate(p, `zone ${String(p.row?.code)}`);
        break;
      }
      case ImportKind.WideningPlans: {
        const rows = await run(
          this.em,
          this.repo.existingWideningPlans(keyed.map((p) => ({ name: String(p.row!.name), approvalDate: String(p.row!.approval_date) }))),
        );
        for (const r of rows) existing.add(`${r.name}\u0000${r.approvalDate}`);
        if (!upsert) for (const p of keyed) if (existing.has(p.key!)) duplicate(p, `widening plan "${String(p.row?.name)}" of ${String(p.row?.approval_date)}`);
        break;
      }
      case ImportKind.Layers: {
        const candidates = keyed.filter((p) => p.geometry);
        const matched = await run(
          this.em,
          this.repo.existingLayerFeatures(candidates.map((p) => ({ layer: String(p.row!.layer), name: String(p.row!.name), geom: JSON.stringify(p.geometry) }))),
        );
        for (const ord of matched) {
          const p = candidates[ord];
          existing.add(p.key!);
          if (!upsert) duplicate(p, `${String(p.row!.layer)} feature "${String(p.row!.name)}" with this geometry`);
        }
        break;
      }
    }
    return existing;
  }

  /** All rows of a clean file, through the transaction's entity manager only. */
  private async write(
    tx: EntityManager,
    kind: ImportKind,
    prepared: Prepared[],
    existing: Set<string>,
    mode: ImportMode,
  ): Promise<{ inserted: number; updated: number; owners: number; certificates: number }> {
    const updated = prepared.filter((p) => existing.has(p.key!)).length;
    const counts = { inserted: prepared.length - updated, updated, owners: 0, certificates: 0 };
    const upsert = mode === ImportMode.Upsert;
    const geom = (p: Prepared) => JSON.stringify(p.geometry);
    switch (kind) {
      case ImportKind.Parcels: {
        for (const batch of chunks(prepared, BATCH_ROWS)) {
          await run(tx, this.repo.insertParcels(batch.map((p) => ({ ...p.row, id: uuidv7(), geom: geom(p) }) as ParcelRow), upsert));
        }
        if (upsert) {
          // owners and certificate history listed in the file replace those of existing parcels
          const replaceOwners = prepared.filter((p) => p.owners && existing.has(p.key!)).map((p) => p.key!);
          const replaceCerts = prepared.filter((p) => p.certificates && existing.has(p.key!)).map((p) => p.key!);
          for (const batch of chunks(replaceOwners, CHILD_BATCH_ROWS)) await run(tx, this.repo.deleteOwners(batch));
          for (const batch of chunks(replaceCerts, CHILD_BATCH_ROWS)) await run(tx, this.repo.deleteCertificates(batch));
        }
        const owners = prepared.flatMap((p) => (p.owners ?? []).map((o) => ({ ...o, id: uuidv7(), renewal_code: p.key! }) as OwnerRow));
        for (const batch of chunks(owners, CHILD_BATCH_ROWS)) await run(tx, this.repo.insertOwners(batch));
        const certificates = prepared.flatMap((p) => (p.certificates ?? []).map((c) => ({ ...c, id: uuidv7(), renewal_code: p.key! }) as CertificateRow));
        for (const batch of chunks(certificates, CHILD_BATCH_ROWS)) await run(tx, this.repo.insertCertificates(batch));
        counts.owners = owners.length;
        counts.certificates = certificates.length;
        break;
      }
      case ImportKind.Zones:
        for (const batch of chunks(prepared, BATCH_ROWS)) {
          await run(tx, this.repo.insertZones(batch.map((p) => ({ ...p.row, geom: geom(p) }) as ZoneRow), upsert));
        }
        break;
      case ImportKind.WideningPlans: {
        const [olds, news] = [prepared.filter((p) => existing.has(p.key!)), prepared.filter((p) => !existing.has(p.key!))];
        for (const batch of chunks(olds, BATCH_ROWS)) {
          await run(tx, this.repo.updateWideningPlans(batch.map((p) => ({ ...p.row, geom: geom(p) }) as WideningPlanRow)));
        }
        for (const batch of chunks(news, BATCH_ROWS)) {
          await run(tx, this.repo.insertWideningPlans(batch.map((p) => ({ ...p.row, id: uuidv7(), geom: geom(p) }) as WideningPlanRow & { id: string })));
        }
        break;
      }
      case ImportKind.Layers: {
        const [olds, news] = [prepared.filter((p) => existing.has(p.key!)), prepared.filter((p) => !existing.has(p.key!))];
        for (const batch of chunks(olds, BATCH_ROWS)) {
          await run(tx, this.repo.updateLayerFeatures(batch.map((p) => ({ ...p.row, geom: geom(p) }) as LayerFeatureRow)));
        }
        for (const batch of chunks(news, BATCH_ROWS)) {
          await run(tx, this.repo.insertLayerFeatures(batch.map((p) => ({ ...p.row, id: uuidv7(), geom: geom(p) }) as LayerFeatureRow & { id: string })));
        }
        break;
      }
    }
    return counts;
  }
}
