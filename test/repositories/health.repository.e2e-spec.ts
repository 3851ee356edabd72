import { run } from '../../src/database/sql';
import { HealthRepository } from '../../src/modules/health/health.repository';
import { createTestDb, TestDb } from '../helpers/test-app';

describe('HealthRepository (real database)', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb();
  });

  it('answers the ping while the database is up and fails once its connections are gone', async () => {
    const repo = new HealthRepository();
    await expect(run(db.em(), repo.ping())).resolves.toBeUndefined();
    await db.close();
    await expect(run(db.em(), repo.ping())).rejects.toThrow();
  });
});
