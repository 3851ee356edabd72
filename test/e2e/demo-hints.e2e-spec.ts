import { readFileSync } from 'node:fs';
import { DemoFile, demoFilePath, seedDemo } from '../../src/cli/demo/demo-seed';
import { followHint, howToKeys, parseHint, Who } from '../helpers/hints';
import { gatewayEnv } from '../helpers/payments';
import { createTestApp, TestApp } from '../helpers/test-app';

/**
 * Every `howTo` hint of the written demo.json, followed literally (test/helpers/hints.ts): each
 * `METHOD /path {fields}` step is sent as written, its body and path filled from the demo.json
 * entry the hint is about and from the answers of the steps before it, with the token the hint
 * names; the gateway page's button is pressed as a browser would. A field the hint names wrongly
 * (`clientId` where the endpoint wants `client_id`), a path that does not exist or an answer
 * without what the hint says it carries makes the test fail; a hint no test follows fails the
 * last test.
 */
describe('demo.json hints, followed literally', () => {
  let t: TestApp;
  let demo: DemoFile;
  /** The hints as written to DATA_DIR/demo.json (what a newcomer reads), not the object seedDemo returned. */
  let written: DemoFile;
  const followed = new Set<string>();
  const tokens = new Map<Who, string>();

  /** Follows the hint at `key` (`billing.howTo.debts`) of the written demo.json and notes it as covered. */
  const follow = (key: string, entry: object = {}, ctx?: Record<string, unknown>) => {
    const hint = key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], written);
    if (typeof hint !== 'string') throw new Error(`demo.json has no hint ${key}`);
    followed.add(key);
    return followHint(t, hint, entry, { demo: written, ctx, token });
  };
  /** The sign-in a hint's `with the … token` names, itself by its hint: the demo citizen, the admin, the demo bank. */
  async function token(who: Who): Promise<string> {
    if (!tokens.has(who)) {
      const answer =
        who === 'citizen'
          ? await follow('howTo.citizen', written.citizen)
          : who === 'staff'
            ? await follow('howTo.staff', written.staff.find((s) => s.username === 'admin')!)
            : await follow('howTo.organization', written.organizations[0]);
      tokens.set(who, String(answer.accessToken ?? answer.access_token));
    }
    return tokens.get(who)!;
  }

  beforeAll(async () => {
    t = await createTestApp(gatewayEnv({ DEMO_CITY_PARCELS: '400' }));
    const config = { ...t.config, database: { ...t.config.database, embedded: true } };
    demo = await seedDemo(t.app, config);
    written = JSON.parse(readFileSync(demoFilePath(config), 'utf8'));
  });
  afterAll(() => t?.close());

  it('the demo citizen signs in through the OTP sandbox as the citizen hint says', async () => {
    const answer = await follow('howTo.citizen', written.citizen);
    tokens.set('citizen', String(answer.accessToken)); // a second OTP right away would be OTP_RESEND_TOO_SOON
    const me = await t.http().get('/api/v1/me').set('Authorization', `Bearer ${answer.accessToken}`).expect(200);
    expect(me.body.nationalId).toBe(demo.citizen.nationalId);
  });

  it('the matching pair of demo.json registers by the same hint (the registration branch); the mismatching pair is refused', async () => {
    const newcomer = written.identity.matching;
    const answer = await follow('howTo.citizen', newcomer);
    const me = await t.http().get('/api/v1/me').set('Authorization', `Bearer ${answer.accessToken}`).expect(200);
    expect(me.body.nationalId).toBe(newcomer.nationalId);
    const names = { firstName: 'مریم', lastName: 'کاظمی', fatherName: 'رضا', birthDate: '1368/02/11' };
    await expect(follow('howTo.citizen', { ...names, ...written.identity.mismatching })).rejects.toThrow(/IDENTITY_MOBILE_MISMATCH/);
  });

  it('every demo staff account (the clerks, the managers, and the admin with its SMS second factor) signs in as the staff hint says', async () => {
    expect(written.staff.length).toBeGreaterThanOrEqual(4);
    expect(written.staff.some((s) => s.secondFactor)).toBe(true);
    for (const staff of written.staff) {
      const answer = await follow('howTo.staff', staff);
      if (staff.username === 'admin') tokens.set('staff', String(answer.accessToken));
      const auth = `Bearer ${answer.accessToken}`;
      if (staff.regions.length) await t.http().get(`/api/v1/desk/regions/${staff.regions[0]}/team`).set('Authorization', auth).expect(200);
      else await t.http().get('/api/v1/admin/staff').set('Authorization', auth).expect(200);
    }
  });

  it('the demo bank gets a token as the organization hint says, and the token works', async () => {
    const bank = written.organizations[0];
    const answer = await follow('howTo.organization', bank);
    tokens.set('organization', String(answer.access_token));
    const me = await t.http().get('/api/v1/org/me').set('Authorization', `Bearer ${answer.access_token}`).expect(200);
    expect(JSON.stringify(me.body)).toContain(bank.legalNationalId);
    // the alternatives the hint names: a form body and HTTP Basic
    await t.http().post('/api/v1/oauth/token').type('form').send({ grant_type: 'client_credentials', client_id: bank.clientId, client_secret: bank.clientSecret }).expect(200);
    await t.http().post('/api/v1/oauth/token').auth(bank.clientId, bank.clientSecret).send({ grant_type: 'client_credentials' }).expect(200);
  });

  it('the billing hints: debts and their bill, public and full payment histories, a bank report and its statement, tariffs and assessment', async () => {
    // debts first: the bank report then pays the guild's bill
    for (const key of ['debts', 'guildDebts', 'history', 'guildHistory', 'fullHistory', 'tariff', 'assessment']) await follow(`billing.howTo.${key}`);
    const statement = await follow('billing.howTo.bankReport');
    expect(statement.items).toEqual([expect.objectContaining({ bankReference: 'DEMO-BANK-000001', status: 'settled' })]);
    const guild = (await t.http().get('/api/v1/debts').query({ guildCode: written.billing.guilds[0].guildCode }).expect(200)).body;
    expect(guild.settled).toBe(true);
  });

  it('the payment hints, in their order, pay the payable property through the sandbox gateway', async () => {
    const ctx: Record<string, unknown> = {};
    const keys = Object.keys(written.payments.howTo).sort();
    expect(keys).toEqual(['1 bill', '2 start', '3 pay', '4 result', '5 check']);
    for (const key of keys) await follow(`payments.howTo.${key}`, {}, ctx);
    expect(ctx.page).toContain('پرداخت موفق');
    expect(ctx.settled).toBe(true);
  });

  it('the inquiry hints: an office and a notary inquiry from draft to tracking, and the indebted draft showing its bill', async () => {
    const office = await follow('inquiries.howTo.office');
    const notary = await follow('inquiries.howTo.notary');
    expect(office.trackingCode).not.toBe(notary.trackingCode);
    // written only when the indebted sample has a certificate, as it has in a city of 400 parcels
    expect(written.inquiries.howTo.withDebts).toBeDefined();
    await follow('inquiries.howTo.withDebts');
  });

  it('the property hints: a public lookup, the zoning, the street widening and the demo citizen’s own properties', async () => {
    for (const key of Object.keys(written.properties.howTo)) await follow(`properties.howTo.${key}`);
  });

  it('a hint with the wrong field names fails the follower (the test can fail)', async () => {
    const wrong = 'POST /api/v1/oauth/token {grant_type: "client_credentials", clientId, clientSecret}; the answer carries access_token';
    await expect(followHint(t, wrong, written.organizations[0])).rejects.toThrow(/answered 400/);
    // and the other ways a hint can be wrong: a path, what the answer carries, a token the step does not send
    await expect(followHint(t, 'GET /api/v1/debt?guildCode=G-1-000001; the answer carries bill')).rejects.toThrow(/answered 404/);
    await expect(followHint(t, `GET /api/v1/debts?guildCode=${written.billing.guilds[1].guildCode}; the answer carries bill`)).rejects.toThrow(/does not carry bill/);
    await expect(followHint(t, `GET /api/v1/admin/billing/tariffs/1405; the answer carries version`)).rejects.toThrow(/answered 401/);
    expect(() => parseHint('GET /api/v1/debts?guildCode=G-1-000001 with the bank token; the answer carries bill')).toThrow(/which token/);
  });

  it('no hint of the written demo.json is left unfollowed', () => {
    const all = howToKeys(written);
    expect(all.length).toBeGreaterThanOrEqual(3 + 4 + 8 + 5 + 3);
    expect(all.filter((key) => !followed.has(key))).toEqual([]);
  });
});
