import { cte, run, runAll } from '../../src/database/sql';
import { DemandsRepository } from '../../src/modules/billing/demands.repository';
import { GuildLicencesRepository } from '../../src/modules/billing/guild-licences.repository';
import { PropertyBillingFacts } from '../../src/modules/properties/billing-facts.read-model';
import { insertDemandRow, insertGuildRow, insertPropertyRow } from '../helpers/billing-rows';
import { createTestDb, TestDb } from '../helpers/test-app';

describe('DemandsRepository, GuildLicencesRepository and PropertyBillingFacts (real database)', () => {
  let db: TestDb;
  const facts = new PropertyBillingFacts();
  const demands = new DemandsRepository(facts);
  const guilds = new GuildLicencesRepository();
  let propertyId: string;
  let otherId: string;
  let guildId: string;

  beforeAll(async () => {
    db = await createTestDb();
    propertyId = await insertPropertyRow(db, '1-5-6-7-0-0-0');
    otherId = await insertPropertyRow(db, '1-5-6-8-0-0-0');
    guildId = await insertGuildRow(db, 'G-1-000009', propertyId, '0012345678');
  });
  afterAll(() => db?.close());

  it('reads the property facts billing works from', async () => {
    expect(await run(db.em(), facts.subjectByCode('1-5-6-7-0-0-0'))).toEqual({ id: propertyId, code: '1-5-6-7-0-0-0', region: 1 });
    expect(await run(db.em(), facts.subjectByCode('9-9-9-9-0-0-0'))).toBeUndefined();
    expect(await run(db.em(), facts.blockOf('1-5-6-8-0-0-0'))).toEqual({ region: 1, district: 5, block: 6 });
    expect(await run(db.em(), facts.count())).toBe(2);
    expect((await run(db.em(), facts.subjectsExcept(['1-5-6-7-0-0-0']))).map((p) => p.id)).toEqual([otherId]);
    const batch = await run(db.em(), facts.assessmentBatch('00000000-0000-0000-0000-000000000000', 1));
    expect(batch).toHaveLength(1);
    expect(batch[0]).toMatchObject({ region: 1, district: 5, landArea: 300, buildingArea: 450, use: 'residential', units: 2, structureType: 'concrete', zoneCode: 'R-1' });
  });

  it('reads guild licences as subjects, with ownership, and counts the active ones', async () => {
    expect(await run(db.em(), guilds.subjectByCode('G-1-000009'))).toEqual({ id: guildId, code: 'G-1-000009', region: 1 });
    expect(await run(db.em(), guilds.withOwnership('G-1-000009', '0012345678'))).toMatchObject({ id: guildId, owned: true });
    expect(await run(db.em(), guilds.withOwnership('G-1-000009', '0099999999'))).toMatchObject({ owned: false });
    expect(await run(db.em(), guilds.countActive())).toBe(1);
  });

  it('pages guild licences by code with their property’s renewal code', async () => {
    await insertGuildRow(db, 'G-1-000001', otherId, '0012345679');
    const properties = cte(facts.subjectsExcept([]), 'property_subject');
    expect(await run(db.em(), guilds.page(properties, 1, 1))).toEqual({
      items: [{ guildCode: 'G-1-000009', businessName: expect.any(String), category: expect.any(String), ownerNationalId: '0012345678', renewalCode: '1-5-6-7-0-0-0', region: 1, areaM2: expect.any(Number), active: true }],
      total: 2,
    });
    expect((await run(db.em(), guilds.page(properties, 10, 0))).items.map((g) => [g.guildCode, g.renewalCode])).toEqual([
      ['G-1-000001', '1-5-6-8-0-0-0'],
      ['G-1-000009', '1-5-6-7-0-0-0'],
    ]);
  });

  it('adds an inquiry fee once per inquiry and year, lists a property’s and a licence’s demands, and amends one', async () => {
    const inquiryId = '00000000-0000-7000-8000-0000000000aa';
    const fee = { inquiryId, renewalCode: '1-5-6-7-0-0-0', propertyId, region: 1, jalaliYear: 1404, feeRials: 250_000n, tariffId: guildId, snapshot: { feeRials: 250000 } };
    await runAll(db.em(), [demands.insertInquiryFee(fee), demands.insertInquiryFee({ ...fee, feeRials: 999n })]);
    await insertDemandRow(db, { feeType: 'renewal', subjectId: propertyId, subjectCode: '1-5-6-7-0-0-0', propertyId, year: 1403, amount: 700_000 });
    await insertDemandRow(db, { feeType: 'guild', subjectId: guildId, subjectCode: 'G-1-000009', propertyId, year: 1403, amount: 400_000 });
    await insertDemandRow(db, { feeType: 'renewal', subjectId: otherId, subjectCode: '1-5-6-8-0-0-0', propertyId: otherId, year: 1403, amount: 100_000 });

    const page = await run(db.em(), demands.pageForSubject({ renewalCode: '1-5-6-7-0-0-0' }, null, 10, 0));
    expect(page.total).toBe(3);
    const ofProperty = page.items;
    expect(ofProperty.map((d) => [d.feeType, d.jalaliYear, d.amountRials])).toEqual([
      ['inquiry', 1404, 250_000n],
      ['guild', 1403, 400_000n],
      ['renewal', 1403, 700_000n],
    ]);
    expect(ofProperty[0]).toMatchObject({ subjectCode: '1-5-6-7-0-0-0', status: 'open', assessedRials: 250_000n, snapshot: { feeRials: 250000 }, amendments: [] });
    // a page of one, the count of all; another region's staff see none
    const second = await run(db.em(), demands.pageForSubject({ renewalCode: '1-5-6-7-0-0-0' }, [1], 1, 1));
    expect({ ids: second.items.map((d) => d.id), total: second.total }).toEqual({ ids: [ofProperty[1].id], total: 3 });
    expect(await run(db.em(), demands.pageForSubject({ renewalCode: '1-5-6-7-0-0-0' }, [2], 10, 0))).toEqual({ items: [], total: 0 });
    expect((await run(db.em(), demands.pageForSubject({ guildCode: 'G-1-000009' }, null, 10, 0))).items.map((d) => d.feeType)).toEqual(['guild']);
    expect(await run(db.em(), demands.pageForSubject({ renewalCode: '9-9-9-9-0-0-0' }, null, 10, 0))).toEqual({ items: [], total: 0 });
    expect(await run(db.em(), demands.countForYear(1403))).toBe(3);
    expect(await run(db.em(), demands.firstPayableProperty(['1-5-6-7-0-0-0']))).toEqual({ id: otherId, code: '1-5-6-8-0-0-0', region: 1 });

    const renewal = ofProperty[2];
    await db.em().transactional(async (tx) => {
      const locked = await run(tx, demands.lockForAmendment(renewal.id));
      expect(locked).toEqual({ id: renewal.id, status: 'open', region: 1, amountRials: 700_000n, subjectCode: '1-5-6-7-0-0-0', feeType: 'renewal' });
      await runAll(tx, [
        demands.setAmount(renewal.id, 0n, 'written_off'),
        demands.insertAmendment({ demandId: renewal.id, kind: 'write_off', reasonCode: 'R1', note: 'n', previousRials: 700_000n, newRials: 0n, actorType: 'staff', actorId: null }),
      ]);
    });
    const amended = (await run(db.em(), demands.byId(renewal.id)))!;
    expect(amended).toMatchObject({ status: 'written_off', amountRials: 0n, assessedRials: 700_000n });
    expect(amended.amendments).toEqual([expect.objectContaining({ kind: 'write_off', reasonCode: 'R1', note: 'n', previousRials: 700000, newRials: 0, actorType: 'staff', actorId: null })]);
    expect(await run(db.em(), demands.lockForAmendment('00000000-0000-7000-8000-0000000000ff'))).toBeUndefined();
    expect(await run(db.em(), demands.byId('00000000-0000-7000-8000-0000000000ff'))).toBeUndefined();
  });
});
