/**
 * Property-based tests (fast-check): fees never negative and monotonic in the requested
 * area, floors never above the maximum, per-storey areas summing to the totals — for
 * random parcels, zones, regional values and valid tariff tables.
 */
import fc from 'fast-check';
import { allowedDensity } from './allowed-density';
import { buildingFee } from './building-fee';
import { densityFee } from './density-fee';
import { floorAreas } from './floor-areas';
import { RateBand, TariffTables, validateTariffTables } from './tariffs';
import { testTariffs, zoneR2 } from './test-fixtures';
import { ZoneRulesInput } from './types';

const RUNS = { numRuns: 300 };

/** m² with two decimals, 1 … 10,000. */
const area = fc.integer({ min: 100, max: 1_000_000 }).map((c) => c / 100);
const regionalValue = fc.integer({ min: 1_000_000, max: 100_000_000 });
/** A valid band table: sorted unique breakpoints from 0, open end, rates with ≤ 3 decimals. */
const bands = (maxBreak: number, rate: fc.Arbitrary<number>): fc.Arbitrary<RateBand[]> =>
  fc
    .uniqueArray(fc.integer({ min: 1, max: maxBreak }), { maxLength: 4 })
    .chain((breaks) => {
      const edges = [0, ...breaks.sort((a, b) => a - b)];
      return fc.array(rate, { minLength: edges.length, maxLength: edges.length }).map((rates) =>
        edges.map((from, i) => ({ from, to: i + 1 < edges.length ? edges[i + 1] : null, rate: rates[i] })),
      );
    });
const coefficient = fc.integer({ min: 0, max: 5000 }).map((m) => m / 1000);
const rials = fc.integer({ min: 0, max: 500_000 });

const tables: fc.Arbitrary<TariffTables> = fc
  .record({ density: bands(200, coefficient), area: bands(2000, coefficient), service: bands(2000, rials), parking: coefficient })
  .map(({ density, area: areaBands, service, parking }) => {
    const t = testTariffs();
    t.densityFee.byUse.residential = density;
    t.permitFees[0].byUse.residential = areaBands;
    t.permitFees[1].byUse.residential = service;
    t.parkingDeficit.coefficientByUse.residential = parking;
    return t;
  });

const zone: fc.Arbitrary<ZoneRulesInput> = fc
  .record({
    occ: fc.integer({ min: 10, max: 100 }),
    base: fc.integer({ min: 10, max: 400 }),
    extra: fc.integer({ min: 0, max: 400 }),
    maxFloors: fc.integer({ min: 1, max: 20 }),
    bandDensities: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 12, maxLength: 12 }),
  })
  .map(({ occ, base, extra, maxFloors, bandDensities }) => {
    const z = zoneR2();
    return {
      ...z,
      maxOccupancyPercent: occ,
      baseDensityPercent: base,
      maxDensityPercent: base + extra,
      maxFloors,
      bands: z.bands.map((b, i) => ({ ...b, densityPercent: bandDensities[i] })),
    };
  });

