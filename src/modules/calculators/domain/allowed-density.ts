/**
 * Approved and allowed building density (تراکم ساختمانی مصوب و مجاز).
 *
 * - Approved density: of the parcel's last building permit, when known:
 *   gross area of the permit ÷ plot area of the permit × 100.
 * - Allowed density: the zone's band that contains the NET plot area (after street
 *   widening) and the access-road width, capped at the zone's maximum density; the base
 *   density when no band matches.
 * - Maximum floors: min(zone max floors, floor(allowed density ÷ occupancy)), and the
 *   same with the maximum density (what can be reached by buying density).
 * - Footprint = net area × occupancy; gross areas = net area × density.
 * - Parking: ceil(units × spaces per unit) + ceil(commercial m² ÷ m² per space).
 */
import { centiToM2, fmt, fmtFa, InputChecks, LIMITS, percentOfCenti, toCenti } from './numbers';
import { BreakdownLine, BuildingUse, isBuildingUse, ZoneBandInput, ZoneRef, ZoneRulesInput } from './types';
import { assertUseAllowed, assertValidZone, matchZoneBand, parkingRequired, zoneArticle } from './zone';

export interface LastPermitInput {
  /** Gross area counted in density on the permit, m². */
  grossArea: number;
  /** Plot area the permit was issued on, m². */
  plotArea: number;
  floors?: number;
  jalaliYear?: number;
  /** Request/permit number, shown in the breakdown. */
  number?: string;
}

export interface AllowedDensityInput {
  /** m², the parcel's NET area after street widening. */
  netArea: number;
  /** m. */
  accessRoadWidth: number;
  zone: ZoneRulesInput;
  zoneRef?: ZoneRef;
  /** When given, must be allowed in the zone. */
  use?: BuildingUse;
  /** Residential units planned (parking); default 0. */
  units?: number;
  /** Commercial floor area planned, m² (parking); default 0. */
  commercialArea?: number;
  lastPermit?: LastPermitInput | null;
}

export interface ApprovedDensity {
  densityPercent: number;
  grossArea: number;
  plotArea: number;
  floors: number | null;
  jalaliYear: number | null;
  number: string | null;
}

export interface AllowedDensityResult {
  netArea: number;
  accessRoadWidth: number;
  approved: ApprovedDensity | null;
  baseDensityPercent: number;
  /** The zone band applied (null: no band matched, base density applies). */
  band: (ZoneBandInput & { index: number }) | null;
  allowedDensityPercent: number;
  maxDensityPercent: number;
  occupancyPercent: number;
  /** m² = net area × occupancy. */
  footprintArea: number;
  baseGrossArea: number;
  allowedGrossArea: number;
  maxGrossArea: number;
  /** min(zone max floors, floor(allowed density ÷ occupancy)). */
  maxFloors: number;
  /** min(zone max floors, floor(max density ÷ occupancy)). */
  maxFloorsAtMaxDensity: number;
  minPlotArea: number;
  belowMinPlotArea: boolean;
  setbacks: { front: number; back: number; side: number };
  parking: { units: number; commercialArea: number; forUnits: number; forCommercial: number; requiredSpaces: number };
  breakdown: BreakdownLine[];
}

/** floor(density ÷ occupancy) without float noise (percent values with ≤ 2 decimals). */
export function floorsFor(densityPercent: number, occupancyPercent: number): number {
  return Math.floor(Math.round(densityPercent * 100) / Math.round(occupancyPercent * 100));
}

