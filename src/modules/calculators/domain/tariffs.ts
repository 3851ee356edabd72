/**
 * Tariff and coefficient tables of one Jalali year (the municipality's tariff book,
 * دفترچه تعرفه عوارض محلی). Formulas are code (the calculators); these tables are data
 * only: numbers and names, nothing is evaluated from text.
 *
 * Bands are half-open ranges [from, to) sorted ascending, starting at 0, without gaps or
 * overlaps, the last one open-ended (to = null). A band's rate applies to the SLICE of
 * the quantity that falls inside it (like tax brackets), so a fee never jumps at a band
 * edge and never decreases when the quantity grows.
 */
import type { FieldError } from '@app/common/errors/domain-error';
import { CalculatorErrors } from '../calculators.errors';
import { hasAtMostDecimals } from './numbers';
import { BUILDING_USES, BuildingUse, LocalizedText } from './types';

export interface RateBand {
  /** Inclusive lower bound (unit of the table: m² or density percentage points). */
  from: number;
  /** Exclusive upper bound; null = no upper bound (only the last band). */
  to: number | null;
  /** A coefficient (× regional value, at most 3 decimals) or whole Rials per m², per the table's basis. */
  rate: number;
}

/** Density-issuance fee (عوارض صدور تراکم / تراکم مازاد). */
export interface DensityFeeTable {
  article: string;
  title: LocalizedText;
  /**
   * Bands in density PERCENTAGE POINTS above the base density; rate = coefficient, so a
   * slice of s m² costs s × regional value × coefficient.
   */
  byUse: Record<BuildingUse, RateBand[]>;
}

export type PermitFeeBasis = 'regionalValue' | 'rialsPerM2';

/** One item of the building-permit fees, bands in m² of gross area. */
export interface PermitFeeItem {
  /** Stable key, e.g. `permit-area`. */
  key: string;
  article: string;
  title: LocalizedText;
  /** `regionalValue`: rate is a coefficient (slice × P × rate); `rialsPerM2`: rate is whole Rials per m². */
  basis: PermitFeeBasis;
  /** Uses the item applies to; a use absent here does not pay this item. */
  byUse: Partial<Record<BuildingUse, RateBand[]>>;
}

/** Parking-deficit fee (عوارض کسری پارکینگ): per missing space = P × coefficient × space area. */
export interface ParkingDeficitTable {
  article: string;
  title: LocalizedText;
  /** m² of one standard space (e.g. 25). */
  spaceAreaM2: number;
  coefficientByUse: Record<BuildingUse, number>;
}

/** How storeys are laid out (floor-area calculator). */
export interface FloorAllowances {
  article: string;
  /** Stairwell area per storey (m²), inside the footprint, not counted in density. */
  stairsM2PerStorey: number;
  /** Elevator shaft area per storey (m²), not counted in density, when an elevator is required. */
  elevatorShaftM2PerStorey: number;
  /** An elevator is required from this many above-ground storeys (pilotis included). */
  elevatorFromStoreys: number;
  /** Balconies on upper floors, % of the footprint, added to the storey and counted in density. */
  balconyPercentOfFootprint: number;
  /** Roof structure (stair/elevator head house, خرپشته) m², not counted in density. */
  roofStructureM2: number;
  /** Basement footprint as % of the net plot area. */
  basementPercentOfNetArea: number;
}

export interface TariffTables {
  /** The Jalali year the tables are in force (the version key). */
  jalaliYear: number;
  title: LocalizedText;
  densityFee: DensityFeeTable;
  permitFees: PermitFeeItem[];
  parkingDeficit: ParkingDeficitTable;
  floorAllowances: FloorAllowances;
}

// ─── validation ───────────────────────────────────────────────────────────────────────

/** Upper limit of a coefficient and of a Rials-per-m² rate. */
export const MAX_COEFFICIENT = 1000;

/** Jalali years a calculator tariff book (and a calculation's year) may have. */
export const CALCULATOR_YEAR_RANGE = { min: 1300, max: 1500 } as const;
export const MAX_RIALS_PER_M2 = 10_000_000_000;

