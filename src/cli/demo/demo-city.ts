/**
 * Demo city generator (پایگاه داده نمونه شهر قزوین): a deterministic, plausible grid city
 * centred on Qazvin (50.00°E, 36.27°N). Pure: no database, no Nest, no Math.random.
 *
 * Layout (all sizes in metres in a local east/north frame, origin = city centre;
 * converted to WGS84 lon/lat with the WGS84 radii of curvature at 36.27°N, i.e.
 * lon = 50 + x / (m per degree of longitude = N·cos φ), lat = 36.27 + y / (m per degree of
 * latitude = M); rounded to 7 decimals):
 *
 *   ─────────── E-W street k+1 (parcels of the north half face it) ───────────
 *   │ N-S  │ north half: n parcels, depth d_r, frontages vary │ N-S  │
 *   │street│ ··········· back line (mid-line of the row) ·····│street│  block (r, c)
 *   │  c   │ south half: n parcels, depth d_r                 │ c+1  │
 *   ─────────── E-W street k = r (parcels of the south half face it) ────────
 *
 * - The city is a grid of C block columns × R block rows. Column c is W_c m wide
 *   (96-144 m) and holds n_c = W_c / 12 parcels per half-row; row r is 2·d_r deep (d_r =
 *   20-32 m). Every block has two back-to-back rows of parcels, each parcel faces the
 *   E-W street on its side, so a parcel is frontage (≈ 8-16 m, in decimetres) × d_r:
 *   about 150-600 m². Streets run between all blocks: E-W street k lies south of row k
 *   (k = 0..R), N-S street c west of column c (c = 0..C). Local streets are 6-12 m wide;
 *   every 6th E-W street and every 4th N-S street (and the perimeter, and the two region
 *   borders) is a main street 20-45 m wide.
 * - C is a multiple of 3 chosen so the city stays roughly square; R = ⌈parcels / parcels
 *   per block row⌉. Parcels are numbered row by row (south to north), block by block
 *   (west to east), south half then north half: the requested count is honoured exactly,
 *   only the last block row is partly empty.
 * - Regions 1, 2, 3 are vertical bands of C/3 columns (west to east) bounded by the
 *   centre lines of main N-S streets; each region is split into districts (rectangles of
 *   about 12 columns × 30 rows, bounded by street centre lines), districts into blocks
 *   (numbered row by row inside the district) and blocks into parcels.
 * - Zones (طرح تفصیلی): the strip of both half-rows facing a main E-W street (from back
 *   line to back line) is C-1; the rest is cut by the main streets into super-cells,
 *   each M (centre), R-2 (middle ring), R-1 (outskirts) or G (a few, at random). Zone
 *   edges are back lines and street centre lines, never inside a parcel, and a parcel's
 *   zone is simply the zone of the street band it faces: the zone containing its centroid.
 * - Widening plans (طرح تعریض): strips `depth` m deep along a few E-W streets, over whole
 *   blocks, so a parcel facing such a street loses exactly frontage × depth m².
 * - Every per-parcel value is a pure function of (seed, parcel index): batches can be any
 *   size, and nothing but the small per-row/per-column layout arrays stays in memory.
 */
import type { ZoneRules } from '../../modules/properties/entities/zone.entity';
import { fromJalali, generateNationalId } from '@app/iran';

// Globals are read once: inside a vm context (Jest) every global lookup in a hot loop is
// slow, and a million parcels make many.
const { imul, floor, round, min, max, sqrt, ceil, hypot, sin, cos, PI } = Math;
const I32 = Int32Array;

// ─── Public types ────────────────────────────────────────────────────────────────────

/** [longitude, latitude], WGS84 (SRID 4326), 7 decimals. */
export type Position = [number, number];
export interface GeoPoint {
  type: 'Point';
  coordinates: Position;
}
export interface GeoLineString {
  type: 'LineString';
  coordinates: Position[];
}
export interface GeoPolygon {
  type: 'Polygon';
  coordinates: Position[][];
}
export interface GeoMultiPolygon {
  type: 'MultiPolygon';
  coordinates: Position[][][];
}

export type ParcelUse = 'residential' | 'commercial' | 'office' | 'mixed' | 'educational' | 'health' | 'green';
export type StructureKind = 'steel' | 'concrete' | 'masonry' | 'other';
export type DemoCertificateKind = 'apartment_completion' | 'transfer' | 'inquiry' | 'building_permit';
export type DemoZoneCode = 'R-1' | 'R-2' | 'C-1' | 'M' | 'G';
export type PlaceKind = 'school' | 'park' | 'mosque' | 'hospital' | 'fire_station';

export interface ParcelOwnerRecord {
  nationalId: string;
  /** Persian full name. */
  name: string;
  /** Percent; the shares of one parcel sum to 100. */
  share: number;
}

export interface ParcelCertificateRecord {
  kind: DemoCertificateKind;
  /** Digits only, unique city-wide. */
  requestNumber: string;
  jalaliYear: number;
  /** `1398/04/12` */
  jalaliDate: string;
  /** ISO (Gregorian) date `2019-07-03`. */
  issueDate: string;
}

export interface ParcelRecord {
  /** `${region}-${district}-${block}-${parcel}-0-0-0` */
  renewalCode: string;
  region: number;
  district: number;
  block: number;
  parcel: number;
  building: 0;
  apartment: 0;
  shop: 0;
  /** Persian, ASCII digits (the canonical form of normalizePersianText). */
  address: string;
  /** 10 digits, valid per isValidPostalCode, unique. */
  postalCode: string;
  /** Registration plate (پلاک ثبتی): main (اصلی) and sub (فرعی) numbers. */
  plate: { main: string; sub: string };
  /** m² (frontage × depth). */
  landArea: number;
  /** m², all floors. */
  buildingArea: number;
  use: ParcelUse;
  floors: number;
  units: number;
  /** Jalali year, 1340..1403. */
  constructionYear: number;
  structureType: StructureKind;
  /** Width (m) of the street the parcel faces. */
  accessRoadWidth: number;
  /** m along that street. */
  frontage: number;
  zoneCode: DemoZoneCode;
  owners: ParcelOwnerRecord[];
  /** Chronological; empty for about 10% of parcels. */
  certificates: ParcelCertificateRecord[];
  geometry: GeoMultiPolygon;
}

export interface RegionRecord {
  region: number;
  name: string;
  geometry: GeoPolygon;
}

export interface DistrictRecord {
  region: number;
  district: number;
  /** `${region}-${district}` */
  code: string;
  name: string;
  geometry: GeoPolygon;
}

export interface BlockRecord {
  region: number;
  district: number;
  block: number;
  /** `${region}-${district}-${block}` */
  code: string;
  /** Parcels generated in this block (fewer than its capacity only in the last row). */
  parcelCount: number;
  geometry: GeoPolygon;
}

export interface ZoneDensityBand {
  /** m², inclusive. */
  minPlotArea: number;
  /** m², exclusive; null = no upper bound. */
  maxPlotArea: number | null;
  /** m, inclusive. */
  minRoadWidth: number;
  /** m, exclusive; null = no upper bound. */
  maxRoadWidth: number | null;
  densityPercent: number;
}

/** The rules stored on a zone (`ZoneRules`, zone.entity.ts) plus its identity and plan. */
export interface DemoZoneRules extends ZoneRules {
  code: DemoZoneCode;
  name: string;
  allowedUses: ParcelUse[];
  bands: ZoneDensityBand[];
  planName: string;
  approvalDate: string;
}

export interface ZoneRecord extends DemoZoneRules {
  /** Non-overlapping rectangles; the zones together cover the city's bounding box. */
  geometry: GeoMultiPolygon;
}

export interface StreetRecord {
  id: string;
  name: string;
  /** main: full-length avenues; local: segments between two main streets. */
  kind: 'main' | 'local';
  orientation: 'ew' | 'ns';
  widthMeters: number;
  /** Centre line. */
  geometry: GeoLineString;
}

export interface PlaceRecord {
  id: string;
  kind: PlaceKind;
  name: string;
  region: number;
  district: number;
  /** The parcel the place stands on (its centroid). */
  renewalCode: string;
  geometry: GeoPoint;
}

export interface WideningPlanRecord {
  id: string;
  name: string;
  /** Jalali `1398/07/15`. */
  approvalDate: string;
  streetId: string;
  streetName: string;
  region: number;
  /** Which side of the street is cut: `south` cuts the parcels south of it. */
  side: 'north' | 'south' | 'both';
  depthMeters: number;
  /** The street's width today, m. */
  currentWidthMeters: number;
  /** The street's width once the plan is carried out: today's plus the depth taken on each cut side, m. */
  plannedWidthMeters: number;
  geometry: GeoMultiPolygon;
}

