import { toJalali } from '@app/iran';
import { StaffRole } from '../../src/modules/membership/entities/staff-user.entity';
import { nationalId, registerCitizen } from '../helpers/citizen';
import { insertInquiryProperty } from '../helpers/inquiries';
import { legalId, orgClient, OrgClient } from '../helpers/org';
import { signedStaffToken } from '../helpers/staff';
import { createTestApp, TestApp } from '../helpers/test-app';

/**
 * Issue 20, one pagination shape: every open-ended list answers `{items, meta}` with
 * `?page=&pageSize=`. For each list converted here: the shape, that `pageSize` limits, that
 * `meta.total` counts every row (not only the page, and past the last page too) and that
 * page 2 holds other rows than page 1. The rows are made through the API. (The sandbox outbox and the webhook delivery
 * log are checked the same way in notifications and integration-webhooks.)
 */
describe('one pagination shape: {items, meta} with page and pageSize', () => {
  let t: TestApp;
  let admin: string;
  let bank: OrgClient;
  let citizen: { accessToken: string; profile: { id: string; nationalId: string } };
  let property: { id: string; renewalCode: string };
  const MOBILE = '09121260001';
  const Y = toJalali(new Date()).jy;
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const count = async (sql: string, params: unknown[] = []) => Number((await t.sql<{ n: string }>(sql, params))[0].n);

  /** Reads pages 1 and 2 of `path` (pageSize 2) and checks the shape, the limit, the total and that the pages differ. */
  async function expectPaged(path: string, auth: Record<string, string>, total: number, query: Record<string, string> = {}) {
    expect(total).toBeGreaterThanOrEqual(3);
    const page1 = await t.http().get(path).query({ ...query, pageSize: 2 }).set(auth).expect(200);
    expect(Object.keys(page1.body).sort()).toEqual(['items', 'meta']);
    expect(page1.body.meta).toEqual({ page: 1, pageSize: 2, total });
    expect(page1.body.items).toHaveLength(2);
    const page2 = await t.http().get(path).query({ ...query, pageSize: 2, page: 2 }).set(auth).expect(200);
    expect(page2.body.meta).toEqual({ page: 2, pageSize: 2, total });
    expect(page2.body.items).toHaveLength(Math.min(2, total - 2));
    const key = (item: Record<string, unknown>) => JSON.stringify(item.id ?? item.guildCode);
    const first = page1.body.items.map(key);
    for (const item of page2.body.items) expect(first).not.toContain(key(item));
    // past the last page: no items, and still the list's total (no row carries it there)
    const past = Math.ceil(total / 2) + 3;
    expect((await t.http().get(path).query({ ...query, pageSize: 2, page: past }).set(auth).expect(200)).body).toEqual({
      items: [],
      meta: { page: past, pageSize: 2, total },
    });
    // the default page size, and the bounds
    const whole = await t.http().get(path).query(query).set(auth).expect(200);
    expect(whole.body.meta).toEqual({ page: 1, pageSize: 20, total });
    expect(whole.body.items).toHaveLength(Math.min(20, total));
    expect((await t.http().get(path).query({ ...query, pageSize: 101 }).set(auth).expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await t.http().get(path).query({ ...query, page: 0 }).set(auth).expect(400)).body.code).toBe('VALIDATION_FAILED');
    return { page1: page1.body.items, page2: page2.body.items };
  }

  beforeAll(async () => {
    t = await createTestApp({ ORG_RATE_LIMIT_PER_MINUTE: '1000', ORG_QUOTA_PER_DAY: '100000', ORG_SMS_REQUESTS_PER_DAY: '1000' });
    admin = (await signedStaffToken(t, { username: 'page.admin', roles: [StaffRole.Admin] })).token;
    bank = await orgClient(t, 'بانک صفحه‌بندی', ['inquiries:read', 'inquiries:write']);
    citizen = await registerCitizen(t, MOBILE);
    property = await insertInquiryProperty(t, { region: 1, owners: [citizen.profile.nationalId] });
    // three organizations' requests naming the citizen
    for (const letter of ['P-1', 'P-2', 'P-3']) {
      await t.http().post('/api/v1/org/inquiries').set(bearer(bank.token))
        .send({ nationalId: citizen.profile.nationalId, mobile: MOBILE, renewalCode: property.renewalCode, region: 1, letterNumber: letter, letterDate: '1404/08/20' })
        .expect(201);
    }
  });
  afterAll(() => t?.close());

  it('GET org/inquiries', async () => {
    const { page1, page2 } = await expectPaged('/api/v1/org/inquiries', bearer(bank.token), 3);
    // newest first
    expect([...page1, ...page2].map((i: { letterNumber: string }) => i.letterNumber)).toEqual(['P-3', 'P-2', 'P-1']);
    // with a filter the total counts the matches only; the old limit/offset are refused
    expect((await t.http().get('/api/v1/org/inquiries').query({ status: 'declined', pageSize: 1 }).set(bearer(bank.token)).expect(200)).body.meta)
      .toEqual({ page: 1, pageSize: 1, total: 0 });
    await t.http().get('/api/v1/org/inquiries').query({ limit: 2 }).set(bearer(bank.token)).expect(400);
    await t.http().get('/api/v1/org/inquiries').query({ offset: 2 }).set(bearer(bank.token)).expect(400);
  });

  it('GET me/organization-requests', async () => {
    const { page1, page2 } = await expectPaged('/api/v1/me/organization-requests', bearer(citizen.accessToken), 3);
    expect([...page1, ...page2].map((r: { letterNumber: string; organizationName: string }) => [r.letterNumber, r.organizationName])).toEqual([
      ['P-3', 'بانک صفحه‌بندی'],
      ['P-2', 'بانک صفحه‌بندی'],
      ['P-1', 'بانک صفحه‌بندی'],
    ]);
  });

  it('GET admin/organizations', async () => {
    for (const name of ['اداره الف', 'اداره ب', 'اداره ج']) {
      await t.http().post('/api/v1/admin/organizations').set(bearer(admin)).send({ kind: 'office', name, legalNationalId: legalId() }).expect(201);
    }
    const total = await count(`select count(*) as n from organization`);
    const { page1 } = await expectPaged('/api/v1/admin/organizations', bearer(admin), total);
    const names = page1.map((o: { name: string }) => o.name);
    expect([...names].sort()).toEqual(names);
  });

  it('GET admin/staff', async () => {
    for (const username of ['page.clerk1', 'page.clerk2', 'page.clerk3']) {
      await t.http().post('/api/v1/admin/staff').set(bearer(admin))
        .send({ username, password: 'a long enough password', fullName: 'کارمند نمونه', roles: ['region_clerk'], regions: [1] })
        .expect(201);
    }
    const total = await count(`select count(*) as n from staff_user`);
    const { page1 } = await expectPaged('/api/v1/admin/staff', bearer(admin), total);
    expect(page1[0]).not.toHaveProperty('passwordHash');
    const usernames = page1.map((s: { username: string }) => s.username);
    expect([...usernames].sort()).toEqual(usernames);
  });

  it('GET admin/billing/guilds', async () => {
    for (const n of [1, 2, 3]) {
      await t.http().post('/api/v1/admin/billing/guilds').set(bearer(admin))
        .send({ guildCode: `G-1-90000${n}`, businessName: `فروشگاه ${n}`, category: 'food', ownerNationalId: nationalId(), renewalCode: property.renewalCode, areaM2: 30 })
        .expect(201);
    }
    const total = await count(`select count(*) as n from guild_licence`);
    const { page1 } = await expectPaged('/api/v1/admin/billing/guilds', bearer(admin), total);
    expect(page1[0]).toMatchObject({ guildCode: 'G-1-900001', renewalCode: property.renewalCode, region: 1 });
  });

  it('GET admin/billing/demands (of one property: its own and its guild units’)', async () => {
    for (const year of [Y, Y - 1]) await t.http().post('/api/v1/admin/billing/assessments').set(bearer(admin)).send({ jalaliYear: year }).expect(200);
    const total = await count(`select count(*) as n from billing_demand where property_id = $1`, [property.id]);
    const { page1, page2 } = await expectPaged('/api/v1/admin/billing/demands', bearer(admin), total, { renewalCode: property.renewalCode });
    // newest year first
    expect(page1[0].jalaliYear).toBe(Y);
    expect(page2[page2.length - 1].jalaliYear).toBeLessThanOrEqual(page1[0].jalaliYear);
    // a region-2 clerk cannot list them (admins and finance officers only)
    const clerk2 = (await signedStaffToken(t, { username: 'page.clerk.r2', roles: [StaffRole.RegionClerk], regions: [2] })).token;
    await t.http().get('/api/v1/admin/billing/demands').query({ renewalCode: property.renewalCode }).set(bearer(clerk2)).expect(403);
  });
});
