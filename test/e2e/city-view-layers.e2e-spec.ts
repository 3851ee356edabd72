import { pos, rectWkt } from '../helpers/geo';
import { createTestApp, TestApp } from '../helpers/test-app';

type Fc = { type: string; features: Array<{ type: string; id: string; properties: Record<string, unknown>; geometry: { type: string; coordinates: unknown[] } }> };
const bbox = (x0: number, y0: number, x1: number, y1: number) => [...pos(x0, y0), ...pos(x1, y1)].join(',');

/** The city viewer's (شهرنما) detailed-plan zones and street-widening plans (issue 20). */
describe('city viewer: zones and street-widening layers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    const rules = JSON.stringify({
      allowedUses: ['residential'],
      maxOccupancyPercent: 60,
      baseDensityPercent: 180,
      maxDensityPercent: 300,
      maxFloors: 5,
      minPlotArea: 150,
      setbacks: { front: 0, back: 4, side: 0 },
      bands: [],
      parkingRule: { perUnit: 1, perCommercialM2: 75 },
    });
    await t.sql(
      `insert into zone (code, name, rules, plan_name, approval_date, geom, updated_at) values
       ('R-2', 'مسکونی با تراکم متوسط', $1, 'طرح تفصیلی شهر قزوین', '1396/05/10', st_geomfromtext($2, 4326), now()),
       ('G', 'فضای سبز', $1, 'طرح تفصیلی شهر قزوین', '1396/05/10', st_geomfromtext($3, 4326), now())`,
      [rules, rectWkt(0, 0, 300, 300), rectWkt(3000, 3000, 3300, 3300)],
    );
    await t.sql(
      `insert into widening_plan (id, name, street_name, current_width, planned_width, approval_date, geom, created_at, updated_at) values
       (gen_random_uuid(), 'طرح تعریض خیابان خیام', 'خیابان خیام', 12, 15.5, '1398/02/15', st_geomfromtext($1, 4326), now(), now()),
       (gen_random_uuid(), 'طرح تعریض خیابان فردوسی', 'خیابان فردوسی', 16, 20, '1399/07/01', st_geomfromtext($2, 4326), now(), now())`,
      [rectWkt(0, -3.5, 300, 0), rectWkt(3000, 2996, 3300, 3000)],
    );
  });
  afterAll(() => t?.close());

  it('lists the two layers with their Persian titles and counts', async () => {
    const res = await t.http().get('/api/v1/city-view/layers').expect(200);
    expect((res.body as Array<{ layer: string }>).map((l) => l.layer)).toEqual(['regions', 'districts', 'streets', 'places', 'zones', 'widening-plans']);
    expect(res.body).toEqual(
      expect.arrayContaining([
        { layer: 'zones', title: 'پهنه‌های طرح تفصیلی', features: 2 },
        { layer: 'widening-plans', title: 'طرح‌های تعریض معابر', features: 2 },
      ]),
    );
  });

  it('answers the zones as GeoJSON with their rule summary, within a bbox', async () => {
    const res = await t.http().get('/api/v1/city-view/layers/zones').query({ bbox: bbox(100, 100, 200, 200) }).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
    const fc = res.body as Fc;
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features).toHaveLength(1);
    expect(fc.features[0]).toMatchObject({
      type: 'Feature',
      id: 'R-2',
      properties: { code: 'R-2', title: 'مسکونی با تراکم متوسط', maxFloors: 5, maxOccupancyPercent: 60, maxDensityPercent: 300, baseDensityPercent: 180, minPlotArea: 150, allowedUses: ['residential'] },
      geometry: { type: 'MultiPolygon' },
    });
    const ring = (fc.features[0].geometry.coordinates as number[][][][])[0][0];
    expect(ring[0]).toEqual(pos(0, 0).map((n) => Number(n.toFixed(7))));
    const whole = (await t.http().get('/api/v1/city-view/layers/zones').expect(200)).body as Fc;
    expect(whole.features.map((f) => f.id)).toEqual(['G', 'R-2']);
    const empty = (await t.http().get('/api/v1/city-view/layers/zones').query({ bbox: bbox(1000, 1000, 1100, 1100) }).expect(200)).body as Fc;
    expect(empty).toEqual({ type: 'FeatureCollection', features: [] });
  });

  it('answers the street-widening plans with the street and its current and planned width, within a bbox', async () => {
    const fc = (await t.http().get('/api/v1/city-view/layers/widening-plans').query({ bbox: bbox(3100, 2900, 3200, 3100) }).expect(200)).body as Fc;
    expect(fc.features).toEqual([
      {
        type: 'Feature',
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        properties: { name: 'طرح تعریض خیابان فردوسی', streetName: 'خیابان فردوسی', currentWidthMeters: 16, plannedWidthMeters: 20, approvalDate: '1399/07/01' },
        geometry: expect.objectContaining({ type: 'MultiPolygon' }),
      },
    ]);
    const whole = (await t.http().get('/api/v1/city-view/layers/widening-plans').expect(200)).body as Fc;
    expect(whole.features.map((f) => [f.properties.streetName, f.properties.currentWidthMeters, f.properties.plannedWidthMeters])).toEqual([
      ['خیابان خیام', 12, 15.5],
      ['خیابان فردوسی', 16, 20],
    ]);
  });

  it('refuses a bad or too large bbox and an unknown layer', async () => {
    const bad = await t.http().get('/api/v1/city-view/layers/zones').query({ bbox: '50,36,49,37' }).expect(400);
    expect(bad.body.code).toBe('BBOX_INVALID');
    const large = await t.http().get('/api/v1/city-view/layers/widening-plans').query({ bbox: '49,36,50.5,37' }).expect(400);
    expect(large.body.code).toBe('BBOX_TOO_LARGE');
    expect((await t.http().get('/api/v1/city-view/layers/sewers').expect(404)).body.code).toBe('LAYER_NOT_FOUND');
  });

  it('documents the layer names and an optional bbox in the OpenAPI', async () => {
    const doc = (await t.http().get('/docs-json').expect(200)).body;
    const op = doc.paths['/api/v1/city-view/layers/{layer}'].get;
    const layer = op.parameters.find((p: { name: string }) => p.name === 'layer');
    expect(layer.schema.enum).toEqual(['regions', 'districts', 'streets', 'places', 'zones', 'widening-plans']);
    const box = op.parameters.find((p: { name: string }) => p.name === 'bbox');
    expect(box).toMatchObject({ in: 'query', required: false });
    expect(doc.paths['/api/v1/city-view/layers'].get.description).toContain('widening-plans');
  });
});
