/**
 * Hand-computed expectations. Zone R-2-like: base 180 %, max 300 %. Test tariff 1404,
 * residential bands (points above base → coefficient): [0,30) 1, [30,60) 1.5, [60,∞) 2;
 * office [0,∞) 2. Regional value P = 10,000,000 Rials/m² unless stated.
 * On 250 m²: base area 450, max area 750; 30 points = 75 m², so the residential slices
 * are 450–525 (×1), 525–600 (×1.5), 600–750 (×2).
 */
import { DEFAULT_TARIFFS_1405 } from './default-tariffs';
import { densityFee, DensityFeeInput } from './density-fee';
import { testTariffs, thrown, zoneR2 } from './test-fixtures';

const P = 10_000_000;
const run = (over: Partial<DensityFeeInput>) =>
  densityFee({ netArea: 250, zone: zoneR2(), zoneRef: { code: 'R-2' }, requestedGrossArea: 600, use: 'residential', regionalValue: P, tariffs: testTariffs(), ...over });

describe('densityFee', () => {
  it('requested exactly the base area (450 m²) → nothing to pay', () => {
    const r = run({ requestedGrossArea: 450 });
    expect(r.chargeableArea).toBe(0);
    expect(r.slices).toEqual([]);
    expect(r.total).toEqual({ rials: 0, words: 'صفر', formatted: '0', formattedFa: '۰' });
  });

  it('below the base area (400 m²) → 0, never negative', () => {
    expect(run({ requestedGrossArea: 400 }).total.rials).toBe(0);
  });

  it('500 m²: 50 m² above base, all in the first band → 50 × 10,000,000 × 1 = 500,000,000', () => {
    const r = run({ requestedGrossArea: 500 });
    expect(r.chargeableArea).toBe(50);
    expect(r.slices.map((s) => [s.band, s.area, s.coefficient, s.amount.rials])).toEqual([[0, 50, 1, 500_000_000]]);
    expect(r.total.rials).toBe(500_000_000);
    expect(r.requestedDensityPercent).toBe(200);
  });

  it('525 m² ends exactly on the band edge (30 points = 75 m²): one slice, 75 × 10,000,000 = 750,000,000', () => {
    const r = run({ requestedGrossArea: 525 });
    expect(r.slices).toHaveLength(1);
    expect(r.total.rials).toBe(750_000_000);
  });

  it('600 m²: 75 × 10M × 1 + 75 × 10M × 1.5 = 750,000,000 + 1,125,000,000 = 1,875,000,000', () => {
    const r = run({});
    expect(r.slices.map((s) => [s.fromPoints, s.toPoints, s.area, s.amount.rials])).toEqual([
      [0, 30, 75, 750_000_000],
      [30, 60, 75, 1_125_000_000],
    ]);
    expect(r.total.rials).toBe(1_875_000_000);
    expect(r.total.words).toBe('یک میلیارد و هشتصد و هفتاد و پنج میلیون');
    expect(r.total.formattedFa).toBe('۱٬۸۷۵٬۰۰۰٬۰۰۰');
    const slice = r.breakdown.find((l) => l.key === 'fee.slice.1');
    expect(slice).toMatchObject({ tariffYear: 1404, unit: 'rial', value: 1_125_000_000, article: 'ماده ۸ · residential · band 2' });
    expect(slice?.formula.en).toBe('floor(75 × 10,000,000 × 1.5) = 1,125,000,000 Rials');
    expect(slice?.formula.fa).toBe('کف(۷۵ × ۱۰٬۰۰۰٬۰۰۰ × ۱٫۵) = ۱٬۱۲۵٬۰۰۰٬۰۰۰ ریال');
    expect(slice?.amountWords).toBe('یک میلیارد و صد و بیست و پنج میلیون');
  });

  it('exactly the maximum area (750 m²) is allowed: 750M + 1,125M + 150 × 10M × 2 = 4,875,000,000', () => {
    const r = run({ requestedGrossArea: 750 });
    expect(r.slices.map((s) => s.amount.rials)).toEqual([750_000_000, 1_125_000_000, 3_000_000_000]);
    expect(r.total.rials).toBe(4_875_000_000);
  });

  it('0.01 m² above the maximum (750.01 m²) → CALC_DENSITY_ABOVE_MAXIMUM (422)', () => {
    const e = thrown(() => run({ requestedGrossArea: 750.01 }));
    expect(e.code).toBe('CALC_DENSITY_ABOVE_MAXIMUM');
    expect(e.status).toBe(422);
    expect(e.extensions).toEqual({ rule: 'maxDensityPercent', maxDensityPercent: 300, maxGrossArea: 750, requestedGrossArea: 750.01 });
    expect(e.fieldErrors[0]).toMatchObject({ field: 'requestedGrossArea', code: 'maxDensityPercent' });
  });

  it('a parcel in a widening plan pays on its NET area: 300 m² less 50 m² → same as 250 m²', () => {
    // on the net 250 m²: 1,875,000,000 (above). On the gross 300 m² it would be base 540 →
    // 60 m² × 10M × 1 = 600,000,000: the net area is what the caller must pass.
    expect(run({ netArea: 250 }).total.rials).toBe(1_875_000_000);
    expect(run({ netArea: 300 }).total.rials).toBe(600_000_000);
  });

  it('fractions of a Rial are floored: 0.37 m² × 12,345,678 = 4,567,900.86 → 4,567,900', () => {
    // net 200 → base 360; requested 360.37 → 0.37 m²; 12,345,678 × 37 = 456,790,086; ÷ 100 = 4,567,900.86
    const r = run({ netArea: 200, requestedGrossArea: 360.37, regionalValue: 12_345_678 });
    expect(r.chargeableArea).toBe(0.37);
    expect(r.total.rials).toBe(4_567_900);
  });

  it('office: one band at 2 → 200 m², 400 m² requested: 40 × 10M × 2 = 800,000,000', () => {
    // base 200 × 180 % = 360
    expect(run({ use: 'office', netArea: 200, requestedGrossArea: 400 }).total.rials).toBe(800_000_000);
  });

  it('the 1405 demo tariff: R-2, 250 m², 576 m² at 18,500,000 → 2,053,500,000', () => {
    // chargeable 576 − 450 = 126; 75 × 18.5M × 0.8 = 1,110,000,000; 51 × 18.5M × 1.0 = 943,500,000
    const r = run({ requestedGrossArea: 576, regionalValue: 18_500_000, tariffs: DEFAULT_TARIFFS_1405 });
    expect(r.slices.map((s) => s.amount.rials)).toEqual([1_110_000_000, 943_500_000]);
    expect(r.total.rials).toBe(2_053_500_000);
    expect(r.tariffYear).toBe(1405);
  });

  it('reports the allowed density when the road width is given', () => {
    // 250 m² on 14 m → 240 %
    expect(run({ accessRoadWidth: 14 }).allowedDensityPercent).toBe(240);
  });

  it('a use the zone does not allow → CALC_USE_NOT_ALLOWED', () => {
    expect(thrown(() => run({ use: 'commercial' })).code).toBe('CALC_USE_NOT_ALLOWED');
  });

  it('an unknown use → CALC_INPUT_INVALID on use', () => {
    const e = thrown(() => run({ use: 'factory' as never }));
    expect(e.fieldErrors).toEqual([expect.objectContaining({ field: 'use', code: 'UNKNOWN_USE' })]);
  });

  it.each([
    ['requestedGrossArea', 0, 'NOT_POSITIVE'],
    ['requestedGrossArea', -5, 'NOT_POSITIVE'],
    ['requestedGrossArea', NaN, 'NOT_A_NUMBER'],
    ['requestedGrossArea', 1e12, 'TOO_LARGE'],
    ['regionalValue', 0, 'NOT_POSITIVE'],
    ['regionalValue', 1.5, 'NOT_INTEGER'],
    ['regionalValue', 2e10, 'TOO_LARGE'],
    ['netArea', 0, 'NOT_POSITIVE'],
    ['accessRoadWidth', -3, 'NOT_POSITIVE'],
  ])('%s = %p → CALC_INPUT_INVALID (%s)', (field, value, code) => {
    const e = thrown(() => run({ [field]: value }));
    expect(e.code).toBe('CALC_INPUT_INVALID');
    expect(e.status).toBe(400);
    expect(e.fieldErrors).toEqual([expect.objectContaining({ field, code })]);
  });

  it('an amount beyond 10^15 − 1 Rials → CALC_AMOUNT_OUT_OF_RANGE', () => {
    // 1,000,000 m² at base 0 %, max 1000 %: the first band alone is 30 points = 300,000 m²,
    // 300,000 × 10^10 × 1 = 3 × 10^15 > 10^15 − 1
    const zone = zoneR2({ baseDensityPercent: 0, maxDensityPercent: 1000 });
    const e = thrown(() => run({ zone, netArea: 1_000_000, requestedGrossArea: 10_000_000, regionalValue: 10_000_000_000 }));
    expect(e.code).toBe('CALC_AMOUNT_OUT_OF_RANGE');
    expect(e.status).toBe(400);
  });
});
