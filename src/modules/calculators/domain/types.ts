/**
 * Shared types of the calculators' pure domain. No Nest, no I/O: the HTTP layer reads
 * the parcel, zone and tariff tables and passes plain values in.
 */
import type { LocalizedText } from '@app/common/errors/domain-error';

export type { LocalizedText };

/** Building uses (the parcel uses of the property registry). */
export const BUILDING_USES = ['residential', 'commercial', 'office', 'mixed', 'educational', 'health', 'green'] as const;
export type BuildingUse = (typeof BUILDING_USES)[number];

export function isBuildingUse(v: unknown): v is BuildingUse {
  return typeof v === 'string' && (BUILDING_USES as readonly string[]).includes(v);
}

/** A density band of a zone: plot area and access-road width ranges, [min, max). */
export interface ZoneBandInput {
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

/**
 * The zone rules the calculators read. Structurally the same as `ZoneRules` of
 * properties/entities/zone.entity.ts (restated here so the domain does not import an
 * ORM entity; a spec checks that a stored `ZoneRules` is assignable to it).
 */
export interface ZoneRulesInput {
  allowedUses: string[];
  maxOccupancyPercent: number;
  baseDensityPercent: number;
  maxDensityPercent: number;
  maxFloors: number;
  minPlotArea: number;
  setbacks: { front: number; back: number; side: number };
  bands: ZoneBandInput[];
  /** perUnit: spaces per residential unit; perCommercialM2: m² of commercial area per space (0 = none). */
  parkingRule: { perUnit: number; perCommercialM2: number };
}

/** Zone identity shown in breakdown lines (optional). */
export interface ZoneRef {
  code: string;
  /** e.g. «طرح تفصیلی شهر قزوین» */
  planName?: string;
  /** Jalali approval date of the plan. */
  approvalDate?: string;
}

export type LineUnit = 'm2' | 'percent' | 'floors' | 'spaces' | 'm' | 'rial' | 'rial_per_m2' | 'coefficient';

/**
 * One line of an itemized, human-readable breakdown. `article` names the rule or the
 * tariff article it applies; `formula` shows the numbers put in; `tariffYear` is the
 * Jalali year of the tariff book when the line comes from it (null for zone rules).
 */
export interface BreakdownLine {
  /** Stable machine key, e.g. `density.allowed`, `fee.slice.1`. */
  key: string;
  /** Rule or tariff article, e.g. `R-1 · baseDensityPercent` or `تعرفه ۱۴۰۴ · ماده ۸`. */
  article: string;
  title: LocalizedText;
  formula: LocalizedText;
  value: number;
  unit: LineUnit;
  tariffYear: number | null;
  /** Persian words of a Rial amount (lines with unit `rial`). */
  amountWords?: string;
}

/** An integer Rial amount with its renderings. */
export interface Money {
  /** Whole Rials, a safe integer 0 … 10^15 - 1. */
  rials: number;
  /** «یک میلیون و دویست هزار» */
  words: string;
  /** «۱٬۲۰۰٬۰۰۰» */
  formattedFa: string;
  /** "1,200,000" */
  formatted: string;
}
