import { RequestContext } from '@mikro-orm/core';
import { StaffRole } from '../../src/modules/membership/entities/staff-user.entity';
import { DeskPartiesService, seesIdentities } from '../../src/modules/desk/desk-parties.service';
import { answeredOfficeInquiry } from '../helpers/desk';
import { gatewayEnv } from '../helpers/payments';
import { signedStaffToken } from '../helpers/staff';
import { createTestApp, TestApp } from '../helpers/test-app';

/** A desk clerk's day without friction (issue 20): who the case is about, verdicts per document, visit timing. */
describe('desk: a clerk’s day', () => {
  let t: TestApp;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  // the first file on a busy machine with embedded PostgreSQL may take over a minute to start
  beforeAll(async () => {
    t = await createTestApp(gatewayEnv());
  }, 180_000);
  afterAll(() => t?.close());

  it('shows the applicant and the owners unmasked to the region’s staff and admins, masked to anyone else', async () => {
    const c = await answeredOfficeInquiry(t, 'submitted');
    const [member] = await t.sql<{ national_id: string; mobile: string }>(
      `select c.national_id, c.mobile from citizen c join inquiry i on i.citizen_id = c.id where i.id = $1`,
      [c.inquiryId],
    );
    const admin = await signedStaffToken(t, { username: 'day.admin', roles: [StaffRole.Admin] });
    const inspector = await signedStaffToken(t, { username: 'day.inspector1', roles: [StaffRole.Inspector], regions: [1] });
    const other = await signedStaffToken(t, { username: 'day.clerk2', roles: [StaffRole.RegionClerk], regions: [2] });
    for (const token of [c.clerk, c.manager, admin.token, inspector.token]) {
      const body = (await t.http().get(`/api/v1/desk/inquiries/${c.inquiryId}`).set(auth(token)).expect(200)).body;
      expect(body.parties).toEqual({
        masked: false,
        applicant: { fullName: 'مریم احمدی', nationalId: member.national_id, mobile: member.mobile },
        owners: [{ fullName: expect.any(String), nationalId: member.national_id, sharePercent: 100 }],
      });
      // the snapshot of the records keeps its masked copy; the parties block is the one to check against
      expect(body.inquiry.records.owners[0].nationalId).toContain('****');
    }
    // another region's clerk does not see the inquiry at all, and the policy masks for them
    await t.http().get(`/api/v1/desk/inquiries/${c.inquiryId}`).set(auth(other.token)).expect(404);
    const otherActor = { type: 'staff' as const, id: other.id, roles: ['region_clerk'], regions: [2] };
    expect(seesIdentities(otherActor, 1)).toBe(false);
    expect(seesIdentities({ type: 'citizen', id: 'x' }, 1)).toBe(false);
    const [row] = await t.sql<{ citizen_id: string; renewal_code: string }>(`select citizen_id, renewal_code from inquiry where id = $1`, [c.inquiryId]);
    const masked = await RequestContext.create(t.orm.em, () =>
      t.app.get(DeskPartiesService).parties(otherActor, { citizenId: row.citizen_id, region: 1, renewalCode: row.renewal_code }),
    );
    expect(masked.masked).toBe(true);
    expect(masked.applicant!.nationalId).toBe(`${member.national_id.slice(0, 3)}****${member.national_id.slice(7)}`);
    expect(masked.applicant!.mobile).not.toBe(member.mobile);
    expect(masked.applicant!.mobile).toContain('***');
    expect(masked.owners[0].nationalId).toContain('****');
  });

  it('keeps each document’s verdict and reason in the checklist, for the desk and the citizen; the case stays with its clerk through the correction', async () => {
    const c = await answeredOfficeInquiry(t, 'submitted');
    const desk = (token: string, path: string) => t.http().post(`/api/v1/desk/inquiries/${c.inquiryId}${path}`).set(auth(token));
    const other = await signedStaffToken(t, { username: 'day.clerk1b', roles: [StaffRole.RegionClerk], regions: [1] });
    await desk(c.clerk, '/claim').expect(200);
    const reason = 'تصویر کارت ملی خوانا نیست؛ پشت و روی کارت را دوباره اسکن کنید.';
    const reviewed = (
      await desk(c.clerk, '/review')
        .send({ documents: [{ kind: 'deed', verdict: 'accepted' }, { kind: 'national_card', verdict: 'rejected', reason }, { kind: 'office_letter', verdict: 'accepted' }] })
        .expect(200)
    ).body;
    const expected = [
      { kind: 'deed', uploaded: true, verdict: 'accepted', reason: null },
      { kind: 'national_card', uploaded: true, verdict: 'rejected', reason },
      { kind: 'office_letter', uploaded: true, verdict: 'accepted', reason: null },
    ];
    expect(reviewed.inquiry.status).toBe('needs_correction');
    expect(reviewed.inquiry.documents).toEqual(expect.arrayContaining(expected.map((e) => expect.objectContaining(e))));
    // stored with the document, not only in the history text
    const rows = await t.sql<{ kind: string; verdict: string; verdict_reason: string | null }>(
      `select kind, verdict, verdict_reason from inquiry_document where inquiry_id = $1 order by kind`,
      [c.inquiryId],
    );
    expect(rows).toEqual([
      { kind: 'deed', verdict: 'accepted', verdict_reason: null },
      { kind: 'national_card', verdict: 'rejected', verdict_reason: reason },
      { kind: 'office_letter', verdict: 'accepted', verdict_reason: null },
    ]);
    const citizenAuth = auth(c.citizenToken);
    const mine = (await t.http().get(`/api/v1/inquiries/${c.inquiryId}`).set(citizenAuth).expect(200)).body;
    expect(mine.documents).toEqual(expect.arrayContaining(expected.map((e) => expect.objectContaining(e))));

    // the citizen rescans the card: its verdict clears (pending review), the others keep theirs
    const { scanJpeg } = await import('../helpers/inquiries');
    await t.http().put(`/api/v1/inquiries/${c.inquiryId}/documents/national_card`).set(citizenAuth).attach('file', await scanJpeg(), { filename: 'card.jpg', contentType: 'image/jpeg' }).expect(200);
    const corrected = (await t.http().get(`/api/v1/inquiries/${c.inquiryId}`).set(citizenAuth).expect(200)).body;
    expect(corrected.documents.find((d: { kind: string }) => d.kind === 'national_card')).toMatchObject({ uploaded: true, verdict: null, reason: null });
    expect(corrected.documents.find((d: { kind: string }) => d.kind === 'deed')).toMatchObject({ verdict: 'accepted' });
    await t.http().post(`/api/v1/inquiries/${c.inquiryId}/submit`).set(citizenAuth).expect(200);

    // still the same clerk's case: in the queue as theirs, another clerk cannot take it, and the holder reviews without claiming again
    const queue = (await t.http().get(`/api/v1/desk/inquiries?q=${c.renewalCode}`).set(auth(c.clerk)).expect(200)).body;
    const item = queue.items.find((i: { id: string }) => i.id === c.inquiryId);
    expect(item).toMatchObject({ status: 'submitted' });
    expect(item.claimedBy).not.toBeNull();
    expect((await desk(other.token, '/claim').expect(409)).body.code).toBe('DESK_CASE_CLAIMED');
    const allAccepted = { documents: ['deed', 'national_card', 'office_letter'].map((kind) => ({ kind, verdict: 'accepted' })) };
    expect((await desk(other.token, '/review').send(allAccepted).expect(409)).body.code).toBe('DESK_CASE_CLAIMED');
    const second = (await desk(c.clerk, '/review').send(allAccepted).expect(200)).body;
    expect(second.inquiry.status).toBe('in_review');
    expect(second.desk.claimedBy).toBe(item.claimedBy);
    expect(second.inquiry.documents.every((d: { uploaded: boolean; verdict: string }) => !d.uploaded || d.verdict === 'accepted')).toBe(true);
  });

  it('prints the approver’s real title on the letter: the region’s manager, or the admin as what they are', async () => {
    const byManager = await answeredOfficeInquiry(t, 'answered');
    const byAdmin = await answeredOfficeInquiry(t, 'prepared');
    const admin = await signedStaffToken(t, { username: 'day.admin2', roles: [StaffRole.Admin] });
    await t.http().post(`/api/v1/desk/inquiries/${byAdmin.inquiryId}/answer/approve`).set(auth(admin.token)).expect(200);
    const issuer = async (inquiryId: string) =>
      (await t.sql<{ content: { issuer: Record<string, unknown> } }>(`select content from certificate where inquiry_id = $1`, [inquiryId]))[0].content.issuer;
    const [region] = await t.sql<{ name: string }>(`select name from region where id = 1`);
    expect(await issuer(byManager.inquiryId)).toMatchObject({ regionName: region.name, approverTitle: `مدیر ${region.name}` });
    const adminIssuer = await issuer(byAdmin.inquiryId);
    expect(adminIssuer.approverTitle).toBe('مدیر سامانه خدمات شهری شهرداری قزوین');
    expect(adminIssuer.approverTitle).not.toContain(String(region.name));
    // the printed letter carries it under the approver's name
    const { answerLetterHtml } = await import('../../src/modules/certificates/answer-letter');
    const [cert] = await t.sql<{ content: Parameters<typeof answerLetterHtml>[0] }>(`select content from certificate where inquiry_id = $1`, [byAdmin.inquiryId]);
    const html = answerLetterHtml(cert.content, { verificationCode: 'X', verifyUrl: 'https://example.test/v', qrSvg: '<svg></svg>', revoked: false, contentHash: 'h' });
    expect(html).toContain('مدیر سامانه خدمات شهری شهرداری قزوین');
    expect(html).not.toContain(`<br>مدیر ${region.name}`);
  });
});
