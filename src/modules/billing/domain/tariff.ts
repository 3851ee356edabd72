/**
 * Billing tariffs: pure types, defaults and validation. All money is integer Rials;
 * coefficients are integers in per-mille (1000 = ×1) and percentages in basis points
 * (100 = 1%), so every calculation is exact integer arithmetic with explicit rounding.
 */
import type { FieldError } from '@app/common';

export interface RenewalTariff {
  /** Renewal tax (عوارض نوسازی) per mille of the assessed value; the law's default is 5. */
  ratePerMille: number;
  /** Land value (ارزش منطقه‌ای) per m² where a block has no regional value of its own. */
  defaultLandValuePerM2: number;
  /** Building value per m² by structure type (steel, concrete, masonry, other). */
  buildingValuePerM2: Record<string, number>;
}

export interface AreaBand {
  /** Inclusive lower bound (m²); the first band starts at 0. */
  fromM2: number;
  /** Exclusive upper bound (m²); null for the last band. */
  toM2: number | null;
  factorPermille: number;
}

export interface WasteTariff {
  /** Yearly waste fee (عوارض پسماند) per unit, by property use; `other` is the fallback. */
  baseRialsByUse: Record<string, number>;
  /** Bands of the built area (land area when nothing is built). */
  areaBands: AreaBand[];
  /** Coefficient by detailed-plan zone code; zones not listed count 1000 (×1). */
  zoneCoefficientPermille: Record<string, number>;
}

export interface GuildCategoryTariff {
  name: string;
  baseRials: number;
  perM2Rials: number;
}

export interface GuildTariff {
  categories: Record<string, GuildCategoryTariff>;
  /** Location coefficient by municipal region; regions not listed count 1000. */
  locationCoefficientPermille: Record<string, number>;
}

export interface PenaltyRule {
  /** Late penalty per started month after the demand's year, basis points. */
  monthlyBp: number;
  /** Cap of the penalty, basis points of the principal. */
  maxBp: number;
}

export interface DiscountRule {
  /** Early-payment discount of the current year's demands, basis points. */
  percentBp: number;
  /** Applies up to the end of this Jalali month of the demand's year (1-12; 0 = no discount). */
  untilMonth: number;
}

/** Fee of an electronic inquiry (desk assessment adds it to the property's file), by type. */
export interface InquiryFeeTariff {
  officeRials: number;
  notaryRials: number;
}

export interface TariffRules {
  renewal: RenewalTariff;
  waste: WasteTariff;
  guild: GuildTariff;
  penalty: PenaltyRule;
  discount: DiscountRule;
  /** Optional: without it no inquiry fee is charged. */
  inquiry?: InquiryFeeTariff | null;
}

/** Jalali years a tariff (and so an assessment or a year's regional values) may have. */
export const TARIFF_YEAR_RANGE = { min: 1300, max: 1500 } as const;

export const STRUCTURE_TYPES = ['steel', 'concrete', 'masonry', 'other'] as const;
export const FEE_TYPES = ['renewal', 'waste', 'guild'] as const;
export type FeeType = (typeof FEE_TYPES)[number];

/** Defaults of the current Jalali year; earlier years are scaled down (see defaultTariff). */
export const DEFAULT_TARIFF: TariffRules = {
  renewal: {
    ratePerMille: 5,
    defaultLandValuePerM2: 3_000_000,
    buildingValuePerM2: { steel: 6_000_000, concrete: 6_500_000, masonry: 3_000_000, other: 2_000_000 },
  },
  waste: {
    baseRialsByUse: {
      residential: 1_500_000,
      commercial: 4_000_000,
      office: 3_000_000,
      mixed: 3_000_000,
      educational: 1_000_000,
      health: 2_000_000,
      green: 0,
      industrial: 5_000_000,
      other: 1_500_000,
    },
    areaBands: [
      { fromM2: 0, toM2: 100, factorPermille: 800 },
      { fromM2: 100, toM2: 200, factorPermille: 1000 },
      { fromM2: 200, toM2: 500, factorPermille: 1300 },
      { fromM2: 500, toM2: null, factorPermille: 1600 },
    ],
    zoneCoefficientPermille: { 'R-1': 1000, 'R-2': 1100, 'C-1': 1300, M: 1200, G: 900 },
  },
  guild: {
    categories: {
      food: { name: 'مواد غذایی و خواربار', baseRials: 6_000_000, perM2Rials: 60_000 },
      clothing: { name: 'پوشاک', baseRials: 8_000_000, perM2Rials: 80_000 },
      services: { name: 'خدمات', baseRials: 5_000_000, perM2Rials: 50_000 },
      technical: { name: 'فنی و تعمیرات', baseRials: 7_000_000, perM2Rials: 40_000 },
      medical: { name: 'پزشکی و دارویی', baseRials: 12_000_000, perM2Rials: 100_000 },
      other: { name: 'سایر', baseRials: 5_000_000, perM2Rials: 50_000 },
    },
    locationCoefficientPermille: { '1': 1200, '2': 1000, '3': 900 },
  },
  penalty: { monthlyBp: 150, maxBp: 3600 },
  discount: { percentBp: 1000, untilMonth: 3 },
  inquiry: { officeRials: 1_500_000, notaryRials: 2_500_000 },
};

