import { generateNationalId } from '@app/iran';
import { StaffRole } from '../../src/modules/membership/entities/staff-user.entity';
import { signedStaffToken } from '../helpers/staff';
import { pos, rectPolygon } from '../helpers/geo';
import { createTestApp, TestApp } from '../helpers/test-app';

const rect = rectPolygon;
/** A bow tie: a self-intersecting ring that GeoJSON allows and PostGIS calls invalid. */
function bowtie(x0: number, y0: number, size: number) {
  return { type: 'Polygon', coordinates: [[pos(x0, y0), pos(x0 + size, y0 + size), pos(x0 + size, y0), pos(x0, y0 + size), pos(x0, y0)]] };
}

const feature = (properties: Record<string, unknown>, geometry: unknown, id?: string) => ({ type: 'Feature', ...(id ? { id } : {}), properties, geometry });
const fc = (features: unknown[]) => ({ type: 'FeatureCollection', features });
const nid = (seed: number) => generateNationalId(seed, { prefix: '44' });

function parcel(code: string, x: number, y: number, extra: Record<string, unknown> = {}) {
  return feature(
    {
      renewalCode: code,
      address: `قزوین، خیابان خیام، پلاک ${code.split('-')[3]}`,
      landArea: 400,
      buildingArea: 600,
      use: 'residential',
      floors: 2,
      units: 2,
      structureType: 'concrete',
      accessRoadWidth: 12,
      frontage: 20,
      zoneCode: 'R-1',
      ...extra,
    },
    rect(x, y, x + 20, y + 20),
  );
}

/** Rules whose bands tile plot area × road width. */
const RULES = {
  allowedUses: ['residential', 'educational'],
  maxOccupancyPercent: 60,
  baseDensityPercent: 120,
  maxDensityPercent: 180,
  maxFloors: 3,
  minPlotArea: 200,
  setbacks: { front: 2, back: 5, side: 0 },
  bands: [
    { minPlotArea: 0, maxPlotArea: 300, minRoadWidth: 0, maxRoadWidth: 12, densityPercent: 120 },
    { minPlotArea: 0, maxPlotArea: 300, minRoadWidth: 12, maxRoadWidth: null, densityPercent: 140 },
    { minPlotArea: 300, maxPlotArea: null, minRoadWidth: 0, maxRoadWidth: 12, densityPercent: 150 },
    { minPlotArea: 300, maxPlotArea: null, minRoadWidth: 12, maxRoadWidth: null, densityPercent: 180 },
  ],
  parkingRule: { perUnit: 1, perCommercialM2: 75 },
};

