import { StaffRole } from '../../src/modules/membership/entities/staff-user.entity';
import { readFileSync } from 'node:fs';
import { demoFilePath, DemoFile, seedDemo } from '../../src/cli/demo/demo-seed';
import { lastCode } from '../helpers/citizen';
import { createTestApp, TestApp } from '../helpers/test-app';

describe('sandbox demo data (DATA_DIR/demo.json)', () => {
  let t: TestApp;
  let demo: DemoFile;
  beforeAll(async () => {
    t = await createTestApp({ DEMO_CITY_PARCELS: '400' });
    // the entrypoint seeds only in embedded mode; the test app runs the same function as if it were
    const embedded = { ...t.config, database: { ...t.config.database, embedded: true } };
    demo = await seedDemo(t.app, embedded);
  });
  afterAll(() => t?.close());

  it('writes the accounts to demo.json and keeps them on a second run', async () => {
    const file = JSON.parse(readFileSync(demoFilePath(t.config), 'utf8')) as DemoFile;
    expect(file.staff.map((s) => s.username)).toEqual(['admin', 'clerk.r1', 'clerk.r2', 'clerk.r3', 'manager.r1', 'manager.r2', 'manager.r3']);
    // one region manager per region, for the four-eyes approval
    for (const region of [1, 2, 3]) {
      expect(file.staff.filter((s) => s.roles.includes(StaffRole.RegionManager) && s.regions.includes(region)).map((s) => s.username)).toEqual([`manager.r${region}`]);
    }
    expect(file.organizations).toHaveLength(1);
    const again = await seedDemo(t.app, { ...t.config, database: { ...t.config.database, embedded: true } });
    expect(again.staff).toEqual(demo.staff);
    expect(again.organizations[0].clientId).toBe(demo.organizations[0].clientId);
    // a real database is never seeded
    await expect(seedDemo(t.app, { ...t.config, database: { ...t.config.database, embedded: false } })).rejects.toThrow(/embedded mode/);
  });

  it('loads a demo city whose sample renewal codes work as demo.json says', async () => {
    const { properties, citizen } = demo;
    const [{ n }] = await t.sql<{ n: number }>('select count(*)::int as n from property');
    expect(n).toBe(400);
    const widening = await t.http().get(`/api/v1/properties/${properties.inWideningPlan.renewalCode}/street-widening`).expect(200);
    expect(widening.body.affected).toBe(true);
    expect(Math.abs(widening.body.affectedAreaM2 - properties.inWideningPlan.expectedAffectedAreaM2) / properties.inWideningPlan.expectedAffectedAreaM2).toBeLessThan(0.01);
    await t.http().get(`/api/v1/properties/${properties.noCertificates.renewalCode}`).query({ region: properties.noCertificates.region }).expect(200);
    await t.http().get(`/api/v1/properties/${properties.eligible.renewalCode}/zoning`).expect(200);

    await t.http().post('/api/v1/auth/otp').send({ mobile: citizen.mobile }).expect(202);
    const login = await t.http().post('/api/v1/auth/otp/verify').send({ mobile: citizen.mobile, code: await lastCode(t, citizen.mobile) }).expect(200);
    expect(login.body.status).toBe('authenticated');
    const mine = await t.http().get('/api/v1/properties/search').set('Authorization', `Bearer ${login.body.accessToken}`).expect(200);
    expect(mine.body.items.map((i: { renewalCode: string }) => i.renewalCode).sort()).toEqual([...properties.ownedByDemoCitizen].sort());
  });

  it('lets an integrator sign in as the demo admin (with the SMS second factor) and as the demo bank', async () => {
    const admin = demo.staff.find((s) => s.username === 'admin')!;
    const step1 = await t.http().post('/api/v1/staff/auth/login').send({ username: admin.username, password: admin.password }).expect(200);
    expect(step1.body.status).toBe('second_factor_required');
    const code = await lastCode(t, admin.mobile!);
    const step2 = await t.http().post('/api/v1/staff/auth/verify').send({ challengeId: step1.body.challengeId, code }).expect(200);
    await t.http().get('/api/v1/admin/staff').set('Authorization', `Bearer ${step2.body.accessToken}`).expect(200);

    const clerk = demo.staff.find((s) => s.username === 'clerk.r3')!;
    const login = await t.http().post('/api/v1/staff/auth/login').send({ username: clerk.username, password: clerk.password }).expect(200);
    await t.http().get('/api/v1/desk/regions/3/team').set('Authorization', `Bearer ${login.body.accessToken}`).expect(200);

    const bank = demo.organizations[0];
    const token = await t
      .http()
      .post(bank.tokenUrl)
      .type('form')
      .send({ grant_type: 'client_credentials', client_id: bank.clientId, client_secret: bank.clientSecret })
      .expect(200);
    const who = await t.http().get('/api/v1/org/me').set('Authorization', `Bearer ${token.body.access_token}`).expect(200);
    expect(who.body.organization.kind).toBe('bank');
  });
});
