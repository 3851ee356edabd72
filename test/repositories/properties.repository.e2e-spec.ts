import { run } from '../../src/database/sql';
import { PropertiesRepository } from '../../src/modules/properties/properties.repository';
import { PropertyImportRepository } from '../../src/modules/properties/property-import.repository';
import { createTestDb, TestDb } from '../helpers/test-app';
import { parcel, square } from './property-fixtures';

const ID = (n: number) => `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const RULES = { maxFloors: 3 };

describe('PropertiesRepository (real database)', () => {
  let db: TestDb;
  const repo = new PropertiesRepository();
  const bulk = new PropertyImportRepository();
  beforeAll(async () => {
    db = await createTestDb();
    const em = db.em();
    await run(
      em,
      bulk.insertParcels(
        [
          parcel(ID(1), '1-2-34-56-0-0-0', 50.0, 36.27),
          parcel(ID(2), '1-2-34-57-0-0-0', 50.001, 36.27, { address: 'قزوین، کوچه ۱۰٪_تست' }),
          parcel(ID(3), '2-1-10-5-0-0-0', 50.01, 36.28, { use: 'commercial', zone_code: null }),
          // a unit of the first parcel: never on the map, still found by code
          parcel(ID(4), '1-2-34-56-1-1-0', 50.0, 36.27, { building: 1, apartment: 1 }),
        ],
        false,
      ),
    );
    await run(
      em,
      bulk.insertOwners([
        { id: ID(11), renewal_code: '1-2-34-56-0-0-0', national_id: '0012345678', full_name: 'علی رضایی', share_percent: 60 },
        { id: ID(12), renewal_code: '1-2-34-56-0-0-0', national_id: '0087654321', full_name: 'مریم احمدی', share_percent: 40 },
        { id: ID(13), renewal_code: '2-1-10-5-0-0-0', national_id: '0012345678', full_name: 'علی رضایی', share_percent: 100 },
      ]),
    );
    await run(
      em,
      bulk.insertCertificates([
        { id: ID(21), renewal_code: '1-2-34-56-0-0-0', kind: 'building_permit', request_number: 'BP-1', jalali_year: 1395, issue_date: '2016-05-01' },
        { id: ID(22), renewal_code: '1-2-34-56-0-0-0', kind: 'completion', request_number: 'C-7', jalali_year: 1397, issue_date: '2018-09-10' },
      ]),
    );
    // zone R-2 holds the first two parcels; the widening plan cuts a strip off the first parcel's west side
    await run(
      em,
      bulk.insertZones(
        [{ code: 'R-2', name: 'مسکونی ۲', rules: RULES, plan_name: 'طرح تفصیلی', approval_date: '1398/01/15', geom: square(49.999, 36.269, 0.003) }],
        false,
      ),
    );
    await run(
      em,
      bulk.insertWideningPlans([
        { id: ID(31), name: 'تعریض خیابان آزمون', street_name: 'آزمون', approval_date: '1399/02/01', geom: square(49.9999, 36.27, 0.00015) },
      ]),
    );
  });
  afterAll(() => db?.close());

  it('reads a summary by renewal code, with PostGIS area and point, and null for an unknown code', async () => {
    const s = await run(db.em(), repo.summary('1-2-34-56-0-0-0'));
    expect(s).toMatchObject({
      renewalCode: '1-2-34-56-0-0-0',
      region: 1,
      district: 2,
      block: 34,
      parcel: 56,
      use: 'residential',
      landArea: 200,
      floors: 2,
      constructionYear: 1395,
      structureType: 'concrete',
      accessRoadWidth: 12,
      zoneCode: 'R-2',
    });
    // 0.0002° × 0.0002° at 36.27° N ≈ 22.2 m × 17.9 m
    expect(s!.parcelAreaM2).toBeGreaterThan(380);
    expect(s!.parcelAreaM2).toBeLessThan(420);
    expect(s!.location).toEqual({ type: 'Point', coordinates: [expect.closeTo(50.0001, 6), expect.closeTo(36.2701, 6)] });
    expect(await run(db.em(), repo.summary('9-9-9-9-0-0-0'))).toBeNull();
  });

  it('finds the parcel (not a unit) at a point, and none in the street', async () => {
    expect((await run(db.em(), repo.parcelAt(36.27015, 50.00015)))?.renewalCode).toBe('1-2-34-56-0-0-0');
    expect(await run(db.em(), repo.parcelAt(36.3, 50.5))).toBeNull();
  });

  it('answers the parcels of a bbox as GeoJSON text with their count, up to the limit', async () => {
    const box = [49.999, 36.269, 50.002, 36.271] as const;
    const all = await run(db.em(), repo.parcelsInBbox(box, 10));
    expect(all.n).toBe(2);
    const fc = JSON.parse(all.fc);
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.map((f: { id: string }) => f.id).sort()).toEqual(['1-2-34-56-0-0-0', '1-2-34-57-0-0-0']);
    expect(fc.features[0].properties).toEqual({ renewalCode: fc.features[0].id, use: 'residential', zoneCode: 'R-2' });
    expect(fc.features[0].geometry.type).toBe('MultiPolygon');
    expect((await run(db.em(), repo.parcelsInBbox(box, 1))).n).toBe(1);
    expect(await run(db.em(), repo.parcelsInBbox([10, 10, 10.1, 10.1], 10))).toEqual({ n: 0, fc: '{"type":"FeatureCollection","features":[]}' });
  });

  it('reads the zone holding a parcel, no zone outside every polygon, null without the property', async () => {
    expect(await run(db.em(), repo.zoning('1-2-34-56-0-0-0'))).toEqual({
      renewalCode: '1-2-34-56-0-0-0',
      zone: { zoneCode: 'R-2', zoneName: 'مسکونی ۲', rules: RULES, planName: 'طرح تفصیلی', approvalDate: '1398/01/15' },
    });
    expect(await run(db.em(), repo.zoning('2-1-10-5-0-0-0'))).toEqual({ renewalCode: '2-1-10-5-0-0-0', zone: null });
    expect(await run(db.em(), repo.zoning('9-9-9-9-0-0-0'))).toBeNull();
  });

  it('reads the widening plans a parcel meets with the affected area', async () => {
    const w = await run(db.em(), repo.streetWidening('1-2-34-56-0-0-0'));
    expect(w!.parcelAreaM2).toBeGreaterThan(380);
    expect(w!.plans).toHaveLength(1);
    expect(w!.plans[0]).toMatchObject({ planName: 'تعریض خیابان آزمون', streetName: 'آزمون', approvalDate: '1399/02/01' });
    // the plan's square overlaps the parcel by 0.00005° × 0.00015° ≈ 4.5 m × 16.6 m ≈ 74.6 m²
    expect(w!.plans[0].affectedAreaM2).toBeGreaterThan(72);
    expect(w!.plans[0].affectedAreaM2).toBeLessThan(77);
    expect(await run(db.em(), repo.streetWidening('2-1-10-5-0-0-0'))).toEqual({ parcelAreaM2: expect.any(Number), plans: [] });
    expect(await run(db.em(), repo.streetWidening('9-9-9-9-0-0-0'))).toBeNull();
  });

  it('searches by owner, regions, code prefix, address (wildcards literal), postal code and plate, paged with a total', async () => {
    const codes = async (filter: Parameters<PropertiesRepository['search']>[0], limit = 10, offset = 0) => {
      const page = await run(db.em(), repo.search(filter, limit, offset));
      return { total: page.total, codes: page.items.map((i) => i.renewalCode) };
    };
    expect(await codes({ ownerNationalId: '0012345678' })).toEqual({ total: 2, codes: ['1-2-34-56-0-0-0', '2-1-10-5-0-0-0'] });
    expect(await codes({ regions: [1] })).toEqual({ total: 3, codes: ['1-2-34-56-0-0-0', '1-2-34-56-1-1-0', '1-2-34-57-0-0-0'] });
    expect(await codes({ regions: [] })).toEqual({ total: 0, codes: [] });
    expect(await codes({ region: 2 })).toEqual({ total: 1, codes: ['2-1-10-5-0-0-0'] });
    expect(await codes({ renewalCodePrefix: '1-2-34-' }, 1, 1)).toEqual({ total: 3, codes: ['1-2-34-56-1-1-0'] });
    expect(await codes({ renewalCodePrefix: '1-2-34-57-0-0-0' })).toEqual({ total: 1, codes: ['1-2-34-57-0-0-0'] });
    expect(await codes({ addressContains: '۱۰٪_' })).toEqual({ total: 1, codes: ['1-2-34-57-0-0-0'] });
    expect(await codes({ addressContains: '_' })).toEqual({ total: 1, codes: ['1-2-34-57-0-0-0'] });
    expect(await codes({ postalCode: '3400000005' })).toEqual({ total: 1, codes: ['2-1-10-5-0-0-0'] });
    expect(await codes({ plateMain: '156', plateSub: '2' })).toEqual({ total: 2, codes: ['1-2-34-56-0-0-0', '1-2-34-56-1-1-0'] });
    expect(await codes({ plateMain: '156', plateSub: '3' })).toEqual({ total: 0, codes: [] });
    const [first] = (await run(db.em(), repo.search({ ownerNationalId: '0087654321' }, 10, 0))).items;
    expect(first).toMatchObject({ postalCode: '3400000056', plateMain: '156', plateSub: '2' });
    expect(first.owners).toEqual([
      { nationalId: '0012345678', fullName: 'علی رضایی', sharePercent: 60 },
      { nationalId: '0087654321', fullName: 'مریم احمدی', sharePercent: 40 },
    ]);
  });

  it('reads the inquiry records: summary, unmasked owners and certificates newest first; null without the property', async () => {
    const r = await run(db.em(), repo.inquiryRecords('1-2-34-56-0-0-0'));
    expect(r).toMatchObject({ id: ID(1), summary: { renewalCode: '1-2-34-56-0-0-0', region: 1 } });
    expect(r!.owners).toEqual([
      { nationalId: '0012345678', fullName: 'علی رضایی', sharePercent: 60 },
      { nationalId: '0087654321', fullName: 'مریم احمدی', sharePercent: 40 },
    ]);
    expect(r!.certificates).toEqual([
      { kind: 'completion', requestNumber: 'C-7', jalaliYear: 1397, issueDate: '2018-09-10' },
      { kind: 'building_permit', requestNumber: 'BP-1', jalaliYear: 1395, issueDate: '2016-05-01' },
    ]);
    expect((await run(db.em(), repo.inquiryRecords('1-2-34-57-0-0-0')))!.owners).toEqual([]);
    expect(await run(db.em(), repo.inquiryRecords('9-9-9-9-0-0-0'))).toBeNull();
  });

  it('runs in the caller’s transaction: a parcel written there is read there', async () => {
    const seen = await db.em().transactional(async (tx) => {
      await run(tx, bulk.insertParcels([parcel(ID(5), '3-1-1-1-0-0-0', 50.1, 36.3)], false));
      return run(tx, repo.summary('3-1-1-1-0-0-0'));
    });
    expect(seen?.renewalCode).toBe('3-1-1-1-0-0-0');
  });
});
