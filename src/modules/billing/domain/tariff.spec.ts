import { DEFAULT_TARIFF, defaultTariff, validateTariff } from './tariff';

const codes = (t: unknown) => validateTariff(t).map((e) => `${e.field}:${e.code}`);

describe('billing tariff validation', () => {
  it('accepts the defaults of this and earlier years', () => {
    expect(validateTariff(DEFAULT_TARIFF)).toEqual([]);
    expect(validateTariff(defaultTariff(1))).toEqual([]);
    expect(validateTariff(defaultTariff(2))).toEqual([]);
  });

  it('scales earlier years down to whole thousands', () => {
    expect(defaultTariff(1).renewal.defaultLandValuePerM2).toBe(2_400_000);
    expect(defaultTariff(2).waste.baseRialsByUse.residential).toBe(960_000);
    expect(defaultTariff(0)).toEqual(DEFAULT_TARIFF);
  });

  it('refuses negative and fractional numbers with coded field errors', () => {
    const t = structuredClone(DEFAULT_TARIFF);
    t.renewal.ratePerMille = -1;
    t.waste.baseRialsByUse.residential = 1.5;
    t.guild.categories.food.perM2Rials = -10;
    expect(codes(t)).toEqual([
      'renewal.ratePerMille:TARIFF_NEGATIVE',
      'waste.baseRialsByUse.residential:TARIFF_NOT_INTEGER',
      'guild.categories.food.perM2Rials:TARIFF_NEGATIVE',
    ]);
  });

  it('refuses bands with gaps, overlaps, empty ranges or a closed end', () => {
    const withBands = (areaBands: unknown) => ({ ...DEFAULT_TARIFF, waste: { ...DEFAULT_TARIFF.waste, areaBands } });
    expect(codes(withBands([{ fromM2: 0, toM2: 100, factorPermille: 1000 }, { fromM2: 120, toM2: null, factorPermille: 1000 }]))).toEqual([
      'waste.areaBands.1.fromM2:TARIFF_BAND_GAP',
    ]);
    expect(codes(withBands([{ fromM2: 0, toM2: 100, factorPermille: 1000 }, { fromM2: 90, toM2: null, factorPermille: 1000 }]))).toEqual([
      'waste.areaBands.1.fromM2:TARIFF_BAND_OVERLAP',
    ]);
    expect(codes(withBands([{ fromM2: 10, toM2: null, factorPermille: 1000 }]))).toEqual(['waste.areaBands.0.fromM2:TARIFF_BAND_GAP']);
    expect(codes(withBands([{ fromM2: 0, toM2: 0, factorPermille: 1000 }, { fromM2: 0, toM2: 50, factorPermille: 1 }]))).toEqual([
      'waste.areaBands.0.toM2:TARIFF_BAND_EMPTY',
      'waste.areaBands.1.toM2:TARIFF_BAND_NOT_OPEN',
    ]);
    expect(codes(withBands([]))).toEqual(['waste.areaBands:TARIFF_BANDS_REQUIRED']);
  });

  it('requires every structure type, the fallback use and category, and whole sections', () => {
    const t = structuredClone(DEFAULT_TARIFF) as unknown as Record<string, Record<string, Record<string, unknown>>>;
    delete t.renewal.buildingValuePerM2.steel;
    delete t.waste.baseRialsByUse.other;
    expect(codes({ ...t, penalty: undefined })).toEqual([
      'renewal.buildingValuePerM2.steel:TARIFF_MISSING',
      'waste.baseRialsByUse.other:TARIFF_MISSING',
      'penalty:TARIFF_OBJECT_REQUIRED',
    ]);
  });

  it('takes optional inquiry fees as whole non-negative Rials', () => {
    expect(codes({ ...DEFAULT_TARIFF, inquiry: undefined })).toEqual([]);
    expect(codes({ ...DEFAULT_TARIFF, inquiry: null })).toEqual([]);
    expect(codes({ ...DEFAULT_TARIFF, inquiry: { officeRials: -1, notaryRials: 1.5 } })).toEqual([
      'inquiry.officeRials:TARIFF_NEGATIVE',
      'inquiry.notaryRials:TARIFF_NOT_INTEGER',
    ]);
    expect(codes({ ...DEFAULT_TARIFF, inquiry: 5 })).toEqual(['inquiry:TARIFF_OBJECT_REQUIRED']);
  });
});
