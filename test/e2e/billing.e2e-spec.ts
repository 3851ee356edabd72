import { buildPaymentId, toJalali } from '@app/iran';
import { StaffRole } from '../../src/modules/membership/entities/staff-user.entity';
import { OrganizationKind } from '../../src/modules/membership/entities/organization.entity';
import { OrganizationsService } from '../../src/modules/membership/organizations.service';
import { BillingService } from '../../src/modules/billing/billing.service';
import { TariffsService } from '../../src/modules/billing/tariffs.service';
import { registerCitizen } from '../helpers/citizen';
import { rectWkt } from '../helpers/geo';
import { signedStaffToken } from '../helpers/staff';
import { createTestApp, TestApp } from '../helpers/test-app';

/**
 * Independent check digit of the bank bill standard, written from the specification (not
 * libs/iran): weights 2..7 repeating from the rightmost digit, r = Σ mod 11, 0 when r < 2 else 11 − r.
 */
function checkDigit(digits: string): number {
  const w = [2, 3, 4, 5, 6, 7];
  let s = 0;
  [...digits].reverse().forEach((d, i) => (s += Number(d) * w[i % 6]));
  const r = s % 11;
  return r < 2 ? 0 : 11 - r;
}
function expectValidBill(bill: { billId: string; paymentId: string; amountRials: number; barcode: string }, year: number): void {
  const { billId, paymentId } = bill;
  expect(billId).toMatch(/^[1-9]\d{5,12}$/);
  expect(Number(billId.at(-1))).toBe(checkDigit(billId.slice(0, -1)));
  expect(billId.at(-2)).toBe('6'); // service type: municipality
  expect(paymentId).toMatch(/^[1-9]\d{5,12}$/);
  expect(Number(paymentId.at(-2))).toBe(checkDigit(paymentId.slice(0, -2)));
  expect(Number(paymentId.at(-1))).toBe(checkDigit(billId + paymentId.slice(0, -1)));
  expect(Number(paymentId.slice(0, -5)) * 1000).toBe(bill.amountRials);
  expect(paymentId.at(-5)).toBe(String(year % 10));
  expect(bill.barcode).toBe(billId.padStart(13, '0') + paymentId.padStart(13, '0'));
}
/** A different payment ID with a wrong second check digit. */
const breakLast = (id: string) => id.slice(0, -1) + String((Number(id.at(-1)) + 1) % 10);

const NOW_J = toJalali(new Date());
const Y = NOW_J.jy;

/** Penalty/discount by the default rules (1.5%/started month after the year, cap 36%; 10% off this year until month 3). */
function expectedCharge(principal: bigint, year: number): bigint {
  const months = Math.max(0, (NOW_J.jy - year - 1) * 12 + NOW_J.jm);
  const penalty = (principal * BigInt(Math.min(months * 150, 3600))) / 10000n;
  const discount = year === NOW_J.jy && NOW_J.jm <= 3 ? (principal * 1000n) / 10000n : 0n;
  return principal + penalty - discount;
}

