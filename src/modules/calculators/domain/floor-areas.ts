/**
 * Floor area on each storey (محاسبه زیربنا در طبقات).
 *
 * Layout, from the bottom:
 * - basements (optional): net area × basement % (tariff allowances); not counted in density;
 * - pilotis (optional): a ground-level parking storey of one footprint; not counted in
 *   density nor in the number of floors;
 * - habitable floors: the first is the ground floor (unless on pilotis), the others upper
 *   floors. Footprint = net area × occupancy. Upper floors add balconies (footprint ×
 *   balcony %). Each habitable storey's stairwell and, when an elevator is required
 *   (above-ground storeys ≥ the configured number), elevator shaft are excluded from
 *   density: density area = storey area − stairs − shaft (never below 0);
 * - roof structure (خرپشته): the configured area, not counted in density.
 * Density achieved = Σ density areas ÷ net area × 100.
 *
 * A layout beyond the rules is refused with CALC_LAYOUT_EXCEEDS_RULES listing every rule
 * exceeded: occupancy above the zone's maximum, more floors than the zone allows, density
 * above the zone's maximum density.
 */
import { CalculatorErrors } from '../calculators.errors';
import { centiToM2, fmt, fmtFa, InputChecks, LIMITS, percentOfCenti, toCenti } from './numbers';
import { assertValidTariffTables, TariffTables } from './tariffs';
import { BreakdownLine, LocalizedText, ZoneRef, ZoneRulesInput } from './types';
import { assertValidZone, matchZoneBand, zoneArticle } from './zone';

export interface FloorAreasInput {
  /** m², the parcel's NET area after street widening. */
  netArea: number;
  /** m; when given, the allowed (band) density is reported too. */
  accessRoadWidth?: number;
  zone: ZoneRulesInput;
  zoneRef?: ZoneRef;
  /** Habitable storeys above ground (the ground floor included unless on pilotis), integer ≥ 1. */
  floors: number;
  /** A ground-level parking storey (پیلوت) under the habitable floors; default false. */
  pilotis?: boolean;
  /** Basement storeys, integer ≥ 0; default 0. */
  basements?: number;
  /** Requested occupancy %; default the zone's maximum. */
  occupancyPercent?: number;
  /** Roof structure (stair/elevator head house); default true. */
  roofStructure?: boolean;
  /** The year's tables (their floor allowances are used). */
  tariffs: TariffTables;
}

export type StoreyKind = 'basement' | 'parking' | 'ground' | 'upper' | 'roof';

export interface Storey {
  /** Basements -1, -2, …; ground level 0; upper floors 1, 2, …; the roof structure on top. */
  level: number;
  kind: StoreyKind;
  label: LocalizedText;
  /** m² of the storey's footprint part (without balconies). */
  footprint: number;
  /** m² of balconies (upper floors). */
  balcony: number;
  /** m² = footprint + balcony. */
  grossArea: number;
  /** m² of stairwell excluded from density (habitable storeys). */
  stairs: number;
  /** m² of elevator shaft excluded from density (habitable storeys, when required). */
  elevatorShaft: number;
  /** m² counted in density. */
  densityArea: number;
}

export interface LayoutViolation {
  rule: 'maxOccupancyPercent' | 'maxFloors' | 'maxDensityPercent';
  limit: number;
  requested: number;
}

export interface FloorAreasResult {
  tariffYear: number;
  netArea: number;
  occupancyPercent: number;
  floors: number;
  pilotis: boolean;
  basements: number;
  elevatorRequired: boolean;
  storeys: Storey[];
  totals: {
    /** Σ gross areas of every storey (basements, pilotis, roof structure included). */
    grossArea: number;
    /** Σ density areas. */
    densityArea: number;
    /** grossArea − densityArea. */
    excludedArea: number;
  };
  /** Density achieved = density area ÷ net area × 100 (two decimals). */
  densityPercent: number;
  baseDensityPercent: number;
  /** The band density when the access-road width was given, else null. */
  allowedDensityPercent: number | null;
  maxDensityPercent: number;
  /** m² of density area above the base density (what the density-issuance fee charges). */
  densityAreaAboveBase: number;
  breakdown: BreakdownLine[];
}

