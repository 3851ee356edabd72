import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';

type Json = Record<string, unknown>;

export interface InvalidExample {
  /** JSON pointer of the example in the document. */
  at: string;
  errors: string[];
}

/**
 * Every example of an OpenAPI 3.0 document checked against its own schema: `example` on a
 * schema (components, properties, items, inline schemas), on a parameter or header (against
 * its `schema`) and on a media type (`example` and each of `examples`). `$ref`s resolve
 * within the document; `nullable` is OpenAPI's (ajv knows it); OpenAPI 3.0's boolean
 * `exclusiveMinimum`/`exclusiveMaximum` become JSON Schema's numeric ones.
 */
export function invalidExamples(doc: Json): InvalidExample[] {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addFormat('binary', true);
  ajv.addKeyword({ keyword: 'example' });
  // the document itself, so that `#/components/schemas/X` resolves from any schema in it
  ajv.addSchema({ ...(asJsonSchema(doc) as Json), $id: 'openapi.json' });
  const out: InvalidExample[] = [];
  /** `schemaAt`: the JSON pointer of the schema in the document. */
  const check = (schemaAt: string, example: unknown, at: string) => {
    const validate = ajv.getSchema(`openapi.json#${schemaAt}`);
    if (!validate) throw new Error(`no schema at ${schemaAt}`);
    if (!validate(example)) out.push({ at, errors: (validate.errors ?? []).map(describe) });
  };
  walk(doc, '', (node, at) => {
    if ('example' in node && looksLikeSchema(node)) check(at, node.example, `${at}/example`);
    if ('schema' in node && node.schema && typeof node.schema === 'object') {
      if ('example' in node) check(`${at}/schema`, node.example, `${at}/example`);
      for (const [name, ex] of Object.entries((node.examples ?? {}) as Record<string, Json>)) {
        if (ex && typeof ex === 'object' && 'value' in ex) check(`${at}/schema`, ex.value, `${at}/examples/${escape(name)}/value`);
      }
    }
  });
  return out;
}

const SCHEMA_KEYS = ['type', '$ref', 'allOf', 'oneOf', 'anyOf', 'properties', 'items', 'enum'];
/** A schema object (not a parameter, header or media type, whose `example` is checked against their `schema`). */
const looksLikeSchema = (node: Json) => !('schema' in node) && SCHEMA_KEYS.some((k) => k in node);

function walk(node: unknown, at: string, visit: (node: Json, at: string) => void): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) return node.forEach((v, i) => walk(v, `${at}/${i}`, visit));
  visit(node as Json, at);
  for (const [k, v] of Object.entries(node as Json)) {
    // an example's own value is data, not part of the document's structure
    if (k === 'example' || (k === 'value' && at.includes('/examples/'))) continue;
    walk(v, `${at}/${escape(k)}`, visit);
  }
}

/** The document without its examples, OpenAPI 3.0's boolean exclusive bounds as JSON Schema's numbers. */
function asJsonSchema(node: unknown): unknown {
  if (!node || typeof node !== 'object') return node;
  if (Array.isArray(node)) return node.map(asJsonSchema);
  const out = Object.fromEntries(Object.entries(node as Json).map(([k, v]) => [k, k === 'example' || k === 'examples' ? undefined : asJsonSchema(v)]));
  for (const [exclusive, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof out[exclusive] !== 'boolean') continue;
    if (out[exclusive] && typeof out[bound] === 'number') {
      out[exclusive] = out[bound];
      delete out[bound];
    } else delete out[exclusive];
  }
  return out;
}

const escape = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');
const describe = (e: ErrorObject) => `${e.instancePath || '(the example)'} ${e.message ?? e.keyword}`;
