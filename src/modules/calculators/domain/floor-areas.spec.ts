/**
 * Hand-computed expectations. Zone R-2-like: occupancy 60 %, base 180 %, max 300 %, 5 floors.
 * Test allowances (1404): stairs 12 m²/storey, elevator shaft 4 m²/storey from 4 storeys
 * above ground (pilotis included), balconies 10 % of the footprint on upper floors, roof
 * structure 20 m², basement 100 % of the net area.
 */
import { floorAreas, FloorAreasInput } from './floor-areas';
import { testTariffs, thrown, zoneR2 } from './test-fixtures';

const run = (over: Partial<FloorAreasInput>) =>
  floorAreas({ netArea: 200, zone: zoneR2(), zoneRef: { code: 'R-2' }, floors: 3, tariffs: testTariffs(), ...over });

describe('floorAreas', () => {
  it('200 m², 3 floors, no elevator (3 < 4 storeys)', () => {
    // footprint 200 × 60 % = 120; balcony 120 × 10 % = 12
    // ground 120 (density 120 − 12 = 108); floors 1, 2: 132 (density 132 − 12 = 120); roof 20
    // gross 120 + 132 + 132 + 20 = 404; density 108 + 120 + 120 = 348 → 348 / 200 = 174 %
    const r = run({});
    expect(r.elevatorRequired).toBe(false);
    expect(r.storeys.map((s) => [s.level, s.kind, s.grossArea, s.densityArea])).toEqual([
      [0, 'ground', 120, 108],
      [1, 'upper', 132, 120],
      [2, 'upper', 132, 120],
      [3, 'roof', 20, 0],
    ]);
    expect(r.totals).toEqual({ grossArea: 404, densityArea: 348, excludedArea: 56 });
    expect(r.densityPercent).toBe(174);
    expect(r.densityAreaAboveBase).toBe(0); // 348 < 200 × 180 % = 360
    expect(r.tariffYear).toBe(1404);
    expect(r.breakdown.find((l) => l.key === 'total.density')?.formula.en).toBe('348 ÷ 200 × 100 = 174% (max 300%)');
  });

  it('250 m², basement + pilotis + 4 floors: elevator required (5 storeys above ground)', () => {
    // footprint 150, balcony 15; basement 250; pilotis 150; floors 1..4: 165, density 165 − 12 − 4 = 149; roof 20
    // gross 250 + 150 + 4 × 165 + 20 = 1080; density 4 × 149 = 596 → 596 / 250 = 238.4 %
    // above base: 596 − 250 × 180 % (450) = 146
    const r = run({ netArea: 250, floors: 4, pilotis: true, basements: 1 });
    expect(r.elevatorRequired).toBe(true);
    expect(r.storeys.map((s) => [s.level, s.kind, s.grossArea, s.stairs, s.elevatorShaft, s.densityArea])).toEqual([
      [-1, 'basement', 250, 0, 0, 0],
      [0, 'parking', 150, 0, 0, 0],
      [1, 'upper', 165, 12, 4, 149],
      [2, 'upper', 165, 12, 4, 149],
      [3, 'upper', 165, 12, 4, 149],
      [4, 'upper', 165, 12, 4, 149],
      [5, 'roof', 20, 0, 0, 0],
    ]);
    expect(r.totals).toEqual({ grossArea: 1080, densityArea: 596, excludedArea: 484 });
    expect(r.densityPercent).toBe(238.4);
    expect(r.densityAreaAboveBase).toBe(146);
  });

  it('elevator threshold exactly: 4 floors without pilotis → elevator', () => {
    // 200 m²: ground 120 − 16 = 104; floors 1..3: 132 − 16 = 116 → density 104 + 3 × 116 = 452 → 226 %
    const r = run({ floors: 4 });
    expect(r.elevatorRequired).toBe(true);
    expect(r.totals.densityArea).toBe(452);
    expect(r.densityPercent).toBe(226);
  });

  it('a parcel in a widening plan uses its net area: 300 m² less 50 m² = 250 m², 2 floors', () => {
    // footprint 250 × 60 % = 150, balcony 15; ground 150 (− 12 = 138); floor 1: 165 (− 12 = 153); roof 20
    // gross 150 + 165 + 20 = 335; density 291 → 291 / 250 = 116.4 %
    const r = run({ netArea: 250, floors: 2 });
    expect(r.totals).toEqual({ grossArea: 335, densityArea: 291, excludedArea: 44 });
    expect(r.densityPercent).toBe(116.4);
  });

  it('lower occupancy 50 %: 200 m², 2 floors', () => {
    // footprint 100, balcony 10; ground 100 − 12 = 88; floor 1: 110 − 12 = 98; roof 20 → gross 230, density 186 → 93 %
    const r = run({ occupancyPercent: 50, floors: 2 });
    expect(r.totals).toEqual({ grossArea: 230, densityArea: 186, excludedArea: 44 });
    expect(r.densityPercent).toBe(93);
  });

  it('without a roof structure: 404 − 20 = 384', () => {
    expect(run({ roofStructure: false }).totals.grossArea).toBe(384);
  });

  it('decimal net area 187.35 m²: areas to 0.01 m²', () => {
    // footprint 187.35 × 60 % = 112.41; balcony 112.41 × 10 % = 11.241 → 11.24
    // ground 112.41 − 12 = 100.41; floor 1: 123.65 − 12 = 111.65; roof 20
    // gross 112.41 + 123.65 + 20 = 256.06; density 212.06 → 212.06 / 187.35 = 113.1892… → 113.19 %
    const r = run({ netArea: 187.35, floors: 2 });
    expect(r.storeys[1]).toMatchObject({ footprint: 112.41, balcony: 11.24, grossArea: 123.65, densityArea: 111.65 });
    expect(r.totals).toEqual({ grossArea: 256.06, densityArea: 212.06, excludedArea: 44 });
    expect(r.densityPercent).toBe(113.19);
  });

  it('a tiny plot: the stairwell takes the whole footprint, density never negative', () => {
    // 10 m² × 60 % = 6; stairs min(12, 6) = 6 → density 0; gross 6 + 20 = 26
    const r = run({ netArea: 10, floors: 1 });
    expect(r.storeys[0]).toMatchObject({ grossArea: 6, stairs: 6, densityArea: 0 });
    expect(r.totals).toEqual({ grossArea: 26, densityArea: 0, excludedArea: 26 });
  });

  it('density exactly at the maximum is allowed; 0.01 % below it is refused', () => {
    // layout density 348 m² on 200 m² = 174 %
    expect(run({ zone: zoneR2({ baseDensityPercent: 150, maxDensityPercent: 174 }) }).densityPercent).toBe(174);
    // 200 × 173.99 % = 347.98 < 348
    const e = thrown(() => run({ zone: zoneR2({ baseDensityPercent: 150, maxDensityPercent: 173.99 }) }));
    expect(e.code).toBe('CALC_LAYOUT_EXCEEDS_RULES');
    expect(e.extensions.violations).toEqual([{ rule: 'maxDensityPercent', limit: 173.99, requested: 174 }]);
  });

  it('5 floors (the maximum) but density 284 % above a 250 % maximum → maxDensityPercent', () => {
    // ground 120 − 16 = 104; floors 1..4: 132 − 16 = 116 → 104 + 464 = 568 → 284 %
    const e = thrown(() => run({ floors: 5, zone: zoneR2({ maxDensityPercent: 250 }) }));
    expect(e.status).toBe(422);
    expect(e.extensions.rule).toBe('maxDensityPercent');
    expect(e.extensions.violations).toEqual([{ rule: 'maxDensityPercent', limit: 250, requested: 284 }]);
    expect(e.localized.en).toBe('The requested layout exceeds the zone rules: density 284% exceeds the maximum density 250%.');
  });

  it('6 floors on 250 m² → maxFloors and maxDensityPercent, both named', () => {
    // ground 150 − 16 = 134; floors 1..5: 165 − 16 = 149 → 134 + 745 = 879 → 351.6 % > 300 %
    const e = thrown(() => run({ netArea: 250, floors: 6 }));
    expect(e.code).toBe('CALC_LAYOUT_EXCEEDS_RULES');
    expect(e.extensions.violations).toEqual([
      { rule: 'maxFloors', limit: 5, requested: 6 },
      { rule: 'maxDensityPercent', limit: 300, requested: 351.6 },
    ]);
    expect(e.fieldErrors.map((f) => [f.field, f.code])).toEqual([
      ['floors', 'maxFloors'],
      ['floors', 'maxDensityPercent'],
    ]);
    expect(e.localized.fa).toContain('تعداد طبقات ۶ از حداکثر ۵ طبقه بیشتر است');
  });

  it('occupancy 70 % above the zone’s 60 % → maxOccupancyPercent', () => {
    const e = thrown(() => run({ occupancyPercent: 70, floors: 1 }));
    expect(e.extensions.violations).toEqual([{ rule: 'maxOccupancyPercent', limit: 60, requested: 70 }]);
    expect(e.fieldErrors[0].field).toBe('occupancyPercent');
  });

  it.each([
    ['floors', 0, 'NOT_POSITIVE'],
    ['floors', 2.5, 'NOT_INTEGER'],
    ['floors', 1000, 'TOO_LARGE'],
    ['basements', -1, 'NEGATIVE'],
    ['netArea', NaN, 'NOT_A_NUMBER'],
    ['netArea', -200, 'NOT_POSITIVE'],
    ['occupancyPercent', 0, 'NOT_POSITIVE'],
    ['occupancyPercent', 120, 'TOO_LARGE'],
  ])('%s = %p → CALC_INPUT_INVALID (%s)', (field, value, code) => {
    const e = thrown(() => run({ [field]: value }));
    expect(e.code).toBe('CALC_INPUT_INVALID');
    expect(e.fieldErrors).toEqual([expect.objectContaining({ field, code })]);
  });

  it('invalid tariff tables → TARIFF_TABLES_INVALID', () => {
    const t = testTariffs();
    t.floorAllowances.stairsM2PerStorey = -1;
    const e = thrown(() => run({ tariffs: t }));
    expect(e.code).toBe('TARIFF_TABLES_INVALID');
    expect(e.fieldErrors).toEqual([expect.objectContaining({ field: 'floorAllowances.stairsM2PerStorey', code: 'NEGATIVE' })]);
  });

  it('reports the allowed band density when the road width is given', () => {
    // 200 m² on a 14 m road → [200,300)×[12,20) = 240 %
    expect(run({ accessRoadWidth: 14 }).allowedDensityPercent).toBe(240);
    expect(run({}).allowedDensityPercent).toBeNull();
  });
});
