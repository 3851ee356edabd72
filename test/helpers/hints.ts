import { formatJalali } from '@app/iran';
import { scanJpeg } from './inquiries';
import type { TestApp } from './test-app';

/**
 * A follower of demo.json's `howTo` hints, taking them literally (test/e2e/demo-hints.e2e-spec.ts).
 * The grammar the hints are written in (see the top-level `note` of demo.json):
 *
 *   hint   := ["for " entry ": "] step (" → " step)* ("; the answer carries " name[": " value] | "; the page says " text) [comment]
 *   step   := ["if status is " s ": "] ["for each " k " in " a ", " b ": "] METHOD path [body] [" with the " who " token"] [" (" comment ")"]
 *           | "open <" name "> in a browser and press " label [comment]
 *           | "lands on " url [comment]
 *   body   := "{" field ("," field)* "}" ;  field := key | key ": " value ;  value := <name> | "text" | number | true | false | body
 *
 * `for entry:` starts from the demo.json entry at that dotted path (`inquiries.eligible`); `{a}`
 * is the field a of the entry or of an earlier answer, `<a.b>` a value from them (also in the
 * path), `<now>` the current time (ISO 8601) and `<today>` today's Jalali date in Tehran. Each
 * answer's fields join the context (a list answer: its first element). A step after
 * `if status is s:` runs only when the previous answer's status is s. `multipart field "f"` in
 * a step's comment uploads a scan (a JPEG page) in field f. `with the citizen token` (or staff,
 * organization) sends the token of that sign-in hint.
 */
export type Who = 'citizen' | 'staff' | 'organization';

export interface FollowOptions {
  /** The token of a sign-in (`with the citizen token`). */
  token?: (who: Who) => Promise<string>;
  /** The whole demo.json, for `for <entry>:`. */
  demo?: object;
  /** A context shared with earlier hints (numbered steps of one flow); mutated. */
  ctx?: Record<string, unknown>;
}

type Value = { ref: string } | { literal: unknown } | { object: Array<[string, Value]> };

interface HttpStep {
  kind: 'http';
  ifStatus?: string;
  forEach?: { name: string; values: string[] };
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  body?: Array<[string, Value]>;
  who?: Who;
  multipart?: string;
}
interface BrowserStep {
  kind: 'browser';
  ifStatus?: string;
  url: string;
  press: string;
}
interface LandsStep {
  kind: 'lands';
  ifStatus?: string;
  url: string;
}
type Step = HttpStep | BrowserStep | LandsStep;

export interface ParsedHint {
  entry?: string;
  steps: Step[];
  expect: { carries: string; value?: unknown } | { says: string };
}

function parseValue(src: string, at: { i: number }): Value {
  const rest = src.slice(at.i);
  if (rest.startsWith('{')) return { object: parseObject(src, at) };
  let m: RegExpExecArray | null;
  if ((m = /^<([\w.]+)>/.exec(rest))) {
    at.i += m[0].length;
    return { ref: m[1] };
  }
  if ((m = /^"([^"]*)"/.exec(rest))) {
    at.i += m[0].length;
    return { literal: m[1] };
  }
  if ((m = /^(true|false|null|-?\d+(?:\.\d+)?)(?=[,}\s])/.exec(rest))) {
    at.i += m[0].length;
    return { literal: JSON.parse(m[1]) };
  }
  throw new Error(`cannot read a value at "${rest.slice(0, 30)}"`);
}

function parseObject(src: string, at: { i: number }): Array<[string, Value]> {
  const fields: Array<[string, Value]> = [];
  const skip = () => {
    while (src[at.i] === ' ') at.i++;
  };
  if (src[at.i] !== '{') throw new Error(`expected "{" at "${src.slice(at.i, at.i + 30)}"`);
  at.i++;
  skip();
  if (src[at.i] === '}') {
    at.i++;
    return fields;
  }
  for (;;) {
    skip();
    const key = /^\w+/.exec(src.slice(at.i))?.[0];
    if (!key) throw new Error(`cannot read a body field at "${src.slice(at.i, at.i + 30)}"`);
    at.i += key.length;
    skip();
    if (src[at.i] === ':') {
      at.i++;
      skip();
      fields.push([key, parseValue(src, at)]);
    } else {
      fields.push([key, { ref: key }]);
    }
    skip();
    if (src[at.i] === ',') {
      at.i++;
      continue;
    }
    if (src[at.i] === '}') {
      at.i++;
      return fields;
    }
    throw new Error(`expected "," or "}" at "${src.slice(at.i, at.i + 30)}"`);
  }
}

