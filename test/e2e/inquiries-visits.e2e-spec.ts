import { registerCitizen } from '../helpers/citizen';
import { insertInquiryProperty, scanJpeg } from '../helpers/inquiries';
import { createTestApp, TestApp, usingRealPostgres } from '../helpers/test-app';

/**
 * Capacity under concurrency needs real sessions: the embedded engine serializes
 * transactions, so this runs only on real PostgreSQL (DATABASE_URL).
 */
const describeReal = usingRealPostgres ? describe : describe.skip;
if (!usingRealPostgres) {
  // eslint-disable-next-line no-console
  console.log('skipping concurrent visit bookings: they need real PostgreSQL (set DATABASE_URL)');
}

describeReal('inquiries: concurrent bookings of the last visit place (real PostgreSQL)', () => {
  let t: TestApp;
  const CONTENDERS = 6;
  const members: Array<{ token: string; inquiryId: string }> = [];

  beforeAll(async () => {
    t = await createTestApp({ INQUIRY_VISIT_CAPACITY: '1' });
    for (let i = 0; i < CONTENDERS; i++) {
      const m = await registerCitizen(t, `0912125${String(i).padStart(4, '0')}`);
      const p = await insertInquiryProperty(t, {
        region: 1,
        owners: [m.profile.nationalId],
        certificates: [{ kind: 'transfer', requestNumber: `C-${i}-${Date.now()}`, year: 1400, date: '2021-03-01' }],
      });
      const auth = { Authorization: `Bearer ${m.accessToken}` };
      const lastRequestNumber = (await t.sql<{ request_number: string }>(`select request_number from property_certificate where property_id = $1`, [p.id]))[0].request_number;
      const res = await t
        .http()
        .post('/api/v1/inquiries')
        .set(auth)
        .send({ type: 'notary', renewalCode: p.renewalCode, region: 1, lastRequestNumber, undertakingsVersion: 'notary-1404-01', undertakingsAccepted: true, notaryOfficeNumber: '12' })
        .expect(201);
      await t.http().post(`/api/v1/inquiries/${res.body.id}/confirm`).set(auth).expect(200);
      members.push({ token: m.accessToken, inquiryId: res.body.id });
    }
  });
  afterAll(() => t?.close());

  it('lets exactly one of simultaneous bookings take the last place', async () => {
    const slots = await t.http().get('/api/v1/inquiries/visit-slots').query({ region: 1 }).set({ Authorization: `Bearer ${members[0].token}` }).expect(200);
    const slotId = slots.body[3].slotId as string;
    const results = await Promise.all(
      members.map((m) => t.http().post(`/api/v1/inquiries/${m.inquiryId}/visit`).set({ Authorization: `Bearer ${m.token}` }).send({ slotId })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'VISIT_SLOT_FULL')).toBe(true);
    expect(statuses.filter((s) => s === 409)).toHaveLength(CONTENDERS - 1);
    const [row] = await t.sql<{ booked: number; capacity: number }>(`select booked, capacity from visit_slot where id = $1`, [slotId]);
    expect(row).toEqual({ booked: 1, capacity: 1 });
    const holders = await t.sql<{ id: string }>(`select id from inquiry where visit_slot_id = $1`, [slotId]);
    expect(holders).toHaveLength(1);
    // the refused bookings wrote nothing: no visit on their inquiries, no audit entry
    const booked = await t.sql<{ target_id: string }>(`select target_id from audit_log where action = 'inquiry.visit_booked' and target_id = any($1)`, [
      members.map((m) => m.inquiryId),
    ]);
    expect(booked.map((b) => b.target_id)).toEqual([holders[0].id]);
    expect(await t.sql(`select id from inquiry where id = any($1) and visit_slot_id is not null`, [members.map((m) => m.inquiryId)])).toHaveLength(1);
  });

  it('gives the place back when the holder moves, so another member can take it', async () => {
    const auth = (i: number) => ({ Authorization: `Bearer ${members[i].token}` });
    const slots = await t.http().get('/api/v1/inquiries/visit-slots').query({ region: 1 }).set(auth(0)).expect(200);
    const [holder] = await t.sql<{ id: string; visit_slot_id: string }>(`select id, visit_slot_id from inquiry where visit_slot_id is not null`);
    const h = members.findIndex((m) => m.inquiryId === holder.id);
    const w = (h + 1) % CONTENDERS;
    const elsewhere = slots.body.find((s: { slotId: string }) => s.slotId !== holder.visit_slot_id).slotId;
    await t.http().post(`/api/v1/inquiries/${members[h].inquiryId}/visit`).set(auth(h)).send({ slotId: elsewhere }).expect(200);
    await t.http().post(`/api/v1/inquiries/${members[w].inquiryId}/visit`).set(auth(w)).send({ slotId: holder.visit_slot_id }).expect(200);
    // moving to a full place is refused and keeps the place the member holds
    const refused = await t.http().post(`/api/v1/inquiries/${members[h].inquiryId}/visit`).set(auth(h)).send({ slotId: holder.visit_slot_id }).expect(409);
    expect(refused.body.code).toBe('VISIT_SLOT_FULL');
    expect(await t.sql(`select visit_slot_id from inquiry where id = $1`, [members[h].inquiryId])).toEqual([{ visit_slot_id: elsewhere }]);
    expect(await t.sql(`select booked from visit_slot where id = any($1) order by id`, [[elsewhere, holder.visit_slot_id]])).toEqual([{ booked: 1 }, { booked: 1 }]);
    // and the same document upload path works on real PostgreSQL too
    await t
      .http()
      .put(`/api/v1/inquiries/${members[w].inquiryId}/documents/deed`)
      .set(auth(w))
      .attach('file', await scanJpeg(), { filename: 'deed.jpg', contentType: 'image/jpeg' })
      .expect(200);
  });
});
