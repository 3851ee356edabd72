import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../src/config/app-config';
import { DemoFile, demoFilePath, seedDemo } from '../../src/cli/demo/demo-seed';
import { createTestApp, TestApp } from '../helpers/test-app';

/**
 * The README's "Quick start" followed literally, as a newcomer on a fresh clone would: the
 * Swagger UI and the OpenAPI document at the addresses it gives, the demo accounts file it
 * names, and the demo citizen's and a clerk's sign-in by the steps it writes — every path,
 * field name and placeholder is read from the README's text, so a README whose steps do not
 * work fails here.
 */
const README = readFileSync(join(__dirname, '../../README.md'), 'utf8');

/** The section under `## Quick start`, up to the next `## ` heading. */
function quickStart(readme: string): string {
  const m = /^## Quick start\n([\s\S]*?)^## /m.exec(readme);
  if (!m) throw new Error('README has no "## Quick start" section');
  return m[1];
}

/** The numbered items of the section ("1. …"), joined across their wrapped lines. */
function items(section: string): string[] {
  return [...section.matchAll(/^\d+\. ([\s\S]*?)(?=^\d+\. |^\S|(?![\s\S]))/gm)].map((m) => m[1].replace(/\s*\n\s*/g, ' ').trim());
}

interface Step {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  /** Index in the item's text (to tell the steps before a condition from those after). */
  at: number;
}

/** `METHOD /path {body}` code spans of an item, in order. */
function steps(item: string): Step[] {
  return [...item.matchAll(/`(GET|POST) (\/[^\s`]+)(?: (\{[^`]*\}))?`/g)].map((m) => ({ method: m[1] as Step['method'], path: m[2], body: m[3], at: m.index! }));
}

function lookup(obj: unknown, path: string): unknown {
  const v = path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
  if (v === undefined) throw new Error(`the README names <${path}>, which demo.json does not have`);
  return v;
}

/**
 * A README body such as `{"mobile": "<citizen.mobile>"}` or `{"mobile", "code"}`: a named value,
 * a `<demo.json path>`, or a bare name taken from what came before (the entry and the answers).
 */
function bodyOf(src: string, demo: unknown, ctx: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of src.slice(1, -1).split(',').map((f) => f.trim())) {
    const m = /^"(\w+)"(?:: "([^"]*)")?$/.exec(field);
    if (!m) throw new Error(`cannot read the README's body field ${field}`);
    const [, key, value] = m;
    if (value === undefined) {
      if (!(key in ctx)) throw new Error(`the README's step sends "${key}", which nothing before it gave`);
      body[key] = ctx[key];
    } else {
      body[key] = value.replace(/^<([\w.]+)>$/, (_, p: string) => String(lookup(demo, p)));
    }
    ctx[key] = body[key];
  }
  return body;
}