export interface WideningSample {
  renewalCode: string;
  region: number;
  /** frontage × depth, m² (what PostGIS should find, up to rounding to 7 decimals). */
  expectedAffectedAreaM2: number;
  parcelAreaM2: number;
  frontage: number;
  depthMeters: number;
  planId: string;
}

export interface DemoCitySamples {
  inWideningPlan: WideningSample;
  noCertificates: { renewalCode: string; region: number };
  eligible: { renewalCode: string; region: number; lastRequestNumber: string };
  demoCitizenNationalId: string;
  demoCitizenName: string;
  /** [eligible, without certificates, in a widening plan]; the demo citizen owns 100%. */
  ownedByDemoCitizen: string[];
  demoCitizen: {
    eligible: { renewalCode: string; region: number; lastRequestNumber: string };
    noCertificates: { renewalCode: string; region: number };
    inWideningPlan: WideningSample;
  };
}

export interface DemoCityOptions {
  /** Exact number of parcels, DEMO_CITY_MIN_PARCELS..DEMO_CITY_MAX_PARCELS. */
  parcels: number;
  /** Any integer; default 1. */
  seed?: number;
}

export interface DemoCityLayout {
  columns: number;
  rows: number;
  parcelsPerBlockRow: number;
  widthMeters: number;
  heightMeters: number;
  /** [minLon, minLat, maxLon, maxLat] */
  bbox: [number, number, number, number];
}

export interface DemoCity {
  options: { parcels: number; seed: number };
  center: Position;
  layout: DemoCityLayout;
  parcelCount: number;
  blockCount: number;
  regions: RegionRecord[];
  districts: DistrictRecord[];
  zones: ZoneRecord[];
  streets: StreetRecord[];
  places: PlaceRecord[];
  wideningPlans: WideningPlanRecord[];
  /** Streams every parcel in order, in arrays of at most `batchSize`. */
  parcelBatches(batchSize: number): Generator<ParcelRecord[]>;
  /** Streams the blocks that hold at least one parcel. */
  blockBatches(batchSize: number): Generator<BlockRecord[]>;
  /** The parcel at a 0-based index of the parcelBatches order. */
  parcelAt(index: number): ParcelRecord;
  /** The parcel with this canonical renewal code, or null. */
  parcelByRenewalCode(renewalCode: string): ParcelRecord | null;
  samples: DemoCitySamples;
}

// ─── Constants ───────────────────────────────────────────────────────────────────────

export const DEMO_CITY_CENTER: Position = [50.0, 36.27];
export const DEMO_CITY_DEFAULT_PARCELS = 3_000;
export const DEMO_CITY_MIN_PARCELS = 200;
export const DEMO_CITY_MAX_PARCELS = 10_000_000;
export const DEMO_CITIZEN_SEED = 424242;
export const DEMO_CITIZEN_NAME = 'سارا قزوینی';
export const DETAILED_PLAN_NAME = 'طرح تفصیلی شهر قزوین';
export const DETAILED_PLAN_APPROVAL_DATE = '1396/05/10';

const LON0 = DEMO_CITY_CENTER[0];
const LAT0 = DEMO_CITY_CENTER[1];
const WGS84_A = 6_378_137;
const WGS84_E2 = 0.00669437999014;
const PHI0 = (LAT0 * PI) / 180;
const W0 = 1 - WGS84_E2 * sin(PHI0) ** 2;
/** Meridional radius of curvature at 36.27°N, per degree. */
export const METERS_PER_DEGREE_LAT = ((WGS84_A * (1 - WGS84_E2)) / (W0 * sqrt(W0))) * (PI / 180);
/** Prime-vertical radius × cos(36.27°), per degree. */
export const METERS_PER_DEGREE_LON = (WGS84_A / sqrt(W0)) * cos(PHI0) * (PI / 180);

export function round7(v: number): number {
  return round(v * 1e7) / 1e7;
}
/** Local metres east of the centre → longitude (7 decimals). */
export function lonOf(x: number): number {
  return round7(LON0 + x / METERS_PER_DEGREE_LON);
}
/** Local metres north of the centre → latitude (7 decimals). */
export function latOf(y: number): number {
  return round7(LAT0 + y / METERS_PER_DEGREE_LAT);
}

const MAIN_EW_EVERY = 6;
const MAIN_NS_EVERY = 4;
const COLUMN_WIDTHS = [96, 108, 120, 132, 144];
const METRES_PER_PARCEL_FRONT = 12;
const LOCAL_EW_WIDTHS = [6, 8, 10, 12];
const MAIN_EW_WIDTHS = [24, 30, 35, 45];
const LOCAL_NS_WIDTHS = [6, 8, 10];
const MAIN_NS_WIDTHS = [20, 24, 30];
const PERIMETER_WIDTH = 30;
const DISTRICT_COLS = 12;
const DISTRICT_ROWS = 30;
const CERT_SLOTS = 8;
const FIRST_JALALI_YEAR = 1340;
const LAST_JALALI_YEAR = 1403;

// Streams of the PRNG (one independent sequence per purpose).
const S_COLS = 1;
const S_ROWS = 2;
const S_FRONT = 3;
const S_PARCEL = 4;
const S_ZONES = 5;
const S_PLANS = 6;
const S_SAMPLES = 7;
const S_PLACES = 8;
const S_NAMES = 9;

// ─── Zoning rules ────────────────────────────────────────────────────────────────────

const AREA_BANDS: Array<[number, number | null]> = [
  [0, 200],
  [200, 300],
  [300, 500],
  [500, null],
];
const ROAD_BANDS: Array<[number, number | null]> = [
  [0, 12],
  [12, 20],
  [20, null],
];

function densityBands(base: number, max: number, areaStep: number, roadStep: number): ZoneDensityBand[] {
  const out: ZoneDensityBand[] = [];
  AREA_BANDS.forEach(([minPlotArea, maxPlotArea], ai) =>
    ROAD_BANDS.forEach(([minRoadWidth, maxRoadWidth], ri) =>
      out.push({
        minPlotArea,
        maxPlotArea,
        minRoadWidth,
        maxRoadWidth,
        densityPercent: min(max, base + ai * areaStep + ri * roadStep),
      }),
    ),
  );
  return out;
}

/** Use weights per zone; the allowed uses of a zone are exactly these. */
const USE_WEIGHTS: Record<DemoZoneCode, Array<[ParcelUse, number]>> = {
  'R-1': [
    ['residential', 90],
    ['educational', 4],
    ['health', 2],
    ['green', 4],
  ],
  'R-2': [
    ['residential', 84],
    ['office', 6],
    ['educational', 5],
    ['health', 3],
    ['green', 2],
  ],
  'C-1': [
    ['commercial', 50],
    ['mixed', 25],
    ['office', 20],
    ['residential', 5],
  ],
  M: [
    ['mixed', 40],
    ['residential', 25],
    ['commercial', 20],
    ['office', 10],
    ['educational', 3],
    ['health', 2],
    ['green', 2],
  ],
  G: [
    ['green', 88],
    ['educational', 8],
    ['health', 4],
  ],
};

function zoneRules(
  code: DemoZoneCode,
  name: string,
  r: Omit<DemoZoneRules, 'code' | 'name' | 'allowedUses' | 'bands' | 'planName' | 'approvalDate'>,
  steps: [number, number],
): DemoZoneRules {
  return {
    code,
    name,
    allowedUses: USE_WEIGHTS[code].map(([u]) => u),
    ...r,
    bands: densityBands(r.baseDensityPercent, r.maxDensityPercent, steps[0], steps[1]),
    planName: DETAILED_PLAN_NAME,
    approvalDate: DETAILED_PLAN_APPROVAL_DATE,
  };
}