describe('admin: GeoJSON imports and audited registry edits', () => {
  let t: TestApp;
  let admin: string;
  let manager2: string;
  let clerk1: string;

  const upload = (kind: string, body: unknown, query: Record<string, string> = {}, token = admin, name = `${kind}.geojson`) =>
    t
      .http()
      .post(`/api/v1/admin/imports/${kind}`)
      .query(query)
      .set('Authorization', `Bearer ${token}`)
      .attach('file', Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)), name);
  const count = async (table: string) => Number((await t.sql<{ n: string }>(`select count(*) as n from ${table}`))[0].n);
  const auditOf = (action: string) =>
    t.sql<{ target_id: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null; metadata: Record<string, unknown> | null; actor_type: string }>(
      `select target_id, before, after, metadata, actor_type from audit_log where action = $1 order by at`,
      [action],
    );

  beforeAll(async () => {
    t = await createTestApp();
    admin = (await signedStaffToken(t, { username: 'gis.admin', roles: [StaffRole.Admin] })).token;
    manager2 = (await signedStaffToken(t, { username: 'manager.r2', roles: [StaffRole.RegionManager], regions: [2] })).token;
    clerk1 = (await signedStaffToken(t, { username: 'clerk.r1', roles: [StaffRole.RegionClerk], regions: [1] })).token;
  });
  afterAll(() => t?.close());

  it('imports parcels with owners and certificate history, found by the public lookup, audited with the file hash', async () => {
    const file = fc([
      parcel('۱-۲-۳۴-۵۶-۰-۰-۰', 0, 0, {
        postalCode: '34136-45185',
        plateMain: 1234,
        plateSub: '56',
        constructionYear: 1392,
        owners: [
          { nationalId: nid(1), fullName: 'علي محمدي', sharePercent: 50 },
          { nationalId: nid(2), fullName: 'زهرا احمدی', sharePercent: 50 },
        ],
        certificates: [
          { kind: 'building_permit', requestNumber: '1390000001', jalaliYear: 1390, issueDate: '1390/05/01' },
          { kind: 'transfer', requestNumber: '1402000002', jalaliYear: 1402, issueDate: '2023-07-12' },
        ],
      }),
      {
        ...parcel('1-2-34-57-0-0-0', 20, 0, { owners: [{ nationalId: nid(3), fullName: 'رضا کریمی', sharePercent: 100 }] }),
        geometry: { type: 'MultiPolygon', coordinates: [rect(20, 0, 40, 20).coordinates] },
      },
      parcel('2-1-5-9-0-0-0', 0, 100, { owners: [{ nationalId: nid(4), fullName: 'مریم رضایی', sharePercent: 100 }] }),
    ]);
    const res = await upload('parcels', file).expect(200);
    expect(res.body).toMatchObject({ kind: 'parcels', mode: 'insert', accepted: 3, rejected: 0, inserted: 3, updated: 0, dryRun: false, fileName: 'parcels.geojson' });
    expect(res.body.sha256).toMatch(/^[0-9a-f]{64}$/);

    const summary = await t.http().get('/api/v1/properties/1-2-34-56-0-0-0').expect(200);
    expect(summary.body).toMatchObject({ renewalCode: '1-2-34-56-0-0-0', region: 1, use: 'residential', landArea: 400, zoneCode: 'R-1' });
    expect(summary.body.parcelAreaM2).toBeGreaterThan(396);
    expect(summary.body.parcelAreaM2).toBeLessThan(404);
    await t.http().get('/api/v1/properties/2-1-5-9-0-0-0').expect(200);
    const [row] = await t.sql<{ postal_code: string; plate_main: string; t: string }>(
      `select postal_code, plate_main, geometrytype(geom) as t from property where renewal_code = '1-2-34-56-0-0-0'`,
    );
    expect(row).toEqual({ postal_code: '3413645185', plate_main: '1234', t: 'MULTIPOLYGON' });

    const detail = await t.http().get('/api/v1/admin/properties/1-2-34-56-0-0-0').set('Authorization', `Bearer ${admin}`).expect(200);
    expect(detail.body.owners).toHaveLength(2);
    expect(detail.body.owners.map((o: { fullName: string }) => o.fullName).sort()).toEqual(['زهرا احمدی', 'علی محمدی']); // ي → ی
    expect(detail.body.certificates).toEqual([
      { kind: 'building_permit', requestNumber: '1390000001', jalaliYear: 1390, issueDate: '2011-07-23' },
      { kind: 'transfer', requestNumber: '1402000002', jalaliYear: 1402, issueDate: '2023-07-12' },
    ]);
    expect(await count('property_owner')).toBe(4);

    const [audit] = await auditOf('properties.import');
    expect(audit.actor_type).toBe('staff');
    expect(audit.metadata).toMatchObject({ kind: 'parcels', fileName: 'parcels.geojson', sha256: res.body.sha256, accepted: 3, inserted: 3, owners: 4, certificates: 2 });
  });

  it('imports zones, widening plans and layers, which the public map services then use', async () => {
    const zones = await upload(
      'zones',
      fc([
        feature({ code: 'R-1', name: 'مسکونی کم‌تراکم', rules: RULES, planName: 'طرح تفصیلی شهر قزوین', approvalDate: '1396/5/10' }, rect(-500, -500, 500, 50)),
        feature({ code: 'C-1', name: 'تجاری', rules: { ...RULES, allowedUses: ['commercial'] }, planName: 'طرح تفصیلی شهر قزوین', approvalDate: '1396/05/10' }, rect(-500, 50, 500, 500)),
      ]),
    ).expect(200);
    expect(zones.body).toMatchObject({ kind: 'zones', accepted: 2, inserted: 2 });
    const zoning = await t.http().get('/api/v1/properties/1-2-34-56-0-0-0/zoning').expect(200);
    expect(zoning.body).toMatchObject({ zoneCode: 'R-1', approvalDate: '1396/05/10', rules: { maxFloors: 3 } });

    const plans = await upload(
      'widening-plans',
      fc([feature({ name: 'تعریض خیابان خیام', streetName: 'خیابان خیام', approvalDate: '1398/02/15' }, rect(-100, -10, 20, 10))]),
    ).expect(200);
    expect(plans.body).toMatchObject({ kind: 'widening-plans', accepted: 1 });
    const widening = await t.http().get('/api/v1/properties/1-2-34-56-0-0-0/street-widening').expect(200);
    expect(widening.body.affected).toBe(true);
    expect(Math.abs(widening.body.sharePercent - 50)).toBeLessThan(0.5);

    const layers = await upload(
      'layers',
      fc([
        feature({ layer: 'places', name: 'بوستان ملت', kind: 'park', region: 1 }, { type: 'Point', coordinates: pos(10, 10) }),
        feature({ layer: 'streets', name: 'خیابان خیام', kind: 'main', widthMeters: 24 }, { type: 'LineString', coordinates: [pos(-100, 0), pos(100, 0)] }),
        feature({ layer: 'regions', name: 'منطقه یک' }, rect(-500, -500, 0, 500)),
      ]),
    ).expect(200);
    expect(layers.body).toMatchObject({ kind: 'layers', accepted: 3 });
    const places = await t.http().get('/api/v1/city-view/layers/places').expect(200);
    expect(places.body.features[0].properties).toMatchObject({ name: 'بوستان ملت', kind: 'park', region: 1 });
    const [region] = await t.sql<{ t: string }>(`select geometrytype(geom) as t from city_layer_feature where layer = 'regions'`);
    expect(region.t).toBe('POLYGON');
    expect((await auditOf('properties.import')).map((a) => a.target_id)).toEqual(['parcels', 'zones', 'widening-plans', 'layers']);
  });

  it('rejects a file with invalid features as a whole, naming each index and reason, and writes nothing', async () => {
    const before = { property: await count('property'), owners: await count('property_owner'), audit: await count('audit_log') };
    const file = fc([
      parcel('1-3-1-1-0-0-0', 200, 0), // 0: valid
      parcel('1-3-1-x-0-0-0', 220, 0), // 1: bad renewal code
      feature({ ...parcel('1-3-1-3-0-0-0', 0, 0).properties }, bowtie(240, 0, 20)), // 2: self-intersecting
      parcel('1-3-1-1-0-0-0', 260, 0), // 3: duplicate of feature 0
      parcel('1-2-34-56-0-0-0', 280, 0), // 4: already in the database
      parcel('1-3-1-5-0-0-0', 300, 0, {
        owners: [
          { nationalId: nid(5), fullName: 'الف', sharePercent: 60 },
          { nationalId: '1234567890', fullName: 'ب', sharePercent: 30 },
        ],
      }), // 5: bad national ID and shares 90
      parcel('1-3-1-6-0-0-0', 320, 0, { use: 'castle', landArea: -5 }), // 6: two bad fields
      feature({ ...parcel('1-3-1-7-0-0-0', 0, 0).properties }, { type: 'LineString', coordinates: [pos(0, 0), pos(1, 1)] }), // 7: wrong type
      parcel('1-3-1-8-0-0-0', 340, 0, { certificates: [{ kind: 'transfer', requestNumber: '1402000002', jalaliYear: 1402, issueDate: '2023-07-12' }] }), // 8: request number taken
    ]);
    const res = await upload('parcels', file).expect(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'IMPORT_REJECTED', kind: 'parcels', accepted: 0, rejected: 8, total: 9, dryRun: false });
    const reasons = (res.body.rejections as Array<{ index: number; reason: string; field?: string }>).map((r) => [r.index, r.reason, r.field]);
    expect(reasons).toEqual([
      [1, 'RENEWAL_CODE_INVALID', 'properties.renewalCode'],
      [2, 'GEOMETRY_INVALID', 'geometry'],
      [3, 'DUPLICATE', 'properties.renewalCode'],
      [4, 'DUPLICATE', 'properties.renewalCode'],
      [5, 'NATIONAL_ID_INVALID', 'properties.owners[1].nationalId'],
      [6, 'FIELD_INVALID', 'properties.landArea'],
      [6, 'FIELD_INVALID', 'properties.use'],
      [7, 'GEOMETRY_INVALID', 'geometry'],
      [8, 'DUPLICATE', 'properties.certificates[0].requestNumber'],
    ]);
    const byIndex = (i: number) => (res.body.rejections as Array<{ index: number; id?: string; message: string }>).find((r) => r.index === i)!;
    expect(byIndex(2).message).toMatch(/PostGIS: Self-intersection/);
    expect(byIndex(2).id).toBe('1-3-1-3-0-0-0');
    expect(byIndex(3).message).toMatch(/feature 0/);
    expect(byIndex(4).message).toMatch(/already in the database/);
    // the standard problem field errors carry the same, with localized messages
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'features[2].geometry', code: 'GEOMETRY_INVALID' })]));

    // the shares are checked once every owner is valid
    const shares = await upload(
      'parcels',
      fc([parcel('1-3-1-9-0-0-0', 0, 0, { owners: [{ nationalId: nid(6), fullName: 'الف', sharePercent: 60 }, { nationalId: nid(7), fullName: 'ب', sharePercent: 30 }] })]),
    ).expect(422);
    expect(shares.body.rejections).toEqual([expect.objectContaining({ index: 0, reason: 'OWNER_SHARES_INVALID', field: 'properties.owners', message: expect.stringMatching(/90/) })]);

    expect({ property: await count('property'), owners: await count('property_owner'), audit: await count('audit_log') }).toEqual(before);
    await t.http().get('/api/v1/properties/1-3-1-1-0-0-0').expect(404);
  });

  it('validates zone rules, widening plans and layers in their imports', async () => {
    const res = await upload(
      'zones',
      fc([
        feature({ code: 'R-1', name: 'x', rules: RULES, planName: 'p', approvalDate: '1396/05/10' }, rect(0, 0, 10, 10)), // exists
        feature({ code: 'M', name: 'x', rules: { ...RULES, maxDensityPercent: 100 }, planName: 'p', approvalDate: '1396/13/10' }, rect(0, 0, 10, 10)),
        feature({ code: 'G', name: 'x', rules: { ...RULES, bands: RULES.bands.slice(1) }, planName: 'p', approvalDate: '1396/05/10' }, rect(0, 0, 10, 10)),
        feature({ code: 'G2', name: 'x', rules: { ...RULES, bands: [...RULES.bands, RULES.bands[0]] }, planName: 'p', approvalDate: '1396/05/10' }, { type: 'Point', coordinates: pos(0, 0) }),
      ]),
    ).expect(422);
    const list = res.body.rejections as Array<{ index: number; reason: string; field: string; message: string }>;
    expect(list.map((r) => [r.index, r.reason, r.field])).toEqual([
      [0, 'DUPLICATE', 'properties.code'],
      [1, 'FIELD_INVALID', 'properties.rules.maxDensityPercent'],
      [1, 'FIELD_INVALID', 'properties.approvalDate'],
      [2, 'FIELD_INVALID', 'properties.rules.bands'],
      [3, 'GEOMETRY_INVALID', 'geometry'],
      [3, 'FIELD_INVALID', 'properties.rules.bands'],
    ]);
    expect(list[3].message).toMatch(/gap at plot area 0–300 m², road width 0–12 m/);
    expect(list[5].message).toMatch(/bands 0 and 4 overlap/);

    const plans = await upload(
      'widening-plans',
      fc([
        feature({ name: 'تعریض خیابان خیام', approvalDate: '1398/02/15' }, rect(0, 0, 5, 5)), // exists
        feature({ name: 'طرح دوم', approvalDate: '1399/01/01' }, rect(0, 0, 5, 5)),
        feature({ name: 'طرح دوم', approvalDate: '1399/01/01' }, rect(5, 5, 9, 9)),
        feature({ approvalDate: 'دیروز' }, rect(5, 5, 9, 9)),
      ]),
    ).expect(422);
    expect((plans.body.rejections as Array<{ index: number; reason: string; field: string }>).map((r) => [r.index, r.reason, r.field])).toEqual([
      [0, 'DUPLICATE', 'properties.name'],
      [2, 'DUPLICATE', 'properties.name'],
      [3, 'FIELD_INVALID', 'properties.name'],
      [3, 'FIELD_INVALID', 'properties.approvalDate'],
    ]);

    const layers = await upload(
      'layers',
      fc([
        feature({ layer: 'places', name: 'بوستان ملت', kind: 'park' }, { type: 'Point', coordinates: pos(10, 10) }), // exists
        feature({ layer: 'sewers', name: 'x' }, { type: 'Point', coordinates: pos(1, 1) }),
        feature({ layer: 'places', name: 'y' }, { type: 'Point', coordinates: [5000000, 4000000] }),
        { type: 'Feature', properties: { layer: 'places', name: 'z' } },
      ]),
    ).expect(422);
    expect((layers.body.rejections as Array<{ index: number; reason: string; field: string }>).map((r) => [r.index, r.reason, r.field])).toEqual([
      [0, 'DUPLICATE', 'properties.name'],
      [1, 'FIELD_INVALID', 'properties.layer'],
      [2, 'GEOMETRY_INVALID', 'geometry'],
      [3, 'GEOMETRY_INVALID', 'geometry'],
    ]);
    expect(await count('zone')).toBe(2);
    expect(await count('widening_plan')).toBe(1);
    expect(await count('city_layer_feature')).toBe(3);
  });

  it('writes nothing on a dry run, valid or not', async () => {
    const before = { property: await count('property'), audit: await count('audit_log') };
    const ok = await upload('parcels', fc([parcel('1-4-1-1-0-0-0', 0, 300), parcel('1-4-1-2-0-0-0', 20, 300)]), { dryRun: 'true' }).expect(200);
    expect(ok.body).toMatchObject({ accepted: 2, rejected: 0, inserted: 0, dryRun: true });
    const bad = await upload('parcels', fc([parcel('1-4-1-1-0-0-0', 0, 300), parcel('1-4-1', 20, 300)]), { dryRun: 'true' }).expect(422);
    expect(bad.body).toMatchObject({ code: 'IMPORT_REJECTED', dryRun: true, rejected: 1 });
    expect({ property: await count('property'), audit: await count('audit_log') }).toEqual(before);
    await t.http().get('/api/v1/properties/1-4-1-1-0-0-0').expect(404);
  });

  it('updates existing parcels with ?mode=upsert, replacing the owners the file lists', async () => {
    const file = fc([
      parcel('2-1-5-9-0-0-0', 0, 100, { floors: 4, owners: [{ nationalId: nid(8), fullName: 'خریدار', sharePercent: 100 }] }),
      parcel('2-1-5-10-0-0-0', 20, 100),
    ]);
    const insertOnly = await upload('parcels', file).expect(422);
    expect(insertOnly.body.rejections).toEqual([expect.objectContaining({ index: 0, reason: 'DUPLICATE' })]);
    const res = await upload('parcels', file, { mode: 'upsert' }).expect(200);
    expect(res.body).toMatchObject({ mode: 'upsert', accepted: 2, inserted: 1, updated: 1 });
    const detail = await t.http().get('/api/v1/admin/properties/2-1-5-9-0-0-0').set('Authorization', `Bearer ${admin}`).expect(200);
    expect(detail.body).toMatchObject({ floors: 4, owners: [{ nationalId: nid(8), fullName: 'خریدار', sharePercent: 100 }] });
  });

  it('answers coded 400s for a missing, malformed or non-FeatureCollection file and an unknown kind', async () => {
    const notJson = await upload('parcels', '{"type": "FeatureCollection", "features": [').expect(400);
    expect(notJson.body.code).toBe('IMPORT_FILE_INVALID');
    const notFc = await upload('parcels', { type: 'Feature', properties: {}, geometry: null }).expect(400);
    expect(notFc.body.code).toBe('IMPORT_FILE_INVALID');
    const empty = await upload('parcels', fc([])).expect(400);
    expect(empty.body.code).toBe('IMPORT_FILE_INVALID');
    const utm = await upload('parcels', { ...fc([parcel('1-5-1-1-0-0-0', 0, 0)]), crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::32639' } } }).expect(400);
    expect(utm.body.code).toBe('IMPORT_FILE_INVALID');
    const noFile = await t.http().post('/api/v1/admin/imports/parcels').set('Authorization', `Bearer ${admin}`).field('note', 'x').expect(400);
    expect(noFile.body.code).toBe('IMPORT_FILE_INVALID');
    const kind = await upload('buildings', fc([parcel('1-5-1-1-0-0-0', 0, 0)])).expect(400);
    expect(kind.body.code).toBe('VALIDATION_FAILED');
    const mode = await upload('parcels', fc([parcel('1-5-1-1-0-0-0', 0, 0)]), { mode: 'merge' }).expect(400);
    expect(mode.body.errors[0].field).toBe('mode');
    const big = await t
      .http()
      .post('/api/v1/admin/imports/parcels')
      .set('Authorization', `Bearer ${admin}`)
      .attach('file', Buffer.alloc(50 * 1024 * 1024 + 1, 0x20), 'huge.geojson')
      .expect(413);
    expect(big.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('keeps imports and zone edits to admins', async () => {
    const file = fc([parcel('1-6-1-1-0-0-0', 0, 0)]);
    expect((await upload('parcels', file, {}, clerk1).expect(403)).body.code).toBe('FORBIDDEN');
    await upload('parcels', file, {}, manager2).expect(403);
    await t.http().post('/api/v1/admin/imports/parcels').attach('file', Buffer.from(JSON.stringify(file)), 'p.geojson').expect(401);
    await t.http().patch('/api/v1/admin/zones/R-1').set('Authorization', `Bearer ${manager2}`).send({ name: 'x' }).expect(403);
    await t.http().patch('/api/v1/admin/properties/1-2-34-56-0-0-0').set('Authorization', `Bearer ${clerk1}`).send({ floors: 3 }).expect(403);
  });

  it('edits zone rules with validation, audited before/after', async () => {
    const patch = (body: object) => t.http().patch('/api/v1/admin/zones/R-1').set('Authorization', `Bearer ${admin}`).send(body);
    // the plan's approval date typed in Gregorian is kept as the Jalali date the zoning answer shows
    const res = await patch({ name: 'مسکونی کم تراكم', rules: { ...RULES, maxFloors: 4 }, approvalDate: '2017-08-02' }).expect(200);
    expect(res.body).toMatchObject({ code: 'R-1', name: 'مسکونی کم تراکم', rules: { maxFloors: 4 }, approvalDate: '1396/05/11' });
    const zoning = await t.http().get('/api/v1/properties/1-2-34-56-0-0-0/zoning').expect(200);
    expect(zoning.body.rules.maxFloors).toBe(4);
    expect(zoning.body.approvalDate).toBe('1396/05/11');
    for (const approvalDate of ['1396/05/32', '2017-02-29', '10/05/1396']) {
      const wrongDate = await patch({ approvalDate }).expect(400);
      expect([approvalDate, wrongDate.body.errors]).toEqual([approvalDate, [expect.objectContaining({ field: 'approvalDate', code: 'isCalendarDay' })]]);
    }

    const bad = await patch({ rules: { ...RULES, baseDensityPercent: 200, maxOccupancyPercent: -1, bands: [RULES.bands[0], { ...RULES.bands[1], minRoadWidth: 10 }] } }).expect(400);
    expect(bad.body.code).toBe('ZONE_RULES_INVALID');
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['rules.bands', 'rules.maxDensityPercent', 'rules.maxOccupancyPercent']);
    await t.http().patch('/api/v1/admin/zones/NOPE').set('Authorization', `Bearer ${admin}`).send({ name: 'x' }).expect(404);

    const [audit] = await auditOf('zone.updated');
    expect(audit.target_id).toBe('R-1');
    expect(audit.before).toMatchObject({ zoneCode: 'R-1', name: 'مسکونی کم‌تراکم', rules: { maxFloors: 3 } });
    expect(audit.after).toMatchObject({ zoneCode: 'R-1', name: 'مسکونی کم تراکم', rules: { maxFloors: 4 } });
    expect(await auditOf('zone.updated')).toHaveLength(1);
  });

  it('lets a region manager edit the properties of their region only, audited before/after', async () => {
    const patch = (code: string, body: object, token = manager2) =>
      t.http().patch(`/api/v1/admin/properties/${code}`).set('Authorization', `Bearer ${token}`).send(body);
    expect((await patch('1-2-34-56-0-0-0', { floors: 3 }).expect(404)).body.code).toBe('NOT_FOUND');
    const res = await patch('۲-۱-۵-۹-۰-۰-۰', { floors: 5, postalCode: '۳۴۱۳۶-۴۵۱۸۶', frontage: null, use: 'mixed' }).expect(200);
    expect(res.body).toMatchObject({ renewalCode: '2-1-5-9-0-0-0', floors: 5, postalCode: '3413645186', frontage: null, use: 'mixed' });
    const summary = await t.http().get('/api/v1/properties/2-1-5-9-0-0-0').expect(200);
    expect(summary.body).toMatchObject({ floors: 5, use: 'mixed', frontage: null });

    const invalid = await patch('2-1-5-9-0-0-0', { landArea: -1, address: null, use: 'castle', surprise: 1 }).expect(400);
    expect(invalid.body.code).toBe('VALIDATION_FAILED');
    expect(invalid.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['landArea', 'address', 'use', 'surprise']));
    await patch('2-1-5-99-0-0-0', { floors: 1 }).expect(404);
    expect((await patch('2-1-5', { floors: 1 }).expect(400)).body.code).toBe('RENEWAL_CODE_INVALID');
    // the admin may edit every region
    await patch('1-2-34-56-0-0-0', { address: 'قزوین، خیابان خیام، پلاک ۵۶ (اصلاح‌شده)' }, admin).expect(200);

    const audits = await auditOf('property.updated');
    expect(audits).toHaveLength(2);
    expect(audits[0]).toMatchObject({
      target_id: '2-1-5-9-0-0-0',
      before: { floors: 4, postalCode: null, frontage: 20, use: 'residential' },
      after: { floors: 5, postalCode: '3413645186', frontage: null, use: 'mixed' },
    });
  });

  it('replaces owners (shares must add up to 100), audited before/after', async () => {
    const put = (code: string, owners: unknown, token = manager2) =>
      t.http().put(`/api/v1/admin/properties/${code}/owners`).set('Authorization', `Bearer ${token}`).send({ owners });
    const ninety = await put('2-1-5-9-0-0-0', [
      { nationalId: nid(10), fullName: 'الف', sharePercent: 60 },
      { nationalId: nid(11), fullName: 'ب', sharePercent: 30 },
    ]).expect(400);
    expect(ninety.body).toMatchObject({ code: 'OWNER_SHARES_INVALID', shareSum: 90 });
    const twice = await put('2-1-5-9-0-0-0', [
      { nationalId: nid(10), fullName: 'الف', sharePercent: 50 },
      { nationalId: nid(10), fullName: 'الف', sharePercent: 50 },
    ]).expect(400);
    expect(twice.body.errors[0]).toMatchObject({ field: 'owners[1].nationalId', code: 'DUPLICATE' });
    const badId = await put('2-1-5-9-0-0-0', [{ nationalId: '1234567890', fullName: 'الف', sharePercent: 100 }]).expect(400);
    expect(badId.body.errors[0]).toMatchObject({ field: 'owners.0.nationalId', code: 'isNationalId' });
    await put('1-2-34-56-0-0-0', [{ nationalId: nid(10), fullName: 'الف', sharePercent: 100 }]).expect(404);

    const ok = await put('2-1-5-9-0-0-0', [
      { nationalId: nid(10), fullName: 'الف', sharePercent: 33.33 },
      { nationalId: nid(11), fullName: 'ب', sharePercent: 33.33 },
      { nationalId: nid(12), fullName: 'پ', sharePercent: 33.34 },
    ]).expect(200);
    expect(ok.body.owners).toHaveLength(3);
    const rows = await t.sql<{ national_id: string }>(
      `select o.national_id from property_owner o join property p on p.id = o.property_id where p.renewal_code = '2-1-5-9-0-0-0' order by o.national_id`,
    );
    expect(rows.map((r) => r.national_id)).toEqual([nid(10), nid(11), nid(12)].sort());
    const [audit] = await auditOf('property.owners.replaced');
    expect(audit.before).toEqual({ owners: [{ nationalId: nid(8), fullName: 'خریدار', sharePercent: 100 }] });
    expect((audit.after as { owners: unknown[] }).owners).toHaveLength(3);
  });

  it('adds and removes certificates of the history, audited', async () => {
    const base = '/api/v1/admin/properties/2-1-5-9-0-0-0/certificates';
    const cert = { kind: 'apartment_completion', requestNumber: '1403000009', jalaliYear: 1403, issueDate: '۱۴۰۳/۰۲/۰۱' };
    const added = await t.http().post(base).set('Authorization', `Bearer ${manager2}`).send(cert).expect(201);
    expect(added.body.certificates).toEqual([{ ...cert, issueDate: '2024-04-20' }]);
    const dup = await t.http().post(base).set('Authorization', `Bearer ${manager2}`).send({ ...cert }).expect(409);
    expect(dup.body.code).toBe('CERTIFICATE_DUPLICATE');
    const taken = await t.http().post(base).set('Authorization', `Bearer ${manager2}`).send({ ...cert, requestNumber: '1390000001' }).expect(409);
    expect(taken.body.code).toBe('CERTIFICATE_DUPLICATE');
    const wrongDay = await t.http().post(base).set('Authorization', `Bearer ${manager2}`).send({ ...cert, requestNumber: '1403000010', issueDate: '2024-02-30' }).expect(400);
    expect(wrongDay.body.errors).toEqual([expect.objectContaining({ field: 'issueDate', code: 'isCalendarDay', message: expect.stringContaining('۱۴۰۵/۰۹/۱۵') })]);
    await t.http().post('/api/v1/admin/properties/1-2-34-56-0-0-0/certificates').set('Authorization', `Bearer ${manager2}`).send({ ...cert, requestNumber: '1403000011' }).expect(404);

    await t.http().delete(`${base}/1390000001`).set('Authorization', `Bearer ${manager2}`).expect(404);
    await t.http().delete(`${base}/1403000009`).set('Authorization', `Bearer ${manager2}`).expect(204);
    const after = await t.http().get('/api/v1/admin/properties/2-1-5-9-0-0-0').set('Authorization', `Bearer ${manager2}`).expect(200);
    expect(after.body.certificates).toEqual([]);
    expect((await auditOf('property.certificate.added'))[0]).toMatchObject({ target_id: '2-1-5-9-0-0-0', before: null, after: { requestNumber: '1403000009', issueDate: '2024-04-20' } });
    expect((await auditOf('property.certificate.deleted'))[0]).toMatchObject({ before: { requestNumber: '1403000009' }, after: null });
  });

  it('imports 5,000 parcels with owners and certificates in a few seconds', async () => {
    const features = [];
    for (let i = 0; i < 5000; i++) {
      const [bx, by] = [i % 100, Math.floor(i / 100)];
      features.push(
        parcel(`3-${1 + Math.floor(i / 1000)}-${1 + (Math.floor(i / 100) % 10)}-${1 + (i % 100)}-0-0-0`, 1000 + bx * 20, 1000 + by * 20, {
          owners: [
            { nationalId: nid(1000 + 2 * i), fullName: 'مالک یک', sharePercent: 50 },
            { nationalId: nid(1001 + 2 * i), fullName: 'مالک دو', sharePercent: 50 },
          ],
          certificates: [{ kind: 'transfer', requestNumber: `9${String(i).padStart(9, '0')}`, jalaliYear: 1401, issueDate: '2022-05-01' }],
        }),
      );
    }
    const body = JSON.stringify(fc(features));
    const res = await upload('parcels', body).expect(200);
    expect(res.body).toMatchObject({ accepted: 5000, inserted: 5000 });
    expect(await count('property_certificate')).toBeGreaterThanOrEqual(5000);
    const [{ n }] = await t.sql<{ n: string }>(`select count(*) as n from property where renewal_code like '3-%'`);
    expect(Number(n)).toBe(5000);
  });
});
