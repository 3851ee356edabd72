import { normalizeDigits } from '@app/iran';
import { StaffRole } from '../../src/modules/membership/entities/staff-user.entity';
import { registerCitizen } from '../helpers/citizen';
import { signedStaffToken } from '../helpers/staff';
import { pos, rectWkt } from '../helpers/geo';
import { createTestApp, TestApp } from '../helpers/test-app';
import { request } from 'node:http';

const rect = rectWkt;

describe('properties and the map', () => {
  let t: TestApp;
  let ownerNid: string;
  beforeAll(async () => {
    t = await createTestApp({ CORS_ORIGINS: 'https://bank.example' });
    const owner = await registerCitizen(t, '09121230001');
    ownerNid = owner.profile.nationalId;
    const insert = async (code: string, region: number, wkt: string, address: string, extra: Record<string, unknown> = {}) => {
      const [d, b, p] = code.split('-').slice(1, 4).map(Number);
      const [row] = await t.sql<{ id: string }>(
        `insert into property (id, renewal_code, region, district, block, parcel, building, apartment, shop, address, postal_code,
                               plate_main, plate_sub, land_area, building_area, use, floors, units, structure_type, access_road_width,
                               frontage, zone_code, geom, created_at, updated_at)
         values (gen_random_uuid(), $1, $2, $3, $4, $5, 0, 0, 0, $6, $7, $8, $9, 400, 600, 'residential', 2, 2, 'concrete', 12, 20, 'R-2',
                 st_geomfromtext($10, 4326), now(), now()) returning id`,
        [code, region, d, b, p, address, extra.postalCode ?? null, extra.plateMain ?? null, extra.plateSub ?? null, wkt],
      );
      return row.id;
    };
    // a 20 m × 20 m parcel whose southern half lies in a widening strip
    const a = await insert('1-2-34-56-0-0-0', 1, rect(0, 0, 20, 20), 'قزوین، منطقه ۱، خیابان شهید بابایی، پلاک ۵۶', {
      postalCode: '3413645185',
      plateMain: '1234',
      plateSub: '56',
    });
    await insert('1-2-34-57-0-0-0', 1, rect(20, 0, 40, 20), 'قزوین، منطقه ۱، خیابان شهید بابایی، پلاک ۵۷');
    await insert('2-1-5-9-0-0-0', 2, rect(0, 100, 20, 120), 'قزوین، منطقه ۲، خیابان خیام، پلاک ۹');
    await t.sql(`insert into property_owner (id, property_id, national_id, full_name, share_percent, created_at, updated_at)
                 values (gen_random_uuid(), $1, $2, 'علی محمدی', 100, now(), now())`, [a, ownerNid]);
    await t.sql(
      `insert into widening_plan (id, name, street_name, approval_date, geom, created_at, updated_at)
       values (gen_random_uuid(), 'تعریض خیابان شهید بابایی', 'خیابان شهید بابایی', '1398/02/15', st_geomfromtext($1, 4326), now(), now())`,
      [rect(-100, -10, 20, 10)],
    );
    await t.sql(
      `insert into zone (code, name, rules, plan_name, approval_date, geom, updated_at)
       values ('R-2', 'مسکونی تراکم متوسط', $1, 'طرح تفصیلی شهر قزوین', '1396/05/10', st_geomfromtext($2, 4326), now())`,
      [
        JSON.stringify({ allowedUses: ['residential'], maxOccupancyPercent: 60, baseDensityPercent: 120, maxDensityPercent: 180, maxFloors: 4, minPlotArea: 200, setbacks: { front: 0, back: 3, side: 0 }, bands: [], parkingRule: { perUnit: 1, perCommercialM2: 50 } }),
        rect(-500, -500, 500, 50),
      ],
    );
    await t.sql(
      `insert into city_layer_feature (id, layer, name, kind, geom, created_at, updated_at) values
       (gen_random_uuid(), 'places', 'بوستان ملت', 'park', st_setsrid(st_point(${pos(90, 110).join(', ')}), 4326), now(), now()),
       (gen_random_uuid(), 'streets', 'خیابان شهید بابایی', 'main', st_geomfromtext('LINESTRING(49.99 36.2699, 50.01 36.2699)', 4326), now(), now())`,
    );
  });
  afterAll(() => t?.close());

  it('answers the public summary for Persian digits and any separator, without owners', async () => {
    for (const typed of ['۱-۲-۳۴-۵۶-۰-۰-۰', '1/2/34/56/0/0/0', '1 2 34 56 0 0 0', '01.02.34.56.0.0.0']) {
      const res = await t.http().get(`/api/v1/properties/${encodeURIComponent(typed)}`).query({ region: 1 }).expect(200);
      expect(res.body).toMatchObject({ renewalCode: '1-2-34-56-0-0-0', region: 1, zoneCode: 'R-2', use: 'residential' });
      expect(res.body.parcelAreaM2).toBeGreaterThan(396);
      expect(res.body.parcelAreaM2).toBeLessThan(404);
      expect(JSON.stringify(res.body)).not.toMatch(/owners|nationalId|محمدی/);
    }
  });

  it('refuses bad codes, a region mismatch and unknown codes with coded errors', async () => {
    const bad = await t.http().get('/api/v1/properties/1-2-34').expect(400);
    expect(bad.body.code).toBe('RENEWAL_CODE_INVALID');
    const letters = await t.http().get('/api/v1/properties/1-2-3a-56-0-0-0').expect(400);
    expect(letters.body.errors[0].field).toBe('renewalCode');
    const mismatch = await t.http().get('/api/v1/properties/1-2-34-56-0-0-0').query({ region: 2 }).expect(400);
    expect(mismatch.body.code).toBe('REGION_MISMATCH');
    const unknown = await t.http().get('/api/v1/properties/1-2-34-99-0-0-0').expect(404);
    expect(unknown.body.code).toBe('PROPERTY_NOT_FOUND');
  });

  it('computes the amount in a widening path with PostGIS: half of a square parcel within 1 %', async () => {
    const res = await t.http().get('/api/v1/properties/1-2-34-56-0-0-0/street-widening').expect(200);
    expect(res.body.affected).toBe(true);
    expect(Math.abs(res.body.sharePercent - 50)).toBeLessThan(0.5); // 1 % of 50 %
    expect(Math.abs(res.body.affectedAreaM2 - 200) / 200).toBeLessThan(0.01);
    expect(res.body.plans).toEqual([expect.objectContaining({ planName: 'تعریض خیابان شهید بابایی', approvalDate: '1398/02/15' })]);
    const neighbour = await t.http().get('/api/v1/properties/1-2-34-57-0-0-0/street-widening').expect(200);
    expect(neighbour.body).toMatchObject({ affected: false, affectedAreaM2: 0, plans: [] });
  });

  it('announces the zoning rules from the zone polygon containing the parcel', async () => {
    const res = await t.http().get('/api/v1/properties/1-2-34-56-0-0-0/zoning').expect(200);
    expect(res.body).toMatchObject({ zoneCode: 'R-2', planName: 'طرح تفصیلی شهر قزوین', rules: { maxFloors: 4, baseDensityPercent: 120 } });
    const outside = await t.http().get('/api/v1/properties/2-1-5-9-0-0-0/zoning').expect(404);
    expect(outside.body.code).toBe('ZONE_NOT_FOUND');
  });

  it('finds the parcel at a point, and none outside every parcel', async () => {
    const res = await t.http().get('/api/v1/map/parcels/at').query({ lat: pos(30, 10)[1], lon: pos(30, 10)[0] }).expect(200);
    expect(res.body.renewalCode).toBe('1-2-34-57-0-0-0');
    const none = await t.http().get('/api/v1/map/parcels/at').query({ lat: pos(60, 60)[1], lon: pos(60, 60)[0] }).expect(404);
    expect(none.body.code).toBe('PARCEL_NOT_FOUND_AT_POINT');
    await t.http().get('/api/v1/map/parcels/at').query({ lat: 'north', lon: 50 }).expect(400);
  });

  it('answers a bbox as GeoJSON and refuses an oversize bbox', async () => {
    const bbox = [...pos(-90, -110), ...pos(90, 55)].join(',');
    const res = await t.http().get('/api/v1/map/parcels').query({ bbox }).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
    expect(res.body.type).toBe('FeatureCollection');
    expect(res.body.features.map((f: { id: string }) => f.id).sort()).toEqual(['1-2-34-56-0-0-0', '1-2-34-57-0-0-0']);
    expect(res.body.features[0].geometry.type).toBe('MultiPolygon');
    const big = await t.http().get('/api/v1/map/parcels').query({ bbox: '49.9,36.2,50.1,36.4' }).expect(400);
    expect(big.body.code).toBe('BBOX_TOO_LARGE');
    const bad = await t.http().get('/api/v1/map/parcels').query({ bbox: '50.1,36.3,50.0,36.2' }).expect(400);
    expect(bad.body.code).toBe('BBOX_INVALID');
  });

  it('answers the hot public lookups through the ordinary pipeline: status, problem codes, security and CORS headers', async () => {
    const at = pos(30, 10);
    const bbox = [...pos(-90, -110), ...pos(90, 55)].join(',');
    // [path, Accept-Language]
    const cases: Array<[string, string?]> = [
      ['/api/v1/properties/1-2-34-56-0-0-0?region=1'],
      [`/api/v1/properties/${encodeURIComponent('۱-۲-۳۴-۵۶-۰-۰-۰')}?region=${encodeURIComponent('۱')}`],
      ['/api/v1/properties/1-2-34-56-0-0-0/'],
      ['/api/v1/properties/1-2-34-56-0-0-0?region=2', 'en'],
      ['/api/v1/properties/1-2-34-56-0-0-0?region=9'],
      ['/api/v1/properties/1-2-34-56-0-0-0?colour=red'],
      ['/api/v1/properties/1-2-3a-56-0-0-0'],
      ['/api/v1/properties/1-2-34-99-0-0-0'],
      ['/api/v1/properties/%E0%A4%A'], // a malformed escape
      ['/api/v1/properties/search'], // another route with a literal segment
      [`/api/v1/map/parcels/at?lat=${at[1]}&lon=${at[0]}`],
      ['/api/v1/map/parcels/at?lat=north&lon=50'],
      [`/api/v1/map/parcels?bbox=${bbox}`],
      ['/api/v1/map/parcels?bbox=49.9,36.2,50.1,36.4'],
      ['/api/v1/debts?renewalCode=1-2-34-56-0-0-0&region=1'],
      ['/api/v1/debts?guildCode=G-1-000999'],
      ['/api/v1/debts'],
    ];
    const answers = [];
    for (const [path, lang] of cases) {
      const res = await t.http().get(path).set('X-Request-Id', 'hot-lookups').set('Accept-Language', lang ?? 'fa').set('Origin', 'https://bank.example');
      answers.push({ status: res.status, headers: res.headers, body: res.text });
    }
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 400, 400, 400, 400, 404, 400, 401, 200, 400, 200, 400, 200, 404, 400]);
    expect(JSON.parse(answers[0].body).renewalCode).toBe('1-2-34-56-0-0-0');
    expect(JSON.parse(answers[1].body)).toEqual(JSON.parse(answers[0].body));
    for (const r of answers) {
      expect(r.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(r.headers['x-request-id']).toBe('hot-lookups');
      expect(r.headers).toMatchObject({ 'access-control-allow-origin': 'https://bank.example', 'access-control-expose-headers': expect.stringContaining('X-Request-Id') });
      expect(r.headers['x-powered-by']).toBeUndefined();
      expect(r.headers.etag).toBeUndefined();
    }
    expect(JSON.parse(answers[3].body)).toMatchObject({ code: 'REGION_MISMATCH', requestId: 'hot-lookups' });
    expect(answers[3].headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('drops a fragment in the request line, as Express does', async () => {
    const server = t.app.getHttpServer() as import('node:http').Server;
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as import('node:net').AddressInfo;
    const get = (path: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (chunk) => (body += chunk)).on('end', () => resolve({ status: res.statusCode!, body }));
        });
        req.on('error', reject).end();
      });
    const withFragment = await get('/api/v1/debts?renewalCode=1-2-34-56-0-0-0&region=1#receipt');
    const plain = await get('/api/v1/debts?renewalCode=1-2-34-56-0-0-0&region=1');
    expect(withFragment.status).toBe(200);
    expect(JSON.parse(withFragment.body)).toEqual(JSON.parse(plain.body));
  });

  it('serves the city-viewer layers', async () => {
    const layers = await t.http().get('/api/v1/city-view/layers').expect(200);
    expect(layers.body).toEqual(expect.arrayContaining([expect.objectContaining({ layer: 'places', features: 1 })]));
    const places = await t.http().get('/api/v1/city-view/layers/places').expect(200);
    expect(places.body.features[0].properties).toMatchObject({ name: 'بوستان ملت', kind: 'park' });
    await t.http().get('/api/v1/city-view/layers/sewers').expect(404);
  });

  it('lets a citizen find only their own properties', async () => {
    const other = await registerCitizen(t, '09121230002');
    const none = await t.http().get('/api/v1/properties/search').set('Authorization', `Bearer ${other.accessToken}`).expect(200);
    expect(none.body).toMatchObject({ items: [], meta: { total: 0 } });
    // the owner registered in beforeAll signs in again (after the resend cooldown)
    await t.sql(`update otp_challenge set created_at = now() - interval '2 minutes' where mobile = '09121230001'`);
    await t.http().post('/api/v1/auth/otp').send({ mobile: '09121230001' }).expect(202);
    const [sms] = await t.sql<{ body: string }>(`select body from sms_message where mobile = '09121230001' order by created_at desc limit 1`);
    const login = await t.http().post('/api/v1/auth/otp/verify').send({ mobile: '09121230001', code: /(\d{6})/.exec(normalizeDigits(sms.body))![1] }).expect(200);
    const own = await t.http().get('/api/v1/properties/search').query({ ownerNationalId: '0000000000' }).set('Authorization', `Bearer ${login.body.accessToken}`).expect(200);
    expect(own.body.items.map((i: { renewalCode: string }) => i.renewalCode)).toEqual(['1-2-34-56-0-0-0']);
    expect(own.body.items[0].owners[0].nationalId).toBe(`${ownerNid.slice(0, 3)}****${ownerNid.slice(7)}`);
  });

  it('scopes staff search to their regions', async () => {
    const clerk2 = (await signedStaffToken(t, { username: 'clerk.r2', roles: [StaffRole.RegionClerk], regions: [2] })).token;
    const admin = (await signedStaffToken(t, { username: 'root', roles: [StaffRole.Admin] })).token;
    const byAddress = await t.http().get('/api/v1/properties/search').query({ q: 'خيابان' }).set('Authorization', `Bearer ${clerk2}`).expect(200);
    expect(byAddress.body.items.map((i: { renewalCode: string }) => i.renewalCode)).toEqual(['2-1-5-9-0-0-0']);
    const foreign = await t.http().get('/api/v1/properties/search').query({ renewalCodePrefix: '1-2' }).set('Authorization', `Bearer ${clerk2}`).expect(200);
    expect(foreign.body.items).toEqual([]);
    await t.http().get('/api/v1/properties/search').query({ region: 1, q: 'بابایی' }).set('Authorization', `Bearer ${clerk2}`).expect(404);
    const prefix = await t.http().get('/api/v1/properties/search').query({ renewalCodePrefix: '۱-۲-۳۴' }).set('Authorization', `Bearer ${admin}`).expect(200);
    expect(prefix.body.meta.total).toBe(2);
    const plate = await t.http().get('/api/v1/properties/search').query({ plateMain: '1234', plateSub: '56' }).set('Authorization', `Bearer ${admin}`).expect(200);
    expect(plate.body.items[0].postalCode).toBe('3413645185');
    const owner = await t.http().get('/api/v1/properties/search').query({ ownerNationalId: ownerNid }).set('Authorization', `Bearer ${admin}`).expect(200);
    expect(owner.body.meta.total).toBe(1);
    const empty = await t.http().get('/api/v1/properties/search').set('Authorization', `Bearer ${admin}`).expect(400);
    expect(empty.body.code).toBe('SEARCH_CRITERIA_REQUIRED');
    await t.http().get('/api/v1/properties/search').expect(401);
  });
});