/** Rules of the demo zones, in a fixed order. */
export const DEMO_ZONE_RULES: Readonly<Record<DemoZoneCode, DemoZoneRules>> = {
  'R-1': zoneRules(
    'R-1',
    'مسکونی کم‌تراکم',
    {
      maxOccupancyPercent: 60,
      baseDensityPercent: 120,
      maxDensityPercent: 180,
      maxFloors: 3,
      minPlotArea: 200,
      setbacks: { front: 2, back: 5, side: 0 },
      parkingRule: { perUnit: 1, perCommercialM2: 75 },
    },
    [15, 20],
  ),
  'R-2': zoneRules(
    'R-2',
    'مسکونی با تراکم متوسط',
    {
      maxOccupancyPercent: 60,
      baseDensityPercent: 180,
      maxDensityPercent: 300,
      maxFloors: 5,
      minPlotArea: 150,
      setbacks: { front: 0, back: 4, side: 0 },
      parkingRule: { perUnit: 1, perCommercialM2: 75 },
    },
    [20, 40],
  ),
  'C-1': zoneRules(
    'C-1',
    'تجاری در امتداد محورهای اصلی',
    {
      maxOccupancyPercent: 70,
      baseDensityPercent: 240,
      maxDensityPercent: 480,
      maxFloors: 8,
      minPlotArea: 150,
      setbacks: { front: 0, back: 3, side: 0 },
      parkingRule: { perUnit: 1, perCommercialM2: 50 },
    },
    [30, 60],
  ),
  M: zoneRules(
    'M',
    'مختلط مسکونی، تجاری و اداری',
    {
      maxOccupancyPercent: 65,
      baseDensityPercent: 200,
      maxDensityPercent: 400,
      maxFloors: 6,
      minPlotArea: 180,
      setbacks: { front: 0, back: 3, side: 0 },
      parkingRule: { perUnit: 1, perCommercialM2: 50 },
    },
    [25, 50],
  ),
  G: zoneRules(
    'G',
    'فضای سبز و خدمات عمومی',
    {
      maxOccupancyPercent: 10,
      baseDensityPercent: 10,
      maxDensityPercent: 20,
      maxFloors: 1,
      minPlotArea: 500,
      setbacks: { front: 5, back: 5, side: 5 },
      parkingRule: { perUnit: 0, perCommercialM2: 100 },
    },
    [0, 5],
  ),
};
const ZONE_ORDER: DemoZoneCode[] = ['R-1', 'R-2', 'C-1', 'M', 'G'];

// ─── Names ───────────────────────────────────────────────────────────────────────────

const FIRST_NAMES = [
  'علی', 'محمد', 'حسین', 'رضا', 'مهدی', 'حسن', 'امیر', 'سعید', 'مجید', 'احمد', 'جواد', 'مصطفی',
  'حمید', 'ابوالفضل', 'یوسف', 'اکبر', 'ناصر', 'کریم', 'بهروز', 'داوود', 'کاظم', 'هادی', 'محسن', 'وحید',
  'فاطمه', 'زهرا', 'مریم', 'معصومه', 'زینب', 'سمیه', 'الهام', 'نرگس', 'لیلا', 'سارا', 'مهسا', 'نازنین',
  'طاهره', 'شیرین', 'پروین', 'فرشته', 'رقیه', 'منیژه', 'اعظم', 'کبری', 'سکینه', 'ملیحه',
];
const LAST_NAMES = [
  'محمدی', 'حسینی', 'رضایی', 'احمدی', 'کریمی', 'موسوی', 'جعفری', 'صادقی', 'رحیمی', 'عباسی', 'نوری',
  'کاظمی', 'مرادی', 'شریفی', 'حیدری', 'اکبری', 'زارعی', 'سلطانی', 'رستمی', 'بابایی', 'قاسمی', 'طاهری',
  'یوسفی', 'امینی', 'فرهادی', 'نجفی', 'میرزایی', 'صالحی', 'اسدی', 'توکلی', 'ملکی', 'باقری', 'هاشمی',
  'فتحی', 'شجاعی', 'رنجبر', 'خلیلی', 'علوی', 'تقوی', 'قنبری', 'بیگی', 'افشار', 'شاهسونی', 'الموتی',
  'تاکستانی', 'ابهری', 'بوئین‌زهرایی', 'آوجی', 'رودباری', 'کوهینی',
];
const EW_MAIN_NAMES = [
  'شهید بهشتی', 'امام خمینی', 'آیت‌الله طالقانی', 'نادری', 'فردوسی', 'پیغمبریه', 'راه‌آهن', 'عدل',
  'مولوی', 'شهید مطهری', 'شهید چمران', 'نوروزیان', 'دانشگاه', 'خیام', 'مینودر', 'آزادگان', 'کوثر',
  'جمهوری اسلامی', 'معلم', 'شهید انصاری',
];
const NS_MAIN_NAMES = [
  'شهید رجایی', 'شهید باهنر', 'سعدی', 'حافظ', 'نواب', 'بوعلی', 'شهید بابایی', 'ولیعصر', 'شهید مدرس',
  'ابن سینا', 'سپه', 'تبریز', 'هلال احمر', 'منتظری', 'شهید صیاد شیرازی', 'عبید زاکانی', 'دهخدا',
  'ملاصدرا', 'پادگان', 'شهید همت',
];
const SCHOOL_NAMES = ['شهید رجایی', 'فرزانگان', 'امام علی', 'شهید باهنر', 'دهخدا', 'علامه طباطبایی', 'پروین اعتصامی', 'شهید مطهری', 'ابوریحان'];
const SCHOOL_LEVELS = ['دبستان', 'دبیرستان', 'هنرستان'];
const PARK_NAMES = ['ملت', 'کوثر', 'بهار', 'شقایق', 'آزادی', 'جنگلی', 'معلم', 'لاله', 'بانوان'];
const MOSQUE_NAMES = ['مسجد النبی', 'مسجد الغدیر', 'مسجد امام حسن', 'مسجد جامع', 'مسجد حیدریه', 'مسجد قائم', 'مسجد امام رضا', 'مسجد ولیعصر', 'مسجد فاطمیه'];
const HOSPITAL_NAMES = ['بیمارستان بوعلی سینا', 'بیمارستان ولایت', 'بیمارستان قدس', 'بیمارستان شهید رجایی', 'بیمارستان کوثر', 'بیمارستان رازی'];

/** Places per region, in this order. */
const PLACES_PER_REGION: Array<[PlaceKind, ParcelUse | null]> = [
  ['school', 'educational'],
  ['school', 'educational'],
  ['school', 'educational'],
  ['park', 'green'],
  ['park', 'green'],
  ['mosque', null],
  ['mosque', null],
  ['hospital', 'health'],
  ['fire_station', null],
];

// ─── PRNG ────────────────────────────────────────────────────────────────────────────

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hash(seed: number, stream: number, a = 0, b = 0): number {
  let h = fmix32(seed ^ 0x9e3779b9);
  h = fmix32(h ^ imul(stream + 1, 0x85ebca6b));
  h = fmix32(h ^ (a >>> 0));
  // a may exceed 32 bits (parcel indexes do not, but be safe)
  h = fmix32(h ^ floor(a / 4294967296));
  return fmix32(h ^ imul(b + 1, 0xc2b2ae35));
}

/** mulberry32 */
class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) | 0;
    let t = this.s;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return floor(this.next() * n);
  }
  pick<T>(arr: readonly T[]): T {
    return arr[this.int(arr.length)];
  }
  weighted<T>(items: ReadonlyArray<[T, number]>): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let x = this.next() * total;
    for (const [v, w] of items) {
      x -= w;
      if (x < 0) return v;
    }
    return items[items.length - 1][0];
  }
}

// ─── Layout ──────────────────────────────────────────────────────────────────────────

interface Layout {
  seed: number;
  parcels: number;
  C: number;
  R: number;
  third: number;
  rowCap: number;
  fullRows: number;
  colWidth: Int32Array;
  colN: Int32Array;
  /** Σ 2·n over columns < c (C+1 entries). */
  colCum: Int32Array;
  /** Σ n over columns < c (C+1 entries). */
  nCum: Int32Array;
  nsWidth: Int32Array;
  /** West edge of N-S street c. */
  nsX: Float64Array;
  /** West edge of block column c. */
  blockX: Float64Array;
  rowDepth: Int32Array;
  ewWidth: Int32Array;
  /** South edge of E-W street k. */
  ewY: Float64Array;
  /** South edge of block row r. */
  blockY: Float64Array;
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
  mainEW: Uint8Array;
  mainNS: Uint8Array;
  mainsEW: number[];
  mainsNS: number[];
  /** Index into mainsEW of the last main street ≤ k. */
  ewGroup: Int32Array;
  /** Index into mainsNS of the last main street ≤ c. */
  nsGroup: Int32Array;
  colRegion: Uint8Array;
  rowGroupsN: number;
  rowBounds: number[];
  rowGroupOf: Int32Array;
  colGroupsN: number;
  /** Per region (0..2): column boundaries of its district groups (colGroupsN+1 entries). */
  colBounds: number[][];
  colGroupOf: Int32Array;
  superZone: DemoZoneCode[][];
  ewName: string[];
  nsName: string[];
}