export function floorAreas(input: FloorAreasInput): FloorAreasResult {
  const c = new InputChecks();
  c.positive('netArea', input.netArea, LIMITS.area);
  if (input.accessRoadWidth !== undefined) c.positive('accessRoadWidth', input.accessRoadWidth, LIMITS.roadWidth);
  c.positive('floors', input.floors, LIMITS.floors, true);
  c.nonNegative('basements', input.basements, LIMITS.basements, true);
  if (input.occupancyPercent !== undefined) c.positive('occupancyPercent', input.occupancyPercent, 100);
  c.throwIfAny();
  assertValidZone(input.zone);
  assertValidTariffTables(input.tariffs);

  const zone = input.zone;
  const ref = input.zoneRef;
  const year = input.tariffs.jalaliYear;
  const a = input.tariffs.floorAllowances;
  const netCenti = toCenti(input.netArea);
  const netArea = centiToM2(netCenti);
  const occ = input.occupancyPercent ?? zone.maxOccupancyPercent;
  const floors = input.floors;
  const pilotis = input.pilotis ?? false;
  const basements = input.basements ?? 0;
  const roof = input.roofStructure ?? true;

  const footprintCenti = percentOfCenti(netCenti, occ);
  const balconyCenti = percentOfCenti(footprintCenti, a.balconyPercentOfFootprint);
  const basementCenti = percentOfCenti(netCenti, a.basementPercentOfNetArea);
  const aboveGround = floors + (pilotis ? 1 : 0);
  const elevatorRequired = aboveGround >= a.elevatorFromStoreys;
  const stairsCenti = toCenti(a.stairsM2PerStorey);
  const shaftCenti = elevatorRequired ? toCenti(a.elevatorShaftM2PerStorey) : 0;

  // storeys in centi-m²
  interface Raw {
    level: number;
    kind: StoreyKind;
    label: LocalizedText;
    footprint: number;
    balcony: number;
    stairs: number;
    shaft: number;
    density: number;
  }
  const raw: Raw[] = [];
  for (let b = basements; b >= 1; b--) {
    raw.push({ level: -b, kind: 'basement', label: { fa: `زیرزمین ${fmtFa(b)}`, en: `Basement ${b}` }, footprint: basementCenti, balcony: 0, stairs: 0, shaft: 0, density: 0 });
  }
  if (pilotis) {
    raw.push({ level: 0, kind: 'parking', label: { fa: 'همکف (پیلوت، پارکینگ)', en: 'Ground level (pilotis, parking)' }, footprint: footprintCenti, balcony: 0, stairs: 0, shaft: 0, density: 0 });
  }
  for (let i = 0; i < floors; i++) {
    const level = pilotis ? i + 1 : i;
    const ground = level === 0;
    const balcony = ground ? 0 : balconyCenti;
    const gross = footprintCenti + balcony;
    const stairs = Math.min(stairsCenti, gross);
    const shaft = Math.min(shaftCenti, gross - stairs);
    raw.push({
      level,
      kind: ground ? 'ground' : 'upper',
      label: ground ? { fa: 'طبقه همکف', en: 'Ground floor' } : { fa: `طبقه ${fmtFa(level)}`, en: `Floor ${level}` },
      footprint: footprintCenti,
      balcony,
      stairs,
      shaft,
      density: gross - stairs - shaft,
    });
  }
  if (roof) {
    const top = pilotis ? floors + 1 : floors;
    raw.push({ level: top, kind: 'roof', label: { fa: 'خرپشته (سازه روی بام)', en: 'Roof structure' }, footprint: toCenti(a.roofStructureM2), balcony: 0, stairs: 0, shaft: 0, density: 0 });
  }

  const grossCenti = raw.reduce((s, r) => s + r.footprint + r.balcony, 0);
  const densityCenti = raw.reduce((s, r) => s + r.density, 0);
  const densityPercent = Math.round((densityCenti * 10_000) / netCenti) / 100;

  // rules
  const maxCenti = percentOfCenti(netCenti, zone.maxDensityPercent);
  const violations: LayoutViolation[] = [];
  if (occ > zone.maxOccupancyPercent) violations.push({ rule: 'maxOccupancyPercent', limit: zone.maxOccupancyPercent, requested: occ });
  if (floors > zone.maxFloors) violations.push({ rule: 'maxFloors', limit: zone.maxFloors, requested: floors });
  if (densityCenti > maxCenti) violations.push({ rule: 'maxDensityPercent', limit: zone.maxDensityPercent, requested: densityPercent });
  if (violations.length > 0) throw layoutError(violations);

  // breakdown
  const lines: BreakdownLine[] = [];
  const zl = (l: Omit<BreakdownLine, 'tariffYear'>) => lines.push({ ...l, tariffYear: null });
  const tl = (l: Omit<BreakdownLine, 'tariffYear'>) => lines.push({ ...l, tariffYear: year });
  zl({
    key: 'area.footprint',
    article: zoneArticle(ref, 'maxOccupancyPercent'),
    title: { fa: 'سطح اشغال هر طبقه', en: 'Footprint of a storey' },
    formula: {
      fa: `${fmtFa(netArea)} × ${fmtFa(occ)}٪ = ${fmtFa(centiToM2(footprintCenti))} متر مربع`,
      en: `${fmt(netArea)} × ${fmt(occ)}% = ${fmt(centiToM2(footprintCenti))} m²`,
    },
    value: centiToM2(footprintCenti),
    unit: 'm2',
  });
  if (basements > 0) {
    tl({
      key: 'area.basement',
      article: `${a.article} · basementPercentOfNetArea`,
      title: { fa: 'مساحت هر زیرزمین', en: 'Area of each basement' },
      formula: {
        fa: `${fmtFa(netArea)} × ${fmtFa(a.basementPercentOfNetArea)}٪ = ${fmtFa(centiToM2(basementCenti))} متر مربع`,
        en: `${fmt(netArea)} × ${fmt(a.basementPercentOfNetArea)}% = ${fmt(centiToM2(basementCenti))} m²`,
      },
      value: centiToM2(basementCenti),
      unit: 'm2',
    });
  }
  tl({
    key: 'area.balcony',
    article: `${a.article} · balconyPercentOfFootprint`,
    title: { fa: 'بالکن هر طبقه بالای همکف', en: 'Balconies of each upper floor' },
    formula: {
      fa: `${fmtFa(centiToM2(footprintCenti))} × ${fmtFa(a.balconyPercentOfFootprint)}٪ = ${fmtFa(centiToM2(balconyCenti))} متر مربع`,
      en: `${fmt(centiToM2(footprintCenti))} × ${fmt(a.balconyPercentOfFootprint)}% = ${fmt(centiToM2(balconyCenti))} m²`,
    },
    value: centiToM2(balconyCenti),
    unit: 'm2',
  });
  tl({
    key: 'area.stairs',
    article: `${a.article} · stairsM2PerStorey`,
    title: { fa: 'راه‌پله هر طبقه (خارج از تراکم)', en: 'Stairwell per storey (not in density)' },
    formula: { fa: `${fmtFa(a.stairsM2PerStorey)} متر مربع`, en: `${fmt(a.stairsM2PerStorey)} m²` },
    value: a.stairsM2PerStorey,
    unit: 'm2',
  });
  tl({
    key: 'area.elevatorShaft',
    article: `${a.article} · elevatorFromStoreys`,
    title: { fa: 'چاهک آسانسور هر طبقه (خارج از تراکم)', en: 'Elevator shaft per storey (not in density)' },
    formula: elevatorRequired
      ? {
          fa: `${fmtFa(aboveGround)} طبقه روی زمین ≥ ${fmtFa(a.elevatorFromStoreys)}: آسانسور لازم است، ${fmtFa(a.elevatorShaftM2PerStorey)} متر مربع`,
          en: `${aboveGround} storeys above ground ≥ ${a.elevatorFromStoreys}: elevator required, ${fmt(a.elevatorShaftM2PerStorey)} m²`,
        }
      : {
          fa: `${fmtFa(aboveGround)} طبقه روی زمین < ${fmtFa(a.elevatorFromStoreys)}: آسانسور لازم نیست`,
          en: `${aboveGround} storeys above ground < ${a.elevatorFromStoreys}: no elevator required`,
        },
    value: centiToM2(shaftCenti),
    unit: 'm2',
  });
  for (const r of raw) {
    const gross = r.footprint + r.balcony;
    const parts = r.balcony > 0 ? `${fmt(centiToM2(r.footprint))} + ${fmt(centiToM2(r.balcony))} = ` : '';
    const partsFa = r.balcony > 0 ? `${fmtFa(centiToM2(r.footprint))} + ${fmtFa(centiToM2(r.balcony))} = ` : '';
    const excl = r.stairs + r.shaft;
    tl({
      key: `storey.${r.level}`,
      article: r.kind === 'ground' || r.kind === 'upper' ? zoneArticle(ref, 'maxOccupancyPercent') : `${a.article} · ${r.kind}`,
      title: r.label,
      formula: {
        fa: `زیربنا ${partsFa}${fmtFa(centiToM2(gross))}؛ در تراکم ${excl > 0 ? `${fmtFa(centiToM2(gross))} − ${fmtFa(centiToM2(excl))} = ` : ''}${fmtFa(centiToM2(r.density))} متر مربع`,
        en: `area ${parts}${fmt(centiToM2(gross))}; in density ${excl > 0 ? `${fmt(centiToM2(gross))} − ${fmt(centiToM2(excl))} = ` : ''}${fmt(centiToM2(r.density))} m²`,
      },
      value: centiToM2(gross),
      unit: 'm2',
    });
  }
  tl({
    key: 'total.grossArea',
    article: a.article,
    title: { fa: 'جمع زیربنای کل', en: 'Total gross area' },
    formula: { fa: `Σ = ${fmtFa(centiToM2(grossCenti))} متر مربع`, en: `Σ = ${fmt(centiToM2(grossCenti))} m²` },
    value: centiToM2(grossCenti),
    unit: 'm2',
  });
  zl({
    key: 'total.density',
    article: zoneArticle(ref, 'maxDensityPercent'),
    title: { fa: 'تراکم حاصل', en: 'Density achieved' },
    formula: {
      fa: `${fmtFa(centiToM2(densityCenti))} ÷ ${fmtFa(netArea)} × ۱۰۰ = ${fmtFa(densityPercent)}٪ (حداکثر ${fmtFa(zone.maxDensityPercent)}٪)`,
      en: `${fmt(centiToM2(densityCenti))} ÷ ${fmt(netArea)} × 100 = ${fmt(densityPercent)}% (max ${fmt(zone.maxDensityPercent)}%)`,
    },
    value: densityPercent,
    unit: 'percent',
  });

  let allowedDensityPercent: number | null = null;
  if (input.accessRoadWidth !== undefined) {
    const m = matchZoneBand(zone, netCenti, input.accessRoadWidth);
    allowedDensityPercent = Math.min(zone.maxDensityPercent, m ? m.band.densityPercent : zone.baseDensityPercent);
  }
  const baseCenti = percentOfCenti(netCenti, zone.baseDensityPercent);
  const aboveBase = Math.max(0, densityCenti - baseCenti);
  zl({
    key: 'density.aboveBase',
    article: zoneArticle(ref, 'baseDensityPercent'),
    title: { fa: 'زیربنای مازاد بر تراکم پایه', en: 'Density area above base density' },
    formula: {
      fa: `بیشینه(۰، ${fmtFa(centiToM2(densityCenti))} − ${fmtFa(netArea)} × ${fmtFa(zone.baseDensityPercent)}٪) = ${fmtFa(centiToM2(aboveBase))} متر مربع`,
      en: `max(0, ${fmt(centiToM2(densityCenti))} − ${fmt(netArea)} × ${fmt(zone.baseDensityPercent)}%) = ${fmt(centiToM2(aboveBase))} m²`,
    },
    value: centiToM2(aboveBase),
    unit: 'm2',
  });

  return {
    tariffYear: year,
    netArea,
    occupancyPercent: occ,
    floors,
    pilotis,
    basements,
    elevatorRequired,
    storeys: raw.map((r) => ({
      level: r.level,
      kind: r.kind,
      label: r.label,
      footprint: centiToM2(r.footprint),
      balcony: centiToM2(r.balcony),
      grossArea: centiToM2(r.footprint + r.balcony),
      stairs: centiToM2(r.stairs),
      elevatorShaft: centiToM2(r.shaft),
      densityArea: centiToM2(r.density),
    })),
    totals: {
      grossArea: centiToM2(grossCenti),
      densityArea: centiToM2(densityCenti),
      excludedArea: centiToM2(grossCenti - densityCenti),
    },
    densityPercent,
    baseDensityPercent: zone.baseDensityPercent,
    allowedDensityPercent,
    maxDensityPercent: zone.maxDensityPercent,
    densityAreaAboveBase: centiToM2(aboveBase),
    breakdown: lines,
  };
}

