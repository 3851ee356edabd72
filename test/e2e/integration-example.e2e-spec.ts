import { QazvinClient, startWebhookReceiver, verifyAnswerJws, type WebhookEvent } from '../../examples/bank-client';
import { StaffRole } from '../../src/modules/membership/entities/staff-user.entity';
import { registerCitizen } from '../helpers/citizen';
import { insertInquiryProperty, scanJpeg, scanPng } from '../helpers/inquiries';
import { orgClient, payIfAwaitingPayment } from '../helpers/org';
import { signedStaffToken } from '../helpers/staff';
import { createTestApp, TestApp } from '../helpers/test-app';

/**
 * examples/bank-client.ts against the running test server, the whole flow a bank goes
 * through: token → inquiry → (citizen consent and submission via the member API) → desk
 * answer → webhooks received with their signatures checked → answer fetched and its JWS
 * verified with the published keys.
 */
describe('Integration: the example bank client end to end', () => {
  let t: TestApp;
  afterAll(async () => t?.close());

  it('runs a bank’s whole flow through the typed example client', async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    const baseUrl = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    const credentials = await orgClient(t, 'بانک نمونه (مثال)', ['inquiries:read', 'inquiries:write', 'webhooks:manage']);
    const bank = new QazvinClient(baseUrl, credentials.clientId, credentials.clientSecret);

    // the bank's webhook receiver, registered with its secret
    let secret = '';
    const events: WebhookEvent[] = [];
    const receiver = await startWebhookReceiver(() => secret, (e) => events.push(e));
    try {
      const hook = await bank.registerWebhook({ url: receiver.url, events: ['inquiry.submitted', 'inquiry.answered', 'inquiry.rejected'] }, 'hook-1');
      secret = hook.secret;

      // the citizen and their property
      const mobile = '09121260001';
      const citizen = await registerCitizen(t, mobile);
      const member = { Authorization: `Bearer ${citizen.accessToken}` };
      const property = await insertInquiryProperty(t, {
        region: 1,
        owners: [citizen.profile.nationalId],
        certificates: [{ kind: 'transfer', requestNumber: '1-1399-000777', year: 1399, date: '2020-06-01' }],
      });

      // 1. the bank asks (a retry with the same key returns the same request)
      const input = { nationalId: citizen.profile.nationalId, mobile, renewalCode: property.renewalCode, region: 1, letterNumber: 'ب-۹۹/۱۴۰۴', letterDate: '1404/08/20' };
      const asked = await bank.createInquiry(input, 'loan-2026-0001');
      expect(await bank.createInquiry(input, 'loan-2026-0001')).toEqual(asked);
      expect(asked.requestStatus).toBe('awaiting_consent');

      // 2. the citizen consents and submits through the member API
      const consent = await t.http().post(`/api/v1/me/organization-requests/${asked.id}/consent`).set(member)
        .send({ lastRequestNumber: '1-1399-000777', undertakingsVersion: 'office-1404-01', undertakingsAccepted: true }).expect(201);
      const inquiryId = consent.body.inquiryId as string;
      await t.http().post(`/api/v1/inquiries/${inquiryId}/confirm`).set(member).expect(200);
      for (const [kind, bytes] of [['deed', await scanJpeg()], ['national_card', await scanPng()], ['office_letter', await scanJpeg()]] as const) {
        await t.http().put(`/api/v1/inquiries/${inquiryId}/documents/${kind}`).set(member).attach('file', bytes, { filename: `${kind}.jpg`, contentType: 'image/jpeg' }).expect(200);
      }
      const trackingCode = (await t.http().post(`/api/v1/inquiries/${inquiryId}/submit`).set(member).expect(200)).body.trackingCode as string;
      await t.jobs.drain();
      expect(events.map((e) => e.type)).toEqual(['inquiry.submitted']);
      expect(events[0].data).toMatchObject({ requestId: asked.id, trackingCode });
      expect((await bank.getInquiry(trackingCode)).status).toBe('submitted');

      // 3. the region desk reviews and answers (clerk prepares, manager approves)
      const clerk = await signedStaffToken(t, { username: 'ex.clerk1', roles: [StaffRole.RegionClerk], regions: [1] });
      const manager = await signedStaffToken(t, { username: 'ex.manager1', roles: [StaffRole.RegionManager], regions: [1] });
      const desk = (token: string, path: string, body: Record<string, unknown> = {}) =>
        t.http().post(`/api/v1/desk/inquiries/${inquiryId}${path}`).set({ Authorization: `Bearer ${token}` }).send(body).expect((r) => { if (r.status !== 200) throw new Error(`${path}: ${r.status} ${r.text}`); });
      await desk(clerk.token, '/claim');
      await desk(clerk.token, '/review', { documents: ['deed', 'national_card', 'office_letter'].map((kind) => ({ kind, verdict: 'accepted' })) });
      const assessed = await desk(clerk.token, '/assess');
      await payIfAwaitingPayment(t, assessed.body); // debts or an inquiry fee: paid in a bank's channel
      await desk(clerk.token, '/answer');
      await desk(manager.token, '/answer/approve');
      await t.jobs.drain();
      expect(events.map((e) => e.type).filter((e) => e !== 'inquiry.awaiting_payment')).toEqual(['inquiry.submitted', 'inquiry.answered']);

      // 4. the bank fetches the answer and verifies it offline with the published keys
      const answer = await bank.getAnswer(trackingCode);
      expect(answer.status).toBe('valid');
      const keys = await bank.keys();
      expect(verifyAnswerJws(answer, keys)).toBe(true);
      expect(verifyAnswerJws({ ...answer, contentHash: '0'.repeat(64) }, keys)).toBe(false);
      const listed = await bank.listInquiries({ status: 'answered' });
      expect(listed.items.map((i) => i.trackingCode)).toEqual([trackingCode]);
      expect(listed.meta).toEqual({ page: 1, pageSize: 20, total: 1 });
      expect((await bank.listInquiries({ status: 'answered', page: 2, pageSize: 1 })).items).toEqual([]);

      // a receiver with the wrong secret refuses deliveries (401), which the server logs and retries
      secret = 'whsec_wrong';
      await t.http().post(`/api/v1/org/webhooks/deliveries/${(await t.sql<{ id: string }>(`select id from webhook_delivery order by created_at desc limit 1`))[0].id}/redeliver`)
        .set({ Authorization: `Bearer ${await bank.token()}` }).expect(202);
      await t.jobs.drain();
      const [last] = await t.sql<{ last_status_code: number; status: string }>(`select last_status_code, status from webhook_delivery order by created_at desc limit 1`);
      expect(last).toMatchObject({ last_status_code: 401, status: 'pending' });
    } finally {
      await receiver.close();
    }
  });
});
