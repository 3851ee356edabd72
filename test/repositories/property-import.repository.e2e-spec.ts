import { run, runAll } from '../../src/database/sql';
import { PropertyImportRepository } from '../../src/modules/properties/property-import.repository';
import { createTestDb, TestDb } from '../helpers/test-app';
import { parcel, square } from './property-fixtures';

const ID = (n: number) => `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`;

describe('PropertyImportRepository (real database)', () => {
  let db: TestDb;
  const repo = new PropertyImportRepository();
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(() => db?.close());

  it('reports the invalid geometries by 1-based position with PostGIS’s reason', async () => {
    const ok = JSON.parse(square(50, 36.27));
    const bowtie = { type: 'Polygon', coordinates: [[[50, 36], [50.1, 36.1], [50.1, 36], [50, 36.1], [50, 36]]] };
    const invalid = await run(db.em(), repo.invalidGeometries([ok, bowtie, ok]));
    expect(invalid).toEqual([{ ord: 2, reason: expect.stringMatching(/self-intersection/i) }]);
  });

  it('inserts parcels as 2-D multipolygons, upserts by renewal code, and finds existing codes and certificate holders', async () => {
    const point3d = JSON.stringify({ type: 'Polygon', coordinates: [[[50, 36.27, 5], [50.0002, 36.27, 5], [50.0002, 36.2702, 5], [50, 36.27, 5]]] });
    await run(db.em(), repo.insertParcels([parcel(ID(1), '1-2-34-56-0-0-0', 50, 36.27, { geom: point3d }), parcel(ID(2), '1-2-34-57-0-0-0', 50.001, 36.27)], false));
    const [stored] = await db.sql<{ t: string; d: number; address: string }>(
      `select geometrytype(geom) as t, st_ndims(geom) as d, address from property where renewal_code = '1-2-34-56-0-0-0'`,
    );
    expect(stored).toEqual({ t: 'MULTIPOLYGON', d: 2, address: 'قزوین، خیابان آزمون، پلاک 56' });
    // a plain insert of an existing code fails; the upsert updates it in place (same id)
    await expect(run(db.em(), repo.insertParcels([parcel(ID(3), '1-2-34-56-0-0-0', 50, 36.27)], false))).rejects.toThrow(/unique|duplicate/i);
    await run(db.em(), repo.insertParcels([parcel(ID(3), '1-2-34-56-0-0-0', 50, 36.27, { address: 'نشانی تازه', floors: 4 })], true));
    expect(await db.sql(`select id, address, floors from property where renewal_code = '1-2-34-56-0-0-0'`)).toEqual([{ id: ID(1), address: 'نشانی تازه', floors: 4 }]);

    await runAll(db.em(), [
      repo.insertOwners([{ id: ID(11), renewal_code: '1-2-34-56-0-0-0', national_id: '0012345678', full_name: 'علی رضایی', share_percent: 100 }]),
      repo.insertCertificates([
        { id: ID(21), renewal_code: '1-2-34-56-0-0-0', kind: 'completion', request_number: 'C-1', jalali_year: 1397, issue_date: '2018-09-10' },
        { id: ID(22), renewal_code: '1-2-34-57-0-0-0', kind: 'completion', request_number: 'C-2', jalali_year: 1398, issue_date: '2019-09-10' },
      ]),
    ] as const);
    const found = await run(db.em(), repo.existingParcels(['1-2-34-56-0-0-0', '9-9-9-9-0-0-0'], ['C-2', 'C-9']));
    expect(found.codes).toEqual(['1-2-34-56-0-0-0']);
    expect([...found.certificateHolders]).toEqual([['C-2', '1-2-34-57-0-0-0']]);

    // replacing a parcel's owners and history removes only that parcel's rows
    await runAll(db.em(), [repo.deleteOwners(['1-2-34-56-0-0-0']), repo.deleteCertificates(['1-2-34-56-0-0-0'])] as const);
    expect(await db.sql(`select count(*)::int as n from property_owner`)).toEqual([{ n: 0 }]);
    expect(await db.sql(`select request_number from property_certificate`)).toEqual([{ request_number: 'C-2' }]);
    expect(await run(db.em(), repo.propertyCount())).toBe(2);
  });

  it('inserts and upserts zones, and finds existing ones', async () => {
    const zone = (name: string) => ({ code: 'R-1', name, rules: { maxFloors: 2 }, plan_name: 'طرح', approval_date: '1398/01/01', geom: square(50, 36, 0.01) });
    await run(db.em(), repo.insertZones([zone('الف')], false));
    await run(db.em(), repo.insertZones([zone('ب')], true));
    expect(await db.sql(`select code, name, rules, geometrytype(geom) as t from zone`)).toEqual([{ code: 'R-1', name: 'ب', rules: { maxFloors: 2 }, t: 'MULTIPOLYGON' }]);
    expect(await run(db.em(), repo.existingZones(['R-1', 'R-9']))).toEqual(['R-1']);
  });

  it('inserts widening plans, finds them by name and approval date, and updates them', async () => {
    await run(
      db.em(),
      repo.insertWideningPlans([{ id: ID(31), name: 'تعریض', street_name: 'الف', approval_date: '1399/01/01', geom: square(50, 36, 0.001) }]),
    );
    expect(
      await run(db.em(), repo.existingWideningPlans([{ name: 'تعریض', approvalDate: '1399/01/01' }, { name: 'تعریض', approvalDate: '1400/01/01' }])),
    ).toEqual([{ name: 'تعریض', approvalDate: '1399/01/01' }]);
    await run(db.em(), repo.updateWideningPlans([{ name: 'تعریض', street_name: 'ب', approval_date: '1399/01/01', geom: square(50, 36, 0.002) }]));
    const [w] = await db.sql<{ id: string; street_name: string; area: number }>(`select id, street_name, st_area(geom) as area from widening_plan`);
    expect(w).toEqual({ id: ID(31), street_name: 'ب', area: expect.closeTo(0.000004, 10) });
  });

  it('inserts city-layer features, matches them by layer, name and exact geometry, and updates them', async () => {
    const street = JSON.stringify({ type: 'LineString', coordinates: [[50, 36], [50.01, 36]] });
    await run(db.em(), repo.insertLayerFeatures([{ id: ID(41), layer: 'streets', name: 'خیابان', kind: 'main', properties: { widthMeters: 20 }, geom: street }]));
    const other = JSON.stringify({ type: 'LineString', coordinates: [[50, 36], [50.02, 36]] });
    expect(
      await run(
        db.em(),
        repo.existingLayerFeatures([
          { layer: 'streets', name: 'خیابان', geom: other },
          { layer: 'streets', name: 'خیابان', geom: street },
          { layer: 'places', name: 'خیابان', geom: street },
        ]),
      ),
    ).toEqual([1]);
    await run(db.em(), repo.updateLayerFeatures([{ layer: 'streets', name: 'خیابان', kind: 'local', properties: { widthMeters: 12 }, geom: street }]));
    expect(await db.sql(`select kind, properties from city_layer_feature`)).toEqual([{ kind: 'local', properties: { widthMeters: 12 } }]);
  });

  it('writes nothing when the caller’s transaction fails, and analyzes the tables', async () => {
    await expect(
      db.em().transactional(async (tx) => {
        await run(tx, repo.insertParcels([parcel(ID(9), '5-1-1-1-0-0-0', 51, 36)], false));
        throw new Error('the import fails');
      }),
    ).rejects.toThrow('the import fails');
    expect(await run(db.em(), repo.propertyCount())).toBe(2);
    await expect(run(db.em(), repo.analyze())).resolves.toBeUndefined();
  });
});
