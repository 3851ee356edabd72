import { DemoFile, seedDemo } from '../../src/cli/demo/demo-seed';
import { createTestApp, TestApp } from '../helpers/test-app';

/**
 * demo.json's sign-in hints (`howTo`), followed literally: every `METHOD /path {fields}` step of a
 * hint is sent as written, its body fields filled from the demo.json entry the hint is about
 * (`{a}` → the entry's `a`, `{a: <b>}` → the entry's `b`, `{a: "x"}` → x) and from the answers
 * of the steps before it (of a list, its first item: `items[0]` of a page). A field the hint names wrongly (`clientId` where the endpoint wants
 * `client_id`) or a path that does not exist makes the test fail.
 */
interface Step {
  ifStatus?: string;
  method: 'GET' | 'POST';
  path: string;
  fields?: string;
}

function parseHint(hint: string): { steps: Step[]; carries: string } {
  const carries = /the answer carries (\w+)/.exec(hint)?.[1];
  if (!carries) throw new Error(`hint does not say what the answer carries: ${hint}`);
  const steps = hint.split(' → ').map((segment): Step => {
    const m = /^(?:if status is (\w+): )?(GET|POST) (\/api\/v1\/\S+?)(?: \{([^}]*)\})?(?:[ ;(]|$)/.exec(segment);
    if (!m) throw new Error(`not a step: "${segment}"`);
    return { ifStatus: m[1], method: m[2] as Step['method'], path: m[3], fields: m[4] };
  });
  return { steps, carries };
}

function valueOf(ctx: Record<string, unknown>, name: string): unknown {
  if (!(name in ctx)) throw new Error(`the hint asks for "${name}", which neither the entry nor an earlier answer has`);
  return ctx[name];
}

function bodyOf(fields: string, ctx: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of fields.split(',').map((f) => f.trim())) {
    const m = /^(\w+)(?:: (?:<(\w+)>|"([^"]*)"))?$/.exec(field);
    if (!m) throw new Error(`cannot read body field "${field}"`);
    body[m[1]] = m[3] !== undefined ? m[3] : valueOf(ctx, m[2] ?? m[1]);
  }
  return body;
}

async function follow(t: TestApp, hint: string, entry: object): Promise<Record<string, unknown>> {
  const { steps, carries } = parseHint(hint);
  const ctx: Record<string, unknown> = { ...entry };
  let last: Record<string, unknown> = {};
  for (const step of steps) {
    if (step.ifStatus !== undefined && last.status !== step.ifStatus) break;
    const path = step.path.replace(/<(\w+)>/g, (_, name: string) => encodeURIComponent(String(valueOf(ctx, name))));
    const res =
      step.method === 'GET'
        ? await t.http().get(path)
        : await t
            .http()
            .post(path)
            .send(step.fields ? bodyOf(step.fields, ctx) : {});
    if (res.status >= 400) throw new Error(`${step.method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    // a list answers its first (newest) item: a plain array's, or a page's `items[0]`
    last = (Array.isArray(res.body) ? res.body[0] : Array.isArray(res.body?.items) ? res.body.items[0] : res.body) ?? {};
    Object.assign(ctx, last);
  }
  expect(last[carries]).toEqual(expect.any(String));
  return last;
}

describe('demo.json hints, followed literally', () => {
  let t: TestApp;
  let demo: DemoFile;
  beforeAll(async () => {
    t = await createTestApp({ DEMO_CITY_PARCELS: '300' });
    demo = await seedDemo(t.app, { ...t.config, database: { ...t.config.database, embedded: true } });
  });
  afterAll(() => t?.close());

  it('the demo citizen signs in through the OTP sandbox as the citizen hint says', async () => {
    const answer = await follow(t, demo.howTo.citizen, demo.citizen);
    const me = await t.http().get('/api/v1/me').set('Authorization', `Bearer ${answer.accessToken}`).expect(200);
    expect(me.body.nationalId).toBe(demo.citizen.nationalId);
  });

  it('the matching pair of demo.json registers by the same hint (the registration branch); the mismatching pair is refused', async () => {
    const newcomer = demo.identity.matching;
    const answer = await follow(t, demo.howTo.citizen, newcomer);
    const me = await t.http().get('/api/v1/me').set('Authorization', `Bearer ${answer.accessToken}`).expect(200);
    expect(me.body.nationalId).toBe(newcomer.nationalId);
    const names = { firstName: 'مریم', lastName: 'کاظمی', fatherName: 'رضا', birthDate: '1368/02/11' };
    await expect(follow(t, demo.howTo.citizen, { ...names, ...demo.identity.mismatching })).rejects.toThrow(/IDENTITY_MOBILE_MISMATCH/);
  });

  it('every demo staff account (the clerks, and the admin with its SMS second factor) signs in as the staff hint says', async () => {
    expect(demo.staff.length).toBeGreaterThanOrEqual(4);
    expect(demo.staff.some((s) => s.secondFactor)).toBe(true);
    for (const staff of demo.staff) {
      const answer = await follow(t, demo.howTo.staff, staff);
      const auth = `Bearer ${answer.accessToken}`;
      if (staff.regions.length) await t.http().get(`/api/v1/desk/regions/${staff.regions[0]}/team`).set('Authorization', auth).expect(200);
      else await t.http().get('/api/v1/admin/staff').set('Authorization', auth).expect(200);
    }
  });

  it('the demo bank gets a token as the organization hint says, and the token works', async () => {
    const bank = demo.organizations[0];
    const answer = await follow(t, demo.howTo.organization, bank);
    const me = await t.http().get('/api/v1/org/me').set('Authorization', `Bearer ${answer.access_token}`).expect(200);
    expect(JSON.stringify(me.body)).toContain(bank.legalNationalId);
    // the alternatives the hint names: a form body and HTTP Basic
    await t.http().post('/api/v1/oauth/token').type('form').send({ grant_type: 'client_credentials', client_id: bank.clientId, client_secret: bank.clientSecret }).expect(200);
    await t.http().post('/api/v1/oauth/token').auth(bank.clientId, bank.clientSecret).send({ grant_type: 'client_credentials' }).expect(200);
  });

  it('a hint with the wrong field names fails the follower (the test can fail)', async () => {
    const wrong = 'POST /api/v1/oauth/token {grant_type: "client_credentials", clientId, clientSecret}; the answer carries access_token';
    await expect(follow(t, wrong, demo.organizations[0])).rejects.toThrow(/answered 400/);
  });
});
