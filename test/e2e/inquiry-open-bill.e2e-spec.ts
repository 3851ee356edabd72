import { StaffRole } from '../../src/modules/membership/entities/staff-user.entity';
import { registerCitizen } from '../helpers/citizen';
import { scanJpeg } from '../helpers/inquiries';
import { gatewayEnv, seedPropertiesWithDebts } from '../helpers/payments';
import { payBillInSandbox } from '../helpers/desk';
import { signedStaffToken } from '../helpers/staff';
import { createTestApp, TestApp } from '../helpers/test-app';

const ORG = { kind: 'bank', name: 'بانک ملت، شعبه قزوین', letterNumber: '77/ب', letterDate: '1404/08/20' };
const CERT = { kind: 'transfer', requestNumber: '1-1399-000077', year: 1399, date: '2020-06-01' };

/**
 * The citizen's inquiry while it awaits payment: it shows its open bill and the live debt
 * status; public `/debts` of the property answers the same bill (one open bill per debt set);
 * paying that bill settles the inquiry, and nothing is left refused as BILL_NOT_PAYABLE.
 */
describe('inquiry awaiting payment: its open bill, the same for public /debts', () => {
  let t: TestApp;
  let citizen: { token: string; mobile: string };
  let clerk: { token: string; id: string };
  const code = '1-3-812-9-0-0-0';
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const openBills = async () => (await t.sql<{ bill_id: string }>(`select bill_id from billing_bill where status = 'open' and scope like $1`, [`%:${code}`])).map((r) => r.bill_id);
  /** Every bill (any status) that includes the inquiry's fee demand. */
  const feeBills = async () =>
    t.sql<{ bill_id: string; status: string }>(
      `select b.bill_id, b.status from billing_bill b join billing_demand d on d.id = any(b.demand_ids) where d.fee_type = 'inquiry' and d.subject_code = $1 order by b.id`,
      [code],
    );

  beforeAll(async () => {
    t = await createTestApp(gatewayEnv());
    const mobile = '09121770042';
    const c = await registerCitizen(t, mobile, { firstName: 'مریم', lastName: 'صالحی' });
    citizen = { token: c.accessToken, mobile };
    clerk = await signedStaffToken(t, { username: 'openbill.clerk', roles: [StaffRole.RegionClerk], regions: [1] });
    await seedPropertiesWithDebts(t, [code]);
    const [p] = await t.sql<{ id: string }>(`select id from property where renewal_code = $1`, [code]);
    await t.sql(`insert into property_owner (id, property_id, national_id, full_name, share_percent, created_at, updated_at) values (gen_random_uuid(), $1, $2, 'مریم صالحی', 100, now(), now())`, [
      p.id,
      c.profile.nationalId,
    ]);
    await t.sql(
      `insert into property_certificate (id, property_id, kind, request_number, jalali_year, issue_date, created_at, updated_at) values (gen_random_uuid(), $1, $2, $3, $4, $5, now(), now())`,
      [p.id, CERT.kind, CERT.requestNumber, CERT.year, CERT.date],
    );
  });
  afterAll(() => t?.close());

  it('shows the bill and live debts while awaiting payment; /debts returns that bill; paying it settles the inquiry', async () => {
    const created = await t
      .http()
      .post('/api/v1/inquiries')
      .set(auth(citizen.token))
      .send({ type: 'office', renewalCode: code, region: 1, lastRequestNumber: CERT.requestNumber, undertakingsVersion: 'office-1404-01', undertakingsAccepted: true, organization: ORG })
      .expect(201);
    const id = created.body.id as string;
    expect(created.body.bill).toBeNull();
    await t.http().post(`/api/v1/inquiries/${id}/confirm`).set(auth(citizen.token)).expect(200);
    for (const kind of ['deed', 'national_card', 'office_letter']) {
      await t.http().put(`/api/v1/inquiries/${id}/documents/${kind}`).set(auth(citizen.token)).attach('file', await scanJpeg(), { filename: `${kind}.jpg`, contentType: 'image/jpeg' }).expect(200);
    }
    await t.http().post(`/api/v1/inquiries/${id}/submit`).set(auth(citizen.token)).expect(200);
    const desk = (path: string) => t.http().post(`/api/v1/desk/inquiries/${id}${path}`).set(auth(clerk.token));
    await desk('/claim').expect(200);
    await desk('/review')
      .send({ documents: ['deed', 'national_card', 'office_letter'].map((kind) => ({ kind, verdict: 'accepted' })) })
      .expect(200);
    const assessed = (await desk('/assess').expect(200)).body;
    expect(assessed.inquiry.status).toBe('awaiting_payment');
    const deskBill = assessed.desk.finances.bill;

    // the citizen's own view: the open bill and the debt status read live (inquiry fee included)
    const mine = (await t.http().get(`/api/v1/inquiries/${id}`).set(auth(citizen.token)).expect(200)).body;
    expect(mine.status).toBe('awaiting_payment');
    expect(mine.bill).toEqual({
      billId: deskBill.billId,
      paymentId: deskBill.paymentId,
      amountRials: deskBill.amountRials,
      expiresAt: deskBill.expiresAt,
      expiresAtJalali: expect.stringMatching(/^14\d\d\/\d\d\/\d\d/),
      status: 'open',
    });
    expect(new Date(mine.bill.expiresAt).getTime()).toBeGreaterThan(Date.now());
    expect(mine.records.debts).toMatchObject({ settled: false, totalRials: assessed.desk.finances.totalRials, bill: { billId: deskBill.billId } });
    expect(mine.records.debts.totalRials).toBeGreaterThan(0);
    // reading again changes nothing: still the same bill
    expect((await t.http().get(`/api/v1/inquiries/${id}`).set(auth(citizen.token)).expect(200)).body.bill.billId).toBe(deskBill.billId);

    // public /debts of the property: the same bill, no second one
    const debts = (await t.http().get('/api/v1/debts').query({ renewalCode: code, region: 1 }).expect(200)).body;
    expect(debts.items).toEqual(expect.arrayContaining([expect.objectContaining({ feeType: 'inquiry' })]));
    expect(debts.totalRials).toBe(mine.records.debts.totalRials);
    expect(debts.bill).toMatchObject({ billId: deskBill.billId, paymentId: deskBill.paymentId, amountRials: deskBill.amountRials });
    // one open bill for this debt set (the draft's earlier bill, made before the fee, covers a different set)
    expect(await feeBills()).toEqual([{ bill_id: deskBill.billId, status: 'open' }]);
    expect(await openBills()).toContain(deskBill.billId);
    // tracking shows the same bill too
    const tracked = (await t.http().get(`/api/v1/tracking/${assessed.inquiry.trackingCode}`).expect(200)).body;
    expect(tracked.next.bill).toMatchObject({ billId: deskBill.billId, paymentId: deskBill.paymentId });

    // paying the bill /debts gave settles the inquiry
    await payBillInSandbox(t, debts.bill.billId);
    const after = (await t.http().get(`/api/v1/inquiries/${id}`).set(auth(citizen.token)).expect(200)).body;
    expect(after.status).toBe('in_review');
    expect(after.bill).toBeNull();
    expect(after.history.filter((h: { from: string }) => h.from === 'awaiting_payment')).toEqual([expect.objectContaining({ to: 'in_review', by: 'system' })]);
    const settled = (await t.http().get('/api/v1/debts').query({ renewalCode: code, region: 1 }).expect(200)).body;
    expect(settled).toMatchObject({ settled: true, totalRials: 0, bill: null });
    expect(await openBills()).toEqual([]);
    // no second bill of this debt set was issued to be refused later as BILL_NOT_PAYABLE; paying again is "already paid"
    expect(await feeBills()).toEqual([{ bill_id: deskBill.billId, status: 'paid' }]);
    const again = await t.http().post('/api/v1/payments').send({ billId: deskBill.billId, returnUrl: 'https://shahr.example/done' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('BILL_ALREADY_PAID');
  });
});
