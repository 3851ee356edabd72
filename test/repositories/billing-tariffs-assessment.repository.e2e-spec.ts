import { run, runAll } from '../../src/database/sql';
import { AssessmentRepository } from '../../src/modules/billing/assessment.repository';
import { BankPaymentsRepository } from '../../src/modules/billing/bank-payments.repository';
import { defaultTariff } from '../../src/modules/billing/domain/tariff';
import { TariffsRepository } from '../../src/modules/billing/tariffs.repository';
import { PropertyBillingFacts } from '../../src/modules/properties/billing-facts.read-model';
import { insertGuildRow, insertPropertyRow } from '../helpers/billing-rows';
import { createTestDb, TestDb } from '../helpers/test-app';

const ZERO = '00000000-0000-0000-0000-000000000000';

describe('TariffsRepository, AssessmentRepository and BankPaymentsRepository (real database)', () => {
  let db: TestDb;
  const facts = new PropertyBillingFacts();
  const tariffs = new TariffsRepository(facts);
  const assessment = new AssessmentRepository(facts);
  const bank = new BankPaymentsRepository();
  let tariffId: string;

  beforeAll(async () => {
    db = await createTestDb();
    const rules = defaultTariff(0);
    for (const version of [1, 2]) {
      const [row] = await db.sql<{ id: string }>(
        `insert into billing_tariff (id, jalali_year, version, renewal, waste, guild, penalty, discount, inquiry, note)
         values (gen_random_uuid(), 1390, $1, $2, $3, $4, $5, $6, $7, 'test') returning id`,
        [version, rules.renewal, rules.waste, rules.guild, rules.penalty, rules.discount, version === 2 ? { officeRials: 150000, notaryRials: 300000 } : null],
      );
      tariffId = row.id;
    }
    const a = await insertPropertyRow(db, '1-3-4-5-0-0-0');
    await insertPropertyRow(db, '1-3-9-6-0-0-0');
    await insertGuildRow(db, 'G-1-000077', a, '0012345678');
  });
  afterAll(() => db?.close());

  it('reads the newest version of a year and its inquiry fees, and locks versions per year', async () => {
    expect(await run(db.em(), tariffs.latestId(1390))).toBe(tariffId);
    expect(await run(db.em(), tariffs.latestVersion(1390))).toBe(2);
    expect(await run(db.em(), tariffs.latestVersion(1391))).toBeNull();
    expect(await run(db.em(), tariffs.latestInquiryFees(1390))).toEqual({ tariffId, officeRials: 150000, notaryRials: 300000 });
    expect(await run(db.em(), tariffs.latestInquiryFees(1391))).toBeUndefined();
    await db.em().transactional((tx) => run(tx, tariffs.lockYear(1390)));
  });

  it('writes regional values (insert, then replace) and finds a property’s land value', async () => {
    const defaultValue = Number(defaultTariff(0).renewal.defaultLandValuePerM2);
    expect(await run(db.em(), tariffs.landValueFor('1-3-4-5-0-0-0', 1390))).toEqual({ blockValue: null, defaultValue, tariffVersion: 2 });
    await run(db.em(), tariffs.upsertRegionalValues(1390, [{ region: 1, district: 3, block: 4, landValuePerM2: 5_000_000 }]));
    await run(db.em(), tariffs.upsertRegionalValues(1390, [{ region: 1, district: 3, block: 4, landValuePerM2: 6_000_000 }]));
    expect(await run(db.em(), tariffs.regionalValuesOf(1390, [{ region: 1, district: 3, block: 4 }, { region: 2, district: 1, block: 1 }]))).toEqual([
      { region: 1, district: 3, block: 4, landValuePerM2: 6_000_000 },
    ]);
    expect(await run(db.em(), tariffs.landValueFor('1-3-4-5-0-0-0', 1390))).toMatchObject({ blockValue: 6_000_000 });
    expect(await run(db.em(), tariffs.landValueFor('9-9-9-9-0-0-0', 1390))).toBeUndefined();
  });

  it('assesses properties and guild licences in id-ordered batches, once per subject, fee and year', async () => {
    const first = await run(db.em(), assessment.propertyBatch(1390, ZERO, 1));
    expect(first).toMatchObject({ n: 1, created: 2 });
    const second = await run(db.em(), assessment.propertyBatch(1390, first.lastId!, 1));
    expect(second).toMatchObject({ n: 1, created: 2 });
    expect(await run(db.em(), assessment.propertyBatch(1390, second.lastId!, 1))).toEqual({ lastId: null, n: 0, created: 0 });
    expect(await run(db.em(), assessment.propertyBatch(1390, ZERO, 10))).toMatchObject({ n: 2, created: 0 });
    expect(await run(db.em(), assessment.guildBatch(1390, ZERO, 10))).toMatchObject({ n: 1, created: 1 });
    const rows = await db.sql<{ fee_type: string; subject_code: string; tariff_id: string; land: string }>(
      `select fee_type, subject_code, tariff_id, snapshot->'inputs'->>'landValueSource' as land from billing_demand where jalali_year = 1390 order by subject_code, fee_type`,
    );
    expect(rows.map((r) => [r.subject_code, r.fee_type, r.land])).toEqual([
      ['1-3-4-5-0-0-0', 'renewal', 'block'],
      ['1-3-4-5-0-0-0', 'waste', null],
      ['1-3-9-6-0-0-0', 'renewal', 'default'],
      ['1-3-9-6-0-0-0', 'waste', null],
      ['G-1-000077', 'guild', null],
    ]);
    expect(new Set(rows.map((r) => r.tariff_id))).toEqual(new Set([tariffId]));
  });

  it('records a bank report once per organization and reference and lists a day', async () => {
    const org = '00000000-0000-7000-8000-0000000000b1';
    const report = { organizationId: org, bankReference: 'R-1', billId: '123', paymentId: '456', amountRials: 19_749_000n, paidAt: new Date('2026-01-01T06:00:00Z') };
    const [inserted, again] = await runAll(db.em(), [bank.insert(report), bank.insert({ ...report, amountRials: 1n })]);
    expect(inserted).toMatchObject({ billId: '123', paymentId: '456', amountRials: 19_749_000n, bankReference: 'R-1', paidAt: report.paidAt });
    expect(inserted!.recordedAt).toBeInstanceOf(Date);
    expect(again).toBeUndefined();
    expect(await run(db.em(), bank.find(org, 'R-1'))).toEqual(inserted);
    expect(await run(db.em(), bank.find(org, 'R-2'))).toBeUndefined();
    await run(db.em(), bank.insert({ ...report, bankReference: 'R-0', paidAt: new Date('2026-01-01T05:00:00Z') }));
    const day = await run(db.em(), bank.paidBetween(org, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-02T00:00:00Z')));
    expect(day.map((r) => r.bankReference)).toEqual(['R-0', 'R-1']);
    expect(await run(db.em(), bank.paidBetween(org, new Date('2026-01-02T00:00:00Z'), new Date('2026-01-03T00:00:00Z')))).toEqual([]);
  });
});
