import { run } from '../../src/database/sql';
import { InquiryAttemptRepository } from '../../src/modules/inquiries/inquiry-attempt.repository';
import { createTestDb, TestDb } from '../helpers/test-app';
import { CITIZEN, PROPERTY } from './inquiry-fixtures';

const OTHER = '00000000-0000-7000-8000-00000000b002';

describe('InquiryAttemptRepository (real database)', () => {
  let db: TestDb;
  const repo = new InquiryAttemptRepository();
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(() => db?.close());

  it('counts wrong answers per member, property and day', async () => {
    expect(await run(db.em(), repo.fail(CITIZEN, PROPERTY, '2026-12-01'))).toBe(1);
    expect(await run(db.em(), repo.fail(CITIZEN, PROPERTY, '2026-12-01'))).toBe(2);
    expect(await run(db.em(), repo.fail(CITIZEN, OTHER, '2026-12-01'))).toBe(1);
    expect(await run(db.em(), repo.fail(CITIZEN, PROPERTY, '2026-12-02'))).toBe(1);
    expect([...(await run(db.em(), repo.ofDay(CITIZEN, '2026-12-01'))).entries()].sort()).toEqual([
      [PROPERTY, 2],
      [OTHER, 1],
    ].sort());
    expect((await run(db.em(), repo.ofDay(PROPERTY, '2026-12-01'))).size).toBe(0);
  });
});