export function allowedDensity(input: AllowedDensityInput): AllowedDensityResult {
  const c = new InputChecks();
  c.positive('netArea', input.netArea, LIMITS.area);
  c.positive('accessRoadWidth', input.accessRoadWidth, LIMITS.roadWidth);
  c.nonNegative('units', input.units, LIMITS.units, true);
  c.nonNegative('commercialArea', input.commercialArea, LIMITS.grossArea);
  if (input.use !== undefined && !isBuildingUse(input.use)) c.add('use', 'UNKNOWN_USE', 'کاربری ناشناخته است.', 'unknown use.');
  if (input.lastPermit) {
    c.positive('lastPermit.grossArea', input.lastPermit.grossArea, LIMITS.grossArea);
    c.positive('lastPermit.plotArea', input.lastPermit.plotArea, LIMITS.area);
    c.nonNegative('lastPermit.floors', input.lastPermit.floors, LIMITS.floors, true);
  }
  c.throwIfAny();
  const zone = input.zone;
  assertValidZone(zone);
  if (input.use !== undefined) assertUseAllowed(zone, input.use, input.zoneRef);

  const ref = input.zoneRef;
  const lines: BreakdownLine[] = [];
  const line = (l: Omit<BreakdownLine, 'tariffYear'>) => lines.push({ ...l, tariffYear: null });

  const netCenti = toCenti(input.netArea);
  const netArea = centiToM2(netCenti);
  const road = input.accessRoadWidth;
  line({
    key: 'parcel.netArea',
    article: 'parcel · netArea',
    title: { fa: 'مساحت خالص عرصه (پس از تعریض)', en: 'Net plot area (after street widening)' },
    formula: { fa: `${fmtFa(netArea)} متر مربع`, en: `${fmt(netArea)} m²` },
    value: netArea,
    unit: 'm2',
  });

  // approved density of the last permit
  let approved: ApprovedDensity | null = null;
  if (input.lastPermit) {
    const p = input.lastPermit;
    const grossCenti = toCenti(p.grossArea);
    const plotCenti = toCenti(p.plotArea);
    const densityPercent = Math.round((grossCenti * 10_000) / plotCenti) / 100;
    approved = {
      densityPercent,
      grossArea: centiToM2(grossCenti),
      plotArea: centiToM2(plotCenti),
      floors: p.floors ?? null,
      jalaliYear: p.jalaliYear ?? null,
      number: p.number ?? null,
    };
    line({
      key: 'density.approved',
      article: `permit${p.number ? ` ${p.number}` : ''}${p.jalaliYear ? ` (${p.jalaliYear})` : ''}`,
      title: { fa: 'تراکم مصوب (آخرین پروانه)', en: 'Approved density (last permit)' },
      formula: {
        fa: `${fmtFa(approved.grossArea)} ÷ ${fmtFa(approved.plotArea)} × ۱۰۰ = ${fmtFa(densityPercent)}٪`,
        en: `${fmt(approved.grossArea)} ÷ ${fmt(approved.plotArea)} × 100 = ${fmt(densityPercent)}%`,
      },
      value: densityPercent,
      unit: 'percent',
    });
  }

  // base, band, allowed, maximum
  const base = zone.baseDensityPercent;
  const max = zone.maxDensityPercent;
  line({
    key: 'density.base',
    article: zoneArticle(ref, 'baseDensityPercent'),
    title: { fa: 'تراکم پایه پهنه', en: 'Base density of the zone' },
    formula: { fa: `${fmtFa(base)}٪`, en: `${fmt(base)}%` },
    value: base,
    unit: 'percent',
  });
  const matched = matchZoneBand(zone, netCenti, road);
  const raw = matched ? matched.band.densityPercent : base;
  const allowed = Math.min(max, raw);
  if (matched) {
    const b = matched.band;
    const areaRange = `[${fmt(b.minPlotArea)}, ${b.maxPlotArea === null ? '∞' : fmt(b.maxPlotArea)})`;
    const roadRange = `[${fmt(b.minRoadWidth)}, ${b.maxRoadWidth === null ? '∞' : fmt(b.maxRoadWidth)})`;
    const areaRangeFa = `[${fmtFa(b.minPlotArea)}، ${b.maxPlotArea === null ? '∞' : fmtFa(b.maxPlotArea)})`;
    const roadRangeFa = `[${fmtFa(b.minRoadWidth)}، ${b.maxRoadWidth === null ? '∞' : fmtFa(b.maxRoadWidth)})`;
    line({
      key: 'density.band',
      article: zoneArticle(ref, `bands.${matched.index}`),
      title: { fa: 'بازه تراکم بر حسب مساحت عرصه و عرض معبر', en: 'Density band by plot area and access-road width' },
      formula: {
        fa: `مساحت ${fmtFa(netArea)} در بازه ${areaRangeFa} متر مربع و عرض معبر ${fmtFa(road)} در بازه ${roadRangeFa} متر → ${fmtFa(b.densityPercent)}٪`,
        en: `area ${fmt(netArea)} in ${areaRange} m² and road ${fmt(road)} in ${roadRange} m → ${fmt(b.densityPercent)}%`,
      },
      value: b.densityPercent,
      unit: 'percent',
    });
  } else {
    line({
      key: 'density.band',
      article: zoneArticle(ref, 'bands'),
      title: { fa: 'بازه تراکم بر حسب مساحت عرصه و عرض معبر', en: 'Density band by plot area and access-road width' },
      formula: {
        fa: `هیچ بازه‌ای شامل مساحت ${fmtFa(netArea)} و عرض معبر ${fmtFa(road)} نیست؛ تراکم پایه اعمال می‌شود`,
        en: `no band contains area ${fmt(netArea)} and road ${fmt(road)}; the base density applies`,
      },
      value: base,
      unit: 'percent',
    });
  }
  line({
    key: 'density.allowed',
    article: zoneArticle(ref, 'maxDensityPercent'),
    title: { fa: 'تراکم مجاز', en: 'Allowed density' },
    formula: { fa: `کمینه(${fmtFa(raw)}٪، ${fmtFa(max)}٪) = ${fmtFa(allowed)}٪`, en: `min(${fmt(raw)}%, ${fmt(max)}%) = ${fmt(allowed)}%` },
    value: allowed,
    unit: 'percent',
  });
  line({
    key: 'density.max',
    article: zoneArticle(ref, 'maxDensityPercent'),
    title: { fa: 'حداکثر تراکم (با خرید تراکم)', en: 'Maximum density (with density purchase)' },
    formula: { fa: `${fmtFa(max)}٪`, en: `${fmt(max)}%` },
    value: max,
    unit: 'percent',
  });

  // areas
  const occ = zone.maxOccupancyPercent;
  const areaLine = (key: string, rule: string, title: BreakdownLine['title'], pct: number) => {
    const centi = percentOfCenti(netCenti, pct);
    line({
      key,
      article: zoneArticle(ref, rule),
      title,
      formula: {
        fa: `${fmtFa(netArea)} × ${fmtFa(pct)}٪ = ${fmtFa(centiToM2(centi))} متر مربع`,
        en: `${fmt(netArea)} × ${fmt(pct)}% = ${fmt(centiToM2(centi))} m²`,
      },
      value: centiToM2(centi),
      unit: 'm2',
    });
    return centiToM2(centi);
  };
  const footprintArea = areaLine('area.footprint', 'maxOccupancyPercent', { fa: 'سطح اشغال', en: 'Footprint (occupancy)' }, occ);
  const baseGrossArea = areaLine('area.base', 'baseDensityPercent', { fa: 'زیربنای مجاز با تراکم پایه', en: 'Gross area at base density' }, base);
  const allowedGrossArea = areaLine('area.allowed', 'bands', { fa: 'زیربنای مجاز', en: 'Allowed gross area' }, allowed);
  const maxGrossArea = areaLine('area.max', 'maxDensityPercent', { fa: 'حداکثر زیربنا', en: 'Maximum gross area' }, max);

  // floors
  const byDensity = floorsFor(allowed, occ);
  const maxFloors = Math.min(zone.maxFloors, byDensity);
  line({
    key: 'floors.max',
    article: zoneArticle(ref, 'maxFloors'),
    title: { fa: 'حداکثر تعداد طبقات', en: 'Maximum number of floors' },
    formula: {
      fa: `کمینه(${fmtFa(zone.maxFloors)}، کف(${fmtFa(allowed)} ÷ ${fmtFa(occ)})) = کمینه(${fmtFa(zone.maxFloors)}، ${fmtFa(byDensity)}) = ${fmtFa(maxFloors)}`,
      en: `min(${zone.maxFloors}, floor(${fmt(allowed)} ÷ ${fmt(occ)})) = min(${zone.maxFloors}, ${byDensity}) = ${maxFloors}`,
    },
    value: maxFloors,
    unit: 'floors',
  });
  const byMax = floorsFor(max, occ);
  const maxFloorsAtMaxDensity = Math.min(zone.maxFloors, byMax);
  line({
    key: 'floors.maxAtMaxDensity',
    article: zoneArticle(ref, 'maxFloors'),
    title: { fa: 'حداکثر طبقات با حداکثر تراکم', en: 'Maximum floors at maximum density' },
    formula: {
      fa: `کمینه(${fmtFa(zone.maxFloors)}، کف(${fmtFa(max)} ÷ ${fmtFa(occ)})) = ${fmtFa(maxFloorsAtMaxDensity)}`,
      en: `min(${zone.maxFloors}, floor(${fmt(max)} ÷ ${fmt(occ)})) = ${maxFloorsAtMaxDensity}`,
    },
    value: maxFloorsAtMaxDensity,
    unit: 'floors',
  });

  // minimum plot and setbacks
  const belowMinPlotArea = netCenti < toCenti(zone.minPlotArea);
  line({
    key: 'plot.min',
    article: zoneArticle(ref, 'minPlotArea'),
    title: { fa: 'حداقل مساحت قطعه (تفکیک)', en: 'Minimum plot area' },
    formula: belowMinPlotArea
      ? {
          fa: `${fmtFa(netArea)} < ${fmtFa(zone.minPlotArea)} متر مربع: کمتر از حد نصاب تفکیک`,
          en: `${fmt(netArea)} < ${fmt(zone.minPlotArea)} m²: below the minimum plot area`,
        }
      : { fa: `${fmtFa(netArea)} ≥ ${fmtFa(zone.minPlotArea)} متر مربع`, en: `${fmt(netArea)} ≥ ${fmt(zone.minPlotArea)} m²` },
    value: zone.minPlotArea,
    unit: 'm2',
  });
  const s = zone.setbacks;
  for (const side of ['front', 'back', 'side'] as const) {
    const fa = { front: 'عقب‌نشینی جلو', back: 'عقب‌نشینی عقب (حیاط)', side: 'فاصله از بَر جانبی' }[side];
    line({
      key: `setback.${side}`,
      article: zoneArticle(ref, `setbacks.${side}`),
      title: { fa, en: `Setback (${side})` },
      formula: { fa: `${fmtFa(s[side])} متر`, en: `${fmt(s[side])} m` },
      value: s[side],
      unit: 'm',
    });
  }

  // parking
  const units = input.units ?? 0;
  const commercialArea = centiToM2(toCenti(input.commercialArea ?? 0));
  const pk = parkingRequired(zone, units, commercialArea);
  const pr = zone.parkingRule;
  line({
    key: 'parking.required',
    article: zoneArticle(ref, 'parkingRule'),
    title: { fa: 'تعداد پارکینگ لازم', en: 'Parking spaces required' },
    formula: {
      fa: `سقف(${fmtFa(units)} × ${fmtFa(pr.perUnit)}) + ${pr.perCommercialM2 > 0 ? `سقف(${fmtFa(commercialArea)} ÷ ${fmtFa(pr.perCommercialM2)})` : '۰'} = ${fmtFa(pk.forUnits)} + ${fmtFa(pk.forCommercial)} = ${fmtFa(pk.total)}`,
      en: `ceil(${units} × ${fmt(pr.perUnit)}) + ${pr.perCommercialM2 > 0 ? `ceil(${fmt(commercialArea)} ÷ ${fmt(pr.perCommercialM2)})` : '0'} = ${pk.forUnits} + ${pk.forCommercial} = ${pk.total}`,
    },
    value: pk.total,
    unit: 'spaces',
  });

  return {
    netArea,
    accessRoadWidth: road,
    approved,
    baseDensityPercent: base,
    band: matched ? { ...matched.band, index: matched.index } : null,
    allowedDensityPercent: allowed,
    maxDensityPercent: max,
    occupancyPercent: occ,
    footprintArea,
    baseGrossArea,
    allowedGrossArea,
    maxGrossArea,
    maxFloors,
    maxFloorsAtMaxDensity,
    minPlotArea: zone.minPlotArea,
    belowMinPlotArea,
    setbacks: { ...s },
    parking: { units, commercialArea, forUnits: pk.forUnits, forCommercial: pk.forCommercial, requiredSpaces: pk.total },
    breakdown: lines,
  };
}
