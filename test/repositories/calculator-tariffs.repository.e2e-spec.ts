import { run } from '../../src/database/sql';
import { CalculatorTariffsRepository } from '../../src/modules/calculators/calculator-tariffs.repository';
import { createTestDb, TestDb } from '../helpers/test-app';

describe('CalculatorTariffsRepository (real database)', () => {
  let db: TestDb;
  const repo = new CalculatorTariffsRepository();
  const ID = (n: number) => `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`;
  beforeAll(async () => {
    db = await createTestDb();
    for (const [n, version] of [[1, 1], [2, 3], [3, 2]] as const) {
      await db.sql(
        `insert into calculator_tariff (id, jalali_year, version, tables, note, created_at, updated_at) values ($1, 1440, $2, $3::jsonb, 'test', now(), now())`,
        [ID(n), version, JSON.stringify({ jalaliYear: 1440, marker: `v${version}` })],
      );
    }
  });
  afterAll(() => db?.close());

  it('reads the newest version of a year with its tables parsed, and undefined for a year without tables', async () => {
    expect(await run(db.em(), repo.latest(1440))).toEqual({ id: ID(2), version: 3, tables: { jalaliYear: 1440, marker: 'v3' } });
    expect(await run(db.em(), repo.latest(1441))).toBeUndefined();
  });

  it('reads the newest version number without the tables', async () => {
    expect(await run(db.em(), repo.latestVersion(1440))).toEqual({ id: ID(2), version: 3 });
    expect(await run(db.em(), repo.latestVersion(1441))).toBeUndefined();
  });

  it('takes the year’s writer lock for the caller’s transaction only', async () => {
    const held = await db.em().transactional(async (tx) => {
      await run(tx, repo.lockYear(1440));
      const [row] = await tx.execute<Array<{ n: number }>>(`select count(*)::int as n from pg_locks where locktype = 'advisory' and granted and pid = pg_backend_pid()`);
      return Number(row.n);
    });
    expect(held).toBe(1);
    const [after] = await db.em().execute<Array<{ n: number }>>(`select count(*)::int as n from pg_locks where locktype = 'advisory' and pid = pg_backend_pid()`);
    expect(Number(after.n)).toBe(0);
  });
});
