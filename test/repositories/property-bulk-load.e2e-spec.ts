import { PropertyBulkLoadService } from '../../src/modules/properties/property-bulk-load.service';
import { PropertyImportRepository } from '../../src/modules/properties/property-import.repository';
import { createTestDb, TestDb } from '../helpers/test-app';
import { parcel, square } from './property-fixtures';

const ID = (n: number) => `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`;

/** The bulk load the CLI's demo city writes through (the properties module's statements, no SQL of its own). */
describe('PropertyBulkLoadService (real database)', () => {
  let db: TestDb;
  const registry = new PropertyBulkLoadService(new PropertyImportRepository());
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(() => db?.close());

  it('loads zones, widening plans with their widths and city-viewer features in the caller’s transaction', async () => {
    const street = JSON.stringify({ type: 'LineString', coordinates: [[50, 36], [50.01, 36]] });
    await db.em().transactional((tx) =>
      registry.reference(tx, {
        zones: [{ code: 'R-2', name: 'مسکونی', rules: { maxFloors: 3 }, plan_name: 'طرح تفصیلی', approval_date: '1398/01/01', geom: square(50, 36, 0.01) }],
        wideningPlans: [
          { id: ID(31), name: 'تعریض فردوسی', street_name: 'فردوسی', current_width: 16, planned_width: 20, approval_date: '1399/07/01', geom: square(50, 36, 0.001) },
          { id: ID(32), name: 'تعریض بی‌عرض', street_name: null, approval_date: '1400/01/01', geom: square(50.01, 36, 0.001) },
        ],
        layerFeatures: [{ id: ID(41), layer: 'streets', name: 'فردوسی', kind: 'main', properties: { widthMeters: 16 }, geom: street }],
      }),
    );
    expect(await db.sql(`select code, rules from zone`)).toEqual([{ code: 'R-2', rules: { maxFloors: 3 } }]);
    expect(await db.sql(`select name, current_width, planned_width from widening_plan order by name`)).toEqual([
      { name: 'تعریض بی‌عرض', current_width: null, planned_width: null },
      { name: 'تعریض فردوسی', current_width: 16, planned_width: 20 },
    ]);
    expect(await db.sql(`select layer, name, kind from city_layer_feature`)).toEqual([{ layer: 'streets', name: 'فردوسی', kind: 'main' }]);
  });

  it('loads a parcel batch with owners and certificates joined by renewal code, counts and analyzes', async () => {
    const em = db.em();
    expect(await registry.count(em)).toBe(0);
    await em.transactional((tx) =>
      registry.parcels(tx, {
        parcels: [parcel(ID(1), '1-2-34-56-0-0-0', 50, 36.27), parcel(ID(2), '1-2-34-57-0-0-0', 50.001, 36.27)],
        owners: [
          { id: ID(11), renewal_code: '1-2-34-56-0-0-0', national_id: '0012345678', full_name: 'علی رضایی', share_percent: 50 },
          { id: ID(12), renewal_code: '1-2-34-56-0-0-0', national_id: '0023456789', full_name: 'مریم رضایی', share_percent: 50 },
          { id: ID(13), renewal_code: '1-2-34-57-0-0-0', national_id: '0034567890', full_name: 'رضا احمدی', share_percent: 100 },
        ],
        certificates: [{ id: ID(21), renewal_code: '1-2-34-57-0-0-0', kind: 'completion', request_number: 'C-1', jalali_year: 1397, issue_date: '2018-09-10' }],
      }),
    );
    expect(await registry.count(em)).toBe(2);
    expect(
      await db.sql(
        `select p.renewal_code, count(o.id)::int as owners, count(distinct c.id)::int as certificates
           from property p left join property_owner o on o.property_id = p.id left join property_certificate c on c.property_id = p.id
          group by p.renewal_code order by p.renewal_code`,
      ),
    ).toEqual([
      { renewal_code: '1-2-34-56-0-0-0', owners: 2, certificates: 0 },
      { renewal_code: '1-2-34-57-0-0-0', owners: 1, certificates: 1 },
    ]);
    await expect(registry.analyze(em)).resolves.toBeUndefined();
  });

  it('writes nothing of a batch whose transaction fails', async () => {
    await expect(
      db.em().transactional(async (tx) => {
        await registry.parcels(tx, { parcels: [parcel(ID(3), '1-2-34-58-0-0-0', 50.002, 36.27)], owners: [], certificates: [] });
        throw new Error('interrupted');
      }),
    ).rejects.toThrow('interrupted');
    expect(await registry.count(db.em())).toBe(2);
  });
});
