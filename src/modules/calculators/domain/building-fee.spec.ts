/**
 * Hand-computed expectations. Test tariff 1404 (P = 10,000,000 Rials/m² unless stated):
 * - item `area` (ماده ۳, × P): residential [0,200) 0.1, [200,∞) 0.2; office 0.25; educational 0.05
 * - item `service` (ماده ۲۱, Rials/m²): residential 100,000; office 150,000 (no entry for educational)
 * - parking deficit (ماده ۱۴): 25 m² per space × P × coefficient (residential 0.5, office 1)
 * Zone R-2-like parking rule: 1 space per unit, 1 per 75 m² commercial.
 */
import { DEFAULT_TARIFFS_1405 } from './default-tariffs';
import { buildingFee, BuildingFeeInput } from './building-fee';
import { testTariffs, thrown, zoneR2 } from './test-fixtures';

const run = (over: Partial<BuildingFeeInput>) =>
  buildingFee({ grossArea: 150, use: 'residential', regionalValue: 10_000_000, zone: zoneR2(), zoneRef: { code: 'R-2' }, tariffs: testTariffs(), ...over });

describe('buildingFee', () => {
  it('150 m² residential, 1 unit with 1 space: 150,000,000 + 15,000,000 = 165,000,000', () => {
    // area 150 × 10M × 0.1 = 150,000,000; service 150 × 100,000 = 15,000,000; deficit 1 − 1 = 0
    const r = run({ units: 1, parkingProvided: 1 });
    expect(r.items.map((i) => [i.key, i.amount.rials])).toEqual([
      ['area', 150_000_000],
      ['service', 15_000_000],
    ]);
    expect(r.parking).toMatchObject({ required: 1, provided: 1, deficit: 0 });
    expect(r.parking.fee.rials).toBe(0);
    expect(r.total.rials).toBe(165_000_000);
    expect(r.total.words).toBe('صد و شصت و پنج میلیون');
  });

  it('exactly 200 m² (band edge): one slice, 200 × 10M × 0.1 = 200,000,000 + 20,000,000 = 220,000,000', () => {
    const r = run({ grossArea: 200 });
    expect(r.items[0].lines).toHaveLength(1);
    expect(r.total.rials).toBe(220_000_000);
  });

  it('350 m²: 200 × 10M × 0.1 + 150 × 10M × 0.2 = 200M + 300M; service 35M → 535,000,000', () => {
    const r = run({ grossArea: 350 });
    expect(r.items[0].lines.map((l) => [l.from, l.to, l.area, l.rate, l.amount.rials])).toEqual([
      [0, 200, 200, 0.1, 200_000_000],
      [200, null, 150, 0.2, 300_000_000],
    ]);
    expect(r.total.rials).toBe(535_000_000);
    const line = r.breakdown.find((l) => l.key === 'item.area.1');
    expect(line).toMatchObject({ tariffYear: 1404, article: 'ماده ۳ · residential · band 2', value: 300_000_000 });
    expect(line?.formula.en).toBe('floor(150 × 10,000,000 × 0.2) = 300,000,000 Rials');
  });

  it('parking deficit: 4 units, 1 space → 3 × (10M × 0.5 × 25 = 125,000,000) = 375,000,000; total 910,000,000', () => {
    const r = run({ grossArea: 350, units: 4, parkingProvided: 1 });
    expect(r.parking).toMatchObject({ required: 4, provided: 1, deficit: 3, coefficient: 0.5, spaceAreaM2: 25 });
    expect(r.parking.feePerSpace.rials).toBe(125_000_000);
    expect(r.parking.fee.rials).toBe(375_000_000);
    expect(r.total.rials).toBe(910_000_000);
    expect(r.breakdown.find((l) => l.key === 'parking.fee')?.formula.en).toBe('3 × 125,000,000 = 375,000,000 Rials');
  });

  it('more spaces than required → no deficit (never negative)', () => {
    const r = run({ units: 2, parkingProvided: 5 });
    expect(r.parking.deficit).toBe(0);
    expect(r.total.rials).toBe(165_000_000);
  });

  it('office 100 m² with 160 m² commercial parking need: 250M + 15M + 3 × 250M = 1,015,000,000', () => {
    // area 100 × 10M × 0.25 = 250,000,000; service 100 × 150,000 = 15,000,000
    // required ceil(160 / 75) = 3; per space 10M × 1 × 25 = 250,000,000 → 750,000,000
    const r = run({ use: 'office', grossArea: 100, commercialArea: 160 });
    expect(r.parking.required).toBe(3);
    expect(r.total.rials).toBe(1_015_000_000);
  });

  it('an item without an entry for the use is skipped: educational 500 m² → only area, 500 × 10M × 0.05 = 250,000,000', () => {
    const r = run({ use: 'educational', grossArea: 500 });
    expect(r.items.map((i) => i.key)).toEqual(['area']);
    expect(r.total.rials).toBe(250_000_000);
  });

  it('a use no permit item covers → CALC_TARIFF_NOT_DEFINED', () => {
    const e = thrown(() => run({ use: 'green' }));
    expect(e.code).toBe('CALC_TARIFF_NOT_DEFINED');
    expect(e.status).toBe(422);
  });

  it('fractions are floored per line: 0.37 m² at 12,345,678 → 456,790 + 37,000 = 493,790', () => {
    // area 37 centi-m² × 12,345,678 × 0.1 = 456,790.086 → 456,790; service 0.37 × 100,000 = 37,000
    const r = run({ grossArea: 0.37, regionalValue: 12_345_678 });
    expect(r.items.map((i) => i.amount.rials)).toEqual([456_790, 37_000]);
    expect(r.total.rials).toBe(493_790);
  });

  it('the 1405 demo tariff: 1,073 m² residential, 4 units, 3 spaces, P 18,500,000 → 2,367,620,000', () => {
    // ماده ۳: 200 × 18.5M × 0.06 = 222,000,000; 200 × 0.08 = 296,000,000; 400 × 0.1 = 740,000,000;
    //         273 × 18.5M × 0.12 = 606,060,000 → 1,864,060,000
    // ماده ۲۱: 1073 × 120,000 = 128,760,000
    // ماده ۲۲: 500 × 80,000 + 573 × 100,000 = 40,000,000 + 57,300,000 = 97,300,000
    // ماده ۱۴: 1 × 18.5M × 0.6 × 25 = 277,500,000
    // total 1,864,060,000 + 128,760,000 + 97,300,000 + 277,500,000 = 2,367,620,000
    const r = run({ grossArea: 1073, regionalValue: 18_500_000, units: 4, parkingProvided: 3, tariffs: DEFAULT_TARIFFS_1405 });
    expect(r.items.map((i) => i.amount.rials)).toEqual([1_864_060_000, 128_760_000, 97_300_000]);
    expect(r.parking.fee.rials).toBe(277_500_000);
    expect(r.total.rials).toBe(2_367_620_000);
    expect(r.total.words).toBe('دو میلیارد و سیصد و شصت و هفت میلیون و ششصد و بیست هزار');
    expect(r.breakdown.filter((l) => l.unit === 'rial').every((l) => l.tariffYear === 1405 && l.amountWords)).toBe(true);
  });

  it('a use the zone does not allow → CALC_USE_NOT_ALLOWED', () => {
    expect(thrown(() => run({ use: 'commercial' })).code).toBe('CALC_USE_NOT_ALLOWED');
  });

  it.each([
    ['grossArea', 0, 'NOT_POSITIVE'],
    ['grossArea', -5, 'NOT_POSITIVE'],
    ['grossArea', NaN, 'NOT_A_NUMBER'],
    ['grossArea', -Infinity, 'NOT_A_NUMBER'],
    ['grossArea', 2e7, 'TOO_LARGE'],
    ['regionalValue', -1, 'NOT_POSITIVE'],
    ['units', 1.5, 'NOT_INTEGER'],
    ['parkingProvided', -1, 'NEGATIVE'],
    ['commercialArea', -10, 'NEGATIVE'],
  ])('%s = %p → CALC_INPUT_INVALID (%s)', (field, value, code) => {
    const e = thrown(() => run({ [field]: value }));
    expect(e.code).toBe('CALC_INPUT_INVALID');
    expect(e.fieldErrors).toEqual([expect.objectContaining({ field, code })]);
  });
});