class Problems {
  readonly list: FieldError[] = [];
  add(field: string, code: string, fa: string, en: string): void {
    this.list.push({ field, code, message: { fa, en } });
  }
  /** Finite, ≥ 0 (or > 0), ≤ max; returns whether it passed. */
  num(field: string, v: unknown, opts: { positive?: boolean; max?: number; integer?: boolean; decimals?: number } = {}): boolean {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      this.add(field, 'NOT_A_NUMBER', 'باید عدد باشد.', 'must be a finite number.');
      return false;
    }
    if (v < 0) {
      this.add(field, 'NEGATIVE', 'نمی‌تواند منفی باشد.', 'must not be negative.');
      return false;
    }
    if (opts.positive && v === 0) {
      this.add(field, 'NOT_POSITIVE', 'باید بزرگ‌تر از صفر باشد.', 'must be greater than zero.');
      return false;
    }
    if (opts.max !== undefined && v > opts.max) {
      this.add(field, 'TOO_LARGE', `حداکثر ${opts.max} است.`, `must be at most ${opts.max}.`);
      return false;
    }
    if (opts.integer && !Number.isInteger(v)) {
      this.add(field, 'NOT_INTEGER', 'باید عدد صحیح باشد.', 'must be an integer.');
      return false;
    }
    if (opts.decimals !== undefined && !hasAtMostDecimals(v, opts.decimals)) {
      this.add(field, 'TOO_MANY_DECIMALS', `حداکثر ${opts.decimals} رقم اعشار مجاز است.`, `must have at most ${opts.decimals} decimals.`);
      return false;
    }
    return true;
  }
  text(field: string, v: unknown): void {
    if (typeof v !== 'string' || v.trim() === '') this.add(field, 'REQUIRED', 'لازم است.', 'is required.');
  }
  localized(field: string, v: unknown): void {
    const t = v as Partial<LocalizedText> | undefined;
    this.text(`${field}.fa`, t?.fa);
    this.text(`${field}.en`, t?.en);
  }
}

/**
 * Bands: sorted by `from`, starting at 0, each starting where the previous ended (no gap,
 * no overlap), non-empty ranges, only the last open-ended, rates ≥ 0.
 */
/** How a band's rate is checked: a coefficient (≤ 3 decimals), whole Rials, or not at all (unknown basis). */
type RateKind = 'coefficient' | 'rials' | 'unchecked';

function validateBands(p: Problems, field: string, bands: unknown, rateKind: RateKind): void {
  if (!Array.isArray(bands) || bands.length === 0) {
    p.add(field, 'BANDS_EMPTY', 'دست‌کم یک بازه لازم است.', 'needs at least one band.');
    return;
  }
  let prev: RateBand | undefined;
  bands.forEach((b: RateBand, i) => {
    const f = `${field}.${i}`;
    const fromOk = p.num(`${f}.from`, b?.from);
    const toOk = b?.to === null || p.num(`${f}.to`, b?.to);
    if (rateKind === 'rials') p.num(`${f}.rate`, b?.rate, { integer: true, max: MAX_RIALS_PER_M2 });
    else if (rateKind === 'coefficient') p.num(`${f}.rate`, b?.rate, { decimals: 3, max: MAX_COEFFICIENT });
    if (!fromOk || !toOk) {
      prev = undefined;
      return;
    }
    if (b.to !== null && b.to <= b.from) {
      p.add(`${f}.to`, 'BAND_EMPTY_RANGE', 'انتهای بازه باید بزرگ‌تر از ابتدای آن باشد.', 'to must be greater than from.');
    }
    if (i === 0) {
      if (b.from !== 0) p.add(`${f}.from`, 'BAND_GAP', 'نخستین بازه باید از صفر شروع شود.', 'the first band must start at 0.');
    } else if (prev) {
      if (b.from < prev.from) {
        p.add(`${f}.from`, 'BAND_NOT_SORTED', 'بازه‌ها باید به ترتیب صعودی باشند.', 'bands must be sorted by from.');
      } else if (prev.to === null || b.from < prev.to) {
        p.add(`${f}.from`, 'BAND_OVERLAP', 'این بازه با بازه قبلی هم‌پوشانی دارد.', 'this band overlaps the previous one.');
      } else if (b.from > prev.to) {
        p.add(`${f}.from`, 'BAND_GAP', 'بین این بازه و بازه قبلی فاصله است.', 'there is a gap before this band.');
      }
    }
    prev = b;
  });
  const last = bands[bands.length - 1] as RateBand | undefined;
  if (last && last.to !== null) {
    p.add(`${field}.${bands.length - 1}.to`, 'BAND_OPEN_END_MISSING', 'آخرین بازه باید بی‌انتها باشد (to = null).', 'the last band must be open-ended (to = null).');
  }
}

function validateUseMap(
  p: Problems,
  field: string,
  map: unknown,
  required: boolean,
  each: (field: string, value: unknown) => void,
): void {
  if (map === null || typeof map !== 'object') {
    p.add(field, 'REQUIRED', 'لازم است.', 'is required.');
    return;
  }
  const m = map as Record<string, unknown>;
  for (const key of Object.keys(m)) {
    if (!(BUILDING_USES as readonly string[]).includes(key)) p.add(`${field}.${key}`, 'UNKNOWN_USE', 'کاربری ناشناخته است.', 'unknown use.');
  }
  for (const use of BUILDING_USES) {
    if (m[use] === undefined) {
      if (required) p.add(`${field}.${use}`, 'MISSING', 'برای این کاربری مقدار لازم است.', 'a value is required for this use.');
    } else {
      each(`${field}.${use}`, m[use]);
    }
  }
}

