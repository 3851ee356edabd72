import { toJalali } from '@app/iran';
import { StaffRole } from '../../src/modules/membership/entities/staff-user.entity';
import { OrganizationKind } from '../../src/modules/membership/entities/organization.entity';
import { OrganizationsService } from '../../src/modules/membership/organizations.service';
import { rectWkt } from '../helpers/geo';
import { signedStaffToken } from '../helpers/staff';
import { createTestApp, TestApp, usingRealPostgres } from '../helpers/test-app';

/**
 * Concurrency needs real PostgreSQL: the embedded engine serializes transactions, so these
 * races cannot happen there. Runs when DATABASE_URL is set (CI runs both engines).
 */
const describeReal = usingRealPostgres ? describe : describe.skip;
if (!usingRealPostgres) {
  // eslint-disable-next-line no-console
  console.info('billing concurrency tests skipped: they run on real PostgreSQL only (set DATABASE_URL)');
}

describeReal('billing on real PostgreSQL: concurrent bank reports settle exactly once', () => {
  let t: TestApp;
  let bankToken: string;
  let finance: string;
  const Y = toJalali(new Date()).jy;

  const report = (body: Record<string, unknown>) =>
    t.http().post('/api/v1/bank/bill-payments').set('Authorization', `Bearer ${bankToken}`).send(body);

  beforeAll(async () => {
    t = await createTestApp({ DB_POOL_MAX: '20' });
    finance = (await signedStaffToken(t, { username: 'finance.c', roles: [StaffRole.FinanceOfficer], regions: [1] })).token;
    const orgs = t.app.get(OrganizationsService);
    const org = await orgs.create({ kind: OrganizationKind.Bank, name: 'بانک آزمون همزمانی', legalNationalId: '10100302862' }, t.orm.em.fork());
    const client = await orgs.createClient(org.id, { name: 'core', scopes: ['bills:report'] }, t.orm.em.fork());
    bankToken = (await t.http().post('/api/v1/oauth/token').send({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }).expect(200)).body.access_token;
    for (const [i, code] of ['1-2-34-56-0-0-0', '1-2-34-57-0-0-0'].entries()) {
      const [region, district, block, parcel] = code.split('-').map(Number);
      await t.sql(
        `insert into property (id, renewal_code, region, district, block, parcel, building, apartment, shop, address, land_area, building_area,
                               use, floors, units, structure_type, zone_code, geom, created_at, updated_at)
         values (gen_random_uuid(), $1, $2, $3, $4, $5, 0, 0, 0, 'قزوین', 300, 450, 'residential', 2, 2, 'concrete', 'R-1', st_geomfromtext($6, 4326), now(), now())`,
        [code, region, district, block, parcel, rectWkt(i * 30, 0, i * 30 + 20, 20)],
      );
    }
    for (const year of [Y - 2, Y - 1, Y]) {
      await t.http().post('/api/v1/admin/billing/assessments').set('Authorization', `Bearer ${finance}`).send({ jalaliYear: year }).expect(200);
    }
  });
  afterAll(() => t?.close());

  const bill = async (code: string) => (await t.http().get('/api/v1/debts').query({ renewalCode: code }).expect(200)).body.bill;

  it('100 identical reports: one settlement, the same answer to all, demand totals intact', async () => {
    const b = await bill('1-2-34-56-0-0-0');
    const body = { billId: b.billId, paymentId: b.paymentId, amount: b.amountRials, bankReference: 'RACE-0001', paidAt: new Date().toISOString() };
    const before = await t.sql<{ n: string; total: string }>(`select count(*) as n, sum(amount_rials) as total from billing_demand where subject_code = '1-2-34-56-0-0-0'`);
    const responses = await Promise.all(Array.from({ length: 100 }, () => report(body)));
    expect(responses.map((r) => r.status)).toEqual(Array(100).fill(200));
    for (const r of responses) expect(r.body).toEqual(responses[0].body);

    expect(await t.sql(`select count(*)::int as n from billing_bank_payment`)).toEqual([{ n: 1 }]);
    const bills = await t.sql<{ id: string; status: string; total_rials: string; items: Array<{ principalRials: string }> }>(
      `select id, status, total_rials, items from billing_bill where bill_id = $1`,
      [b.billId],
    );
    expect(bills).toHaveLength(1);
    expect(bills[0].status).toBe('paid');
    const demands = await t.sql<{ status: string; paid_bill_id: string; amount_rials: string }>(
      `select status, paid_bill_id, amount_rials from billing_demand where subject_code = '1-2-34-56-0-0-0'`,
    );
    expect(demands).toHaveLength(Number(before[0].n));
    expect(demands.every((d) => d.status === 'paid' && d.paid_bill_id === bills[0].id)).toBe(true);
    const principal = bills[0].items.reduce((s, i) => s + BigInt(i.principalRials), 0n);
    expect(principal).toBe(BigInt(before[0].total));
    expect(demands.reduce((s, d) => s + BigInt(d.amount_rials), 0n)).toBe(BigInt(before[0].total));
    expect(await t.sql(`select count(*)::int as n from billing_bill where status = 'paid'`)).toEqual([{ n: 1 }]);
  });

  it('100 reports of one bill with different references: exactly one settles, the rest are told it is paid', async () => {
    const b = await bill('1-2-34-57-0-0-0');
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        report({ billId: b.billId, paymentId: b.paymentId, amount: b.amountRials, bankReference: `RACE-1${String(i).padStart(3, '0')}`, paidAt: new Date().toISOString() }),
      ),
    );
    expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 409).map((r) => r.body.code)).toEqual(Array(99).fill('BILL_ALREADY_PAID'));
    expect(await t.sql(`select count(*)::int as n from billing_bank_payment where bill_id = $1`, [b.billId])).toEqual([{ n: 1 }]);
    expect(await t.sql(`select count(*)::int as n from billing_demand where subject_code = '1-2-34-57-0-0-0' and status <> 'paid'`)).toEqual([{ n: 0 }]);
  });
  it('five simultaneous edits of a year\'s tariff: each becomes its own version, none is refused', async () => {
    const year = Y - 2;
    const { body: current } = await t.http().get(`/api/v1/admin/billing/tariffs/${year}`).set('Authorization', `Bearer ${finance}`).expect(200);
    const { renewal, waste, guild, penalty, discount } = current;
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((i) =>
        t.http().put(`/api/v1/admin/billing/tariffs/${year}`).set('Authorization', `Bearer ${finance}`).send({ note: `edit ${i}`, renewal, waste, guild, penalty, discount }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const versions = results.map((r) => r.body.version as number).sort((a, b) => a - b);
    expect(versions).toEqual([2, 3, 4, 5, 6].map((v) => v + current.version - 1));
  });
  it('five simultaneous registrations of one guild code: one licence, the others told GUILD_CODE_TAKEN', async () => {
    const body = { guildCode: 'G-1-777777', businessName: 'نانوایی همزمان', category: 'food', ownerNationalId: '0084575948', renewalCode: '1-2-34-57-0-0-0', areaM2: 30 };
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map(() => t.http().post('/api/v1/admin/billing/guilds').set('Authorization', `Bearer ${finance}`).send(body)),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect(results.filter((r) => r.status === 409).map((r) => r.body.code)).toEqual(['GUILD_CODE_TAKEN', 'GUILD_CODE_TAKEN', 'GUILD_CODE_TAKEN', 'GUILD_CODE_TAKEN']);
    expect(await t.sql(`select guild_code from guild_licence where guild_code = 'G-1-777777'`)).toHaveLength(1);
  });
});
