import { generateNationalId } from '@app/iran';
import { StaffRole } from '../../src/modules/membership/entities/staff-user.entity';
import { IdentityVerificationService } from '../../src/modules/membership/identity/identity-verification.service';
import { signedStaffToken } from '../helpers/staff';
import { createTestApp, TestApp } from '../helpers/test-app';

describe('Identity verification: sandbox registry and its admin endpoints', () => {
  let t: TestApp;
  let admin: string;
  let clerk: string;

  beforeAll(async () => {
    t = await createTestApp({ IDENTITY_CACHE_TTL_SECONDS: '600' });
    admin = (await signedStaffToken(t, { username: 'id-admin', roles: [StaffRole.Admin] })).token;
    clerk = (await signedStaffToken(t, { username: 'id-clerk', roles: [StaffRole.RegionClerk], regions: [1] })).token;
  });
  afterAll(() => t?.close());

  it('admins add, list, read, edit and remove people; answers follow the edits (cache forgotten); audited without names', async () => {
    const nationalId = generateNationalId(424242);
    const added = await t
      .http()
      .post('/api/v1/admin/identity-registry')
      .set('Authorization', `Bearer ${admin}`)
      .send({ nationalId, mobile: '۰۹۱۲۵۵۵۶۶۷۷', firstName: 'علي', lastName: 'كريمی', fatherName: 'حسن', birthDate: '1370/6/1' })
      .expect(201);
    expect(added.body).toMatchObject({ nationalId, mobile: '09125556677', firstName: 'علی', lastName: 'کریمی', birthDate: '1370/06/01', alive: true });

    const identity = t.app.get(IdentityVerificationService);
    const ctx = { purpose: 'registration' as const };
    await expect(identity.matchMobile(nationalId, '09125556677', ctx)).resolves.toEqual({ result: 'matched' });
    await expect(identity.matchMobile(nationalId, '09125556678', ctx)).resolves.toEqual({ result: 'not_matched' });
    await expect(identity.civilRecord(nationalId, '1370/06/01', ctx)).resolves.toMatchObject({ result: 'found', firstName: 'علی', alive: true });
    await expect(identity.civilRecord(nationalId, '1370/06/02', ctx)).resolves.toEqual({ result: 'not_found' });

    const list = await t.http().get('/api/v1/admin/identity-registry').query({ search: nationalId.slice(0, 6) }).set('Authorization', `Bearer ${admin}`).expect(200);
    expect(list.body.items.map((p: { nationalId: string }) => p.nationalId)).toContain(nationalId);
    await t.http().get(`/api/v1/admin/identity-registry/${nationalId}`).set('Authorization', `Bearer ${admin}`).expect(200);

    await t.http().patch(`/api/v1/admin/identity-registry/${nationalId}`).set('Authorization', `Bearer ${admin}`).send({ mobile: null }).expect(200);
    // the cached "matched" is forgotten with the edit
    await expect(identity.matchMobile(nationalId, '09125556677', ctx)).resolves.toEqual({ result: 'not_matched' });

    const audit = await t.sql<{ action: string; metadata: Record<string, unknown>; after: unknown }>(
      `select action, metadata, after from audit_log where action like 'identity.%' order by at`,
    );
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['identity.registry.put', 'identity.registry.updated', 'identity.mobile_match', 'identity.civil_record']));
    const text = JSON.stringify(audit);
    expect(text).not.toContain('کریمی');
    expect(text).not.toContain('09125556677');
    expect(text).not.toContain(nationalId);
    expect(audit.filter((a) => a.action === 'identity.mobile_match').map((a) => a.metadata.result)).toEqual(['matched', 'not_matched', 'not_matched']);

    await t.http().delete(`/api/v1/admin/identity-registry/${nationalId}`).set('Authorization', `Bearer ${admin}`).expect(204);
    await t.http().get(`/api/v1/admin/identity-registry/${nationalId}`).set('Authorization', `Bearer ${admin}`).expect(404);
    await t.http().get('/api/v1/admin/identity-registry/12345').set('Authorization', `Bearer ${admin}`).expect(400);
  });

  it('only administrators reach the registry', async () => {
    await t.http().get('/api/v1/admin/identity-registry').set('Authorization', `Bearer ${clerk}`).expect(403);
    await t.http().get('/api/v1/admin/identity-registry').expect(401);
  });
});