describe('README quick start, followed literally', () => {
  let t: TestApp;
  let demo: DemoFile;
  let spec: { paths: Record<string, unknown>; components: { securitySchemes: Record<string, unknown> } };
  const section = quickStart(README);
  const [swaggerItem, accountsItem, citizenItem, clerkItem] = items(section);

  beforeAll(async () => {
    t = await createTestApp({ DEMO_CITY_PARCELS: '200' });
    const config = { ...t.config, database: { ...t.config.database, embedded: true } };
    await seedDemo(t.app, config);
    // what a newcomer opens: the file as written, not what the seed returned
    demo = JSON.parse(readFileSync(demoFilePath(config), 'utf8'));
  });
  afterAll(() => t?.close());

  async function send(step: Step, ctx: Record<string, unknown>, token?: string) {
    const path = step.path.replace(/<([\w.]+)>/g, (_, p: string) => encodeURIComponent(String(lookup(demo, p))));
    const req = step.method === 'GET' ? t.http().get(path) : t.http().post(path).send(step.body ? bodyOf(step.body, demo, ctx) : {});
    const res = await (token ? req.set('Authorization', `Bearer ${token}`) : req);
    if (res.status >= 400) throw new Error(`${step.method} ${path} (README) answered ${res.status}: ${JSON.stringify(res.body)}`);
    const answer = (Array.isArray(res.body) ? res.body[0] : Array.isArray(res.body?.items) ? { ...res.body.items[0], ...res.body } : res.body) ?? {};
    Object.assign(ctx, answer);
    return answer as Record<string, unknown>;
  }

  it('has the four steps: Swagger UI, the demo accounts, the citizen sign-in, the clerk sign-in', () => {
    expect(swaggerItem).toMatch(/Swagger UI/);
    expect(accountsItem).toMatch(/demo accounts/);
    expect(citizenItem).toMatch(/^Sign in the demo citizen/);
    expect(clerkItem).toMatch(/^Sign in a clerk/);
  });

  it('reaches Swagger UI and the OpenAPI document where the README says, on the port `npm start` uses', async () => {
    const ui = /<(http:\/\/localhost:(\d+)(\/[^>]*))>/.exec(swaggerItem);
    if (!ui) throw new Error('the Quick start names no Swagger UI address');
    expect(Number(ui[2])).toBe(loadConfig({}).http.port);
    expect(section).toContain(`http://localhost:${ui[2]}`);
    const page = await t.http().get(ui[3]).redirects(2);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toMatch(/swagger-ui/i);

    const docPath = /OpenAPI document: `(\/[^`]+)`/.exec(swaggerItem)?.[1];
    if (!docPath) throw new Error('the Quick start names no OpenAPI document path');
    const doc = await t.http().get(docPath).expect(200);
    expect(doc.headers['content-type']).toMatch(/json/);
    spec = doc.body;
    expect(spec).toHaveProperty('openapi');

    // the API prefix it gives is the one every step and the document use
    const prefix = /API prefix `([^`]+)`/.exec(swaggerItem)?.[1];
    expect(prefix).toBe('/api/v1');
    const used = [...citizenItem.matchAll(/`(?:GET|POST) ([^\s`?]+)/g), ...clerkItem.matchAll(/`(?:GET|POST) ([^\s`?]+)/g)].map((m) => m[1]);
    expect(used.length).toBeGreaterThanOrEqual(5);
    for (const path of used) {
      expect(path.startsWith(`${prefix}/`)).toBe(true);
      expect(Object.keys(spec.paths)).toContain(path);
    }
    // "press Authorize": the document has the bearer schemes of both sign-ins
    expect(Object.keys(spec.components.securitySchemes)).toEqual(expect.arrayContaining(['citizen', 'staff']));
  });

  it('finds the demo accounts in the file the README names, with every account it lists', () => {
    const file = /`(\.\/[^`]*demo\.json)`/.exec(accountsItem)?.[1];
    if (!file) throw new Error('the Quick start names no demo accounts file');
    // the README's path is the default DATA_DIR's demo.json (the test app writes the same file under its own DATA_DIR)
    expect(resolve(file)).toBe(join(loadConfig({}).dataDir, 'demo.json'));
    const usernames = demo.staff.map((s) => s.username);
    const named = [...accountsItem.matchAll(/`([a-z]+(?:\.r\d)?)`/g)].map((m) => m[1]).filter((n) => n !== 'howTo');
    expect(named.length).toBeGreaterThanOrEqual(7);
    expect(usernames.sort()).toEqual([...new Set(named)].sort());
    expect(demo.staff.every((s) => s.password)).toBe(true);
    expect(demo.citizen.mobile).toMatch(/^09\d{9}$/);
    expect(demo.organizations[0]).toMatchObject({ clientId: expect.any(String), clientSecret: expect.any(String) });
    expect(Object.keys(demo.howTo)).toEqual(expect.arrayContaining(['citizen', 'staff', 'organization']));
  });

  it('signs in the demo citizen by the README’s steps', async () => {
    const s = steps(citizenItem);
    expect(s.map((x) => x.method)).toEqual(['POST', 'GET', 'POST']);
    const carries = /→ `(\w+)`/.exec(citizenItem)?.[1];
    expect(carries).toBeDefined();
    const ctx: Record<string, unknown> = {};
    let answer: Record<string, unknown> = {};
    for (const step of s) answer = await send(step, ctx);
    const token = answer[carries!];
    expect(token).toEqual(expect.any(String));
    const me = await t.http().get('/api/v1/me').set('Authorization', `Bearer ${String(token)}`).expect(200);
    expect(me.body.nationalId).toBe(demo.citizen.nationalId);
  });

  /** The clerk item's steps for one staff account: the login, then — when the answer's status says so — the outbox and the verify. */
  async function staffSignIn(username: string): Promise<string> {
    const [login, verify] = steps(clerkItem);
    expect(login.method).toBe('POST');
    const condition = /when the answer's `(\w+)` is `(\w+)`/.exec(clerkItem);
    if (!condition) throw new Error('the README does not say when the second factor is needed');
    expect(verify.at).toBeGreaterThan(condition.index);
    const account = demo.staff.find((s) => s.username === username)!;
    // the README's login names clerk.r1; another account signs in by the same step with its own username
    const ctx: Record<string, unknown> = { ...account };
    const loginStep = { ...login, body: login.body!.replace(/"username": "[^"]*"/, `"username": "${username}"`) };
    let answer = await send(loginStep, ctx);
    if (answer[condition[1]] === condition[2]) {
      // "read the code for the staff mobile in the same outbox": the outbox step of the citizen item, for the staff mobile
      const outbox = steps(citizenItem).find((x) => x.method === 'GET' && /outbox/.test(x.path))!;
      expect(clerkItem).toMatch(/same outbox/);
      await send({ ...outbox, path: outbox.path.replace(/<[\w.]+>/, encodeURIComponent(String(account.mobile))) }, ctx);
      answer = await send(verify, ctx);
    }
    const carries = [...clerkItem.matchAll(/→ `(\w+)`/g)].map((m) => m[1]);
    expect(carries).toHaveLength(2); // after the login, and after the verify
    expect(carries[0]).toBe(carries[1]);
    expect(answer[carries[0]]).toEqual(expect.any(String));
    return String(answer[carries[0]]);
  }

  it('signs in a demo clerk by the README’s steps (and the admin, whose login needs the SMS second factor)', async () => {
    const clerk = /`POST [^`]*"username": "([^"]+)"/.exec(clerkItem)?.[1];
    expect(clerk).toBe('clerk.r1');
    const token = await staffSignIn(clerk!);
    await t.http().get('/api/v1/desk/regions/1/team').set('Authorization', `Bearer ${token}`).expect(200);
    // the branch the README describes for admins, managers and finance
    expect(demo.staff.find((s) => s.username === 'admin')!.secondFactor).toBe(true);
    const admin = await staffSignIn('admin');
    await t.http().get('/api/v1/admin/staff').set('Authorization', `Bearer ${admin}`).expect(200);
  });

  it('fails when the README’s steps are wrong (the test can fail)', async () => {
    const ctx: Record<string, unknown> = {};
    await expect(send({ method: 'POST', path: '/api/v1/auth/otp', body: '{"phone": "<citizen.mobile>"}', at: 0 }, ctx)).rejects.toThrow(/answered 400/);
    await expect(send({ method: 'POST', path: '/api/v1/auth/otp/verify', body: '{"mobile", "otp"}', at: 0 }, {})).rejects.toThrow(/nothing before it gave/);
    await expect(send({ method: 'GET', path: '/api/v1/sandbox/sms?mobile=<citizen.mobile>', at: 0 }, ctx)).rejects.toThrow(/answered 404/);
    expect(() => lookup(demo, 'citizen.phone')).toThrow(/does not have/);
  });
});
