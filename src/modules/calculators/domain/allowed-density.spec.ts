/**
 * Hand-computed expectations. Zone R-2-like (test-fixtures): occupancy 60 %, base 180 %,
 * max 300 %, max 5 floors, min plot 150 m², parking 1 per unit + 1 per 75 m² commercial.
 * Band densities (area band × road band [0,12) [12,20) [20,∞)):
 *   [0,200): 180 220 260 · [200,300): 200 240 280 · [300,500): 220 260 300 · [500,∞): 240 280 300
 */
import type { ZoneRules } from '../../properties/entities/zone.entity';
import { allowedDensity, AllowedDensityInput } from './allowed-density';
import { thrown, zoneR2 } from './test-fixtures';
import { ZoneRulesInput } from './types';

const run = (over: Partial<AllowedDensityInput>) => allowedDensity({ netArea: 250, accessRoadWidth: 14, zone: zoneR2(), zoneRef: { code: 'R-2' }, ...over });

describe('allowedDensity', () => {
  it('stored ZoneRules are accepted as input (same shape)', () => {
    const stored: ZoneRules = zoneR2();
    const input: ZoneRulesInput = stored;
    expect(input.maxFloors).toBe(5);
  });

  it('250 m² on a 14 m road: band [200,300)×[12,20) → 240 %', () => {
    const r = run({});
    // footprint 250 × 60 % = 150; base 250 × 180 % = 450; allowed 250 × 240 % = 600; max 250 × 300 % = 750
    // floors min(5, floor(240 / 60) = 4) = 4; at max density min(5, floor(300 / 60) = 5) = 5
    expect(r).toMatchObject({
      netArea: 250,
      baseDensityPercent: 180,
      allowedDensityPercent: 240,
      maxDensityPercent: 300,
      footprintArea: 150,
      baseGrossArea: 450,
      allowedGrossArea: 600,
      maxGrossArea: 750,
      maxFloors: 4,
      maxFloorsAtMaxDensity: 5,
      belowMinPlotArea: false,
      setbacks: { front: 0, back: 4, side: 0 },
      approved: null,
    });
    expect(r.band).toMatchObject({ index: 4, densityPercent: 240 });
    const floors = r.breakdown.find((l) => l.key === 'floors.max');
    expect(floors?.formula.en).toBe('min(5, floor(240 ÷ 60)) = min(5, 4) = 4');
    expect(floors?.formula.fa).toBe('کمینه(۵، کف(۲۴۰ ÷ ۶۰)) = کمینه(۵، ۴) = ۴');
    expect(floors?.article).toBe('R-2 · maxFloors');
    expect(r.breakdown.every((l) => l.title.fa && l.title.en && l.formula.fa && l.formula.en && l.tariffYear === null)).toBe(true);
  });

  it('a parcel in a widening plan uses its NET area: 320 m² less 30 m² = 290 m² → band [200,300)', () => {
    // net 290 on a 10 m road → band [200,300)×[0,12) = 200 % (the gross 320 would give 220 %)
    // allowed area 290 × 200 % = 580; floors min(5, floor(200 / 60) = 3) = 3
    const r = run({ netArea: 290, accessRoadWidth: 10 });
    expect(r.allowedDensityPercent).toBe(200);
    expect(r.allowedGrossArea).toBe(580);
    expect(r.maxFloors).toBe(3);
    expect(run({ netArea: 320, accessRoadWidth: 10 }).allowedDensityPercent).toBe(220);
  });

  it('band edges are inclusive below: exactly 300 m² and a 12 m road → [300,500)×[12,20) = 260 %', () => {
    // floors floor(260 / 60) = 4; allowed 300 × 260 % = 780
    const r = run({ netArea: 300, accessRoadWidth: 12 });
    expect(r.allowedDensityPercent).toBe(260);
    expect(r.allowedGrossArea).toBe(780);
    expect(r.maxFloors).toBe(4);
  });

  it('band edges are exclusive above: 299.99 m² and an 11.99 m road → [200,300)×[0,12) = 200 %', () => {
    // allowed 299.99 × 200 % = 599.98; footprint 299.99 × 60 % = 179.994 → 179.99
    const r = run({ netArea: 299.99, accessRoadWidth: 11.99 });
    expect(r.allowedDensityPercent).toBe(200);
    expect(r.allowedGrossArea).toBe(599.98);
    expect(r.footprintArea).toBe(179.99);
  });

  it('a band above the maximum density is capped at the maximum', () => {
    const zone = zoneR2({ bands: [{ minPlotArea: 0, maxPlotArea: null, minRoadWidth: 0, maxRoadWidth: null, densityPercent: 350 }] });
    // min(350, 300) = 300; floors min(5, floor(300 / 60) = 5) = 5; 600 × 300 % = 1800
    const r = run({ zone, netArea: 600, accessRoadWidth: 24 });
    expect(r.allowedDensityPercent).toBe(300);
    expect(r.allowedGrossArea).toBe(1800);
    expect(r.maxFloors).toBe(5);
  });

  it('no matching band → base density', () => {
    // 180 % → floors floor(180 / 60) = 3
    const r = run({ zone: zoneR2({ bands: [] }) });
    expect(r.band).toBeNull();
    expect(r.allowedDensityPercent).toBe(180);
    expect(r.maxFloors).toBe(3);
  });

  it('the zone’s maximum floors caps floor(density / occupancy)', () => {
    // floor(240 / 60) = 4 but the zone allows 3 → 3; at max density min(3, 5) = 3
    const r = run({ zone: zoneR2({ maxFloors: 3 }) });
    expect(r.maxFloors).toBe(3);
    expect(r.maxFloorsAtMaxDensity).toBe(3);
  });

  it('a non-divisor occupancy: 200 % / 65 % = 3.07 → 3 floors; footprint 250 × 65 % = 162.5', () => {
    const r = run({ zone: zoneR2({ maxOccupancyPercent: 65, baseDensityPercent: 200, maxDensityPercent: 400, maxFloors: 6, bands: [] }) });
    expect(r.maxFloors).toBe(3);
    expect(r.footprintArea).toBe(162.5);
    // at max: floor(400 / 65) = 6.15 → 6
    expect(r.maxFloorsAtMaxDensity).toBe(6);
  });

  it('approved density of the last permit: 540 m² on 300 m² → 180 %', () => {
    const r = run({ lastPermit: { grossArea: 540, plotArea: 300, floors: 3, jalaliYear: 1389, number: '88123' } });
    expect(r.approved).toEqual({ densityPercent: 180, grossArea: 540, plotArea: 300, floors: 3, jalaliYear: 1389, number: '88123' });
    expect(r.breakdown.find((l) => l.key === 'density.approved')?.formula.en).toBe('540 ÷ 300 × 100 = 180%');
  });

  it('approved density with decimals: 333 m² on 190 m² → 175.26 %', () => {
    // 333 / 190 = 1.752631… → 175.26 %
    expect(run({ lastPermit: { grossArea: 333, plotArea: 190 } }).approved?.densityPercent).toBe(175.26);
  });

  it('below the minimum plot area is flagged: 120 m² < 150 m²', () => {
    // band [0,200)×[0,12) = 180 %
    const r = run({ netArea: 120, accessRoadWidth: 8 });
    expect(r.belowMinPlotArea).toBe(true);
    expect(r.allowedDensityPercent).toBe(180);
  });

  it('parking: 5 units + 160 m² commercial → ceil(5 × 1) + ceil(160 / 75 = 2.13) = 5 + 3 = 8', () => {
    expect(run({ units: 5, commercialArea: 160 }).parking).toEqual({ units: 5, commercialArea: 160, forUnits: 5, forCommercial: 3, requiredSpaces: 8 });
    // exactly 150 m² → 150 / 75 = 2
    expect(run({ units: 0, commercialArea: 150 }).parking.requiredSpaces).toBe(2);
    // 1.1 spaces per unit × 10 units = 11 (not 12 from float noise)
    expect(run({ units: 10, zone: zoneR2({ parkingRule: { perUnit: 1.1, perCommercialM2: 0 } }) }).parking.requiredSpaces).toBe(11);
  });

  it.each([
    ['netArea', 0, 'NOT_POSITIVE'],
    ['netArea', -10, 'NOT_POSITIVE'],
    ['netArea', NaN, 'NOT_A_NUMBER'],
    ['netArea', Infinity, 'NOT_A_NUMBER'],
    ['netArea', 2_000_000, 'TOO_LARGE'],
    ['accessRoadWidth', 0, 'NOT_POSITIVE'],
    ['accessRoadWidth', 1000, 'TOO_LARGE'],
    ['units', -1, 'NEGATIVE'],
    ['units', 1.5, 'NOT_INTEGER'],
  ])('%s = %p → CALC_INPUT_INVALID (%s)', (field, value, code) => {
    const e = thrown(() => run({ [field]: value }));
    expect(e.code).toBe('CALC_INPUT_INVALID');
    expect(e.status).toBe(400);
    expect(e.fieldErrors).toEqual([expect.objectContaining({ field, code })]);
  });

  it('reports every bad field at once', () => {
    const e = thrown(() => run({ netArea: -1, accessRoadWidth: NaN }));
    expect(e.fieldErrors.map((f) => f.field)).toEqual(['netArea', 'accessRoadWidth']);
  });

  it('a use the zone does not allow → CALC_USE_NOT_ALLOWED (422)', () => {
    const e = thrown(() => run({ use: 'commercial' }));
    expect(e.code).toBe('CALC_USE_NOT_ALLOWED');
    expect(e.status).toBe(422);
    expect(e.extensions.rule).toBe('allowedUses');
  });

  it('invalid zone rules → CALC_ZONE_RULES_INVALID naming the field', () => {
    const e = thrown(() => run({ zone: zoneR2({ maxDensityPercent: 100 }) }));
    expect(e.code).toBe('CALC_ZONE_RULES_INVALID');
    expect(e.fieldErrors).toEqual([expect.objectContaining({ field: 'zone.maxDensityPercent', code: 'BELOW_BASE' })]);
    expect(thrown(() => run({ zone: zoneR2({ maxOccupancyPercent: 0 }) })).fieldErrors[0].field).toBe('zone.maxOccupancyPercent');
  });
});
