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

  beforeAll(async () => {
    t = await createTestApp(gatewayEnv());
  });
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

});
