import { DEFAULT_TARIFFS, DEFAULT_TARIFFS_1405 } from './default-tariffs';
import { assertValidTariffTables, RateBand, sliceOverBands, TariffTables, validateTariffTables } from './tariffs';
import { testTariffs, thrown } from './test-fixtures';

function withResidentialDensityBands(bands: RateBand[]): TariffTables {
  const t = testTariffs();
  t.densityFee.byUse.residential = bands;
  return t;
}
const codes = (t: TariffTables) => validateTariffTables(t).map((e) => [e.field, e.code]);
const F = 'densityFee.byUse.residential';

describe('validateTariffTables', () => {
  it('the demo and test tables are valid', () => {
    expect(validateTariffTables(DEFAULT_TARIFFS_1405)).toEqual([]);
    expect(validateTariffTables(testTariffs())).toEqual([]);
    expect(Object.keys(DEFAULT_TARIFFS)).toEqual(['1405']);
  });

  it('a gap between bands', () => {
    expect(codes(withResidentialDensityBands([{ from: 0, to: 30, rate: 1 }, { from: 40, to: null, rate: 2 }]))).toEqual([[`${F}.1.from`, 'BAND_GAP']]);
  });

  it('a first band not starting at 0 is a gap', () => {
    expect(codes(withResidentialDensityBands([{ from: 10, to: null, rate: 1 }]))).toEqual([[`${F}.0.from`, 'BAND_GAP']]);
  });

  it('overlapping bands', () => {
    expect(codes(withResidentialDensityBands([{ from: 0, to: 30, rate: 1 }, { from: 20, to: null, rate: 2 }]))).toEqual([[`${F}.1.from`, 'BAND_OVERLAP']]);
  });

  it('a band after an open-ended band overlaps it', () => {
    expect(codes(withResidentialDensityBands([{ from: 0, to: null, rate: 1 }, { from: 30, to: null, rate: 2 }]))).toEqual([[`${F}.1.from`, 'BAND_OVERLAP']]);
  });

  it('unsorted bands (the out-of-order band also leaves a gap and no open end)', () => {
    expect(
      codes(withResidentialDensityBands([{ from: 0, to: 30, rate: 1 }, { from: 60, to: null, rate: 2 }, { from: 30, to: 60, rate: 1.5 }])),
    ).toEqual([
      [`${F}.1.from`, 'BAND_GAP'],
      [`${F}.2.from`, 'BAND_NOT_SORTED'],
      [`${F}.2.to`, 'BAND_OPEN_END_MISSING'],
    ]);
  });

  it('an empty range and a missing open end', () => {
    expect(codes(withResidentialDensityBands([{ from: 0, to: 0, rate: 1 }]))).toEqual([
      [`${F}.0.to`, 'BAND_EMPTY_RANGE'],
      [`${F}.0.to`, 'BAND_OPEN_END_MISSING'],
    ]);
    expect(codes(withResidentialDensityBands([]))).toEqual([[F, 'BANDS_EMPTY']]);
  });

  it('negative, NaN and over-precise coefficients', () => {
    expect(codes(withResidentialDensityBands([{ from: 0, to: null, rate: -1 }]))).toEqual([[`${F}.0.rate`, 'NEGATIVE']]);
    expect(codes(withResidentialDensityBands([{ from: 0, to: null, rate: NaN }]))).toEqual([[`${F}.0.rate`, 'NOT_A_NUMBER']]);
    expect(codes(withResidentialDensityBands([{ from: 0, to: null, rate: 1.2345 }]))).toEqual([[`${F}.0.rate`, 'TOO_MANY_DECIMALS']]);
    expect(codes(withResidentialDensityBands([{ from: -5, to: null, rate: 1 }]))).toEqual([[`${F}.0.from`, 'NEGATIVE']]);
    // a zero coefficient is allowed (an exemption)
    expect(codes(withResidentialDensityBands([{ from: 0, to: null, rate: 0 }]))).toEqual([]);
  });

  it('Rials-per-m² rates must be whole Rials', () => {
    const t = testTariffs();
    t.permitFees[1].byUse.residential = [{ from: 0, to: null, rate: 100_000.5 }];
    expect(codes(t)).toEqual([['permitFees.1.byUse.residential.0.rate', 'NOT_INTEGER']]);
  });

  it('every use needs density-fee bands and a parking coefficient; unknown uses are refused', () => {
    const t = testTariffs();
    delete (t.densityFee.byUse as Partial<typeof t.densityFee.byUse>).green;
    (t.parkingDeficit.coefficientByUse as Record<string, number>).factory = 1;
    t.parkingDeficit.coefficientByUse.office = -0.5;
    expect(codes(t)).toEqual([
      ['densityFee.byUse.green', 'MISSING'],
      ['parkingDeficit.coefficientByUse.factory', 'UNKNOWN_USE'],
      ['parkingDeficit.coefficientByUse.office', 'NEGATIVE'],
    ]);
  });

  it('year, duplicate item keys, basis and allowances', () => {
    const t = testTariffs();
    t.jalaliYear = 1404.5;
    t.permitFees[1].key = 'area';
    (t.permitFees[1] as { basis: string }).basis = 'percent';
    t.floorAllowances.elevatorFromStoreys = 0;
    t.floorAllowances.basementPercentOfNetArea = 150;
    expect(codes(t)).toEqual([
      ['jalaliYear', 'NOT_INTEGER'],
      ['permitFees.1.key', 'DUPLICATE'],
      ['permitFees.1.basis', 'INVALID'],
      ['floorAllowances.elevatorFromStoreys', 'NOT_POSITIVE'],
      ['floorAllowances.basementPercentOfNetArea', 'TOO_LARGE'],
    ]);
    expect(codes({ ...testTariffs(), jalaliYear: 1300 })).toEqual([['jalaliYear', 'TOO_SMALL']]);
  });

  it('every field error carries a Persian and an English message', () => {
    const errors = validateTariffTables(withResidentialDensityBands([{ from: 5, to: 1, rate: -1 }]));
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) expect(e.message.fa && e.message.en).toBeTruthy();
  });

  it('assertValidTariffTables throws TARIFF_TABLES_INVALID with the field errors', () => {
    const e = thrown(() => assertValidTariffTables(withResidentialDensityBands([{ from: 0, to: 30, rate: 1 }])));
    expect(e.code).toBe('TARIFF_TABLES_INVALID');
    expect(e.status).toBe(400);
    expect(e.fieldErrors).toEqual([expect.objectContaining({ field: `${F}.0.to`, code: 'BAND_OPEN_END_MISSING' })]);
  });
});

describe('sliceOverBands', () => {
  const bands: RateBand[] = [
    { from: 0, to: 200, rate: 1 },
    { from: 200, to: 400, rate: 2 },
    { from: 400, to: null, rate: 3 },
  ];
  const m2 = (x: number) => x * 100;
  it('splits 450 m² into 200 + 200 + 50', () => {
    expect(sliceOverBands(45_000, bands, m2).map((s) => [s.index, s.sizeCenti])).toEqual([
      [0, 20_000],
      [1, 20_000],
      [2, 5_000],
    ]);
  });
  it('a total exactly on an edge gives no empty slice', () => {
    expect(sliceOverBands(20_000, bands, m2).map((s) => s.index)).toEqual([0]);
    expect(sliceOverBands(0, bands, m2)).toEqual([]);
  });
});