function buildLayout(parcels: number, seed: number): Layout {
  const estBlocks = parcels / 20;
  const third = max(1, round(sqrt((estBlocks * 68) / 132) / 3));
  const C = 3 * third;

  const colRng = new Rng(hash(seed, S_COLS));
  const colWidth = new Int32Array(C);
  const colN = new Int32Array(C);
  const colCum = new Int32Array(C + 1);
  const nCum = new Int32Array(C + 1);
  for (let c = 0; c < C; c++) {
    colWidth[c] = colRng.pick(COLUMN_WIDTHS);
    colN[c] = colWidth[c] / METRES_PER_PARCEL_FRONT;
    colCum[c + 1] = colCum[c] + 2 * colN[c];
    nCum[c + 1] = nCum[c] + colN[c];
  }
  const rowCap = colCum[C];
  const R = ceil(parcels / rowCap);
  const fullRows = floor(parcels / rowCap);

  const mainEW = new Uint8Array(R + 1);
  const mainNS = new Uint8Array(C + 1);
  for (let k = 0; k <= R; k++) mainEW[k] = k % MAIN_EW_EVERY === 0 || k === R ? 1 : 0;
  for (let c = 0; c <= C; c++) mainNS[c] = c % MAIN_NS_EVERY === 0 || c === C || c === third || c === 2 * third ? 1 : 0;

  const nsWidth = new Int32Array(C + 1);
  for (let c = 0; c <= C; c++) {
    nsWidth[c] = c === 0 || c === C ? PERIMETER_WIDTH : mainNS[c] ? colRng.pick(MAIN_NS_WIDTHS) : colRng.pick(LOCAL_NS_WIDTHS);
  }
  const rowRng = new Rng(hash(seed, S_ROWS));
  const rowDepth = new Int32Array(R);
  const ewWidth = new Int32Array(R + 1);
  for (let k = 0; k <= R; k++) {
    const w = mainEW[k] ? rowRng.pick(MAIN_EW_WIDTHS) : rowRng.pick(LOCAL_EW_WIDTHS);
    ewWidth[k] = k === 0 || k === R ? PERIMETER_WIDTH : w;
    if (k < R) rowDepth[k] = 20 + 2 * rowRng.int(7);
  }

  const nsX = new Float64Array(C + 1);
  const blockX = new Float64Array(C);
  let x = 0;
  for (let c = 0; c <= C; c++) {
    nsX[c] = x;
    x += nsWidth[c];
    if (c < C) {
      blockX[c] = x;
      x += colWidth[c];
    }
  }
  const width = x;
  for (let c = 0; c <= C; c++) nsX[c] -= width / 2;
  for (let c = 0; c < C; c++) blockX[c] -= width / 2;

  const ewY = new Float64Array(R + 1);
  const blockY = new Float64Array(R);
  let y = 0;
  for (let k = 0; k <= R; k++) {
    ewY[k] = y;
    y += ewWidth[k];
    if (k < R) {
      blockY[k] = y;
      y += 2 * rowDepth[k];
    }
  }
  const height = y;
  for (let k = 0; k <= R; k++) ewY[k] -= height / 2;
  for (let k = 0; k < R; k++) blockY[k] -= height / 2;

  const mainsEW: number[] = [];
  const mainsNS: number[] = [];
  const ewGroup = new Int32Array(R + 1);
  const nsGroup = new Int32Array(C);
  for (let k = 0; k <= R; k++) {
    if (mainEW[k]) mainsEW.push(k);
    ewGroup[k] = mainsEW.length - 1;
  }
  for (let c = 0; c <= C; c++) {
    if (mainNS[c]) mainsNS.push(c);
    if (c < C) nsGroup[c] = mainsNS.length - 1;
  }

  const colRegion = new Uint8Array(C);
  for (let c = 0; c < C; c++) colRegion[c] = 1 + floor(c / third);
  const rowGroupsN = R >= 4 ? max(2, round(R / DISTRICT_ROWS)) : 1;
  const rowBounds: number[] = [];
  for (let j = 0; j <= rowGroupsN; j++) rowBounds.push(floor((j * R) / rowGroupsN));
  const rowGroupOf = new Int32Array(R);
  for (let j = 0; j < rowGroupsN; j++) for (let r = rowBounds[j]; r < rowBounds[j + 1]; r++) rowGroupOf[r] = j;
  const colGroupsN = max(1, round(third / DISTRICT_COLS));
  const colBounds: number[][] = [];
  const colGroupOf = new Int32Array(C);
  for (let g = 0; g < 3; g++) {
    const b: number[] = [];
    for (let j = 0; j <= colGroupsN; j++) b.push(g * third + floor((j * third) / colGroupsN));
    colBounds.push(b);
    for (let j = 0; j < colGroupsN; j++) for (let c = b[j]; c < b[j + 1]; c++) colGroupOf[c] = j;
  }

  // Street names: perimeter ring roads, then named avenues (numbered when names run out).
  const ewName: string[] = new Array<string>(R + 1).fill('');
  const nsName: string[] = new Array<string>(C + 1).fill('');
  let t = 0;
  for (const k of mainsEW) {
    if (k === 0) ewName[k] = 'کمربندی جنوبی';
    else if (k === R) ewName[k] = 'کمربندی شمالی';
    else ewName[k] = `بلوار ${cycleName(EW_MAIN_NAMES, t++)}`;
  }
  t = 0;
  for (const c of mainsNS) {
    if (c === 0) nsName[c] = 'کمربندی غربی';
    else if (c === C) nsName[c] = 'کمربندی شرقی';
    else nsName[c] = `خیابان ${cycleName(NS_MAIN_NAMES, t++)}`;
  }

  const L: Layout = {
    seed,
    parcels,
    C,
    R,
    third,
    rowCap,
    fullRows,
    colWidth,
    colN,
    colCum,
    nCum,
    nsWidth,
    nsX,
    blockX,
    rowDepth,
    ewWidth,
    ewY,
    blockY,
    minX: -width / 2,
    maxX: width / 2,
    minY: -height / 2,
    maxY: height / 2,
    mainEW,
    mainNS,
    mainsEW,
    mainsNS,
    ewGroup,
    nsGroup,
    colRegion,
    rowGroupsN,
    rowBounds,
    rowGroupOf,
    colGroupsN,
    colBounds,
    colGroupOf,
    superZone: [],
    ewName,
    nsName,
  };
  L.superZone = assignSuperZones(L);
  return L;
}

function cycleName(names: readonly string[], t: number): string {
  const round = floor(t / names.length);
  return round === 0 ? names[t % names.length] : `${names[t % names.length]} ${round + 1}`;
}

/** Boundary x of column c's cell: city edge or the centre line of N-S street c. */
function xLine(L: Layout, c: number): number {
  if (c <= 0) return L.minX;
  if (c >= L.C) return L.maxX;
  return L.nsX[c] + L.nsWidth[c] / 2;
}
function yLine(L: Layout, k: number): number {
  if (k <= 0) return L.minY;
  if (k >= L.R) return L.maxY;
  return L.ewY[k] + L.ewWidth[k] / 2;
}
/** Back line of block row k (between its halves); city edges outside 0..R-1. */
function mid(L: Layout, k: number): number {
  if (k < 0) return L.minY;
  if (k >= L.R) return L.maxY;
  return L.blockY[k] + L.rowDepth[k];
}
function ewCentre(L: Layout, k: number): number {
  return L.ewY[k] + L.ewWidth[k] / 2;
}
function nsCentre(L: Layout, c: number): number {
  return L.nsX[c] + L.nsWidth[c] / 2;
}

function assignSuperZones(L: Layout): DemoZoneCode[][] {
  const rng = new Rng(hash(L.seed, S_ZONES));
  const halfW = (L.maxX - L.minX) / 2;
  const halfH = (L.maxY - L.minY) / 2;
  const grid: DemoZoneCode[][] = [];
  const cells: Array<{ i: number; j: number; d: number; h: number }> = [];
  for (let i = 0; i < L.mainsEW.length - 1; i++) {
    const row: DemoZoneCode[] = [];
    const empty = L.mainsEW[i + 1] === L.mainsEW[i] + 1;
    const cy = (mid(L, L.mainsEW[i]) + mid(L, L.mainsEW[i + 1] - 1)) / 2;
    for (let j = 0; j < L.mainsNS.length - 1; j++) {
      const cx = (xLine(L, L.mainsNS[j]) + xLine(L, L.mainsNS[j + 1])) / 2;
      const d = hypot(cx / halfW, cy / halfH);
      let code: DemoZoneCode = d < 0.3 ? 'M' : d < 0.65 ? 'R-2' : 'R-1';
      const h = rng.next();
      if (h < 0.08) code = 'G';
      row.push(code);
      if (!empty) cells.push({ i, j, d, h });
    }
    grid.push(row);
  }
  // Small cities: make sure the centre is mixed and there is some green and R-2 (when
  // there is an R-1 cell to spare).
  const has = (z: DemoZoneCode) => cells.some((c) => grid[c.i][c.j] === z);
  if (cells.length >= 3) {
    if (!has('M')) {
      const c = cells.filter((x) => grid[x.i][x.j] !== 'G').sort((a, b) => a.d - b.d)[0];
      grid[c.i][c.j] = 'M';
    }
    if (!has('G')) {
      const c = cells.filter((x) => grid[x.i][x.j] !== 'M').sort((a, b) => a.h - b.h)[0];
      grid[c.i][c.j] = 'G';
    }
  }
  if (!has('R-2')) {
    const r1 = cells.filter((x) => grid[x.i][x.j] === 'R-1').sort((a, b) => a.d - b.d);
    if (r1.length >= 2) grid[r1[0].i][r1[0].j] = 'R-2';
  }
  return grid;
}

