import { toJalali } from '@app/iran';
import { DEFAULT_TARIFFS_1405 } from '../../src/modules/calculators/domain';
import type { TariffTables } from '../../src/modules/calculators/domain';
import { EXAMPLE_REGIONAL_VALUE, EXAMPLE_ZONE } from '../../src/modules/calculators/dto/calculator-request.dto';
import { StaffRole } from '../../src/modules/membership/entities/staff-user.entity';
import { rectWkt } from '../helpers/geo';
import { signedStaffToken } from '../helpers/staff';
import { createTestApp, TestApp } from '../helpers/test-app';

const Y = toJalali(new Date()).jy;

/** R-2-like detailed-plan rules: the API's explicit-input example. */
const ZONE = EXAMPLE_ZONE;

/** A parcel of 250 m² net on a 12 m road, residential, regional value 24,000,000 Rials/m². */
const EXPLICIT = { netArea: 250, accessRoadWidth: 12, zone: ZONE, zoneCode: 'R-2', use: 'residential', regionalValue: EXAMPLE_REGIONAL_VALUE };

/** The year's book with the residential density-fee coefficients doubled. */
function doubledResidential(tables: TariffTables): TariffTables {
  const t = structuredClone(tables);
  t.densityFee.byUse.residential = t.densityFee.byUse.residential.map((b) => ({ ...b, rate: Math.round(b.rate * 2 * 1000) / 1000 }));
  return t;
}