describe('calculators: properties', () => {
  it('generated tables are valid (so the properties below test the calculators, not the generator)', () => {
    fc.assert(fc.property(tables, (t) => validateTariffTables(t).length === 0), RUNS);
  });

  it('density fee: never negative, monotonic in the requested area, total = Σ slices', () => {
    fc.assert(
      fc.property(area, zone, tables, regionalValue, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (net, z, t, P, u, v) => {
        const maxCenti = Math.round((Math.round(net * 100) * z.maxDensityPercent) / 100);
        const [lo, hi] = [Math.min(u, v), Math.max(u, v)].map((x) => Math.max(1, Math.floor(x * maxCenti)) / 100);
        const fee = (requested: number) =>
          densityFee({ netArea: net, zone: z, requestedGrossArea: requested, use: 'residential', regionalValue: P, tariffs: t });
        const a = fee(lo);
        const b = fee(hi);
        expect(a.total.rials).toBeGreaterThanOrEqual(0);
        expect(a.total.rials).toBeLessThanOrEqual(b.total.rials);
        expect(Number.isSafeInteger(b.total.rials)).toBe(true);
        expect(b.slices.reduce((s, x) => s + x.amount.rials, 0)).toBe(b.total.rials);
      }),
      RUNS,
    );
  });

  it('building fee: never negative, monotonic in the gross area, total = Σ items + parking', () => {
    fc.assert(
      fc.property(area, area, tables, regionalValue, fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 }), (x, y, t, P, units, provided) => {
        const fee = (grossArea: number) =>
          buildingFee({ grossArea, use: 'residential', regionalValue: P, zone: zoneR2(), units, parkingProvided: provided, tariffs: t });
        const a = fee(Math.min(x, y));
        const b = fee(Math.max(x, y));
        expect(a.total.rials).toBeGreaterThanOrEqual(0);
        expect(a.parking.deficit).toBeGreaterThanOrEqual(0);
        expect(a.total.rials).toBeLessThanOrEqual(b.total.rials);
        expect(b.items.reduce((s, i) => s + i.amount.rials, 0) + b.parking.fee.rials).toBe(b.total.rials);
      }),
      RUNS,
    );
  });

  it('allowed density: floors never above the zone maximum nor floor(density / occupancy)', () => {
    fc.assert(
      fc.property(area, fc.integer({ min: 1, max: 6000 }).map((c) => c / 100), zone, (net, road, z) => {
        const r = allowedDensity({ netArea: net, accessRoadWidth: road, zone: z });
        expect(r.maxFloors).toBeLessThanOrEqual(z.maxFloors);
        expect(r.maxFloors * z.maxOccupancyPercent).toBeLessThanOrEqual(r.allowedDensityPercent);
        expect(r.maxFloors).toBeLessThanOrEqual(r.maxFloorsAtMaxDensity);
        expect(r.allowedDensityPercent).toBeLessThanOrEqual(z.maxDensityPercent);
        expect(r.allowedGrossArea).toBeLessThanOrEqual(r.maxGrossArea);
      }),
      RUNS,
    );
  });

  it('floor areas: storeys sum to the totals, floors and density never above the maximum, the density fee accepts the result', () => {
    const layout = fc.record({
      floors: fc.integer({ min: 1, max: 25 }),
      pilotis: fc.boolean(),
      basements: fc.integer({ min: 0, max: 3 }),
      occShare: fc.integer({ min: 1, max: 100 }),
    });
    fc.assert(
      fc.property(area, zone, layout, (net, z, l) => {
        const occupancyPercent = Math.max(1, Math.round((z.maxOccupancyPercent * l.occShare) / 100));
        let r;
        try {
          r = floorAreas({ netArea: net, zone: z, floors: l.floors, pilotis: l.pilotis, basements: l.basements, occupancyPercent, tariffs: testTariffs() });
        } catch (e) {
          expect((e as { code: string }).code).toBe('CALC_LAYOUT_EXCEEDS_RULES');
          const rules = ((e as { extensions: { violations: Array<{ rule: string }> } }).extensions.violations).map((v) => v.rule);
          if (l.floors <= z.maxFloors) expect(rules).toEqual(['maxDensityPercent']);
          return;
        }
        const c = (x: number) => Math.round(x * 100);
        expect(r.floors).toBeLessThanOrEqual(z.maxFloors);
        expect(r.densityPercent).toBeLessThanOrEqual(z.maxDensityPercent + 0.005);
        expect(r.storeys.reduce((s, x) => s + c(x.grossArea), 0)).toBe(c(r.totals.grossArea));
        expect(r.storeys.reduce((s, x) => s + c(x.densityArea), 0)).toBe(c(r.totals.densityArea));
        expect(c(r.totals.grossArea) - c(r.totals.densityArea)).toBe(c(r.totals.excludedArea));
        for (const s of r.storeys) {
          expect(s.densityArea).toBeGreaterThanOrEqual(0);
          expect(c(s.densityArea)).toBeLessThanOrEqual(c(s.grossArea));
          expect(c(s.footprint) + c(s.balcony)).toBe(c(s.grossArea));
        }
        expect(r.storeys.filter((s) => s.kind === 'ground' || s.kind === 'upper')).toHaveLength(l.floors);
        if (r.totals.densityArea > 0) {
          const fee = densityFee({ netArea: net, zone: z, requestedGrossArea: r.totals.densityArea, use: 'residential', regionalValue: 10_000_000, tariffs: testTariffs() });
          expect(fee.chargeableArea).toBe(r.densityAreaAboveBase);
        }
      }),
      RUNS,
    );
  });
});