function zoneOf(L: Layout, k: number, c: number): DemoZoneCode {
  return L.mainEW[k] ? 'C-1' : L.superZone[L.ewGroup[k]][L.nsGroup[c]];
}

function districtOf(L: Layout, r: number, c: number): number {
  return L.rowGroupOf[r] * L.colGroupsN + L.colGroupOf[c] + 1;
}
function blockOf(L: Layout, r: number, c: number): number {
  const region = L.colRegion[c] - 1;
  const cg = L.colGroupOf[c];
  const c0 = L.colBounds[region][cg];
  const cols = L.colBounds[region][cg + 1] - c0;
  return (r - L.rowBounds[L.rowGroupOf[r]]) * cols + (c - c0) + 1;
}

// ─── Geometry helpers ────────────────────────────────────────────────────────────────

/** Closed counter-clockwise ring of a rectangle given in local metres. */
function ringM(x0: number, y0: number, x1: number, y1: number): Position[] {
  return ringD(lonOf(x0), latOf(y0), lonOf(x1), latOf(y1));
}
function ringD(lon0: number, lat0: number, lon1: number, lat1: number): Position[] {
  return [
    [lon0, lat0],
    [lon1, lat0],
    [lon1, lat1],
    [lon0, lat1],
    [lon0, lat0],
  ];
}
function polygonM(x0: number, y0: number, x1: number, y1: number): GeoPolygon {
  return { type: 'Polygon', coordinates: [ringM(x0, y0, x1, y1)] };
}
function lineM(x0: number, y0: number, x1: number, y1: number): GeoLineString {
  return {
    type: 'LineString',
    coordinates: [
      [lonOf(x0), latOf(y0)],
      [lonOf(x1), latOf(y1)],
    ],
  };
}

// ─── Per-parcel values ───────────────────────────────────────────────────────────────

interface HalfRow {
  r: number;
  c: number;
  h: 0 | 1;
  n: number;
  /** Street the half-row faces. */
  k: number;
  region: number;
  district: number;
  block: number;
  /** Index of parcel 1 of the block. */
  blockBase: number;
  /** Frontage edges in decimetres from the block's west edge (n+1 entries). */
  edgesDm: Int32Array;
  lons: number[];
  lat0: number;
  lat1: number;
  depth: number;
  zone: DemoZoneCode;
  streetPart: string;
  /** Plaque (house) number offset along the street. */
  plaqueBase: number;
  roadWidth: number;
}

/** Frontages (decimetres) of one half-row: n random weights scaled to the column width. */
function frontEdges(L: Layout, r: number, c: number, h: number): Int32Array {
  const n = L.colN[c];
  const rng = new Rng(hash(L.seed, S_FRONT, r * L.C + c, h));
  const weights: number[] = [];
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = 0.75 + 0.5 * rng.next();
    weights.push(w);
    total += w;
  }
  const widthDm = L.colWidth[c] * 10;
  const edges = new I32(n + 1);
  for (let i = 0; i < n - 1; i++) edges[i + 1] = edges[i] + round((widthDm * weights[i]) / total);
  edges[n] = widthDm;
  return edges;
}

function halfRow(L: Layout, r: number, c: number, h: 0 | 1): HalfRow {
  const n = L.colN[c];
  const k = r + h;
  const edgesDm = frontEdges(L, r, c, h);
  const bx = L.blockX[c];
  const lons: number[] = [];
  for (let i = 0; i <= n; i++) lons.push(lonOf(bx + edgesDm[i] / 10));
  const depth = L.rowDepth[r];
  const y0 = L.blockY[r] + h * depth;
  let streetPart: string;
  let plaqueBase: number;
  if (L.mainEW[k]) {
    streetPart = L.ewName[k];
    plaqueBase = L.nCum[c];
  } else {
    const g = L.mainsNS[L.nsGroup[c]];
    streetPart = `${L.nsName[g]}، کوچه ${k}`;
    plaqueBase = L.nCum[c] - L.nCum[g];
  }
  return {
    r,
    c,
    h,
    n,
    k,
    region: L.colRegion[c],
    district: districtOf(L, r, c),
    block: blockOf(L, r, c),
    blockBase: r * L.rowCap + L.colCum[c],
    edgesDm,
    lons,
    lat0: latOf(y0),
    lat1: latOf(y0 + depth),
    depth,
    zone: zoneOf(L, k, c),
    streetPart,
    plaqueBase,
    roadWidth: L.ewWidth[k],
  };
}

const POSTAL_HEAD = '13456789'; // digits 3-4 (after "34")
const POSTAL_FIFTH = '1346789';
const POSTAL_TAIL = '013456789';
const POSTAL_SPACE = 64 * 7 * 59049;

/** Unique, valid postal code of parcel `index` (an affine permutation of the index). */
function postalCodeOf(index: number): string {
  let v = (index * 1_000_003 + 7_654_321) % POSTAL_SPACE;
  let tail = '';
  for (let i = 0; i < 5; i++) {
    tail = POSTAL_TAIL[v % 9] + tail;
    v = floor(v / 9);
  }
  const fifth = POSTAL_FIFTH[v % 7];
  v = floor(v / 7);
  return `34${POSTAL_HEAD[floor(v / 8)]}${POSTAL_HEAD[v % 8]}${fifth}${tail}`;
}

/** 10 digits, unique per (parcel index, slot): an affine permutation modulo 10^9. */
function requestNumberOf(index: number, slot: number): string {
  const serial = index * CERT_SLOTS + slot;
  const v = (serial * 7_654_321 + 271_828_182) % 1_000_000_000;
  return `1${`${v}`.padStart(9, '0')}`;
}

const DEMO_CITIZEN_ID = generateNationalId(DEMO_CITIZEN_SEED);

/**
 * Valid national ID of owner `person` (the same construction as generateNationalId, in
 * plain numbers: an affine permutation of the person number modulo 10^9 plus the mod-11
 * check digit), so distinct people get distinct IDs. Repeated-digit IDs and the demo
 * citizen's ID are skipped by moving the person number out of the range in use.
 */
function nationalIdOf(person: number): string {
  let x = person;
  for (;;) {
    const body = (x * 7_654_321 + 123_456_789) % 1_000_000_000;
    const b = `${body}`.padStart(9, '0');
    let s = 0;
    for (let i = 0; i < 9; i++) s += (b.charCodeAt(i) - 48) * (10 - i);
    const r = s % 11;
    const id = `${b}${r < 2 ? r : 11 - r}`;
    if (body % 111_111_111 !== 0 && id !== DEMO_CITIZEN_ID) return id;
    x += 500_000_000;
  }
}

/** Every first name × last name, built once (shared strings, less garbage). */
const FULL_NAMES: string[] = LAST_NAMES.flatMap((last) => FIRST_NAMES.map((first) => `${first} ${last}`));

