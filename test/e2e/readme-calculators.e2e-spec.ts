import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestApp, TestApp } from '../helpers/test-app';

/**
 * The README's calculators section, checked against the code: its table names exactly the
 * request DTOs' fields (from the published OpenAPI), and every example body it points to
 * (docs/calculator-examples.json) is posted as written and answers 200.
 */
const ROOT = join(__dirname, '../..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const EXAMPLES_FILE = 'docs/calculator-examples.json';
const EXAMPLES = JSON.parse(readFileSync(join(ROOT, EXAMPLES_FILE), 'utf8')) as {
  examples: Array<{ calculator: string; path: string; body: Record<string, unknown> }>;
};
type Schema = { properties?: Record<string, { $ref?: string; allOf?: Array<{ $ref: string }> }>; required?: string[] };
const OPENAPI = JSON.parse(readFileSync(join(ROOT, 'config/openapi/openapi.json'), 'utf8')) as {
  paths: Record<string, { post?: { requestBody?: { content: Record<string, { schema: { $ref: string } }> } } }>;
  components: { schemas: Record<string, Schema> };
};

function section(): string {
  const start = README.indexOf('### Calculators: the inputs each one takes');
  expect(start).toBeGreaterThan(0);
  const end = README.indexOf('\n#', start + 10);
  return README.slice(start, end);
}

/** The table's rows: calculator name → [parcel fields, own fields, optional], each as the backticked names. */
function rows(): Map<string, string[][]> {
  const out = new Map<string, string[][]>();
  for (const line of section().split('\n')) {
    const m = /^\| `POST calculators\/([a-z-]+)` \|(.*)\|$/.exec(line);
    if (!m) continue;
    const cells = m[2].split('|').map((c) => [...c.matchAll(/`([A-Za-z]+)`/g)].map((x) => x[1]));
    out.set(m[1], cells);
  }
  return out;
}

function schemaOf(ref: string): Schema {
  return OPENAPI.components.schemas[ref.split('/').pop()!];
}

function requestSchema(calculator: string): Schema {
  const op = OPENAPI.paths[`/api/v1/calculators/${calculator}`]?.post;
  const ref = op?.requestBody?.content['application/json']?.schema.$ref;
  if (!ref) throw new Error(`no JSON request body for calculators/${calculator} in the OpenAPI`);
  return schemaOf(ref);
}

/** Stated in the prose for every calculator, not per row. */
const COMMON = ['renewalCode', 'region', 'jalaliYear'];

describe("README calculators section (inputs from the DTOs, examples posted literally)", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('has one row per calculator naming exactly its request fields; required ones as required', () => {
    const table = rows();
    expect([...table.keys()].sort()).toEqual(['allowed-density', 'building-fee', 'density-fee', 'floor-areas']);
    for (const [calculator, [parcel, own, optional]] of table) {
      const schema = requestSchema(calculator);
      const fields = Object.keys(schema.properties ?? {}).filter((f) => !COMMON.includes(f));
      const named = [...parcel, ...own, ...optional].filter((f) => fields.includes(f));
      expect({ calculator, fields: [...new Set(named)].sort() }).toEqual({ calculator, fields: [...fields].sort() });
      expect({ calculator, unknown: [...parcel, ...own].filter((f) => !fields.includes(f)) }).toEqual({ calculator, unknown: [] });
      // the DTO's required fields (floors, requestedGrossArea, grossArea) are in "its own fields"
      for (const f of schema.required ?? []) expect({ calculator, f, own: own.includes(f) }).toEqual({ calculator, f, own: true });
      // nested lastPermit fields named in the row exist in its DTO
      const lastPermit = schema.properties?.lastPermit;
      if (lastPermit) {
        const ref = lastPermit.$ref ?? lastPermit.allOf?.[0].$ref;
        const nested = Object.keys(schemaOf(ref!).properties ?? {});
        expect(optional.filter((f) => !fields.includes(f)).every((f) => nested.includes(f))).toBe(true);
      }
    }
  });

  it('names every key of the explicit zone object the API takes', () => {
    const zone = EXAMPLES.examples[0].body.zone as Record<string, unknown>;
    const text = section();
    for (const key of Object.keys(zone)) expect({ key, named: text.includes(`\`${key}\``) }).toEqual({ key, named: true });
  });

  it(`points to ${EXAMPLES_FILE}; each example there carries the fields its row needs and answers 200 as written`, async () => {
    expect(section()).toContain(`(${EXAMPLES_FILE})`);
    const table = rows();
    expect(EXAMPLES.examples.map((e) => e.calculator).sort()).toEqual([...table.keys()].sort());
    for (const example of EXAMPLES.examples) {
      const [parcel, own] = table.get(example.calculator)!;
      for (const f of [...parcel, ...own]) expect({ calculator: example.calculator, f, sent: f in example.body }).toEqual({ calculator: example.calculator, f, sent: true });
      const res = await t.http().post(example.path).send(example.body);
      expect({ calculator: example.calculator, status: res.status, body: res.status === 200 ? 'ok' : res.body }).toEqual({
        calculator: example.calculator,
        status: 200,
        body: 'ok',
      });
    }
  });

  it('leaving out a field the table calls needed answers with that field named', async () => {
    for (const example of EXAMPLES.examples) {
      const [, own] = rows().get(example.calculator)!;
      for (const f of own) {
        const body = { ...example.body };
        delete body[f];
        const res = await t.http().post(example.path).send(body).expect(400);
        expect(JSON.stringify(res.body.errors)).toContain(f);
      }
    }
  });
});
