import { CityLayersRepository, type Bbox } from '../../src/modules/properties/city-layers.repository';
import { run } from '../../src/database/sql';
import { pos, rectWkt } from '../helpers/geo';
import { createTestDb, TestDb } from '../helpers/test-app';

type Fc = { type: string; features: Array<{ type: string; id: string; properties: Record<string, unknown>; geometry: { type: string; coordinates: unknown[] } }> };

const rules = (maxFloors: number) =>
  JSON.stringify({
    allowedUses: ['residential', 'office'],
    maxOccupancyPercent: 60,
    baseDensityPercent: 120,
    maxDensityPercent: 180,
    maxFloors,
    minPlotArea: 200,
    setbacks: { front: 0, back: 3, side: 0 },
    bands: [],
    parkingRule: { perUnit: 1, perCommercialM2: 50 },
  });

/** A bbox around x0..x1, y0..y1 metres from the demo centre. */
const box = (x0: number, y0: number, x1: number, y1: number): Bbox => [...pos(x0, y0), ...pos(x1, y1)];

describe('CityLayersRepository (real database)', () => {
  let db: TestDb;
  const repo = new CityLayersRepository();
  beforeAll(async () => {
    db = await createTestDb();
    // zone A near the centre, zone B 5 km east
    await db.sql(
      `insert into zone (code, name, rules, plan_name, approval_date, geom, updated_at) values
       ('R-1', 'مسکونی کم‌تراکم', $1, 'طرح تفصیلی شهر قزوین', '1396/05/10', st_geomfromtext($3, 4326), now()),
       ('C-1', 'تجاری', $2, 'طرح تفصیلی شهر قزوین', '1396/05/10', st_geomfromtext($4, 4326), now())`,
      [rules(3), rules(6), rectWkt(0, 0, 100, 100), rectWkt(5000, 0, 5100, 100)],
    );
    await db.sql(
      `insert into widening_plan (id, name, street_name, current_width, planned_width, approval_date, geom, created_at, updated_at) values
       ('00000000-0000-7000-8000-000000000001', 'طرح تعریض خیابان خیام', 'خیابان خیام', 12, 16, '1398/02/15', st_geomfromtext($1, 4326), now(), now()),
       ('00000000-0000-7000-8000-000000000002', 'طرح تعریض خیابان فردوسی', 'خیابان فردوسی', null, null, '1399/01/01', st_geomfromtext($2, 4326), now(), now())`,
      [rectWkt(0, -4, 200, 0), rectWkt(5000, -4, 5200, 0)],
    );
    await db.sql(
      `insert into city_layer_feature (id, layer, name, kind, properties, geom, created_at, updated_at) values
       ('00000000-0000-7000-8000-000000000011', 'places', 'بوستان ملت', 'park', '{"region":1}', st_setsrid(st_point($1, $2), 4326), now(), now()),
       ('00000000-0000-7000-8000-000000000012', 'places', 'کتابخانه', 'library', null, st_setsrid(st_point($3, $4), 4326), now(), now()),
       ('00000000-0000-7000-8000-000000000013', 'streets', 'خیابان خیام', 'main', '{"widthMeters":12}', st_geomfromtext($5, 4326), now(), now())`,
      [...pos(50, 50), ...pos(5050, 50), `LINESTRING(${pos(0, 0).join(' ')}, ${pos(200, 0).join(' ')})`],
    );
  });
  afterAll(() => db?.close());

  it('counts every layer in one statement', async () => {
    const counts = await run(db.em(), repo.counts());
    expect(Object.fromEntries(counts)).toEqual({ places: 2, streets: 1, zones: 2, 'widening-plans': 2 });
  });

  it('answers the zones with their rule summary, filtered by bbox', async () => {
    const all = JSON.parse(await run(db.em(), repo.zones(null, 100))) as Fc;
    expect(all.type).toBe('FeatureCollection');
    expect(all.features.map((f) => f.id)).toEqual(['C-1', 'R-1']);
    const near = JSON.parse(await run(db.em(), repo.zones(box(-10, -10, 50, 50), 100))) as Fc;
    expect(near.features).toHaveLength(1);
    expect(near.features[0]).toMatchObject({
      type: 'Feature',
      id: 'R-1',
      properties: {
        code: 'R-1',
        title: 'مسکونی کم‌تراکم',
        planName: 'طرح تفصیلی شهر قزوین',
        approvalDate: '1396/05/10',
        allowedUses: ['residential', 'office'],
        maxOccupancyPercent: 60,
        baseDensityPercent: 120,
        maxDensityPercent: 180,
        maxFloors: 3,
        minPlotArea: 200,
      },
      geometry: { type: 'MultiPolygon' },
    });
    expect(Object.keys(near.features[0].properties)).not.toContain('bands');
    expect(JSON.parse(await run(db.em(), repo.zones(box(-10, -10, 50, 50), 0))).features).toEqual([]);
  });

  it('answers the widening plans with the street and its widths, filtered by bbox', async () => {
    const near = JSON.parse(await run(db.em(), repo.wideningPlans(box(10, -10, 20, 10), 100))) as Fc;
    expect(near.features).toEqual([
      {
        type: 'Feature',
        id: '00000000-0000-7000-8000-000000000001',
        properties: { name: 'طرح تعریض خیابان خیام', streetName: 'خیابان خیام', currentWidthMeters: 12, plannedWidthMeters: 16, approvalDate: '1398/02/15' },
        geometry: expect.objectContaining({ type: 'MultiPolygon' }),
      },
    ]);
    const all = JSON.parse(await run(db.em(), repo.wideningPlans(null, 100))) as Fc;
    expect(all.features.map((f) => f.properties.streetName)).toEqual(['خیابان خیام', 'خیابان فردوسی']);
    expect(all.features[1].properties).toMatchObject({ currentWidthMeters: null, plannedWidthMeters: null });
    expect(JSON.parse(await run(db.em(), repo.wideningPlans(box(1000, 1000, 1100, 1100), 100)))).toEqual({ type: 'FeatureCollection', features: [] });
  });

  it('answers a drawn layer with name, kind and its own properties, by bbox and limit', async () => {
    const places = JSON.parse(await run(db.em(), repo.features('places', null, 100))) as Fc;
    expect(places.features.map((f) => f.properties.name).sort()).toEqual(['بوستان ملت', 'کتابخانه']);
    const near = JSON.parse(await run(db.em(), repo.features('places', box(0, 0, 100, 100), 100))) as Fc;
    expect(near.features).toEqual([
      { type: 'Feature', id: '00000000-0000-7000-8000-000000000011', properties: { name: 'بوستان ملت', kind: 'park', region: 1 }, geometry: { type: 'Point', coordinates: pos(50, 50).map((n) => Number(n.toFixed(7))) } },
    ]);
    expect(JSON.parse(await run(db.em(), repo.features('places', null, 1))).features).toHaveLength(1);
    expect(JSON.parse(await run(db.em(), repo.features('sewers', null, 100)))).toEqual({ type: 'FeatureCollection', features: [] });
  });
});
