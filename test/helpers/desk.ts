import { StaffRole } from '../../src/modules/membership/entities/staff-user.entity';
import { registerCitizen } from './citizen';
import { insertInquiryProperty, scanJpeg } from './inquiries';
import { signedStaffToken } from './staff';
import type { TestApp } from './test-app';

let seq = 0;

/**
 * An office inquiry on a property with no debts but the tariff's inquiry fee, taken through
 * the desk up to `stage` (default: an issued answer — a clerk prepares, a region manager
 * approves). Returns the ids and tokens involved.
 */
export async function answeredOfficeInquiry(
  t: TestApp,
  stage: 'submitted' | 'prepared' | 'answered' = 'answered',
): Promise<{ inquiryId: string; citizenToken: string; clerk: string; manager: string; renewalCode: string }> {
  const n = ++seq + Math.floor(Math.random() * 1000) * 10;
  const mobile = `0912188${String(n).padStart(4, '0')}`;
  const c = await registerCitizen(t, mobile, { firstName: 'مریم', lastName: 'احمدی' });
  const auth = { Authorization: `Bearer ${c.accessToken}` };
  const property = await insertInquiryProperty(t, {
    region: 1,
    owners: [c.profile.nationalId],
    certificates: [{ kind: 'transfer', requestNumber: `T-${n}`, year: 1399, date: '2020-06-01' }],
  });
  const clerk = (await signedStaffToken(t, { username: `h.clerk.${n}`, roles: [StaffRole.RegionClerk], regions: [1] })).token;
  const manager = (await signedStaffToken(t, { username: `h.manager.${n}`, roles: [StaffRole.RegionManager], regions: [1] })).token;
  const created = await t
    .http()
    .post('/api/v1/inquiries')
    .set(auth)
    .send({
      type: 'office',
      renewalCode: property.renewalCode,
      region: 1,
      lastRequestNumber: `T-${n}`,
      undertakingsVersion: 'office-1404-01',
      undertakingsAccepted: true,
      organization: { kind: 'government', name: 'اداره ثبت اسناد قزوین', letterNumber: '77/ث', letterDate: '1404/08/01' },
    })
    .expect(201);
  const id = created.body.id as string;
  await t.http().post(`/api/v1/inquiries/${id}/confirm`).set(auth).expect(200);
  for (const kind of ['deed', 'national_card', 'office_letter']) {
    await t.http().put(`/api/v1/inquiries/${id}/documents/${kind}`).set(auth).attach('file', await scanJpeg(), { filename: `${kind}.jpg`, contentType: 'image/jpeg' }).expect(200);
  }
  await t.http().post(`/api/v1/inquiries/${id}/submit`).set(auth).expect(200);
  const desk = (token: string, path: string) => t.http().post(`/api/v1/desk/inquiries/${id}${path}`).set({ Authorization: `Bearer ${token}` });
  const result = { inquiryId: id, citizenToken: c.accessToken, clerk, manager, renewalCode: property.renewalCode };
  if (stage === 'submitted') return result;
  await desk(clerk, '/claim').expect(200);
  await desk(clerk, '/review').send({ documents: ['deed', 'national_card', 'office_letter'].map((kind) => ({ kind, verdict: 'accepted' })) }).expect(200);
  // the tariff's inquiry fee is due: paid through the sandbox gateway, the inquiry comes back to the desk
  const assessed = (await desk(clerk, '/assess').expect(200)).body;
  if (assessed.inquiry.status === 'awaiting_payment') await payBillInSandbox(t, assessed.desk.finances.bill.billId);
  await desk(clerk, '/answer').send({}).expect(200);
  if (stage === 'prepared') return result;
  await desk(manager, '/answer/approve').expect(200);
  return result;
}

/** Pays a bill through the sandbox gateway over HTTP (needs gatewayEnv()) and runs the jobs it causes. */
export async function payBillInSandbox(t: TestApp, billId: string): Promise<void> {
  const { localPath, TEST_RETURN_ORIGIN } = await import('./payments');
  const started = (await t.http().post('/api/v1/payments').send({ billId, returnUrl: `${TEST_RETURN_ORIGIN}/done` }).expect(201)).body;
  const paid = await t.http().post(`${localPath(started.redirectUrl)}/pay`).expect(303);
  await t.http().get(localPath(paid.headers.location)).expect(303);
  await t.jobs.drain();
}