describe('billing: tariffs, assessment, debts, bills and the bank channel', () => {
  let t: TestApp;
  let finance: string;
  let clerk1: string;
  let clerk2: string;
  let ownerToken: string;
  let otherCitizen: string;
  let bankToken: string;
  let bank2Token: string;
  let noScopeToken: string;
  let ownerNid: string;

  const insertProperty = async (code: string, p: { land: number; building: number; use: string; units: number; structure: string; zone: string }, x: number) => {
    const [region, district, block, parcel] = code.split('-').map(Number);
    const [row] = await t.sql<{ id: string }>(
      `insert into property (id, renewal_code, region, district, block, parcel, building, apartment, shop, address, land_area, building_area,
                             use, floors, units, structure_type, zone_code, geom, created_at, updated_at)
       values (gen_random_uuid(), $1, $2, $3, $4, $5, 0, 0, 0, 'قزوین، خیابان نمونه', $6, $7, $8, 2, $9, $10, $11, st_geomfromtext($12, 4326), now(), now())
       returning id`,
      [code, region, district, block, parcel, p.land, p.building, p.use, p.units, p.structure, p.zone, rectWkt(x, 0, x + 20, 20)],
    );
    return row.id;
  };
  const demandsOf = (code: string) =>
    t.sql<{ id: string; fee_type: string; jalali_year: number; amount_rials: string; status: string; tariff_id: string; snapshot: Record<string, unknown> }>(
      `select id, fee_type, jalali_year, amount_rials, status, tariff_id, snapshot from billing_demand where subject_code = $1 order by jalali_year, fee_type`,
      [code],
    );
  const orgToken = async (name: string, legalId: string, scopes: string[]) => {
    const orgs = t.app.get(OrganizationsService);
    const org = await orgs.create({ kind: OrganizationKind.Bank, name, legalNationalId: legalId }, t.orm.em.fork());
    const client = await orgs.createClient(org.id, { name: 'core', scopes }, t.orm.em.fork());
    const res = await t.http().post('/api/v1/oauth/token').send({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }).expect(200);
    return res.body.access_token as string;
  };
  const report = (body: Record<string, unknown>, token = bankToken) =>
    t.http().post('/api/v1/bank/bill-payments').set('Authorization', `Bearer ${token}`).send(body);
  const admin = () => ({ Authorization: `Bearer ${finance}` });

  beforeAll(async () => {
    t = await createTestApp();
    finance = (await signedStaffToken(t, { username: 'finance.1', roles: [StaffRole.FinanceOfficer], regions: [1] })).token;
    clerk1 = (await signedStaffToken(t, { username: 'clerk.r1', roles: [StaffRole.RegionClerk], regions: [1] })).token;
    clerk2 = (await signedStaffToken(t, { username: 'clerk.r2', roles: [StaffRole.RegionClerk], regions: [2] })).token;
    const owner = await registerCitizen(t, '09121230101');
    ownerToken = owner.accessToken;
    ownerNid = owner.profile.nationalId;
    otherCitizen = (await registerCitizen(t, '09121230102')).accessToken;
    bankToken = await orgToken('بانک ملت (آزمون)', '10100302862', ['bills:report']);
    bank2Token = await orgToken('بانک دوم (آزمون)', '10101794408', ['bills:report']);
    noScopeToken = await orgToken('اداره آزمون', '14000135580', ['inquiries:read']);

    const a = await insertProperty('1-2-34-56-0-0-0', { land: 250, building: 420, use: 'residential', units: 3, structure: 'concrete', zone: 'R-2' }, 0);
    await insertProperty('1-2-34-57-0-0-0', { land: 180, building: 0, use: 'commercial', units: 0, structure: 'other', zone: 'C-1' }, 30);
    await insertProperty('2-1-5-9-0-0-0', { land: 600, building: 900.5, use: 'office', units: 4, structure: 'steel', zone: 'M' }, 60);
    await t.sql(`insert into property_owner (id, property_id, national_id, full_name, share_percent, created_at, updated_at)
                 values (gen_random_uuid(), $1, $2, 'علی محمدی', 100, now(), now())`, [a, ownerNid]);
  });
  afterAll(() => t?.close());

  it('seeds default tariffs for this Jalali year and the two before, readable by finance and refused to clerks', async () => {
    const years = await t.sql<{ jalali_year: number }>(`select jalali_year from billing_tariff order by jalali_year`);
    expect(years.map((r) => r.jalali_year)).toEqual([Y - 2, Y - 1, Y]);
    const res = await t.http().get(`/api/v1/admin/billing/tariffs/${Y}`).set(admin()).expect(200);
    expect(res.body).toMatchObject({ jalaliYear: Y, version: 1, renewal: { ratePerMille: 5 }, penalty: { monthlyBp: 150 } });
    await t.http().get(`/api/v1/admin/billing/tariffs/${Y}`).set('Authorization', `Bearer ${clerk1}`).expect(403);
    await t.http().get(`/api/v1/admin/billing/tariffs/${Y}`).expect(401);
    const missing = await t.http().get(`/api/v1/admin/billing/tariffs/1390`).set(admin()).expect(404);
    expect(missing.body.code).toBe('TARIFF_NOT_FOUND');
  });

  it('refuses invalid tariffs with coded field errors', async () => {
    const { body: current } = await t.http().get(`/api/v1/admin/billing/tariffs/${Y}`).set(admin()).expect(200);
    const bad = {
      note: 'آزمون',
      renewal: { ...current.renewal, ratePerMille: -5 },
      waste: { ...current.waste, areaBands: [{ fromM2: 0, toM2: 100, factorPermille: 1000 }, { fromM2: 150, toM2: null, factorPermille: 1200 }] },
      guild: current.guild,
      penalty: current.penalty,
      discount: current.discount,
    };
    const res = await t.http().put(`/api/v1/admin/billing/tariffs/${Y}`).set(admin()).send(bad).expect(400);
    expect(res.body.code).toBe('TARIFF_INVALID');
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'renewal.ratePerMille', code: 'TARIFF_NEGATIVE' }),
        expect.objectContaining({ field: 'waste.areaBands.1.fromM2', code: 'TARIFF_BAND_GAP' }),
      ]),
    );
    const noBody = await t.http().put(`/api/v1/admin/billing/tariffs/${Y}`).set(admin()).send({ note: 'x' }).expect(400);
    expect(noBody.body.code).toBe('VALIDATION_FAILED');
    expect((await t.sql(`select 1 from billing_tariff where jalali_year = $1 and version = 2`, [Y])).length).toBe(0);
  });

  it('sets regional values, registers a guild licence and assesses two years set-based and resumably', async () => {
    await t.http().put(`/api/v1/admin/billing/regional-values/${Y}`).set(admin()).send({ values: [{ region: 1, district: 2, block: 34, landValuePerM2: 4_000_000 }] }).expect(200);
    const values = await t.http().get(`/api/v1/admin/billing/regional-values/${Y}`).set(admin()).expect(200);
    expect(values.body).toEqual([{ jalaliYear: Y, region: 1, district: 2, block: 34, landValuePerM2: 4_000_000 }]);

    const guild = await t.http().post('/api/v1/admin/billing/guilds').set(admin())
      .send({ guildCode: 'g-1-000123', businessName: 'سوپرمارکت بهار', category: 'food', ownerNationalId: ownerNid, renewalCode: '۱-۲-۳۴-۵۶-۰-۰-۰', areaM2: 45 })
      .expect(201);
    expect(guild.body).toMatchObject({ guildCode: 'G-1-000123', renewalCode: '1-2-34-56-0-0-0', region: 1 });
    const dup = await t.http().post('/api/v1/admin/billing/guilds').set(admin())
      .send({ guildCode: 'G-1-000123', businessName: 'x', category: 'food', ownerNationalId: ownerNid, renewalCode: '1-2-34-56-0-0-0', areaM2: 45 }).expect(409);
    expect(dup.body.code).toBe('GUILD_CODE_TAKEN');

    const cur = await t.http().post('/api/v1/admin/billing/assessments').set(admin()).send({ jalaliYear: Y }).expect(200);
    expect(cur.body).toMatchObject({ jalaliYear: Y, properties: 3, guilds: 1, created: 7 });
    const prev = await t.http().post('/api/v1/admin/billing/assessments').set(admin()).send({ jalaliYear: Y - 1 }).expect(200);
    expect(prev.body.created).toBe(7);
    const again = await t.http().post('/api/v1/admin/billing/assessments').set(admin()).send({ jalaliYear: Y }).expect(200);
    expect(again.body.created).toBe(0);

    // independent arithmetic: renewal = (land × value + building × value) × 5‰; waste = base × band × zone × units
    const a = await demandsOf('1-2-34-56-0-0-0');
    const amount = (fee: string, year: number) => a.find((d) => d.fee_type === fee && d.jalali_year === year)?.amount_rials;
    expect(amount('renewal', Y)).toBe(String(((250n * 4_000_000n + 420n * 6_500_000n) * 5n) / 1000n)); // 18,650,000
    expect(amount('waste', Y)).toBe(String((1_500_000n * 1300n * 1100n * 3n) / 1_000_000n)); // 6,435,000
    expect(amount('renewal', Y - 1)).toBe(String(((250n * 2_400_000n + 420n * 5_200_000n) * 5n) / 1000n)); // default land value
    const c = await demandsOf('2-1-5-9-0-0-0');
    // 900.5 m² of steel: exact hundredths, rounded down at the end
    expect(c.find((d) => d.fee_type === 'renewal' && d.jalali_year === Y)?.amount_rials).toBe(String(((60000n * 3_000_000n + 90050n * 6_000_000n) * 5n) / 100_000n));
    const g = await demandsOf('G-1-000123');
    expect(g.map((d) => d.amount_rials)).toEqual([String(((4_800_000n + 45n * 48_000n) * 1200n) / 1000n), String(((6_000_000n + 45n * 60_000n) * 1200n) / 1000n)]);
    const snap = a.find((d) => d.fee_type === 'renewal' && d.jalali_year === Y)!.snapshot as Record<string, unknown>;
    expect(snap).toMatchObject({ tariffVersion: 1, penalty: { monthlyBp: 150 }, inputs: { landValueSource: 'block', structureType: 'concrete' } });
  });

  it('answers the debts of a property with penalties, a rounded bill and no personal data, reusing the bill', async () => {
    const res = await t.http().get('/api/v1/debts').query({ renewalCode: '۱-۲-۳۴-۵۶-۰-۰-۰', region: '۱' }).expect(200);
    const body = res.body;
    expect(body).toMatchObject({ subjectType: 'property', subjectCode: '1-2-34-56-0-0-0', region: 1, settled: false });
    expect(body.items.map((i: { jalaliYear: number; feeType: string }) => `${i.jalaliYear}:${i.feeType}`)).toEqual([
      `${Y - 1}:renewal`, `${Y - 1}:waste`, `${Y}:renewal`, `${Y}:waste`,
    ]);
    const demands = await demandsOf('1-2-34-56-0-0-0');
    let total = 0n;
    for (const item of body.items) {
      const d = demands.find((x) => x.fee_type === item.feeType && x.jalali_year === item.jalaliYear)!;
      const expected = expectedCharge(BigInt(d.amount_rials), d.jalali_year);
      expect(BigInt(item.amountRials)).toBe(expected);
      expect(item.principalRials + item.penaltyRials - item.discountRials).toBe(item.amountRials);
      total += expected;
    }
    expect(BigInt(body.totalRials)).toBe(total);
    expect(BigInt(body.bill.amountRials)).toBe((total / 1000n) * 1000n);
    expectValidBill(body.bill, Y);
    expect(JSON.stringify(body)).not.toContain(ownerNid);
    expect(new Date(body.bill.expiresAt).getTime()).toBeGreaterThan(Date.now());

    const again = await t.http().get('/api/v1/debts').query({ renewalCode: '1-2-34-56-0-0-0' }).expect(200);
    expect(again.body.bill).toEqual(body.bill);
    expect((await t.sql(`select 1 from billing_bill`)).length).toBe(1);
  });

  it('answers the guild debts and refuses bad queries with coded errors', async () => {
    const res = await t.http().get('/api/v1/debts').query({ guildCode: 'G-1-000123' }).expect(200);
    expect(res.body).toMatchObject({ subjectType: 'guild', subjectCode: 'G-1-000123', region: 1 });
    expect(res.body.items).toHaveLength(2);
    expectValidBill(res.body.bill, Y);
    const codes = async (query: Record<string, string>, status: number) => (await t.http().get('/api/v1/debts').query(query).expect(status)).body.code;
    expect(await codes({}, 400)).toBe('DEBT_QUERY_INVALID');
    expect(await codes({ renewalCode: '1-2-34-56-0-0-0', guildCode: 'G-1-000123' }, 400)).toBe('DEBT_QUERY_INVALID');
    expect(await codes({ renewalCode: '1-2-34-56-0-0-0', region: '2' }, 400)).toBe('REGION_MISMATCH');
    expect(await codes({ renewalCode: 'abc' }, 400)).toBe('RENEWAL_CODE_INVALID');
    expect(await codes({ renewalCode: '3-1-1-1-0-0-0' }, 404)).toBe('PROPERTY_NOT_FOUND');
    expect(await codes({ guildCode: 'G-404' }, 404)).toBe('GUILD_NOT_FOUND');
    expect(await codes({ guildCode: 'bad code!' }, 400)).toBe('VALIDATION_FAILED');
  });

  it('settles a bank-reported payment once: check digits, amount, replay, already paid, statement', async () => {
    const { body } = await t.http().get('/api/v1/debts').query({ renewalCode: '1-2-34-56-0-0-0' }).expect(200);
    const { billId, paymentId, amountRials } = body.bill;
    const paidAt = new Date().toISOString();
    const base = { billId, paymentId, amount: amountRials, bankReference: 'MELLAT-0001', paidAt };

    await t.http().post('/api/v1/bank/bill-payments').send(base).expect(401);
    expect((await report(base, noScopeToken).expect(403)).body.code).toBe('FORBIDDEN');
    expect((await report(base, ownerToken).expect(403)).body.code).toBe('FORBIDDEN');
    expect((await report({ ...base, billId: breakLast(billId) }).expect(400)).body.code).toBe('BILL_ID_INVALID');
    expect((await report({ ...base, paymentId: breakLast(paymentId) }).expect(400)).body.code).toBe('PAYMENT_ID_INVALID');
    // check digits right for this bill ID, but not the payment ID issued with it (another amount)
    const foreign = buildPaymentId({ billId, amountRials: BigInt(amountRials) + 1000n, jalaliYear: Y, period: 1 });
    expect((await report({ ...base, paymentId: foreign }).expect(409)).body.code).toBe('PAYMENT_ID_MISMATCH');
    const mismatch = await report({ ...base, amount: amountRials - 1000 }).expect(409);
    expect(mismatch.body.code).toBe('BILL_AMOUNT_MISMATCH');
    expect((await report({ ...base, paidAt: new Date(Date.now() + 3600_000).toISOString() }).expect(400)).body.code).toBe('PAID_AT_INVALID');
    expect((await report({ ...base, amount: 'ten' }).expect(400)).body.code).toBe('VALIDATION_FAILED');

    const ok = await report(base).expect(200);
    expect(ok.body).toMatchObject({ status: 'settled', billId, paymentId, amountRials, bankReference: 'MELLAT-0001' });
    const replay = await report(base).expect(200);
    expect(replay.body).toEqual(ok.body);
    const other = await report({ ...base, bankReference: 'MELLAT-0002' }).expect(409);
    expect(other.body.code).toBe('BILL_ALREADY_PAID');
    const bank2 = await report(base, bank2Token).expect(409);
    expect(bank2.body.code).toBe('BILL_ALREADY_PAID');

    const demands = await demandsOf('1-2-34-56-0-0-0');
    expect(demands.every((d) => d.status === 'paid')).toBe(true);
    const [bill] = await t.sql<{ status: string; paid_channel: string; paid_amount_rials: string }>(`select status, paid_channel, paid_amount_rials from billing_bill where bill_id = $1`, [billId]);
    expect(bill).toEqual({ status: 'paid', paid_channel: 'bank', paid_amount_rials: String(amountRials) });
    expect((await t.sql(`select 1 from billing_bank_payment`)).length).toBe(1);

    const after = await t.http().get('/api/v1/debts').query({ renewalCode: '1-2-34-56-0-0-0' }).expect(200);
    expect(after.body).toMatchObject({ settled: true, totalRials: 0, bill: null, items: [] });

    const day = new Date(paidAt);
    const statement = await t.http().get('/api/v1/bank/statements').query({ date: `${toJalali(day).jy}/${toJalali(day).jm}/${toJalali(day).jd}` }).set('Authorization', `Bearer ${bankToken}`).expect(200);
    expect(statement.body).toMatchObject({ count: 1, totalRials: amountRials });
    expect(statement.body.items[0]).toEqual(ok.body);
    const other2 = await t.http().get('/api/v1/bank/statements').query({ date: statement.body.date }).set('Authorization', `Bearer ${bank2Token}`).expect(200);
    expect(other2.body).toMatchObject({ count: 0, totalRials: 0 });
    const badDate = (await t.http().get('/api/v1/bank/statements').query({ date: '1405/13/01' }).set('Authorization', `Bearer ${bankToken}`).expect(400)).body;
    expect(badDate).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'date', code: 'isCalendarDay' }] });
    expect(badDate.errors[0].message).toContain('۱۴۰۵/۰۹/۱۵');
  });

  it('refuses an expired bill and a reused bank reference', async () => {
    const { body } = await t.http().get('/api/v1/debts').query({ guildCode: 'G-1-000123' }).expect(200);
    const { billId, paymentId, amountRials } = body.bill;
    await t.sql(`update billing_bill set expires_at = now() - interval '1 hour' where bill_id = $1`, [billId]);
    const expired = await report({ billId, paymentId, amount: amountRials, bankReference: 'MELLAT-0100', paidAt: new Date().toISOString() }).expect(409);
    expect(expired.body.code).toBe('BILL_EXPIRED');
    await expect(t.app.get(BillingService).getPayableBill(t.orm.em.fork(), billId)).rejects.toMatchObject({ code: 'BILL_EXPIRED' });

    // a fresh bill is issued for the same debts once the old one expired
    const fresh = await t.http().get('/api/v1/debts').query({ guildCode: 'G-1-000123' }).expect(200);
    expect(fresh.body.bill.billId).not.toBe(billId);
    expectValidBill(fresh.body.bill, Y);
    const reused = await report({ billId: fresh.body.bill.billId, paymentId: fresh.body.bill.paymentId, amount: fresh.body.bill.amountRials, bankReference: 'MELLAT-0001', paidAt: new Date().toISOString() }).expect(409);
    expect(reused.body.code).toBe('PAYMENT_REFERENCE_USED');
    expect((await t.sql(`select 1 from billing_demand where subject_code = 'G-1-000123' and status = 'paid'`)).length).toBe(0);
  });

  it('never changes issued demands when a tariff is edited; new assessments use the new version (audited)', async () => {
    const before = await t.sql(`select id, amount_rials, tariff_id, snapshot from billing_demand order by id`);
    const debtsBefore = await t.http().get('/api/v1/debts').query({ renewalCode: '2-1-5-9-0-0-0' }).expect(200);
    const { body: current } = await t.http().get(`/api/v1/admin/billing/tariffs/${Y}`).set(admin()).expect(200);
    const edited = await t.http().put(`/api/v1/admin/billing/tariffs/${Y}`).set(admin())
      .send({ note: 'مصوبه شورا ۱۲۳', renewal: { ...current.renewal, ratePerMille: 10 }, waste: current.waste, guild: current.guild, penalty: { monthlyBp: 300, maxBp: 9000 }, discount: current.discount })
      .expect(200);
    expect(edited.body).toMatchObject({ jalaliYear: Y, version: 2, note: 'مصوبه شورا ۱۲۳', renewal: { ratePerMille: 10 } });
    const versions = await t.http().get(`/api/v1/admin/billing/tariffs/${Y}/versions`).set(admin()).expect(200);
    expect(versions.body.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const [audit] = await t.sql<{ before: { version: number }; after: { version: number } }>(`select before, after from audit_log where action = 'billing.tariff.updated'`);
    expect(audit.before.version).toBe(1);
    expect(audit.after.version).toBe(2);

    await t.http().post('/api/v1/admin/billing/assessments').set(admin()).send({ jalaliYear: Y }).expect(200);
    expect(await t.sql(`select id, amount_rials, tariff_id, snapshot from billing_demand order by id`)).toEqual(before);
    const debtsAfter = await t.http().get('/api/v1/debts').query({ renewalCode: '2-1-5-9-0-0-0' }).expect(200);
    expect(debtsAfter.body.items).toEqual(debtsBefore.body.items);
    expect(debtsAfter.body.bill).toEqual(debtsBefore.body.bill);

    await insertProperty('2-1-5-10-0-0-0', { land: 100, building: 0, use: 'residential', units: 1, structure: 'other', zone: 'R-1' }, 90);
    const res = await t.http().post('/api/v1/admin/billing/assessments').set(admin()).send({ jalaliYear: Y }).expect(200);
    expect(res.body).toMatchObject({ created: 2, tariffId: edited.body.id });
    const [renewal] = await t.sql<{ amount_rials: string; tariff_id: string }>(`select amount_rials, tariff_id from billing_demand where subject_code = '2-1-5-10-0-0-0' and fee_type = 'renewal'`);
    expect(renewal).toEqual({ amount_rials: String((100n * 3_000_000n * 10n) / 1000n), tariff_id: edited.body.id });
  });

  it('amends demands (write-off, correction) with reason codes, voiding open bills, keeping history', async () => {
    const open = await t.http().get('/api/v1/debts').query({ renewalCode: '2-1-5-9-0-0-0' }).expect(200);
    const list = await t.http().get('/api/v1/admin/billing/demands').query({ renewalCode: '2-1-5-9-0-0-0' }).set(admin()).expect(200);
    const waste = list.body.items.find((d: { feeType: string; jalaliYear: number }) => d.feeType === 'waste' && d.jalaliYear === Y);
    const renewal = list.body.items.find((d: { feeType: string; jalaliYear: number }) => d.feeType === 'renewal' && d.jalaliYear === Y);

    const off = await t.http().post(`/api/v1/admin/billing/demands/${waste.id}/amendments`).set(admin()).send({ kind: 'write_off', reasonCode: 'COUNCIL_EXEMPTION' }).expect(201);
    expect(off.body).toMatchObject({ status: 'written_off', amountRials: 0, assessedRials: waste.assessedRials });
    const fixed = await t.http().post(`/api/v1/admin/billing/demands/${renewal.id}/amendments`).set(admin())
      .send({ kind: 'correction', reasonCode: 'AREA_CORRECTION', newAmountRials: 12_000_000, note: 'اصلاح مساحت' }).expect(201);
    expect(fixed.body).toMatchObject({ status: 'open', amountRials: 12_000_000, amendments: [expect.objectContaining({ kind: 'correction', reasonCode: 'AREA_CORRECTION' })] });
    expect((await t.http().post(`/api/v1/admin/billing/demands/${waste.id}/amendments`).set(admin()).send({ kind: 'correction', reasonCode: 'AREA_CORRECTION', newAmountRials: 5 }).expect(409)).body.code).toBe('DEMAND_NOT_AMENDABLE');
    expect((await t.http().post(`/api/v1/admin/billing/demands/${renewal.id}/amendments`).set(admin()).send({ kind: 'court_ruling', reasonCode: 'COURT_VERDICT' }).expect(400)).body.code).toBe('AMENDMENT_INVALID');
    await t.http().post(`/api/v1/admin/billing/demands/${renewal.id}/amendments`).set('Authorization', `Bearer ${clerk1}`).send({ kind: 'write_off', reasonCode: 'X_Y_Z' }).expect(403);
    const unknown = await t.http().post('/api/v1/admin/billing/demands/00000000-0000-4000-8000-000000000000/amendments').set(admin()).send({ kind: 'write_off', reasonCode: 'COUNCIL_EXEMPTION' }).expect(404);
    expect(unknown.body.code).toBe('DEMAND_NOT_FOUND');
    expect((await t.sql(`select 1 from audit_log where action = 'billing.demand.amended'`)).length).toBe(2);
    expect((await t.sql(`select 1 from billing_demand_amendment`)).length).toBe(2);

    const [old] = await t.sql<{ status: string }>(`select status from billing_bill where bill_id = $1`, [open.body.bill.billId]);
    expect(old.status).toBe('void');
    const voided = await report({ billId: open.body.bill.billId, paymentId: open.body.bill.paymentId, amount: open.body.bill.amountRials, bankReference: 'MELLAT-0200', paidAt: new Date().toISOString() }).expect(409);
    expect(voided.body.code).toBe('BILL_NOT_PAYABLE');
    const now = await t.http().get('/api/v1/debts').query({ renewalCode: '2-1-5-9-0-0-0' }).expect(200);
    expect(now.body.items.find((i: { feeType: string; jalaliYear: number }) => i.feeType === 'renewal' && i.jalaliYear === Y).principalRials).toBe(12_000_000);
    expect(now.body.items.some((i: { feeType: string; jalaliYear: number }) => i.feeType === 'waste' && i.jalaliYear === Y)).toBe(false);
    expect(now.body.bill.billId).not.toBe(open.body.bill.billId);
  });

  it('shows payment histories to the owner, staff of the region and finance only', async () => {
    const path = '/api/v1/properties/1-2-34-56-0-0-0/payments';
    const mine = await t.http().get(path).set('Authorization', `Bearer ${ownerToken}`).expect(200);
    expect(mine.body.subjectCode).toBe('1-2-34-56-0-0-0');
    expect(mine.body.items).toHaveLength(1);
    expect(mine.body.items[0]).toMatchObject({ channel: 'bank' });
    expect(mine.body.items[0].items).toHaveLength(4);
    await t.http().get(path).set('Authorization', `Bearer ${clerk1}`).expect(200);
    await t.http().get(path).set('Authorization', `Bearer ${finance}`).expect(200);
    expect((await t.http().get(path).set('Authorization', `Bearer ${clerk2}`).expect(404)).body.code).toBe('PROPERTY_NOT_FOUND');
    expect((await t.http().get(path).set('Authorization', `Bearer ${otherCitizen}`).expect(404)).body.code).toBe('PROPERTY_NOT_FOUND');
    await t.http().get(path).expect(401);
    await t.http().get(path).set('Authorization', `Bearer ${bankToken}`).expect(403);
    const guild = await t.http().get('/api/v1/guilds/G-1-000123/payments').set('Authorization', `Bearer ${ownerToken}`).expect(200);
    expect(guild.body).toEqual({ subjectCode: 'G-1-000123', items: [] });
    await t.http().get('/api/v1/guilds/G-1-000123/payments').set('Authorization', `Bearer ${otherCitizen}`).expect(404);
  });

  it('answers the public payment history without sign-in and without personal data; owners keep the full view; rate-limited', async () => {
    const path = '/api/v1/payment-history';
    const pub = await t.http().get(path).query({ renewalCode: '1-2-34-56-0-0-0', region: 1 }).expect(200);
    expect(pub.body).toMatchObject({ subjectType: 'property', subjectCode: '1-2-34-56-0-0-0', region: 1 });
    expect(pub.body.items).toHaveLength(1);
    const [paid] = pub.body.items;
    expect(paid).toMatchObject({ channel: 'bank', receiptNumber: 'MELLAT-0001' });
    expect(paid.amountRials).toBeGreaterThan(0);
    expect(paid.paidAtJalali).toMatch(/^14\d\d\/\d\d\/\d\d/);
    expect(new Date(paid.paidAt).getTime()).not.toBeNaN();
    expect(paid.items).toHaveLength(4);
    expect(Object.keys(paid).sort()).toEqual(['amountRials', 'channel', 'items', 'paidAt', 'paidAtJalali', 'receiptNumber']);
    expect(Object.keys(paid.items[0]).sort()).toEqual(['amountRials', 'feeType', 'jalaliYear', 'subjectCode']);
    // nothing about the owner: no national ID, mobile or name anywhere in the answer
    const text = JSON.stringify(pub.body);
    expect(text).not.toContain(ownerNid);
    expect(text).not.toContain('09121230101');
    expect(text).not.toMatch(/name|nationalId|mobile/i);
    // the owner's full view still has the bill and payment IDs and the per-item breakdown
    const mine = await t.http().get('/api/v1/properties/1-2-34-56-0-0-0/payments').set('Authorization', `Bearer ${ownerToken}`).expect(200);
    expect(mine.body.items[0]).toMatchObject({ channel: 'bank', receiptNumber: 'MELLAT-0001', amountRials: paid.amountRials });
    expect(mine.body.items[0].billId).toMatch(/^\d+$/);
    expect(mine.body.items[0].items[0]).toHaveProperty('principalRials');
    // guild code; the region must be the renewal code's; coded errors
    expect((await t.http().get(path).query({ guildCode: 'g-1-000123' }).expect(200)).body).toEqual({
      subjectType: 'guild',
      subjectCode: 'G-1-000123',
      region: 1,
      items: [],
    });
    expect((await t.http().get(path).query({ renewalCode: '1-2-34-56-0-0-0', region: 2 }).expect(400)).body.code).toBe('REGION_MISMATCH');
    expect((await t.http().get(path).query({ renewalCode: '1-2-34-56-0-0-0' }).expect(400)).body.code).toBe('DEBT_QUERY_INVALID');
    expect((await t.http().get(path).query({ renewalCode: '1-9-99-99-0-0-0', region: 1 }).expect(404)).body.code).toBe('PROPERTY_NOT_FOUND');
    expect((await t.http().get(path).query({ guildCode: 'G-1-999999' }).expect(404)).body.code).toBe('GUILD_NOT_FOUND');
    // per client IP: 60 a minute, then 429 RATE_LIMITED with Retry-After
    let res = await t.http().get(path).query({ guildCode: 'G-1-000123' });
    for (let i = 0; i < 70 && res.status !== 429; i++) res = await t.http().get(path).query({ guildCode: 'G-1-000123' });
    expect(res.status).toBe(429);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).toBe('RATE_LIMITED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.headers).toMatchObject({ 'ratelimit-limit': '60', 'ratelimit-remaining': '0' });
    // the owner's signed-in full view is not behind the public bucket
    await t.http().get('/api/v1/properties/1-2-34-56-0-0-0/payments').set('Authorization', `Bearer ${ownerToken}`).expect(200);
  });

  it('tells the inquiry workflow whether a file is settled and which bill settles it', async () => {
    const billing = t.app.get(BillingService);
    // property 1-2-34-56: renewal and waste paid, its guild unit still owes
    const status = await billing.fileStatus('1-2-34-56-0-0-0');
    expect(status.settled).toBe(false);
    expect(status.items.every((i) => i.feeType === 'guild' && i.subjectCode === 'G-1-000123')).toBe(true);
    expectValidBill(status.bill!, Y);
    const payable = await billing.getPayableBill(t.orm.em.fork(), status.bill!.billId);
    expect(payable).toMatchObject({ billId: status.bill!.billId, amountRials: BigInt(status.bill!.amountRials), scope: 'file:1-2-34-56-0-0-0' });
    const settled = await billing.settleBill(t.orm.em.fork(), status.bill!.billId, { channel: 'gateway', reference: 'GW-1', amountRials: status.bill!.amountRials, paidAt: new Date() });
    expect(settled).toMatchObject({ replay: false, channel: 'gateway' });
    const again = await billing.settleBill(t.orm.em.fork(), status.bill!.billId, { channel: 'gateway', reference: 'GW-1', amountRials: status.bill!.amountRials, paidAt: new Date() });
    expect(again).toMatchObject({ replay: true, paidAt: settled.paidAt });
    await expect(billing.settleBill(t.orm.em.fork(), status.bill!.billId, { channel: 'gateway', reference: 'GW-2', amountRials: status.bill!.amountRials, paidAt: new Date() })).rejects.toMatchObject({ code: 'BILL_ALREADY_PAID' });
    await expect(billing.getPayableBill(t.orm.em.fork(), status.bill!.billId)).rejects.toMatchObject({ code: 'BILL_ALREADY_PAID' });
    expect(await billing.fileStatus('1-2-34-56-0-0-0')).toMatchObject({ settled: true, bill: null, totalRials: 0 });
    // the guild's own open bill shared those demands: it is void now
    const guildBills = await t.sql<{ status: string }>(`select status from billing_bill where scope = 'guild:G-1-000123' order by id`);
    expect(guildBills.map((b) => b.status)).not.toContain('open');
  });

  it('issued only bills whose bill and payment IDs pass the independent check-digit routine', async () => {
    const bills = await t.sql<{ bill_id: string; payment_id: string; amount_rials: string; total_rials: string; jalali_year: number }>(
      `select bill_id, payment_id, amount_rials, total_rials, jalali_year from billing_bill`,
    );
    expect(bills.length).toBeGreaterThanOrEqual(6);
    for (const b of bills) {
      expectValidBill({ billId: b.bill_id, paymentId: b.payment_id, amountRials: Number(b.amount_rials), barcode: b.bill_id.padStart(13, '0') + b.payment_id.padStart(13, '0') }, b.jalali_year);
      expect(BigInt(b.amount_rials)).toBe((BigInt(b.total_rials) / 1000n) * 1000n);
    }
  });

  it('creates default tariffs once when two processes start together (the slower one skips, it does not fail)', async () => {
    const tariffs = t.app.get(TariffsService);
    // a Jalali year far enough ahead that it and the two before have no tariff yet
    const later = new Date(Date.now() + 10 * 365 * 86_400_000);
    const ly = toJalali(later).jy;
    const [a, b] = await Promise.all([tariffs.ensureDefaults(t.orm.em.fork(), later), tariffs.ensureDefaults(t.orm.em.fork(), later)]);
    expect([...a, ...b].sort()).toEqual([ly - 2, ly - 1, ly]);
    const rows = await t.sql<{ jalali_year: number; n: number }>(
      `select jalali_year, count(*)::int as n from billing_tariff where jalali_year >= $1 group by jalali_year order by jalali_year`,
      [ly - 2],
    );
    expect(rows).toEqual([{ jalali_year: ly - 2, n: 1 }, { jalali_year: ly - 1, n: 1 }, { jalali_year: ly, n: 1 }]);
  });
});
