/** Zone-rule helpers shared by the calculators: checking the rules, the density band, parking. */
import { CalculatorErrors } from '../calculators.errors';
import { InputChecks, toCenti, toMilli } from './numbers';
import { BuildingUse, ZoneBandInput, ZoneRef, ZoneRulesInput } from './types';

/** Checks the zone rules a calculation reads; throws CALC_ZONE_RULES_INVALID naming the fields. */
export function assertValidZone(zone: ZoneRulesInput): void {
  const c = new InputChecks();
  const z = (zone ?? {}) as Partial<ZoneRulesInput>;
  c.positive('zone.maxOccupancyPercent', z.maxOccupancyPercent, 100);
  c.nonNegative('zone.baseDensityPercent', z.baseDensityPercent ?? NaN, 10_000);
  c.positive('zone.maxDensityPercent', z.maxDensityPercent, 10_000);
  if (
    typeof z.baseDensityPercent === 'number' &&
    typeof z.maxDensityPercent === 'number' &&
    z.maxDensityPercent < z.baseDensityPercent
  ) {
    c.add('zone.maxDensityPercent', 'BELOW_BASE', 'حداکثر تراکم از تراکم پایه کمتر است.', 'maxDensityPercent is below baseDensityPercent.');
  }
  c.positive('zone.maxFloors', z.maxFloors, 200, true);
  c.nonNegative('zone.minPlotArea', z.minPlotArea ?? NaN, 1_000_000);
  for (const side of ['front', 'back', 'side'] as const) c.nonNegative(`zone.setbacks.${side}`, z.setbacks?.[side] ?? NaN, 1000);
  c.nonNegative('zone.parkingRule.perUnit', z.parkingRule?.perUnit ?? NaN, 100);
  c.nonNegative('zone.parkingRule.perCommercialM2', z.parkingRule?.perCommercialM2 ?? NaN, 100_000);
  if (!Array.isArray(z.bands)) c.add('zone.bands', 'REQUIRED', 'بازه‌های تراکم لازم است.', 'bands are required.');
  else z.bands.forEach((b, i) => c.nonNegative(`zone.bands.${i}.densityPercent`, b?.densityPercent ?? NaN, 10_000));
  if (!Array.isArray(z.allowedUses)) c.add('zone.allowedUses', 'REQUIRED', 'کاربری‌های مجاز لازم است.', 'allowedUses is required.');
  if (c.errors.length > 0) throw CalculatorErrors.CALC_ZONE_RULES_INVALID({ fieldErrors: c.errors });
}

/** The use must be one of the zone's allowed uses (an empty list allows every use). */
export function assertUseAllowed(zone: ZoneRulesInput, use: BuildingUse, zoneRef?: ZoneRef): void {
  if (zone.allowedUses.length > 0 && !zone.allowedUses.includes(use)) {
    throw CalculatorErrors.CALC_USE_NOT_ALLOWED({
      fieldErrors: [
        {
          field: 'use',
          code: 'USE_NOT_ALLOWED',
          message: {
            fa: `کاربری «${use}» در پهنه${zoneRef ? ` ${zoneRef.code}` : ''} مجاز نیست؛ کاربری‌های مجاز: ${zone.allowedUses.join('، ')}.`,
            en: `Use "${use}" is not allowed in zone${zoneRef ? ` ${zoneRef.code}` : ''}; allowed: ${zone.allowedUses.join(', ')}.`,
          },
        },
      ],
      extensions: { rule: 'allowedUses', allowedUses: zone.allowedUses },
    });
  }
}

/**
 * The first band whose plot-area range [min, max) contains the net area and whose
 * road-width range [min, max) contains the access-road width; null when none does.
 */
export function matchZoneBand(
  zone: ZoneRulesInput,
  netAreaCenti: number,
  roadWidth: number,
): { index: number; band: ZoneBandInput } | null {
  const roadCenti = toCenti(roadWidth);
  for (let index = 0; index < zone.bands.length; index++) {
    const b = zone.bands[index];
    const inArea = netAreaCenti >= toCenti(b.minPlotArea) && (b.maxPlotArea === null || netAreaCenti < toCenti(b.maxPlotArea));
    const inRoad = roadCenti >= toCenti(b.minRoadWidth) && (b.maxRoadWidth === null || roadCenti < toCenti(b.maxRoadWidth));
    if (inArea && inRoad) return { index, band: b };
  }
  return null;
}

/** Spaces required by the zone's parking rule: ceil(units × perUnit) + ceil(commercial m² / perCommercialM2). */
export function parkingRequired(
  zone: ZoneRulesInput,
  units: number,
  commercialArea: number,
): { forUnits: number; forCommercial: number; total: number } {
  // integer arithmetic: thousandths of a space per unit, hundredths of m²
  const forUnits = Math.ceil((units * toMilli(zone.parkingRule.perUnit)) / 1000);
  const per = toCenti(zone.parkingRule.perCommercialM2);
  const forCommercial = per > 0 ? Math.ceil(toCenti(commercialArea) / per) : 0;
  return { forUnits, forCommercial, total: forUnits + forCommercial };
}

/** `R-1 · baseDensityPercent` */
export function zoneArticle(zoneRef: ZoneRef | undefined, rule: string): string {
  return `${zoneRef?.code ?? 'zone'} · ${rule}`;
}