function personName(L: Layout, person: number): string {
  const h = hash(L.seed, S_NAMES, person);
  return FULL_NAMES[((h >>> 12) % LAST_NAMES.length) * FIRST_NAMES.length + (h % FIRST_NAMES.length)];
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

/** Days since 1970-01-01 of 1 Farvardin of each year FIRST_JALALI_YEAR..LAST_JALALI_YEAR. */
const NOWRUZ_DAYS: number[] = [];
for (let jy = FIRST_JALALI_YEAR; jy <= LAST_JALALI_YEAR; jy++) {
  const g = fromJalali(jy, 1, 1);
  NOWRUZ_DAYS.push(Date.UTC(g.gy, g.gm - 1, g.gd) / 86_400_000);
}

/** ISO Gregorian date of a Jalali date with jd ≤ 29 (always valid); civil-from-days. */
function isoDateOf(jy: number, jm: number, jd: number): string {
  const z = NOWRUZ_DAYS[jy - FIRST_JALALI_YEAR] + (jm <= 6 ? (jm - 1) * 31 : 186 + (jm - 7) * 30) + jd - 1 + 719_468;
  const era = floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = floor((doe - floor(doe / 1460) + floor(doe / 36_524) - floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + floor(yoe / 4) - floor(yoe / 100));
  const mp = floor((5 * doy + 2) / 153);
  const d = doy - floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

function certificate(index: number, slot: number, kind: DemoCertificateKind, jy: number, jm: number, jd: number): ParcelCertificateRecord {
  return {
    kind,
    requestNumber: requestNumberOf(index, slot),
    jalaliYear: jy,
    jalaliDate: `${jy}/${pad2(jm)}/${pad2(jd)}`,
    issueDate: isoDateOf(jy, jm, jd),
  };
}

interface Override {
  demoOwner?: boolean;
  certificates?: 'none' | 'eligible';
  use?: ParcelUse;
}

const SHARES: number[][] = [[100], [50, 50], [34, 33, 33], [25, 25, 25, 25]];

interface Ctx {
  L: Layout;
  overrides: Map<number, Override>;
  ownerPool: number;
  demoId: string;
}

function makeParcel(ctx: Ctx, hr: HalfRow, i: number): ParcelRecord {
  const L = ctx.L;
  const q = hr.h * hr.n + i;
  const index = hr.blockBase + q;
  const ov = ctx.overrides.get(index);
  const rng = new Rng(hash(L.seed, S_PARCEL, index));

  const frontage = (hr.edgesDm[i + 1] - hr.edgesDm[i]) / 10;
  const landArea = round(frontage * hr.depth * 100) / 100;
  const rules = DEMO_ZONE_RULES[hr.zone];
  const use = ov?.use ?? rng.weighted(USE_WEIGHTS[hr.zone]);
  // newer buildings are more common
  const constructionYear = FIRST_JALALI_YEAR + min(63, floor(64 * sqrt(rng.next())));
  let structureType: StructureKind;
  const s = rng.next();
  if (constructionYear < 1360) structureType = s < 0.7 ? 'masonry' : s < 0.8 ? 'concrete' : s < 0.9 ? 'steel' : 'other';
  else structureType = s < 0.55 ? 'concrete' : s < 0.9 ? 'steel' : s < 0.98 ? 'masonry' : 'other';
  let floors = 0;
  let units = 0;
  let buildingArea = 0;
  const fr = rng.next();
  const occ = min(rules.maxOccupancyPercent / 100, 0.45 + 0.3 * rng.next());
  if (use === 'green') {
    structureType = 'other';
  } else {
    const maxFloors = max(1, constructionYear < 1370 ? min(2, rules.maxFloors) : rules.maxFloors);
    floors = 1 + floor(fr * maxFloors);
    buildingArea = round(landArea * occ) * floors;
    units =
      use === 'residential' ? floors * (landArea >= 300 ? 2 : 1)
      : use === 'mixed' ? floors + 1
      : use === 'commercial' || use === 'office' ? floors
      : 1;
  }

  // owners
  let owners: ParcelOwnerRecord[];
  const ownerRoll = rng.next();
  const personBase = rng.int(ctx.ownerPool);
  if (ov?.demoOwner) {
    owners = [{ nationalId: ctx.demoId, name: DEMO_CITIZEN_NAME, share: 100 }];
  } else {
    const count = ownerRoll < 0.72 ? 1 : ownerRoll < 0.92 ? 2 : ownerRoll < 0.98 ? 3 : 4;
    const shares = count === 2 && ownerRoll < 0.8 ? [60, 40] : SHARES[count - 1];
    owners = [];
    for (let j = 0; j < count; j++) {
      const person = (personBase + j) % ctx.ownerPool;
      owners.push({ nationalId: nationalIdOf(person), name: personName(L, person), share: shares[j] });
    }
  }

  // certificates
  const certificates: ParcelCertificateRecord[] = [];
  const certRoll = rng.next();
  if (ov?.certificates === 'eligible') {
    const cy = constructionYear;
    const a = min(LAST_JALALI_YEAR, cy + 1);
    if (cy > FIRST_JALALI_YEAR) certificates.push(certificate(index, 0, 'building_permit', cy - 1, 2, 14));
    certificates.push(certificate(index, 1, 'apartment_completion', a, 5, 20));
    certificates.push(certificate(index, 2, 'transfer', max(a, 1401), 9, 7));
  } else if (ov?.certificates !== 'none' && certRoll >= 0.1) {
    const count = certRoll < 0.46 ? 1 : certRoll < 0.73 ? 2 : certRoll < 0.91 ? 3 : 4;
    const y0 = max(FIRST_JALALI_YEAR, constructionYear - 1);
    const span = LAST_JALALI_YEAR - y0 + 1;
    const dates: number[] = [];
    for (let j = 0; j < count; j++) dates.push((y0 + rng.int(span)) * 10000 + (1 + rng.int(12)) * 100 + 1 + rng.int(29));
    dates.sort((p, q2) => p - q2);
    let prev: DemoCertificateKind | null = null;
    for (let j = 0; j < count; j++) {
      const jy = floor(dates[j] / 10000);
      let kind: DemoCertificateKind;
      if (j === 0 && jy <= constructionYear && rng.next() < 0.7) kind = 'building_permit';
      else if (prev === 'building_permit') kind = 'apartment_completion';
      else {
        const kr = rng.next();
        kind = kr < 0.55 ? 'transfer' : kr < 0.9 ? 'inquiry' : 'apartment_completion';
      }
      certificates.push(certificate(index, j, kind, jy, floor(dates[j] / 100) % 100, dates[j] % 100));
      prev = kind;
    }
  }

  const lon0 = hr.lons[i];
  const lon1 = hr.lons[i + 1];
  const parcel = q + 1;
  const plaque = 2 * (hr.plaqueBase + i + 1) - (hr.h === 0 ? 1 : 0);
  return {
    renewalCode: `${hr.region}-${hr.district}-${hr.block}-${parcel}-0-0-0`,
    region: hr.region,
    district: hr.district,
    block: hr.block,
    parcel,
    building: 0,
    apartment: 0,
    shop: 0,
    address: `قزوین، منطقه ${hr.region}، ${hr.streetPart}، پلاک ${plaque}`,
    postalCode: postalCodeOf(index),
    plate: { main: `${hr.region * 100 + hr.district}`, sub: `${hr.block * 100 + parcel}` },
    landArea,
    buildingArea,
    use,
    floors,
    units,
    constructionYear,
    structureType,
    accessRoadWidth: hr.roadWidth,
    frontage,
    zoneCode: hr.zone,
    owners,
    certificates,
    geometry: {
      type: 'MultiPolygon',
      coordinates: [
        [
          [
            [lon0, hr.lat0],
            [lon1, hr.lat0],
            [lon1, hr.lat1],
            [lon0, hr.lat1],
            [lon0, hr.lat0],
          ],
        ],
      ],
    },
  };
}

/** (r, c, h, i) of a parcel index. */
function locate(L: Layout, index: number): { r: number; c: number; h: 0 | 1; i: number } {
  const r = floor(index / L.rowCap);
  const o = index - r * L.rowCap;
  let lo = 0;
  let hi = L.C - 1;
  while (lo < hi) {
    const m = (lo + hi + 1) >> 1;
    if (L.colCum[m] <= o) lo = m;
    else hi = m - 1;
  }
  const c = lo;
  const q = o - L.colCum[c];
  const n = L.colN[c];
  const h: 0 | 1 = q >= n ? 1 : 0;
  return { r, c, h, i: q - h * n };
}

function indexOf(L: Layout, r: number, c: number, h: number, i: number): number {
  return r * L.rowCap + L.colCum[c] + h * L.colN[c] + i;
}

// ─── City-wide layers ────────────────────────────────────────────────────────────────

function buildRegions(L: Layout): RegionRecord[] {
  const names = ['منطقه یک', 'منطقه دو', 'منطقه سه'];
  return [0, 1, 2].map((g) => ({
    region: g + 1,
    name: names[g],
    geometry: polygonM(xLine(L, g * L.third), L.minY, xLine(L, (g + 1) * L.third), L.maxY),
  }));
}

function buildDistricts(L: Layout): DistrictRecord[] {
  const out: DistrictRecord[] = [];
  for (let g = 0; g < 3; g++) {
    for (let rg = 0; rg < L.rowGroupsN; rg++) {
      for (let cg = 0; cg < L.colGroupsN; cg++) {
        const district = rg * L.colGroupsN + cg + 1;
        out.push({
          region: g + 1,
          district,
          code: `${g + 1}-${district}`,
          name: `منطقه ${g + 1}، ناحیه ${district}`,
          geometry: polygonM(
            xLine(L, L.colBounds[g][cg]),
            yLine(L, L.rowBounds[rg]),
            xLine(L, L.colBounds[g][cg + 1]),
            yLine(L, L.rowBounds[rg + 1]),
          ),
        });
      }
    }
  }
  return out;
}

function buildZones(L: Layout): ZoneRecord[] {
  const rects = new Map<DemoZoneCode, Position[][][]>();
  const add = (z: DemoZoneCode, x0: number, y0: number, x1: number, y1: number) => {
    if (!(x1 > x0 && y1 > y0)) return;
    const list = rects.get(z) ?? [];
    list.push([ringM(x0, y0, x1, y1)]);
    rects.set(z, list);
  };
  // C-1: runs of consecutive main E-W street bands, full width
  for (let k = 0; k <= L.R; k++) {
    if (!L.mainEW[k] || (k > 0 && L.mainEW[k - 1])) continue;
    let k2 = k;
    while (k2 + 1 <= L.R && L.mainEW[k2 + 1]) k2++;
    add('C-1', L.minX, mid(L, k - 1), L.maxX, mid(L, k2));
  }
  // super-cells between the main streets, merged along x when the zone repeats
  for (let i = 0; i < L.mainsEW.length - 1; i++) {
    if (L.mainsEW[i + 1] === L.mainsEW[i] + 1) continue;
    const y0 = mid(L, L.mainsEW[i]);
    const y1 = mid(L, L.mainsEW[i + 1] - 1);
    let j = 0;
    while (j < L.mainsNS.length - 1) {
      let j2 = j;
      while (j2 + 1 < L.mainsNS.length - 1 && L.superZone[i][j2 + 1] === L.superZone[i][j]) j2++;
      add(L.superZone[i][j], xLine(L, L.mainsNS[j]), y0, xLine(L, L.mainsNS[j2 + 1]), y1);
      j = j2 + 1;
    }
  }
  return ZONE_ORDER.filter((z) => rects.has(z)).map((z) => ({
    ...DEMO_ZONE_RULES[z],
    geometry: { type: 'MultiPolygon', coordinates: rects.get(z) ?? [] },
  }));
}

function localEwName(L: Layout, k: number, c: number): string {
  return `${L.nsName[L.mainsNS[L.nsGroup[c]]]}، کوچه ${k}`;
}

function buildStreets(L: Layout): StreetRecord[] {
  const out: StreetRecord[] = [];
  for (const k of L.mainsEW) {
    const y = ewCentre(L, k);
    out.push({ id: `EW-${k}`, name: L.ewName[k], kind: 'main', orientation: 'ew', widthMeters: L.ewWidth[k], geometry: lineM(L.minX, y, L.maxX, y) });
  }
  for (const c of L.mainsNS) {
    const x = nsCentre(L, c);
    out.push({ id: `NS-${c}`, name: L.nsName[c], kind: 'main', orientation: 'ns', widthMeters: L.nsWidth[c], geometry: lineM(x, L.minY, x, L.maxY) });
  }
  for (let k = 0; k <= L.R; k++) {
    if (L.mainEW[k]) continue;
    const y = ewCentre(L, k);
    for (let j = 0; j < L.mainsNS.length - 1; j++) {
      const g = L.mainsNS[j];
      out.push({
        id: `EW-${k}-${g}`,
        name: localEwName(L, k, g),
        kind: 'local',
        orientation: 'ew',
        widthMeters: L.ewWidth[k],
        geometry: lineM(nsCentre(L, g), y, nsCentre(L, L.mainsNS[j + 1]), y),
      });
    }
  }
  for (let c = 0; c <= L.C; c++) {
    if (L.mainNS[c]) continue;
    const x = nsCentre(L, c);
    for (let i = 0; i < L.mainsEW.length - 1; i++) {
      const m = L.mainsEW[i];
      out.push({
        id: `NS-${c}-${m}`,
        name: `${L.ewName[m]}، کوچه ${c}`,
        kind: 'local',
        orientation: 'ns',
        widthMeters: L.nsWidth[c],
        geometry: lineM(x, ewCentre(L, m), x, ewCentre(L, L.mainsEW[i + 1])),
      });
    }
  }
  return out;
}

interface PlanCut {
  plan: WideningPlanRecord;
  k: number;
  c1: number;
  c2: number;
  /** Cuts row k-1's north half. */
  south: boolean;
  /** Cuts row k's south half. */
  north: boolean;
}

function buildPlans(L: Layout): PlanCut[] {
  const rng = new Rng(hash(L.seed, S_PLANS));
  const cuts: PlanCut[] = [];
  // streets with a full row on their south side
  const candidates: number[] = [];
  for (let k = 1; k <= min(L.fullRows, L.R - 1); k++) candidates.push(k);
  if (candidates.length === 0) candidates.push(1);
  const depths = [2, 2.5, 3, 3.5, 4];
  let id = 1;
  for (let g = 0; g < 3; g++) {
    const pool = [...candidates];
    const count = min(2, pool.length);
    for (let p = 0; p < count; p++) {
      // prefer main streets
      const mains = pool.filter((k) => L.mainEW[k]);
      const k = rng.pick(mains.length > 0 && rng.next() < 0.7 ? mains : pool);
      pool.splice(pool.indexOf(k), 1);
      const northOk = k < L.fullRows;
      const sr = rng.next();
      const side: 'north' | 'south' | 'both' = !northOk ? 'south' : sr < 0.4 ? 'south' : sr < 0.7 ? 'north' : 'both';
      const depth = rng.pick(depths);
      const regionStart = g * L.third;
      const regionEnd = regionStart + L.third;
      const target = 2 + rng.int(3);
      const c1 = regionStart + rng.int(L.third);
      let c2 = c1;
      while (c2 + 1 < regionEnd && c2 - c1 + 1 < target && (L.mainEW[k] || L.nsGroup[c2 + 1] === L.nsGroup[c1])) c2++;
      const x0 = L.blockX[c1];
      const x1 = L.blockX[c2] + L.colWidth[c2];
      const polys: Position[][][] = [];
      if (side !== 'north') polys.push([ringM(x0, L.ewY[k] - depth, x1, L.ewY[k])]);
      if (side !== 'south') polys.push([ringM(x0, L.blockY[k], x1, L.blockY[k] + depth)]);
      const streetName = L.mainEW[k] ? L.ewName[k] : localEwName(L, k, c1);
      const streetId = L.mainEW[k] ? `EW-${k}` : `EW-${k}-${L.mainsNS[L.nsGroup[c1]]}`;
      const approvalDate = `${1390 + rng.int(13)}/${pad2(1 + rng.int(12))}/${pad2(1 + rng.int(29))}`;
      cuts.push({
        k,
        c1,
        c2,
        south: side !== 'north',
        north: side !== 'south',
        plan: {
          id: `WP-${id++}`,
          name: `طرح تعریض ${streetName}`,
          approvalDate,
          streetId,
          streetName,
          region: g + 1,
          side,
          depthMeters: depth,
          currentWidthMeters: L.ewWidth[k],
          plannedWidthMeters: L.ewWidth[k] + depth * (side === 'both' ? 2 : 1),
          geometry: { type: 'MultiPolygon', coordinates: polys },
        },
      });
    }
  }
  return cuts;
}

/** The widening cut that takes land from half-row (r, c, h), if any. */
function cutOf(cuts: PlanCut[], r: number, c: number, h: number): PlanCut | null {
  for (const cut of cuts) {
    if (c < cut.c1 || c > cut.c2) continue;
    if (h === 1 && cut.south && r === cut.k - 1) return cut;
    if (h === 0 && cut.north && r === cut.k) return cut;
  }
  return null;
}

// ─── Entry point ─────────────────────────────────────────────────────────────────────

function requireBatchSize(batchSize: number): void {
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive integer');
}

export function generateCity(options: DemoCityOptions): DemoCity {
  const parcels = options.parcels;
  if (!Number.isSafeInteger(parcels) || parcels < DEMO_CITY_MIN_PARCELS || parcels > DEMO_CITY_MAX_PARCELS) {
    throw new RangeError(`parcels must be an integer from ${DEMO_CITY_MIN_PARCELS} to ${DEMO_CITY_MAX_PARCELS}`);
  }
  const seedIn = options.seed ?? 1;
  if (!Number.isSafeInteger(seedIn)) throw new RangeError('seed must be an integer');
  const seed = seedIn >>> 0;
  const L = buildLayout(parcels, seed);
  const overrides = new Map<number, Override>();
  const ctx: Ctx = {
    L,
    overrides,
    ownerPool: max(50, floor(parcels * 0.85)),
    demoId: DEMO_CITIZEN_ID,
  };

  const cuts = buildPlans(L);
  const parcelAt = (index: number): ParcelRecord => {
    if (!Number.isSafeInteger(index) || index < 0 || index >= parcels) throw new RangeError('parcel index out of range');
    const { r, c, h, i } = locate(L, index);
    return makeParcel(ctx, halfRow(L, r, c, h), i);
  };

  // Sample parcels: chosen on full rows, never twice, never reused by places.
  const reserved = new Set<number>();
  const rng = new Rng(hash(seed, S_SAMPLES));
  const widening = (cut: PlanCut, i: number): { index: number; frontage: number } => {
    const h: 0 | 1 = cut.south ? 1 : 0;
    const r = cut.south ? cut.k - 1 : cut.k;
    const edges = frontEdges(L, r, cut.c1, h);
    return { index: indexOf(L, r, cut.c1, h, i), frontage: (edges[i + 1] - edges[i]) / 10 };
  };
  const randomParcel = (region: number | null): number => {
    for (;;) {
      const g = region ?? rng.int(3);
      const r = rng.int(L.fullRows);
      const c = g * L.third + rng.int(L.third);
      const h = rng.int(2);
      const idx = indexOf(L, r, c, h, rng.int(L.colN[c]));
      if (!reserved.has(idx) && !cutOf(cuts, r, c, h)) return idx;
    }
  };
  const sampleW = widening(cuts[0], 0);
  const demoW = widening(cuts[0], 1);
  reserved.add(sampleW.index).add(demoW.index);
  const sampleNoCert = randomParcel(null);
  reserved.add(sampleNoCert);
  const sampleEligible = randomParcel(null);
  reserved.add(sampleEligible);
  const demoEligible = randomParcel(null);
  reserved.add(demoEligible);
  const demoNoCert = randomParcel(null);
  reserved.add(demoNoCert);
  overrides.set(sampleNoCert, { certificates: 'none' });
  overrides.set(sampleEligible, { certificates: 'eligible' });
  overrides.set(demoEligible, { demoOwner: true, certificates: 'eligible' });
  overrides.set(demoNoCert, { demoOwner: true, certificates: 'none' });
  overrides.set(demoW.index, { demoOwner: true });

  // Public places: on parcels of the matching use where the zone allows it.
  const places: PlaceRecord[] = [];
  const placeRng = new Rng(hash(seed, S_PLACES));
  const counters: Record<PlaceKind, number> = { school: 0, park: 0, mosque: 0, hospital: 0, fire_station: 0 };
  for (let g = 0; g < 3; g++) {
    for (const [kind, use] of PLACES_PER_REGION) {
      let chosen = -1;
      let forceUse = true;
      // a parcel whose zone allows the place's use; failing that (tiny cities), any parcel
      for (let attempt = 0; attempt < 4000 && chosen < 0; attempt++) {
        forceUse = attempt < 2000;
        const r = placeRng.int(L.fullRows);
        const c = g * L.third + placeRng.int(L.third);
        const h = placeRng.int(2);
        const idx = indexOf(L, r, c, h, placeRng.int(L.colN[c]));
        if (reserved.has(idx)) continue;
        const zone = zoneOf(L, r + h, c);
        if (forceUse && use && !DEMO_ZONE_RULES[zone].allowedUses.includes(use)) continue;
        chosen = idx;
      }
      if (chosen < 0) continue;
      reserved.add(chosen);
      if (use && forceUse) overrides.set(chosen, { use });
      const n = counters[kind]++;
      const name =
        kind === 'school' ? `${SCHOOL_LEVELS[n % SCHOOL_LEVELS.length]} ${SCHOOL_NAMES[n % SCHOOL_NAMES.length]}`
        : kind === 'park' ? `پارک ${PARK_NAMES[n % PARK_NAMES.length]}`
        : kind === 'mosque' ? MOSQUE_NAMES[n % MOSQUE_NAMES.length]
        : kind === 'hospital' ? HOSPITAL_NAMES[n % HOSPITAL_NAMES.length]
        : `ایستگاه آتش‌نشانی شماره ${n + 1}`;
      const p = parcelAt(chosen);
      const ring = p.geometry.coordinates[0][0];
      places.push({
        id: `PL-${places.length + 1}`,
        kind,
        name,
        region: p.region,
        district: p.district,
        renewalCode: p.renewalCode,
        geometry: { type: 'Point', coordinates: [round7((ring[0][0] + ring[2][0]) / 2), round7((ring[0][1] + ring[2][1]) / 2)] },
      });
    }
  }

  const wideningSample = (w: { index: number; frontage: number }): WideningSample => {
    const p = parcelAt(w.index);
    const depth = cuts[0].plan.depthMeters;
    return {
      renewalCode: p.renewalCode,
      region: p.region,
      expectedAffectedAreaM2: round(w.frontage * depth * 100) / 100,
      parcelAreaM2: p.landArea,
      frontage: w.frontage,
      depthMeters: depth,
      planId: cuts[0].plan.id,
    };
  };
  const eligibleSample = (index: number) => {
    const p = parcelAt(index);
    return { renewalCode: p.renewalCode, region: p.region, lastRequestNumber: p.certificates[p.certificates.length - 1].requestNumber };
  };
  const plainSample = (index: number) => {
    const p = parcelAt(index);
    return { renewalCode: p.renewalCode, region: p.region };
  };
  const demoCitizen = {
    eligible: eligibleSample(demoEligible),
    noCertificates: plainSample(demoNoCert),
    inWideningPlan: wideningSample(demoW),
  };
  const samples: DemoCitySamples = {
    inWideningPlan: wideningSample(sampleW),
    noCertificates: plainSample(sampleNoCert),
    eligible: eligibleSample(sampleEligible),
    demoCitizenNationalId: ctx.demoId,
    demoCitizenName: DEMO_CITIZEN_NAME,
    ownedByDemoCitizen: [demoCitizen.eligible.renewalCode, demoCitizen.noCertificates.renewalCode, demoCitizen.inWideningPlan.renewalCode],
    demoCitizen,
  };

  const lastBlockParcels = parcels - (L.R - 1) * L.rowCap;
  let lastRowBlocks = 0;
  for (let c = 0; c < L.C; c++) if (L.colCum[c] < lastBlockParcels) lastRowBlocks++;
  const blockCount = (L.R - 1) * L.C + lastRowBlocks;

  function* parcelBatches(batchSize: number): Generator<ParcelRecord[]> {
    requireBatchSize(batchSize);
    let batch: ParcelRecord[] = [];
    for (let r = 0; r < L.R; r++) {
      for (let c = 0; c < L.C; c++) {
        for (let h: 0 | 1 = 0; h < 2; h = (h + 1) as 0 | 1) {
          const base = indexOf(L, r, c, h, 0);
          if (base >= parcels) break;
          const hr = halfRow(L, r, c, h);
          const n = min(hr.n, parcels - base);
          for (let i = 0; i < n; i++) {
            batch.push(makeParcel(ctx, hr, i));
            if (batch.length === batchSize) {
              yield batch;
              batch = [];
            }
          }
        }
      }
    }
    if (batch.length > 0) yield batch;
  }

  function* blockBatches(batchSize: number): Generator<BlockRecord[]> {
    requireBatchSize(batchSize);
    let batch: BlockRecord[] = [];
    for (let r = 0; r < L.R; r++) {
      for (let c = 0; c < L.C; c++) {
        const base = indexOf(L, r, c, 0, 0);
        if (base >= parcels) break;
        const region = L.colRegion[c];
        const district = districtOf(L, r, c);
        const block = blockOf(L, r, c);
        batch.push({
          region,
          district,
          block,
          code: `${region}-${district}-${block}`,
          parcelCount: min(2 * L.colN[c], parcels - base),
          geometry: polygonM(L.blockX[c], L.blockY[r], L.blockX[c] + L.colWidth[c], L.blockY[r] + 2 * L.rowDepth[r]),
        });
        if (batch.length === batchSize) {
          yield batch;
          batch = [];
        }
      }
    }
    if (batch.length > 0) yield batch;
  }

  const parcelByRenewalCode = (code: string): ParcelRecord | null => {
    const m = /^(\d+)-(\d+)-(\d+)-(\d+)-0-0-0$/.exec(code);
    if (!m) return null;
    const [region, district, block, parcel] = m.slice(1, 5).map(Number);
    if (region < 1 || region > 3 || district < 1 || district > L.rowGroupsN * L.colGroupsN) return null;
    const rg = floor((district - 1) / L.colGroupsN);
    const cg = (district - 1) % L.colGroupsN;
    const c0 = L.colBounds[region - 1][cg];
    const cols = L.colBounds[region - 1][cg + 1] - c0;
    const rows = L.rowBounds[rg + 1] - L.rowBounds[rg];
    if (block < 1 || block > cols * rows) return null;
    const r = L.rowBounds[rg] + floor((block - 1) / cols);
    const c = c0 + ((block - 1) % cols);
    if (parcel < 1 || parcel > 2 * L.colN[c]) return null;
    const index = r * L.rowCap + L.colCum[c] + parcel - 1;
    return index < parcels ? parcelAt(index) : null;
  };

  const width = L.maxX - L.minX;
  const height = L.maxY - L.minY;
  return {
    options: { parcels, seed },
    center: [LON0, LAT0],
    layout: {
      columns: L.C,
      rows: L.R,
      parcelsPerBlockRow: L.rowCap,
      widthMeters: width,
      heightMeters: height,
      bbox: [lonOf(L.minX), latOf(L.minY), lonOf(L.maxX), latOf(L.maxY)],
    },
    parcelCount: parcels,
    blockCount,
    regions: buildRegions(L),
    districts: buildDistricts(L),
    zones: buildZones(L),
    streets: buildStreets(L),
    places,
    wideningPlans: cuts.map((c) => c.plan),
    parcelBatches,
    blockBatches,
    parcelAt,
    parcelByRenewalCode,
    samples,
  };
}
