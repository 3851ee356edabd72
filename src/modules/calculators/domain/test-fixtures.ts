/**
 * Fixtures of the calculators' unit specs (not exported from the domain index): a zone
 * shaped like the demo city's R-2 and a small tariff book with round numbers so the
 * expected amounts can be computed by hand.
 */
import type { TariffTables } from './tariffs';
import type { ZoneRulesInput } from './types';

/**
 * Like demo R-2: occupancy 60 %, base 180 %, max 300 %, 5 floors, min plot 150 m².
 * Bands: plot area [0,200) [200,300) [300,500) [500,∞) × road [0,12) [12,20) [20,∞);
 * density = min(300, 180 + 20·areaBand + 40·roadBand).
 */
export function zoneR2(overrides: Partial<ZoneRulesInput> = {}): ZoneRulesInput {
  return {
    allowedUses: ['residential', 'office', 'educational', 'health', 'green'],
    maxOccupancyPercent: 60,
    baseDensityPercent: 180,
    maxDensityPercent: 300,
    maxFloors: 5,
    minPlotArea: 150,
    setbacks: { front: 0, back: 4, side: 0 },
    bands: [
      { minPlotArea: 0, maxPlotArea: 200, minRoadWidth: 0, maxRoadWidth: 12, densityPercent: 180 },
      { minPlotArea: 0, maxPlotArea: 200, minRoadWidth: 12, maxRoadWidth: 20, densityPercent: 220 },
      { minPlotArea: 0, maxPlotArea: 200, minRoadWidth: 20, maxRoadWidth: null, densityPercent: 260 },
      { minPlotArea: 200, maxPlotArea: 300, minRoadWidth: 0, maxRoadWidth: 12, densityPercent: 200 },
      { minPlotArea: 200, maxPlotArea: 300, minRoadWidth: 12, maxRoadWidth: 20, densityPercent: 240 },
      { minPlotArea: 200, maxPlotArea: 300, minRoadWidth: 20, maxRoadWidth: null, densityPercent: 280 },
      { minPlotArea: 300, maxPlotArea: 500, minRoadWidth: 0, maxRoadWidth: 12, densityPercent: 220 },
      { minPlotArea: 300, maxPlotArea: 500, minRoadWidth: 12, maxRoadWidth: 20, densityPercent: 260 },
      { minPlotArea: 300, maxPlotArea: 500, minRoadWidth: 20, maxRoadWidth: null, densityPercent: 300 },
      { minPlotArea: 500, maxPlotArea: null, minRoadWidth: 0, maxRoadWidth: 12, densityPercent: 240 },
      { minPlotArea: 500, maxPlotArea: null, minRoadWidth: 12, maxRoadWidth: 20, densityPercent: 280 },
      { minPlotArea: 500, maxPlotArea: null, minRoadWidth: 20, maxRoadWidth: null, densityPercent: 300 },
    ],
    parkingRule: { perUnit: 1, perCommercialM2: 75 },
    ...overrides,
  };
}

/** Round-number tables (year 1404) for hand-computed expectations. */
export function testTariffs(): TariffTables {
  return {
    jalaliYear: 1404,
    title: { fa: 'تعرفه آزمایشی ۱۴۰۴', en: 'Test tariff 1404' },
    densityFee: {
      article: 'ماده ۸',
      title: { fa: 'عوارض صدور تراکم', en: 'Density-issuance fee' },
      byUse: {
        residential: [
          { from: 0, to: 30, rate: 1 },
          { from: 30, to: 60, rate: 1.5 },
          { from: 60, to: null, rate: 2 },
        ],
        commercial: [{ from: 0, to: null, rate: 3 }],
        office: [{ from: 0, to: null, rate: 2 }],
        mixed: [{ from: 0, to: null, rate: 2 }],
        educational: [{ from: 0, to: null, rate: 0.5 }],
        health: [{ from: 0, to: null, rate: 0.5 }],
        green: [{ from: 0, to: null, rate: 0.5 }],
      },
    },
    permitFees: [
      {
        key: 'area',
        article: 'ماده ۳',
        title: { fa: 'عوارض پروانه (زیربنا)', en: 'Permit fee (area)' },
        basis: 'regionalValue',
        byUse: {
          residential: [
            { from: 0, to: 200, rate: 0.1 },
            { from: 200, to: null, rate: 0.2 },
          ],
          office: [{ from: 0, to: null, rate: 0.25 }],
          educational: [{ from: 0, to: null, rate: 0.05 }],
        },
      },
      {
        key: 'service',
        article: 'ماده ۲۱',
        title: { fa: 'بهای خدمات', en: 'Service charge' },
        basis: 'rialsPerM2',
        byUse: {
          residential: [{ from: 0, to: null, rate: 100_000 }],
          office: [{ from: 0, to: null, rate: 150_000 }],
        },
      },
    ],
    parkingDeficit: {
      article: 'ماده ۱۴',
      title: { fa: 'عوارض کسری پارکینگ', en: 'Parking-deficit fee' },
      spaceAreaM2: 25,
      coefficientByUse: { residential: 0.5, commercial: 1, office: 1, mixed: 1, educational: 0.2, health: 0.2, green: 0.2 },
    },
    floorAllowances: {
      article: 'بند ۵',
      stairsM2PerStorey: 12,
      elevatorShaftM2PerStorey: 4,
      elevatorFromStoreys: 4,
      balconyPercentOfFootprint: 10,
      roofStructureM2: 20,
      basementPercentOfNetArea: 100,
    },
  };
}

/** Runs fn and returns the DomainError it throws (fails when it does not throw). */
export function thrown(fn: () => unknown): { code: string; status: number; fieldErrors: Array<{ field: string; code: string }>; extensions: Record<string, unknown>; localized: { fa: string; en: string } } {
  try {
    fn();
  } catch (e) {
    return e as ReturnType<typeof thrown>;
  }
  throw new Error('expected an error');
}