/** Default tariff of a year `yearsBack` years before the current one (about 20% less per year). */
export function defaultTariff(yearsBack: number): TariffRules {
  const factor = BigInt(Math.round(1000 * Math.pow(0.8, yearsBack)));
  const scale = (n: number) => Number(((BigInt(n) * factor) / 1000n / 1000n) * 1000n);
  const d = structuredClone(DEFAULT_TARIFF);
  d.renewal.defaultLandValuePerM2 = scale(d.renewal.defaultLandValuePerM2);
  for (const k of Object.keys(d.renewal.buildingValuePerM2)) d.renewal.buildingValuePerM2[k] = scale(d.renewal.buildingValuePerM2[k]);
  for (const k of Object.keys(d.waste.baseRialsByUse)) d.waste.baseRialsByUse[k] = scale(d.waste.baseRialsByUse[k]);
  for (const c of Object.values(d.guild.categories)) {
    c.baseRials = scale(c.baseRials);
    c.perM2Rials = scale(c.perM2Rials);
  }
  return d;
}

const MAX_RIALS = 1_000_000_000_000; // 10^12 per m² or per unit is far beyond any real tariff

type Issue = { field: string; code: string; fa: string; en: string };

/**
 * Checks a whole tariff; returns coded field errors (empty when valid). Numbers must be
 * non-negative integers; bands must start at 0, be contiguous (no gaps, no overlaps)
 * and end open.
 */
export function validateTariff(input: unknown): FieldError[] {
  const issues: Issue[] = [];
  const t = (input ?? {}) as Partial<TariffRules>;
  const int = (field: string, v: unknown, max = MAX_RIALS, min = 0) => {
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      issues.push({ field, code: 'TARIFF_NOT_INTEGER', fa: 'باید عدد صحیح باشد.', en: 'must be an integer' });
    } else if (v < min) {
      issues.push({ field, code: 'TARIFF_NEGATIVE', fa: `نباید کمتر از ${min} باشد.`, en: `must not be less than ${min}` });
    } else if (v > max) {
      issues.push({ field, code: 'TARIFF_TOO_LARGE', fa: `نباید بیشتر از ${max} باشد.`, en: `must not exceed ${max}` });
    }
  };
  const record = (field: string, v: unknown, each: (key: string, value: unknown) => void, required: readonly string[] = []) => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) {
      issues.push({ field, code: 'TARIFF_OBJECT_REQUIRED', fa: 'باید یک شیء باشد.', en: 'must be an object' });
      return;
    }
    for (const r of required) {
      if (!(r in v)) issues.push({ field: `${field}.${r}`, code: 'TARIFF_MISSING', fa: 'لازم است.', en: 'is required' });
    }
    for (const [k, val] of Object.entries(v)) each(k, val);
  };
  const obj = (field: string, v: unknown): v is Record<string, unknown> => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) {
      issues.push({ field, code: 'TARIFF_OBJECT_REQUIRED', fa: 'باید یک شیء باشد.', en: 'must be an object' });
      return false;
    }
    return true;
  };

  if (obj('renewal', t.renewal)) {
    int('renewal.ratePerMille', t.renewal.ratePerMille, 1000);
    int('renewal.defaultLandValuePerM2', t.renewal.defaultLandValuePerM2);
    record('renewal.buildingValuePerM2', t.renewal.buildingValuePerM2, (k, v) => int(`renewal.buildingValuePerM2.${k}`, v), STRUCTURE_TYPES);
  }
  if (obj('waste', t.waste)) {
    record('waste.baseRialsByUse', t.waste.baseRialsByUse, (k, v) => int(`waste.baseRialsByUse.${k}`, v), ['other']);
    record('waste.zoneCoefficientPermille', t.waste.zoneCoefficientPermille, (k, v) => int(`waste.zoneCoefficientPermille.${k}`, v, 100_000));
    validateBands('waste.areaBands', t.waste.areaBands, issues, int);
  }
  if (obj('guild', t.guild)) {
    record(
      'guild.categories',
      t.guild.categories,
      (k, v) => {
        if (!obj(`guild.categories.${k}`, v)) return;
        if (typeof v.name !== 'string' || !v.name.trim()) {
          issues.push({ field: `guild.categories.${k}.name`, code: 'TARIFF_MISSING', fa: 'نام صنف لازم است.', en: 'a name is required' });
        }
        int(`guild.categories.${k}.baseRials`, v.baseRials);
        int(`guild.categories.${k}.perM2Rials`, v.perM2Rials);
      },
      ['other'],
    );
    record('guild.locationCoefficientPermille', t.guild.locationCoefficientPermille, (k, v) => int(`guild.locationCoefficientPermille.${k}`, v, 100_000));
  }
  if (obj('penalty', t.penalty)) {
    int('penalty.monthlyBp', t.penalty.monthlyBp, 10_000);
    int('penalty.maxBp', t.penalty.maxBp, 100_000);
  }
  if (obj('discount', t.discount)) {
    int('discount.percentBp', t.discount.percentBp, 10_000);
    int('discount.untilMonth', t.discount.untilMonth, 12);
  }
  if (t.inquiry !== undefined && t.inquiry !== null && obj('inquiry', t.inquiry)) {
    int('inquiry.officeRials', t.inquiry.officeRials);
    int('inquiry.notaryRials', t.inquiry.notaryRials);
  }
  return issues.map((i) => ({ field: i.field, code: i.code, message: { fa: i.fa, en: i.en } }));
}

