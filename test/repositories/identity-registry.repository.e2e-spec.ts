import { run } from '../../src/database/sql';
import { IdentityRegistryRepository, RegistryPersonFields } from '../../src/modules/membership/identity/identity-registry.repository';
import { createTestDb, TestDb } from '../helpers/test-app';

const person = (nationalId: string, over: Partial<RegistryPersonFields> = {}): RegistryPersonFields => ({
  nationalId,
  mobile: '09121110000',
  firstName: 'علی',
  lastName: 'محمدی',
  fatherName: 'حسن',
  birthDate: '1370/06/31',
  alive: true,
  note: null,
  ...over,
});

describe('IdentityRegistryRepository (real database)', () => {
  let db: TestDb;
  const repo = new IdentityRegistryRepository();
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(() => db?.close());

  it('upserts by national ID, reads one, pages with a prefix search, updates given fields only, removes', async () => {
    const a = await run(db.em(), repo.upsert(person('0499370899')));
    expect(a).toMatchObject({ nationalId: '0499370899', mobile: '09121110000', alive: true });
    const replaced = await run(db.em(), repo.upsert(person('0499370899', { mobile: null, alive: false })));
    expect(replaced).toMatchObject({ id: a.id, mobile: null, alive: false });
    await run(db.em(), repo.upsert(person('1234567891', { mobile: '09351112222' })));

    expect(await run(db.em(), repo.byNationalId('1234567891'))).toMatchObject({ mobile: '09351112222', firstName: 'علی' });
    expect(await run(db.em(), repo.byNationalId('0000000000'))).toBeNull();

    const all = await run(db.em(), repo.page(10, 0));
    expect(all.total).toBe(2);
    const byMobile = await run(db.em(), repo.page(10, 0, '0935'));
    expect(byMobile.items.map((i) => i.nationalId)).toEqual(['1234567891']);
    expect((await run(db.em(), repo.page(1, 1))).items).toHaveLength(1);

    const edited = await run(db.em(), repo.update('1234567891', { firstName: 'رضا', mobile: null }));
    expect(edited).toMatchObject({ firstName: 'رضا', lastName: 'محمدی', mobile: null });
    expect(await run(db.em(), repo.update('0000000000', { firstName: 'x' }))).toBeNull();

    expect(await run(db.em(), repo.insertIfAbsent(person('1234567891', { firstName: 'دیگر' })))).toBe(false);
    expect((await run(db.em(), repo.byNationalId('1234567891')))!.firstName).toBe('رضا');
    expect(await run(db.em(), repo.insertIfAbsent(person('2222222222')))).toBe(true);

    expect(await run(db.em(), repo.remove('2222222222'))).toBe(true);
    expect(await run(db.em(), repo.remove('2222222222'))).toBe(false);
  });
});