/** Checks a year's tables; returns coded field errors (empty when valid). */
export function validateTariffTables(tables: TariffTables): FieldError[] {
  const p = new Problems();
  const t = (tables ?? {}) as Partial<TariffTables>;
  p.num('jalaliYear', t.jalaliYear, { integer: true, max: 1500 });
  if (typeof t.jalaliYear === 'number' && Number.isInteger(t.jalaliYear) && t.jalaliYear < 1390) {
    p.add('jalaliYear', 'TOO_SMALL', 'سال تعرفه باید ۱۳۹۰ یا پس از آن باشد.', 'the tariff year must be 1390 or later.');
  }
  p.localized('title', t.title);

  const d = t.densityFee;
  if (!d) p.add('densityFee', 'REQUIRED', 'لازم است.', 'is required.');
  else {
    p.text('densityFee.article', d.article);
    p.localized('densityFee.title', d.title);
    validateUseMap(p, 'densityFee.byUse', d.byUse, true, (f, v) => validateBands(p, f, v, 'coefficient'));
  }

  if (!Array.isArray(t.permitFees) || t.permitFees.length === 0) {
    p.add('permitFees', 'REQUIRED', 'دست‌کم یک ردیف عوارض پروانه لازم است.', 'needs at least one permit fee item.');
  } else {
    const keys = new Set<string>();
    t.permitFees.forEach((item, i) => {
      const f = `permitFees.${i}`;
      p.text(`${f}.key`, item?.key);
      if (typeof item?.key === 'string') {
        if (keys.has(item.key)) p.add(`${f}.key`, 'DUPLICATE', 'کلید تکراری است.', 'duplicate key.');
        keys.add(item.key);
      }
      p.text(`${f}.article`, item?.article);
      p.localized(`${f}.title`, item?.title);
      if (item?.basis !== 'regionalValue' && item?.basis !== 'rialsPerM2') {
        p.add(`${f}.basis`, 'INVALID', 'مبنا باید regionalValue یا rialsPerM2 باشد.', 'basis must be regionalValue or rialsPerM2.');
      }
      validateUseMap(p, `${f}.byUse`, item?.byUse, false, (uf, v) =>
        validateBands(p, uf, v, item?.basis === 'rialsPerM2' ? 'rials' : item?.basis === 'regionalValue' ? 'coefficient' : 'unchecked'),
      );
    });
  }

  const k = t.parkingDeficit;
  if (!k) p.add('parkingDeficit', 'REQUIRED', 'لازم است.', 'is required.');
  else {
    p.text('parkingDeficit.article', k.article);
    p.localized('parkingDeficit.title', k.title);
    p.num('parkingDeficit.spaceAreaM2', k.spaceAreaM2, { positive: true, max: 1000, decimals: 2 });
    validateUseMap(p, 'parkingDeficit.coefficientByUse', k.coefficientByUse, true, (f, v) =>
      p.num(f, v, { decimals: 3, max: MAX_COEFFICIENT }),
    );
  }

  const a = t.floorAllowances;
  if (!a) p.add('floorAllowances', 'REQUIRED', 'لازم است.', 'is required.');
  else {
    p.text('floorAllowances.article', a.article);
    p.num('floorAllowances.stairsM2PerStorey', a.stairsM2PerStorey, { max: 1000, decimals: 2 });
    p.num('floorAllowances.elevatorShaftM2PerStorey', a.elevatorShaftM2PerStorey, { max: 1000, decimals: 2 });
    p.num('floorAllowances.elevatorFromStoreys', a.elevatorFromStoreys, { positive: true, integer: true, max: 200 });
    p.num('floorAllowances.balconyPercentOfFootprint', a.balconyPercentOfFootprint, { max: 100, decimals: 2 });
    p.num('floorAllowances.roofStructureM2', a.roofStructureM2, { max: 10_000, decimals: 2 });
    p.num('floorAllowances.basementPercentOfNetArea', a.basementPercentOfNetArea, { max: 100, decimals: 2 });
  }
  return p.list;
}

/** Throws TARIFF_TABLES_INVALID (400) with the field errors when the tables are invalid. */
export function assertValidTariffTables(tables: TariffTables): void {
  const errors = validateTariffTables(tables);
  if (errors.length > 0) {
    throw CalculatorErrors.TARIFF_TABLES_INVALID({ fieldErrors: errors, extensions: { jalaliYear: tables?.jalaliYear } });
  }
}

// ─── slicing a quantity over bands ─────────────────────────────────────────────────────

export interface BandSlice {
  /** Index of the band in its table. */
  index: number;
  band: RateBand;
  /** Slice bounds and size in centi-m². */
  fromCenti: number;
  toCenti: number;
  sizeCenti: number;
}

/**
 * Splits [0, totalCenti) over the bands; `boundary` maps a band bound (table unit) to
 * centi-m². Only slices with a positive size are returned.
 */
export function sliceOverBands(totalCenti: number, bands: RateBand[], boundary: (bound: number) => number): BandSlice[] {
  const out: BandSlice[] = [];
  bands.forEach((band, index) => {
    const lo = boundary(band.from);
    const hi = band.to === null ? totalCenti : Math.min(totalCenti, boundary(band.to));
    if (hi > lo) out.push({ index, band, fromCenti: lo, toCenti: hi, sizeCenti: hi - lo });
  });
  return out;
}