describe('calculators over HTTP: both input modes, coded errors, versioned tariff tables', () => {
  let t: TestApp;
  let finance: string;
  let adminToken: string;
  let clerk: string;
  const post = (path: string, body: Record<string, unknown>) => t.http().post(`/api/v1/calculators/${path}`).send(body);

  beforeAll(async () => {
    t = await createTestApp();
    finance = (await signedStaffToken(t, { username: 'finance.calc', roles: [StaffRole.FinanceOfficer], regions: [1] })).token;
    adminToken = (await signedStaffToken(t, { username: 'admin.calc', roles: [StaffRole.Admin] })).token;
    clerk = (await signedStaffToken(t, { username: 'clerk.calc', roles: [StaffRole.RegionClerk], regions: [1] })).token;
    const insert = (code: string, wkt: string, p: { land: number; building: number; road: number | null; use: string; floors: number }) => {
      const [region, district, block, parcel] = code.split('-').map(Number);
      return t.sql(
        `insert into property (id, renewal_code, region, district, block, parcel, building, apartment, shop, address, land_area, building_area,
                               use, floors, units, structure_type, access_road_width, zone_code, geom, created_at, updated_at)
         values (gen_random_uuid(), $1, $2, $3, $4, $5, 0, 0, 0, 'قزوین، خیابان نمونه', $6, $7, $8, $9, 2, 'concrete', $10, 'R-2',
                 st_geomfromtext($11, 4326), now(), now())`,
        [code, region, district, block, parcel, p.land, p.building, p.use, p.floors, p.road, wkt],
      );
    };
    // A: a 20 m × 20 m empty parcel whose southern half lies in a widening plan → net ≈ 200 m²
    await insert('1-2-34-56-0-0-0', rectWkt(0, 0, 20, 20), { land: 400, building: 0, road: 12, use: 'residential', floors: 0 });
    // B: its neighbour, outside the plan, with a registered building of 480 m² (approved density 120 %)
    await insert('1-2-34-57-0-0-0', rectWkt(20, 0, 40, 20), { land: 400, building: 480, road: 16, use: 'residential', floors: 2 });
    // C: a parcel of another block without a regional value of its own and without a recorded road width
    await insert('1-3-40-1-0-0-0', rectWkt(60, 0, 80, 20), { land: 400, building: 0, road: null, use: 'industrial', floors: 0 });
    await t.sql(
      `insert into widening_plan (id, name, street_name, approval_date, geom, created_at, updated_at)
       values (gen_random_uuid(), 'تعریض خیابان شهید بابایی', 'خیابان شهید بابایی', '1398/02/15', st_geomfromtext($1, 4326), now(), now())`,
      [rectWkt(-100, -10, 20, 10)],
    );
    await t.sql(
      `insert into zone (code, name, rules, plan_name, approval_date, geom, updated_at)
       values ('R-2', 'مسکونی تراکم متوسط', $1, 'طرح تفصیلی شهر قزوین', '1396/05/10', st_geomfromtext($2, 4326), now())`,
      [JSON.stringify(ZONE), rectWkt(-500, -500, 500, 500)],
    );
    await t.http().put(`/api/v1/admin/billing/regional-values/${Y}`).set('Authorization', `Bearer ${finance}`)
      .send({ values: [{ region: 1, district: 2, block: 34, landValuePerM2: 20_000_000 }] }).expect(200);
  });
  afterAll(() => t?.close());

  it('seeds the current Jalali year’s tables once (the 1405 book carried forward), idempotently', async () => {
    const rows = await t.sql<{ jalali_year: number; version: number; tables: TariffTables }>(`select jalali_year, version, tables from calculator_tariff`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ jalali_year: Y, version: 1 });
    expect(rows[0].tables.densityFee).toEqual(DEFAULT_TARIFFS_1405.densityFee);
    const { CalculatorTariffsService } = await import('../../src/modules/calculators/calculator-tariffs.service');
    expect(await t.app.get(CalculatorTariffsService).ensureDefaults(t.orm.em.fork())).toBeNull();
    expect(await t.sql(`select 1 from calculator_tariff`)).toHaveLength(1);
  });

  describe('allowed density', () => {
    it('explicit inputs: band by net area and road, floors, parking, breakdown in fa/en; public and rate-limited', async () => {
      const res = await post('allowed-density', { ...EXPLICIT, regionalValue: undefined, units: 4 }).expect(200);
      expect(res.headers['ratelimit-limit']).toBe('60');
      expect(res.body).toMatchObject({
        inputs: { mode: 'explicit', netArea: 250, zoneCode: 'R-2', sources: { netArea: 'request', zone: 'request' } },
        approved: null,
        baseDensityPercent: 180,
        band: { index: 3, densityPercent: 240 },
        allowedDensityPercent: 240,
        maxDensityPercent: 300,
        footprintArea: 150,
        allowedGrossArea: 600,
        maxFloors: 4, // min(5, floor(240 / 60))
        parking: { requiredSpaces: 4 },
      });
      const line = res.body.breakdown.find((l: { key: string }) => l.key === 'floors.max');
      expect(line).toMatchObject({ article: 'R-2 · maxFloors', tariffYear: null, formula: { en: 'min(5, floor(240 ÷ 60)) = min(5, 4) = 4' } });
      expect(line.formula.fa).toMatch(/[۰-۹]/);
    });

    it('by renewal code: net area after widening, zone, road and the registered building as approved density', async () => {
      const a = await post('allowed-density', { renewalCode: '۱-۲-۳۴-۵۶-۰-۰-۰', region: 1 }).expect(200);
      const i = a.body.inputs;
      expect(i).toMatchObject({ mode: 'renewalCode', renewalCode: '1-2-34-56-0-0-0', zoneCode: 'R-2', accessRoadWidth: 12 });
      expect(i.sources).toMatchObject({ netArea: 'parcel_minus_widening', zone: 'zoning', accessRoadWidth: 'registry' });
      expect(Math.abs(i.parcelAreaM2 - 400) / 400).toBeLessThan(0.01);
      expect(Math.abs(i.wideningAffectedAreaM2 - 200) / 200).toBeLessThan(0.01);
      expect(i.netArea).toBeCloseTo(i.parcelAreaM2 - i.wideningAffectedAreaM2, 1);
      expect(a.body.netArea).toBe(i.netArea);
      // ~200 m² net: band [0,200) or [200,∞) on a 12 m road (220 % or 240 %), not the 400 m² of the deed
      expect(a.body.footprintArea).toBeLessThan(125);
      expect(a.body.approved).toBeNull();
      expect(a.body.breakdown[0]).toMatchObject({ key: 'parcel.widening', article: expect.stringContaining('تعریض خیابان شهید بابایی'), value: i.netArea });
      // the same numbers as explicit inputs give the same answer
      const same = await post('allowed-density', { netArea: i.netArea, accessRoadWidth: 12, zone: ZONE, zoneCode: 'R-2' }).expect(200);
      expect(same.body.allowedDensityPercent).toBe(a.body.allowedDensityPercent);
      expect(same.body.maxGrossArea).toBe(a.body.maxGrossArea);

      const b = await post('allowed-density', { renewalCode: '1-2-34-57-0-0-0' }).expect(200);
      expect(b.body.inputs.wideningAffectedAreaM2).toBe(0);
      expect(b.body.approved).toMatchObject({ densityPercent: 120, grossArea: 480, plotArea: 400 });
      expect(b.body.allowedDensityPercent).toBe(240); // ~400 m² on a 16 m road
    });

    it('bad input → coded 400; unknown parcels 404; region mismatch 400', async () => {
      const neg = await post('allowed-density', { ...EXPLICIT, regionalValue: undefined, netArea: -5, accessRoadWidth: 0 }).expect(400);
      expect(neg.body.code).toBe('CALC_INPUT_INVALID');
      expect(neg.body.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ field: 'netArea', code: 'NOT_POSITIVE' }),
          expect.objectContaining({ field: 'accessRoadWidth', code: 'NOT_POSITIVE' }),
        ]),
      );
      const huge = await post('allowed-density', { ...EXPLICIT, regionalValue: undefined, netArea: 1e12 }).expect(400);
      expect(huge.body.errors[0]).toMatchObject({ field: 'netArea', code: 'TOO_LARGE' });
      const nothing = await post('allowed-density', {}).expect(400);
      expect(nothing.body.code).toBe('CALC_INPUT_INVALID');
      expect(nothing.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['accessRoadWidth', 'netArea', 'zone']);
      const text = await post('allowed-density', { netArea: 'big' }).expect(400);
      expect(text.body.code).toBe('VALIDATION_FAILED');
      const extra = await post('allowed-density', { ...EXPLICIT, regionalValue: undefined, formula: 'netArea*2' }).expect(400);
      expect(extra.body.code).toBe('VALIDATION_FAILED');
      const badZone = await post('allowed-density', { ...EXPLICIT, regionalValue: undefined, zone: { ...ZONE, maxOccupancyPercent: -1 } }).expect(400);
      expect(badZone.body.code).toBe('CALC_ZONE_RULES_INVALID');
      expect((await post('allowed-density', { renewalCode: '1-2-34' }).expect(400)).body.code).toBe('RENEWAL_CODE_INVALID');
      expect((await post('allowed-density', { renewalCode: '1-2-34-99-0-0-0' }).expect(404)).body.code).toBe('PROPERTY_NOT_FOUND');
      expect((await post('allowed-density', { renewalCode: '1-2-34-56-0-0-0', region: 2 }).expect(400)).body.code).toBe('REGION_MISMATCH');
      // C has no recorded road width: the caller is told to send it, and may
      const noRoad = await post('allowed-density', { renewalCode: '1-3-40-1-0-0-0' }).expect(400);
      expect(noRoad.body.errors).toEqual([expect.objectContaining({ field: 'accessRoadWidth', code: 'REQUIRED' })]);
      const withRoad = await post('allowed-density', { renewalCode: '1-3-40-1-0-0-0', accessRoadWidth: 20 }).expect(200);
      expect(withRoad.body.inputs.sources).toMatchObject({ accessRoadWidth: 'request', netArea: 'parcel_minus_widening' });
    });
  });

  describe('floor areas', () => {
    it('explicit inputs: storeys add up to the totals; the year’s allowances are used', async () => {
      const res = await post('floor-areas', { ...EXPLICIT, regionalValue: undefined, floors: 4, pilotis: true, basements: 1 }).expect(200);
      expect(res.body.tariff).toMatchObject({ jalaliYear: Y, version: 1 });
      expect(res.body).toMatchObject({ netArea: 250, occupancyPercent: 60, floors: 4, pilotis: true, basements: 1, elevatorRequired: true });
      const storeys = res.body.storeys as Array<{ kind: string; grossArea: number; densityArea: number }>;
      // on pilotis every habitable floor is an upper floor
      expect(storeys.map((s) => s.kind)).toEqual(['basement', 'parking', 'upper', 'upper', 'upper', 'upper', 'roof']);
      const sum = (f: (s: { grossArea: number; densityArea: number }) => number) => Math.round(storeys.reduce((a, s) => a + f(s), 0) * 100) / 100;
      expect(res.body.totals.grossArea).toBeCloseTo(sum((s) => s.grossArea), 2);
      expect(res.body.totals.densityArea).toBeCloseTo(sum((s) => s.densityArea), 2);
      expect(res.body.breakdown.some((l: { tariffYear: number | null }) => l.tariffYear === Y)).toBe(true);
    });

    it('by renewal code, and a layout beyond the rules → coded 422 naming the rule', async () => {
      const res = await post('floor-areas', { renewalCode: '1-2-34-56-0-0-0', floors: 2 }).expect(200);
      expect(res.body.inputs.sources.netArea).toBe('parcel_minus_widening');
      expect(Math.abs(res.body.netArea - 200) / 200).toBeLessThan(0.01);
      const over = await post('floor-areas', { ...EXPLICIT, regionalValue: undefined, floors: 9 }).expect(422);
      expect(over.body.code).toBe('CALC_LAYOUT_EXCEEDS_RULES');
      expect(JSON.stringify(over.body)).toMatch(/maxFloors/);
      const zero = await post('floor-areas', { ...EXPLICIT, regionalValue: undefined, floors: 0 }).expect(400);
      expect(zero.body.errors[0]).toMatchObject({ field: 'floors', code: 'NOT_POSITIVE' });
      expect((await post('floor-areas', { ...EXPLICIT, regionalValue: undefined, floors: 2, jalaliYear: 1390 }).expect(404)).body.code).toBe(
        'CALC_TARIFF_YEAR_NOT_FOUND',
      );
    });
  });

  describe('density-issuance fee', () => {
    it('explicit inputs: slices above base density at regional value × coefficient (hand-computed)', async () => {
      // base 250 × 180 % = 450 m²; 600 requested → 150 m² chargeable: 75 m² in [0,30) points at 0.8, 75 m² in [30,60) at 1.0
      const res = await post('density-fee', { ...EXPLICIT, requestedGrossArea: 600 }).expect(200);
      expect(res.body).toMatchObject({ use: 'residential', regionalValue: 24_000_000, baseGrossArea: 450, maxGrossArea: 750, chargeableArea: 150 });
      expect(res.body.slices.map((s: { area: number; coefficient: number; amount: { rials: number } }) => [s.area, s.coefficient, s.amount.rials])).toEqual([
        [75, 0.8, 1_440_000_000],
        [75, 1, 1_800_000_000],
      ]);
      expect(res.body.total).toMatchObject({ rials: 3_240_000_000, formatted: '3,240,000,000' });
      expect(res.body.total.words).toBe('سه میلیارد و دویست و چهل میلیون');
      expect(res.body.breakdown.find((l: { unit: string; tariffYear: number }) => l.unit === 'rial' && l.tariffYear === Y)).toBeDefined();
    });

    it('by renewal code: the block’s regional value and the net area (a request above the net maximum is refused)', async () => {
      const res = await post('density-fee', { renewalCode: '1-2-34-56-0-0-0', requestedGrossArea: 400 }).expect(200);
      expect(res.body.inputs).toMatchObject({ regionalValue: 20_000_000, use: 'residential', sources: { regionalValue: 'billing_block', use: 'registry' } });
      expect(Math.abs(res.body.maxGrossArea - 600) / 600).toBeLessThan(0.01); // 300 % of ~200 m² net, not of 400 m²
      expect(res.body.total.rials).toBeGreaterThan(0);
      // 700 m² fits the 400 m² deed (max 1,200 m²) but not the ~200 m² net area
      const refused = await post('density-fee', { renewalCode: '1-2-34-56-0-0-0', requestedGrossArea: 700 }).expect(422);
      expect(refused.body.code).toBe('CALC_DENSITY_ABOVE_MAXIMUM');
      // C's block has no value of its own: the year's billing default land value; its registered use is not a building use
      const c = await post('density-fee', { renewalCode: '1-3-40-1-0-0-0', requestedGrossArea: 800, use: 'office' }).expect(200);
      expect(c.body.inputs.sources).toMatchObject({ regionalValue: 'billing_default', use: 'request' });
      const noUse = await post('density-fee', { renewalCode: '1-3-40-1-0-0-0', requestedGrossArea: 800 }).expect(400);
      expect(noUse.body.errors).toEqual([expect.objectContaining({ field: 'use', code: 'REQUIRED' })]);
    });

    it('bad input → coded 400 / 422', async () => {
      const neg = await post('density-fee', { ...EXPLICIT, requestedGrossArea: -1, regionalValue: 0 }).expect(400);
      expect(neg.body.code).toBe('CALC_INPUT_INVALID');
      expect(neg.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['regionalValue', 'requestedGrossArea']);
      const missing = await post('density-fee', { ...EXPLICIT, regionalValue: undefined, requestedGrossArea: 500 }).expect(400);
      expect(missing.body.errors).toEqual([expect.objectContaining({ field: 'regionalValue', code: 'REQUIRED' })]);
      const commercial = await post('density-fee', { ...EXPLICIT, use: 'commercial', requestedGrossArea: 500 }).expect(422);
      expect(commercial.body.code).toBe('CALC_USE_NOT_ALLOWED');
      await post('density-fee', { ...EXPLICIT, use: 'casino', requestedGrossArea: 500 }).expect(400);
    });
  });

  describe('building-permit estimate', () => {
    it('explicit inputs: tariff items by area band, parking deficit, total = Σ lines', async () => {
      const res = await post('building-fee', { ...EXPLICIT, grossArea: 750, units: 4, parkingProvided: 3 }).expect(200);
      const items = res.body.items as Array<{ key: string; amount: { rials: number } }>;
      // permit-area: 200 × 24M × 0.06 + 200 × 24M × 0.08 + 350 × 24M × 0.10
      expect(items.find((i) => i.key === 'permit-area')!.amount.rials).toBe(288_000_000 + 384_000_000 + 840_000_000);
      // fire services: 750 × 120,000 Rials/m²
      expect(items.find((i) => i.key === 'fire-services')!.amount.rials).toBe(90_000_000);
      // one missing space: floor(24M × 0.6 × 25)
      expect(res.body.parking).toMatchObject({ required: 4, provided: 3, deficit: 1, fee: { rials: 360_000_000 } });
      const sum = items.reduce((a, i) => a + i.amount.rials, 0) + res.body.parking.fee.rials;
      expect(res.body.total.rials).toBe(sum);
      expect(res.body.total.words.length).toBeGreaterThan(10);
    });

    it('by renewal code: regional value from billing, no widening lookup needed', async () => {
      const res = await post('building-fee', { renewalCode: '1-2-34-57-0-0-0', grossArea: 500, units: 2, parkingProvided: 2 }).expect(200);
      expect(res.body.inputs).toMatchObject({ mode: 'renewalCode', regionalValue: 20_000_000, use: 'residential', zoneCode: 'R-2' });
      expect(res.body.parking.deficit).toBe(0);
      const bad = await post('building-fee', { renewalCode: '1-2-34-57-0-0-0', grossArea: 0, parkingProvided: -1 }).expect(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['grossArea', 'parkingProvided']);
    });
  });

  describe('tariff administration', () => {
    const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

    it('reads the year’s current tables and versions (admin, finance); refuses clerks and anonymous callers', async () => {
      const res = await t.http().get(`/api/v1/admin/calculator-tariffs/${Y}`).set(auth(finance)).expect(200);
      expect(res.body).toMatchObject({ jalaliYear: Y, current: { version: 1, note: expect.any(String), tables: { jalaliYear: Y } } });
      expect(res.body.versions).toHaveLength(1);
      await t.http().get(`/api/v1/admin/calculator-tariffs/${Y}`).set(auth(adminToken)).expect(200);
      await t.http().get(`/api/v1/admin/calculator-tariffs/${Y}`).set(auth(clerk)).expect(403);
      await t.http().get(`/api/v1/admin/calculator-tariffs/${Y}`).expect(401);
      expect((await t.http().get('/api/v1/admin/calculator-tariffs/1390').set(auth(finance)).expect(404)).body.code).toBe('CALC_TARIFF_YEAR_NOT_FOUND');
      await t.http().get('/api/v1/admin/calculator-tariffs/next').set(auth(finance)).expect(400);
    });

    it('refuses invalid tables with coded field errors and saves nothing', async () => {
      const { body } = await t.http().get(`/api/v1/admin/calculator-tariffs/${Y}`).set(auth(finance)).expect(200);
      const tables = structuredClone(body.current.tables) as TariffTables;
      tables.densityFee.byUse.residential[1].from = 35; // gap 30 … 35
      tables.parkingDeficit.coefficientByUse.residential = -1;
      const res = await t.http().put(`/api/v1/admin/calculator-tariffs/${Y}`).set(auth(finance)).send({ note: 'آزمون', tables }).expect(400);
      expect(res.body.code).toBe('TARIFF_TABLES_INVALID');
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ field: expect.stringMatching(/^tables\.densityFee\.byUse\.residential\.1/), code: 'BAND_GAP' }),
          expect.objectContaining({ field: 'tables.parkingDeficit.coefficientByUse.residential', code: 'NEGATIVE' }),
        ]),
      );
      const wrongYear = await t.http().put(`/api/v1/admin/calculator-tariffs/${Y + 1}`).set(auth(finance)).send({ note: 'x', tables: body.current.tables }).expect(400);
      expect(wrongYear.body.errors).toEqual([expect.objectContaining({ field: 'tables.jalaliYear', code: 'YEAR_MISMATCH' })]);
      const garbage = await t.http().put(`/api/v1/admin/calculator-tariffs/${Y}`).set(auth(finance)).send({ note: 'x', tables: { densityFee: 7 } }).expect(400);
      expect(garbage.body.code).toBe('TARIFF_TABLES_INVALID');
      await t.http().put(`/api/v1/admin/calculator-tariffs/${Y}`).set(auth(finance)).send({ tables: body.current.tables }).expect(400);
      await t.http().put(`/api/v1/admin/calculator-tariffs/${Y}`).set(auth(clerk)).send({ note: 'x', tables: body.current.tables }).expect(403);
      expect(await t.sql(`select 1 from calculator_tariff`)).toHaveLength(1);
    });

    it('previews a change on a sample calculation side by side without saving', async () => {
      const { body } = await t.http().get(`/api/v1/admin/calculator-tariffs/${Y}`).set(auth(finance)).expect(200);
      const res = await t.http().post(`/api/v1/admin/calculator-tariffs/${Y}/preview`).set(auth(finance))
        .send({ tables: doubledResidential(body.current.tables) }).expect(200);
      expect(res.body).toMatchObject({ jalaliYear: Y, saved: false, currentVersion: { version: 1, id: body.current.id } });
      const density = res.body.comparisons.find((c: { calculator: string }) => c.calculator === 'density-fee');
      expect(density).toMatchObject({ quantity: 'totalRials', current: 3_240_000_000, proposed: 6_480_000_000, difference: 3_240_000_000 });
      const building = res.body.comparisons.find((c: { calculator: string }) => c.calculator === 'building-fee');
      expect(building.difference).toBe(0);
      expect(res.body.current.densityFee.tariff.version).toBe(1);
      expect(res.body.proposed.densityFee.total.rials).toBe(6_480_000_000);
      // a proposal that drops a use shows the coded refusal on its side
      const noOffice = structuredClone(body.current.tables) as TariffTables;
      noOffice.permitFees = noOffice.permitFees.map((i) => ({ ...i, byUse: { ...i.byUse, office: undefined } }));
      const office = await t.http().post(`/api/v1/admin/calculator-tariffs/${Y}/preview`).set(auth(adminToken))
        .send({ tables: noOffice, sample: { use: 'office', grossArea: 300 } }).expect(200);
      const b2 = office.body.comparisons.find((c: { calculator: string }) => c.calculator === 'building-fee');
      expect(b2.current).toBeGreaterThan(0);
      expect(b2).toMatchObject({ proposed: null, difference: null, proposedError: { code: 'CALC_TARIFF_NOT_DEFINED' } });
      expect(office.body.proposed.buildingFee).toBeNull();
      // a sample taken from a property (block value 20,000,000 Rials/m², ~400 m² net)
      const fromCode = await t.http().post(`/api/v1/admin/calculator-tariffs/${Y}/preview`).set(auth(finance))
        .send({ tables: doubledResidential(body.current.tables), sample: { renewalCode: '1-2-34-57-0-0-0', requestedGrossArea: 900 } }).expect(200);
      expect(fromCode.body.current.densityFee.inputs).toMatchObject({ mode: 'renewalCode', regionalValue: 20_000_000 });
      const d2 = fromCode.body.comparisons.find((c: { calculator: string }) => c.calculator === 'density-fee');
      expect(d2.proposed).toBe(d2.current * 2);
      const invalid = await t.http().post(`/api/v1/admin/calculator-tariffs/${Y}/preview`).set(auth(finance))
        .send({ tables: { ...body.current.tables, floorAllowances: { ...body.current.tables.floorAllowances, stairsM2PerStorey: -3 } } }).expect(400);
      expect(invalid.body.code).toBe('TARIFF_TABLES_INVALID');
      expect(await t.sql(`select 1 from calculator_tariff`)).toHaveLength(1);
    });

    it('an edited tariff changes new results and no stored demand (audited with old and new version ids)', async () => {
      // billing demands of this year, assessed before the edit
      await t.http().post('/api/v1/admin/billing/assessments').set(auth(finance)).send({ jalaliYear: Y }).expect(200);
      const demandsBefore = await t.sql<{ id: string; amount_rials: string; assessed_rials: string; tariff_id: string; snapshot: unknown }>(
        `select id, amount_rials, assessed_rials, tariff_id, snapshot from billing_demand order by id`,
      );
      expect(demandsBefore.length).toBeGreaterThan(0);
      const before = await post('density-fee', { ...EXPLICIT, requestedGrossArea: 600 }).expect(200);
      expect(before.body.total.rials).toBe(3_240_000_000);

      const { body } = await t.http().get(`/api/v1/admin/calculator-tariffs/${Y}`).set(auth(finance)).expect(200);
      const saved = await t.http().put(`/api/v1/admin/calculator-tariffs/${Y}`).set(auth(finance))
        .send({ note: 'مصوبه شورای اسلامی شهر شماره ۱۲۳', tables: { ...doubledResidential(body.current.tables), formula: 'area * 2' } }).expect(200);
      // free text keeps the digits the admin typed
      expect(saved.body.current).toMatchObject({ version: 2, note: 'مصوبه شورای اسلامی شهر شماره ۱۲۳' });
      expect(saved.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);

      const after = await post('density-fee', { ...EXPLICIT, requestedGrossArea: 600 }).expect(200);
      expect(after.body.total.rials).toBe(6_480_000_000);
      expect(after.body.tariff).toMatchObject({ version: 2, id: saved.body.current.id });
      // only the members the calculators read are stored
      expect(saved.body.current.tables).not.toHaveProperty('formula');
      // version 1 is untouched
      const v1 = await t.sql<{ tables: TariffTables }>(`select tables from calculator_tariff where jalali_year = $1 and version = 1`, [Y]);
      expect(v1[0].tables.densityFee.byUse.residential[0].rate).toBe(0.8);
      // stored billing demands did not change
      const demandsAfter = await t.sql(`select id, amount_rials, assessed_rials, tariff_id, snapshot from billing_demand order by id`);
      expect(demandsAfter).toEqual(demandsBefore);

      // next year's start-up copies the newest version of this year forward (version 2, doubled)
      const { CalculatorTariffsService } = await import('../../src/modules/calculators/calculator-tariffs.service');
      const nextYear = new Date(Date.now() + 370 * 86_400_000);
      expect(await t.app.get(CalculatorTariffsService).ensureDefaults(t.orm.em.fork(), nextYear)).toBe(Y + 1);
      const [next] = await t.sql<{ version: number; note: string; tables: TariffTables }>(`select version, note, tables from calculator_tariff where jalali_year = $1`, [Y + 1]);
      expect(next).toMatchObject({ version: 1, note: `copied from ${Y} v2`, tables: { jalaliYear: Y + 1 } });
      expect(next.tables.densityFee.byUse.residential[0].rate).toBe(1.6);

      const [audit] = await t.sql<{ action: string; actor_type: string; before: Record<string, unknown>; after: Record<string, unknown>; metadata: Record<string, unknown> }>(
        `select action, actor_type, before, after, metadata from audit_log where action = 'calculators.tariff.updated'`,
      );
      expect(audit).toMatchObject({
        actor_type: 'staff',
        before: { version: 1, versionId: body.current.id },
        after: { version: 2, versionId: saved.body.current.id },
        metadata: { previousVersionId: body.current.id, newVersionId: saved.body.current.id },
      });
    });
  });

  it('limits each calculator per client IP (429 RATE_LIMITED with Retry-After)', async () => {
    let res = await post('building-fee', { ...EXPLICIT, grossArea: 100 });
    for (let i = 0; i < 70 && res.status === 200; i++) res = await post('building-fee', { ...EXPLICIT, grossArea: 100 });
    expect(res.status).toBe(429);
    expect(res.body.code).toBe('RATE_LIMITED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    // the refusal says the limit too, as the contract documents on the 429
    expect(res.headers).toMatchObject({ 'ratelimit-limit': '60', 'ratelimit-remaining': '0', 'ratelimit-reset': res.headers['retry-after'] });
    // another calculator has its own bucket
    await post('allowed-density', { ...EXPLICIT, regionalValue: undefined }).expect(200);
  });
});