function parseStep(segment: string): Step {
  let rest = segment;
  let m: RegExpExecArray | null;
  let ifStatus: string | undefined;
  let forEach: HttpStep['forEach'];
  if ((m = /^if status is (\w+): /.exec(rest))) {
    ifStatus = m[1];
    rest = rest.slice(m[0].length);
  }
  if ((m = /^for each (\w+) in ([\w, ]+?): /.exec(rest))) {
    forEach = { name: m[1], values: m[2].split(/,\s*/) };
    rest = rest.slice(m[0].length);
  }
  if ((m = /^open (<[\w.]+>) in a browser and press (\S+)/.exec(rest))) return { kind: 'browser', ifStatus, url: m[1], press: m[2] };
  if ((m = /^lands on (\S+)/.exec(rest))) return { kind: 'lands', ifStatus, url: m[1] };
  m = /^(GET|POST|PUT) (\/api\/v1\/[^\s;(]+)/.exec(rest);
  if (!m) throw new Error(`not a step: "${segment}"`);
  const step: HttpStep = { kind: 'http', ifStatus, forEach, method: m[1] as HttpStep['method'], path: m[2] };
  const at = { i: m[0].length };
  if (rest.startsWith(' {', at.i)) {
    at.i++;
    step.body = parseObject(rest, at);
  }
  const tail = rest.slice(at.i);
  const who = /^ with the (citizen|staff|organization) token/.exec(tail);
  if (who) step.who = who[1] as Who;
  else if (/ token/.test(tail.split('(')[0])) throw new Error(`cannot read which token: "${segment}"`);
  const comment = tail.slice(who?.[0].length ?? 0);
  if (comment && !/^(?: \(.*\))?$/.test(comment)) throw new Error(`unexpected text after the step: "${comment}" in "${segment}"`);
  step.multipart = /multipart field "(\w+)"/.exec(comment)?.[1];
  return step;
}

export function parseHint(hint: string): ParsedHint {
  let text = hint;
  let entry: string | undefined;
  const forEntry = /^for ([\w.]+): /.exec(text);
  if (forEntry) {
    entry = forEntry[1];
    text = text.slice(forEntry[0].length);
  }
  const carriesAt = text.lastIndexOf('; the answer carries ');
  const saysAt = text.lastIndexOf('; the page says ');
  let expectation: ParsedHint['expect'];
  let body: string;
  if (carriesAt >= 0) {
    const m = /^; the answer carries ([\w.]+)(?:: ("[^"]*"|[^\s(;]+))?(?: \(.*\))?$/.exec(text.slice(carriesAt));
    if (!m) throw new Error(`cannot read what the answer carries: ${text.slice(carriesAt)}`);
    expectation = { carries: m[1], ...(m[2] !== undefined ? { value: /^(true|false|-?\d+)$|^"/.test(m[2]) ? JSON.parse(m[2]) : m[2] } : {}) };
    body = text.slice(0, carriesAt);
  } else if (saysAt >= 0) {
    expectation = { says: text.slice(saysAt + '; the page says '.length).replace(/ \(.*\)$/, '') };
    body = text.slice(0, saysAt);
  } else {
    throw new Error(`hint does not say what the answer carries: ${hint}`);
  }
  return { entry, steps: body.split(' → ').map(parseStep), expect: expectation };
}

function lookup(obj: unknown, path: string): unknown {
  let v: unknown = obj;
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object' || !(part in (v as object))) return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

function valueOf(ctx: Record<string, unknown>, name: string): unknown {
  if (name === 'now') return new Date().toISOString();
  if (name === 'today') return formatJalali(new Date());
  const v = lookup(ctx, name);
  if (v === undefined) throw new Error(`the hint asks for "${name}", which neither the entry nor an earlier answer has`);
  return v;
}

function build(fields: Array<[string, Value]>, ctx: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of fields) out[key] = 'ref' in v ? valueOf(ctx, v.ref) : 'literal' in v ? v.literal : build(v.object, ctx);
  return out;
}

const fill = (s: string, ctx: Record<string, unknown>) => s.replace(/<([\w.]+)>/g, (_, name: string) => encodeURIComponent(String(valueOf(ctx, name))));

/** An absolute URL of the app (the gateway page, a redirect) as the path supertest requests. */
const local = (url: string) => (/^https?:\/\//.test(url) ? ((u) => u.pathname + u.search)(new URL(url)) : url);

/** The answer's fields as the context takes them: a list answer gives its first element; `{items}` also its first item's fields. */
function fieldsOf(body: unknown): Record<string, unknown> {
  if (Array.isArray(body)) {
    if (!body.length) throw new Error('the answer is an empty list');
    return body[0] as Record<string, unknown>;
  }
  if (!body || typeof body !== 'object') return {};
  const b = body as Record<string, unknown>;
  const first = Array.isArray(b.items) && b.items[0] && typeof b.items[0] === 'object' ? (b.items[0] as Record<string, unknown>) : {};
  return { ...first, ...b };
}

async function browse(t: TestApp, step: BrowserStep, ctx: Record<string, unknown>): Promise<void> {
  const url = String(valueOf(ctx, step.url.slice(1, -1)));
  const page = await t.http().get(local(url));
  if (page.status !== 200 || !/^text\/html/.test(page.headers['content-type'] ?? '')) throw new Error(`GET ${url} answered ${page.status} ${page.headers['content-type']}, not a page`);
  const forms = [...page.text.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)];
  const form = forms.find(([, , inner]) => [...inner.matchAll(/<button\b[^>]*>([\s\S]*?)<\/button>/g)].some(([, label]) => label.trim() === step.press));
  if (!form) throw new Error(`the page at ${url} has no button "${step.press}"`);
  const attr = (name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(form[1])?.[1];
  const action = (attr('action') ?? '').replace(/&amp;/g, '&');
  const fields = Object.fromEntries([...form[2].matchAll(/<input\b[^>]*\bname="([^"]*)"[^>]*\bvalue="([^"]*)"/g)].map(([, n, v]) => [n, v]));
  let res = (attr('method') ?? 'get').toLowerCase() === 'post' ? await t.http().post(local(action)).type('form').send(fields) : await t.http().get(local(action));
  let at = action;
  for (let hops = 0; res.status >= 300 && res.status < 400; hops++) {
    if (hops > 5) throw new Error('too many redirects');
    at = res.headers.location;
    res = await t.http().get(local(at));
  }
  if (res.status >= 400) throw new Error(`the browser landed on ${at} with ${res.status}`);
  Object.assign(ctx, { url: at, page: res.text });
}

/**
 * Follows one hint as written; returns the last answer's fields. `entry` (or the hint's own
 * `for entry:`) gives the names the hint uses.
 */
export async function followHint(t: TestApp, hint: string, entry: object = {}, options: FollowOptions = {}): Promise<Record<string, unknown>> {
  const parsed = parseHint(hint);
  const ctx = options.ctx ?? {};
  Object.assign(ctx, entry);
  if (parsed.entry) {
    const e = lookup(options.demo, parsed.entry);
    if (!e || typeof e !== 'object') throw new Error(`the hint is for "${parsed.entry}", which demo.json does not have`);
    Object.assign(ctx, e);
  }
  let last: Record<string, unknown> = {};
  for (const step of parsed.steps) {
    if (step.ifStatus !== undefined && last.status !== step.ifStatus) break;
    if (step.kind === 'browser') {
      await browse(t, step, ctx);
      continue;
    }
    if (step.kind === 'lands') {
      const expected = step.url.replace(/<([\w.]+)>/g, (_, name: string) => String(valueOf(ctx, name))).replace(/…$/, '');
      if (!String(ctx.url ?? '').startsWith(expected) || (!step.url.endsWith('…') && ctx.url !== expected)) {
        throw new Error(`the browser landed on ${String(ctx.url)}, the hint says ${expected}`);
      }
      continue;
    }
    for (const each of step.forEach?.values ?? [undefined]) {
      if (step.forEach) ctx[step.forEach.name] = each;
      const path = fill(step.path, ctx);
      const method = step.method.toLowerCase() as 'get' | 'post' | 'put';
      let req = t.http()[method](path);
      if (step.who) {
        if (!options.token) throw new Error(`the hint needs the ${step.who} token`);
        req = req.set('Authorization', `Bearer ${await options.token(step.who)}`);
      }
      const body = step.body ? build(step.body, ctx) : {};
      const res = step.multipart
        ? await req.attach(step.multipart, await scanJpeg(), { filename: 'scan.jpg', contentType: 'image/jpeg' })
        : method === 'get'
          ? await req
          : await req.send(body);
      if (res.status >= 400) throw new Error(`${step.method} ${path} ${step.body ? `${JSON.stringify(body)} ` : ''}answered ${res.status}: ${JSON.stringify(res.body)}`);
      last = fieldsOf(res.body);
      Object.assign(ctx, last);
    }
  }
  if ('says' in parsed.expect) {
    if (!String(ctx.page ?? '').includes(parsed.expect.says)) throw new Error(`the page does not say "${parsed.expect.says}"`);
    return last;
  }
  const carried = lookup(last, parsed.expect.carries);
  if (carried === undefined || carried === null || carried === '' || (Array.isArray(carried) && !carried.length)) {
    throw new Error(`the answer does not carry ${parsed.expect.carries}: ${JSON.stringify(last).slice(0, 500)}`);
  }
  if ('value' in parsed.expect && carried !== parsed.expect.value) {
    throw new Error(`the answer carries ${parsed.expect.carries}: ${JSON.stringify(carried)}, the hint says ${JSON.stringify(parsed.expect.value)}`);
  }
  return last;
}

/** Every `howTo` entry of a demo.json, by its path (`howTo.citizen`, `billing.howTo.debts`, ...). */
export function howToKeys(demo: unknown, at = ''): string[] {
  if (!demo || typeof demo !== 'object' || Array.isArray(demo)) return [];
  return Object.entries(demo as Record<string, unknown>).flatMap(([key, value]) => {
    const path = at ? `${at}.${key}` : key;
    if (key === 'howTo' && value && typeof value === 'object') return Object.keys(value).map((k) => `${path}.${k}`);
    return howToKeys(value, path);
  });
}