function validateBands(field: string, bands: unknown, issues: Issue[], int: (f: string, v: unknown, max?: number) => void): void {
  if (!Array.isArray(bands) || bands.length === 0) {
    issues.push({ field, code: 'TARIFF_BANDS_REQUIRED', fa: 'دست‌کم یک بازه لازم است.', en: 'at least one band is required' });
    return;
  }
  let expectedFrom = 0;
  bands.forEach((b: Partial<AreaBand>, i) => {
    const f = `${field}.${i}`;
    if (!b || typeof b !== 'object') {
      issues.push({ field: f, code: 'TARIFF_OBJECT_REQUIRED', fa: 'باید یک شیء باشد.', en: 'must be an object' });
      return;
    }
    int(`${f}.fromM2`, b.fromM2);
    int(`${f}.factorPermille`, b.factorPermille, 100_000);
    const last = i === bands.length - 1;
    if (last && b.toM2 !== null) {
      issues.push({ field: `${f}.toM2`, code: 'TARIFF_BAND_NOT_OPEN', fa: 'آخرین بازه باید بی‌انتها باشد (null).', en: 'the last band must be open-ended (null)' });
    } else if (!last) {
      int(`${f}.toM2`, b.toM2);
    }
    if (typeof b.fromM2 === 'number') {
      if (b.fromM2 > expectedFrom) {
        issues.push({ field: `${f}.fromM2`, code: 'TARIFF_BAND_GAP', fa: `بین بازه‌ها فاصله است؛ باید از ${expectedFrom} شروع شود.`, en: `gap between bands: must start at ${expectedFrom}` });
      } else if (b.fromM2 < expectedFrom) {
        issues.push({ field: `${f}.fromM2`, code: 'TARIFF_BAND_OVERLAP', fa: `بازه‌ها هم‌پوشانی دارند؛ باید از ${expectedFrom} شروع شود.`, en: `bands overlap: must start at ${expectedFrom}` });
      }
      if (typeof b.toM2 === 'number' && b.toM2 <= b.fromM2) {
        issues.push({ field: `${f}.toM2`, code: 'TARIFF_BAND_EMPTY', fa: 'پایان بازه باید بزرگ‌تر از ابتدای آن باشد.', en: 'toM2 must be greater than fromM2' });
      }
    }
    if (typeof b.toM2 === 'number') expectedFrom = b.toM2;
  });
}