const RULE_TEXT: Record<LayoutViolation['rule'], (v: LayoutViolation) => LocalizedText> = {
  maxOccupancyPercent: (v) => ({
    fa: `سطح اشغال ${fmtFa(v.requested)}٪ از حداکثر ${fmtFa(v.limit)}٪ بیشتر است`,
    en: `occupancy ${fmt(v.requested)}% exceeds the maximum ${fmt(v.limit)}%`,
  }),
  maxFloors: (v) => ({
    fa: `تعداد طبقات ${fmtFa(v.requested)} از حداکثر ${fmtFa(v.limit)} طبقه بیشتر است`,
    en: `${v.requested} floors exceed the maximum of ${v.limit}`,
  }),
  maxDensityPercent: (v) => ({
    fa: `تراکم ${fmtFa(v.requested)}٪ از حداکثر تراکم ${fmtFa(v.limit)}٪ بیشتر است`,
    en: `density ${fmt(v.requested)}% exceeds the maximum density ${fmt(v.limit)}%`,
  }),
};

const RULE_FIELD: Record<LayoutViolation['rule'], string> = {
  maxOccupancyPercent: 'occupancyPercent',
  maxFloors: 'floors',
  maxDensityPercent: 'floors',
};

function layoutError(violations: LayoutViolation[]) {
  const texts = violations.map((v) => RULE_TEXT[v.rule](v));
  return CalculatorErrors.CALC_LAYOUT_EXCEEDS_RULES({
    message: {
      fa: `طبقات درخواستی از ضوابط پهنه بیشتر است: ${texts.map((t) => t.fa).join('؛ ')}.`,
      en: `The requested layout exceeds the zone rules: ${texts.map((t) => t.en).join('; ')}.`,
    },
    fieldErrors: violations.map((v, i) => ({ field: RULE_FIELD[v.rule], code: v.rule, message: texts[i] })),
    extensions: { rule: violations[0].rule, violations },
  });
}
