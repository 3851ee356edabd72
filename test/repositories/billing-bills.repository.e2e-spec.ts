import { run, runAll } from '../../src/database/sql';
import { BillsRepository } from '../../src/modules/billing/bills.repository';
import { DemandsRepository } from '../../src/modules/billing/demands.repository';
import { GuildLicencesRepository } from '../../src/modules/billing/guild-licences.repository';
import { PropertyBillingFacts } from '../../src/modules/properties/billing-facts.read-model';
import { insertDemandRow, insertGuildRow, insertPropertyRow } from '../helpers/billing-rows';
import { createTestDb, TestDb } from '../helpers/test-app';

const item = (demandId: string, amount: string) => ({
  demandId,
  feeType: 'renewal',
  jalaliYear: 1404,
  subjectCode: '1-2-3-4',
  principalRials: amount,
  penaltyRials: '0',
  discountRials: '0',
  amountRials: amount,
});

describe('BillsRepository (real database)', () => {
  let db: TestDb;
  const facts = new PropertyBillingFacts();
  const guilds = new GuildLicencesRepository();
  const bills = new BillsRepository(facts, guilds);
  const demands = new DemandsRepository(facts);
  let propertyId: string;
  let renewal: string;
  let waste: string;
  let guildDemand: string;
  let guildId: string;

  beforeAll(async () => {
    db = await createTestDb();
    propertyId = await insertPropertyRow(db, '1-2-3-4-0-0-0');
    guildId = await insertGuildRow(db, 'G-1-000001', propertyId, '0012345678');
    renewal = await insertDemandRow(db, { feeType: 'renewal', subjectId: propertyId, subjectCode: '1-2-3-4-0-0-0', propertyId, year: 1403, amount: 1_200_000 });
    waste = await insertDemandRow(db, { feeType: 'waste', subjectId: propertyId, subjectCode: '1-2-3-4-0-0-0', propertyId, year: 1403, amount: 300_000 });
    guildDemand = await insertDemandRow(db, { feeType: 'guild', subjectId: guildId, subjectCode: 'G-1-000001', propertyId, year: 1403, amount: 500_000 });
  });
  afterAll(() => db?.close());

  it('looks up a property’s open demands (not its guild units), reserving a bill row when it has no open bill', async () => {
    const found = await run(db.em(), bills.debtLookup('property', '1-2-3-4-0-0-0'));
    expect(found).toMatchObject({ code: '1-2-3-4-0-0-0', region: 1, bills: [] });
    expect(found!.demands.map((d) => [d.feeType, d.year, d.amount])).toEqual([
      ['renewal', 1403, 1_200_000n],
      ['waste', 1403, 300_000n],
    ]);
    expect(found!.demands[0].penalty).toEqual({ monthlyBp: 0, maxBp: 0 });
    expect(found!.nextBillRow).toMatch(/^\d+$/);
    const file = await run(db.em(), bills.debtLookup('file', '1-2-3-4-0-0-0'));
    expect(file!.demands.map((d) => d.feeType).sort()).toEqual(['guild', 'renewal', 'waste']);
    const guild = await run(db.em(), bills.debtLookup('guild', 'G-1-000001'));
    expect(guild!.demands.map((d) => d.id)).toEqual([guildDemand]);
    expect(await run(db.em(), bills.debtLookup('property', '9-9-9-9-0-0-0'))).toBeUndefined();
  });

  it('keeps one statement text per kind (the public lookup is a prepared statement)', () => {
    expect(bills.debtLookup('property', 'a').sql).toBe(bills.debtLookup('property', 'b').sql);
    expect(bills.debtLookup('property', 'a').params).toEqual(['a', 'property:a']);
  });

  it('issues a bill, finds it open in the lookup, settles it and voids the other open bills of its demands', async () => {
    const em = db.em();
    const [id, other] = [await run(em, bills.nextId()), await run(em, bills.nextId())];
    expect(BigInt(other)).toBeGreaterThan(BigInt(id));
    const at = new Date('2026-01-01T10:00:00Z');
    const expiresAt = new Date(Date.now() + 86_400_000);
    await runAll(em, [
      bills.insert({ id, billId: `B${id}`, paymentId: `P${id}`, scope: 'property:1-2-3-4-0-0-0', items: [item(renewal, '1200000'), item(waste, '300000')], hash: 'h1', totalRials: 1_500_000n, amountRials: 1_500_000n, jalaliYear: 1404, createdAt: at, expiresAt }),
      bills.insert({ id: other, billId: `B${other}`, paymentId: `P${other}`, scope: 'property:1-2-3-4-0-0-0', items: [item(renewal, '1200000')], hash: 'h2', totalRials: 1_200_000n, amountRials: 1_200_000n, jalaliYear: 1404, createdAt: at, expiresAt }),
    ]);
    const looked = await run(em, bills.debtLookup('property', '1-2-3-4-0-0-0'));
    expect(looked!.bills.map((b) => [b.hash, b.amount]).sort()).toEqual([['h1', 1_500_000n], ['h2', 1_200_000n]]);
    expect(looked!.nextBillRow).toBeNull();

    expect(await run(em, bills.forPayment(`B${id}`))).toEqual({
      billId: `B${id}`, paymentId: `P${id}`, amountRials: 1_500_000n, expiresAt, status: 'open', scope: 'property:1-2-3-4-0-0-0',
      items: [item(renewal, '1200000'), item(waste, '300000')],
    });
    expect(await run(em, bills.paymentIdOf(`B${id}`))).toBe(`P${id}`);
    expect(await run(em, bills.itemsOf(`B${id}`))).toHaveLength(2);
    expect(await run(em, bills.itemsOf('nope'))).toEqual([]);

    const paidAt = new Date('2026-01-02T08:00:00Z');
    await em.transactional(async (tx) => {
      const b = await run(tx, bills.lockForSettlement(`B${id}`));
      expect(b).toMatchObject({ id, status: 'open', amountRials: 1_500_000n, createdAt: at, paidAt: null, paidChannel: null });
      expect(b!.demandIds.sort()).toEqual([renewal, waste].sort());
      expect(await run(tx, bills.referenceUsed('bank', 'ref-1'))).toBe(false);
      expect((await run(tx, demands.markPaid(b!.demandIds, b!.id, paidAt))).sort()).toEqual([renewal, waste].sort());
      await run(tx, bills.markPaid(b!.id, { at: paidAt, channel: 'bank', reference: 'ref-1', amountRials: 1_500_000n }));
      expect(await run(tx, bills.voidOpenWith(b!.demandIds, b!.id))).toEqual([`B${other}`]);
    });
    expect(await run(em, bills.referenceUsed('bank', 'ref-1'))).toBe(true);
    expect(await run(em, bills.forPayment(`B${other}`))).toMatchObject({ status: 'void' });
    const history = await run(em, bills.paidFor('property', propertyId));
    expect(history).toEqual([
      {
        billId: `B${id}`, paymentId: `P${id}`, amountRials: 1_500_000n, paidAt, channel: 'bank', reference: 'ref-1',
        demands: [
          { year: 1403, feeType: 'renewal', code: '1-2-3-4-0-0-0', item: item(renewal, '1200000') },
          { year: 1403, feeType: 'waste', code: '1-2-3-4-0-0-0', item: item(waste, '300000') },
        ],
      },
    ]);
    expect(await run(em, bills.paidFor('guild', guildId))).toEqual([]);
    const after = await run(em, bills.debtLookup('property', '1-2-3-4-0-0-0'));
    expect(after!.demands).toEqual([]);
  });
  it('finds an open bill of another scope that shares the subject’s open demands (one open bill per debt set), not one that does not', async () => {
    const em = db.em();
    const expiresAt = new Date(Date.now() + 86_400_000);
    const [fileBill, stranger, expired] = [await run(em, bills.nextId()), await run(em, bills.nextId()), await run(em, bills.nextId())];
    await runAll(em, [
      // an inquiry's file bill covering the guild unit's fee
      bills.insert({ id: fileBill, billId: `B${fileBill}`, paymentId: `P${fileBill}`, scope: 'file:1-2-3-4-0-0-0', items: [item(guildDemand, '500000')], hash: 'hf', totalRials: 500_000n, amountRials: 500_000n, jalaliYear: 1404, createdAt: new Date(), expiresAt }),
      // another scope, no shared demand
      bills.insert({ id: stranger, billId: `B${stranger}`, paymentId: `P${stranger}`, scope: 'file:9-9-9-9-0-0-0', items: [item(renewal, '1')], hash: 'hs', totalRials: 1000n, amountRials: 1000n, jalaliYear: 1404, createdAt: new Date(), expiresAt }),
      // shares the demand but has expired
      bills.insert({ id: expired, billId: `B${expired}`, paymentId: `P${expired}`, scope: 'file:1-2-3-4-0-0-0', items: [item(guildDemand, '500000')], hash: 'hx', totalRials: 500_000n, amountRials: 500_000n, jalaliYear: 1404, createdAt: new Date('2026-01-01T00:00:00Z'), expiresAt: new Date(Date.now() - 60_000) }),
    ]);
    const guild = await run(em, bills.debtLookup('guild', 'G-1-000001'));
    expect(guild!.demands.map((d) => d.id)).toEqual([guildDemand]);
    expect(guild!.bills.map((b) => [b.billId, b.hash])).toEqual([[`B${fileBill}`, 'hf']]);
    expect(guild!.nextBillRow).toBeNull();
    // a guild-scoped bill is not offered to the file lookup (its settlement names no property)
    const guildBill = await run(em, bills.nextId());
    await run(em, bills.insert({ id: guildBill, billId: `B${guildBill}`, paymentId: `P${guildBill}`, scope: 'guild:G-1-000001', items: [item(guildDemand, '500000')], hash: 'hg', totalRials: 500_000n, amountRials: 500_000n, jalaliYear: 1404, createdAt: new Date(), expiresAt }));
    const file = await run(em, bills.debtLookup('file', '1-2-3-4-0-0-0'));
    expect(file!.bills.map((b) => b.billId)).toEqual([`B${fileBill}`]);
    // the property (guild units excluded; its renewal and waste are paid) shares nothing with it
    const property = await run(em, bills.debtLookup('property', '1-2-3-4-0-0-0'));
    expect(property!.demands).toEqual([]);
    expect(property!.bills).toEqual([]);
  });
});
