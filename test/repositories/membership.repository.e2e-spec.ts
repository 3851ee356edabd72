import { run } from '../../src/database/sql';
import { CitizenRepository } from '../../src/modules/membership/citizen.repository';
import { StaffRole } from '../../src/modules/membership/entities/staff-user.entity';
import { RegionRepository } from '../../src/modules/membership/region.repository';
import { OrganizationReadModel } from '../../src/modules/membership/organization.read-model';
import { OrganizationRepository } from '../../src/modules/membership/organization.repository';
import { StaffReadModel } from '../../src/modules/membership/staff.read-model';
import { StaffRepository } from '../../src/modules/membership/staff.repository';
import { createTestDb, TestDb } from '../helpers/test-app';

describe('membership repositories: citizen, region, staff read model, staff and organization pages (real database)', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(() => db?.close());

  it('CitizenRepository.member reads a member, deactivated ones included, and nothing for an unknown id', async () => {
    await db.sql(
      `insert into citizen (id, mobile, national_id, first_name, last_name, father_name, birth_date_jalali, birth_date, active, created_at, updated_at)
       values ('00000000-0000-7000-8000-00000000c101', '09120000101', '0012345679', 'علی', 'آزمون', 'رضا', '1360/01/01', '1981-03-21', true, now(), now()),
              ('00000000-0000-7000-8000-00000000c102', '09120000102', '0499370899', 'مریم', 'نمونه', 'حسن', '1365/05/05', '1986-07-27', false, now(), now())`,
    );
    const repo = new CitizenRepository();
    expect(await run(db.em(), repo.member('00000000-0000-7000-8000-00000000c101'))).toEqual({
      id: '00000000-0000-7000-8000-00000000c101',
      mobile: '09120000101',
      nationalId: '0012345679',
      firstName: 'علی',
      lastName: 'آزمون',
      active: true,
    });
    expect(await run(db.em(), repo.member('00000000-0000-7000-8000-00000000c102'))).toMatchObject({ mobile: '09120000102', active: false });
    expect(await run(db.em(), repo.member('00000000-0000-7000-8000-00000000c1ff'))).toBeUndefined();
  });

  it('RegionRepository.ensureDefaults writes the three regions and leaves an existing row alone', async () => {
    await db.sql(
      `insert into region (id, name, desk_phones, desk_hours, active, updated_at) values (1, 'ویرایش‌شده', '{0281}', 'صبح', true, now())
       on conflict (id) do update set name = excluded.name, desk_phones = excluded.desk_phones, desk_hours = excluded.desk_hours`,
    );
    const repo = new RegionRepository();
    await run(db.em(), repo.ensureDefaults('ساعت آزمون'));
    await run(db.em(), repo.ensureDefaults('ساعت دیگر'));
    const rows = await db.sql<{ id: number; name: string; desk_phones: string[]; desk_hours: string }>(
      `select id, name, desk_phones, desk_hours from region order by id`,
    );
    expect(rows.map((r) => r.id)).toEqual([1, 2, 3]);
    expect(rows[0]).toEqual({ id: 1, name: 'ویرایش‌شده', desk_phones: ['0281'], desk_hours: 'صبح' });
    expect(rows[1]).toMatchObject({ name: 'منطقه دو', desk_phones: ['02823322222', '0283332222'] });
    expect(rows[2].desk_hours).toBe(rows[1].desk_hours);
  });

  it('StaffReadModel.mobilesWithRole: active staff with the role in the region, with a number', async () => {
    const staff = (n: number, mobile: string | null, roles: string[], regions: number[], active = true) =>
      db.sql(
        `insert into staff_user (id, username, password_hash, full_name, mobile, roles, regions, active, created_at, updated_at)
         values ($1, $2, 'x', 'کارمند', $3, $4, $5, $6, now(), now())`,
        [`00000000-0000-7000-8000-00000000d1${String(n).padStart(2, '0')}`, `staff${n}`, mobile, roles, regions, active],
      );
    await staff(1, '09120000201', ['region_manager'], [1, 2]);
    await staff(2, '09120000202', ['region_manager', 'region_clerk'], [2]);
    await staff(3, null, ['region_manager'], [2]);
    await staff(4, '09120000204', ['region_manager'], [2], false);
    await staff(5, '09120000205', ['region_clerk'], [2]);
    await staff(6, '09120000206', ['region_manager'], [3]);
    const model = new StaffReadModel();
    expect((await run(db.em(), model.mobilesWithRole(StaffRole.RegionManager, 2))).sort()).toEqual(['09120000201', '09120000202']);
    expect(await run(db.em(), model.mobilesWithRole(StaffRole.RegionClerk, 2))).toHaveLength(2);
    expect(await run(db.em(), model.mobilesWithRole(StaffRole.Inspector, 2))).toEqual([]);
  });

  it('StaffRepository.page: a page by username (no password hash) and the count of all accounts', async () => {
    const repo = new StaffRepository();
    const all = await run(db.em(), repo.page(100, 0));
    expect(all.total).toBe(6);
    expect(all.items.map((s) => s.username)).toEqual(['staff1', 'staff2', 'staff3', 'staff4', 'staff5', 'staff6']);
    const page2 = await run(db.em(), repo.page(2, 2));
    expect(page2.total).toBe(6);
    expect(page2.items).toEqual([
      expect.objectContaining({ username: 'staff3', fullName: 'کارمند', mobile: null, roles: ['region_manager'], regions: [2], active: true, lastLoginAt: null }),
      expect.objectContaining({ username: 'staff4', mobile: '09120000204', active: false }),
    ]);
    expect(page2.items[0].createdAt).toBeInstanceOf(Date);
    expect(page2.items[0]).not.toHaveProperty('passwordHash');
  });

  it('OrganizationRepository.page by name and OrganizationReadModel.all', async () => {
    await db.sql(
      `insert into organization (id, kind, name, legal_national_id, notary_office_number, active, created_at, updated_at)
       values ('00000000-0000-7000-8000-00000000e101', 'bank', 'بانک ب', '10100000011', null, true, now(), now()),
              ('00000000-0000-7000-8000-00000000e102', 'notary', 'دفترخانه الف', '10100000012', '42', false, now(), now()),
              ('00000000-0000-7000-8000-00000000e103', 'office', 'اداره ج', '10100000013', null, true, now(), now())`,
    );
    const repo = new OrganizationRepository();
    const first = await run(db.em(), repo.page(2, 0));
    expect(first.total).toBe(3);
    expect(first.items.map((o) => o.name)).toEqual(['اداره ج', 'بانک ب']);
    const second = await run(db.em(), repo.page(2, 2));
    expect(second).toEqual({
      items: [{ id: '00000000-0000-7000-8000-00000000e102', kind: 'notary', name: 'دفترخانه الف', legalNationalId: '10100000012', notaryOfficeNumber: '42', active: false, createdAt: expect.any(Date) }],
      total: 3,
    });
    expect((await run(db.em(), new OrganizationReadModel(new OrganizationRepository()).all())).find((o) => o.id === '00000000-0000-7000-8000-00000000e101')).toEqual({
      id: '00000000-0000-7000-8000-00000000e101',
      name: 'بانک ب',
      kind: 'bank',
    });
  });
});
