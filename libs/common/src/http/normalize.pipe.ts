import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { normalizePersianText } from '@app/iran';
import { CommonErrors } from '../errors/common.errors';

/**
 * The one normalization step every body, query and path value passes before validation
 * (in Nest's pipeline and in the hot reads alike):
 * - refuses what no endpoint reads: input nested deeper than `INPUT_LIMITS.maxDepth` or with
 *   more than `INPUT_LIMITS.maxNodes` values (INPUT_TOO_DEEP / INPUT_TOO_LARGE), and control
 *   characters (INPUT_CONTROL_CHARACTER): none at all in query values, path parameters and
 *   object keys, none but tab, line feed and carriage return in body text; and unpaired
 *   UTF-16 surrogates (INPUT_INVALID_UNICODE);
 * - Persian/Arabic digits → ASCII, ي→ی, ك→ک, trimmed (see `@app/iran` normalizePersianText).
 *   Free-text fields shown back to people (`FREE_TEXT_KEY`: notes, reasons, titles,
 *   descriptions, findings) keep the digits as typed; everything else (identifiers,
 *   codes, amounts, dates, OTPs, search terms) is matched and stored with ASCII digits.
 * Secret-like fields (passwords, client secrets) are left exactly as typed (control
 * characters are refused there too).
 */
@Injectable()
export class NormalizeInputPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' && metadata.type !== 'query' && metadata.type !== 'param') return value;
    return normalizeInput(value, metadata.type === 'body' ? 'text' : 'identifier', INPUT_LIMITS, metadata.data);
  }
}

/**
 * Bounds on parsed input, checked before anything else walks it (the body parser's byte
 * limit comes first). The deepest legitimate body is a few levels (a tariff's values, an
 * inquiry's organization); the largest, a tariff of 10 000 regional values (~50 000 values).
 */
export const INPUT_LIMITS = { maxDepth: 32, maxNodes: 100_000 } as const;

const SECRET_KEY = /password|secret/i;
/**
 * Keys of free text kept with the digits the person typed (a desk note's «۱۲», a tariff's
 * title, the letter's text); only ي/ك, invisible marks and whitespace are normalized there.
 * Exact key names, so an identifier never matches by accident.
 */
export const FREE_TEXT_KEY = /^(note|notes|reason|title|description|findings|comment|comments)$/
const POLLUTING_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** C0 controls and DEL. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ANY_CONTROL = /[\u0000-\u001f\u007f]/;
/** A UTF-16 surrogate without its pair (only a JSON `\ud800` escape can carry one): not text at all. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** C0 controls and DEL except tab, line feed and carriage return. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const TEXT_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** `text`: body values (free text may carry \t \n \r); `identifier`: query values and path parameters (no control character). */
export type InputKind = 'text' | 'identifier';

interface Task {
  value: unknown;
  /** Where the result goes: `holder[key]`. */
  holder: Record<string | number, unknown>;
  key: string | number;
  depth: number;
  secret: boolean;
  /** Under a free-text key: digits kept as typed. */
  freeText: boolean;
  parent: Task | null;
}

/**
 * Normalizes parsed input (see NormalizeInputPipe) without recursion: an explicit stack, so
 * no input can exhaust the call stack; depth and size are refused with a coded 400 first.
 */
export function normalizeInput(
  value: unknown,
  kind: InputKind = 'text',
  limits: { maxDepth: number; maxNodes: number } = INPUT_LIMITS,
  /** The argument's name (`@Param('id')` → `id`), for the field named in an error. */
  name?: string,
): unknown {
  return walk(value, kind, limits, name, true);
}

/**
 * The same refusals as `normalizeInput` (depth, size, control characters, ill-formed text)
 * without building a copy: for the HTTP layer, right after the body parsers, so no guard,
 * interceptor or logger ever walks (or `JSON.stringify`s) input the pipes would refuse.
 */
export function assertAcceptableInput(value: unknown, kind: InputKind, name?: string): void {
  walk(value, kind, INPUT_LIMITS, name, false);
}

function walk(value: unknown, kind: InputKind, limits: { maxDepth: number; maxNodes: number }, name: string | undefined, copy: boolean): unknown {
  const values = kind === 'text' ? TEXT_CONTROL : ANY_CONTROL;
  const root: Record<string, unknown> = {};
  const stack: Task[] = [{ value, holder: root, key: 'value', depth: 0, secret: false, freeText: false, parent: null }];
  let nodes = 0;
  while (stack.length) {
    const task = stack.pop()!;
    if (++nodes > limits.maxNodes) throw CommonErrors.INPUT_TOO_LARGE({ extensions: { maxValues: limits.maxNodes } });
    const v = task.value;
    if (typeof v === 'string') {
      if (values.test(v)) throw controlCharacter(task, name);
      if (LONE_SURROGATE.test(v)) throw refused(task, name, 'INPUT_INVALID_UNICODE');
      if (copy) task.holder[task.key] = task.secret ? v : normalizePersianText(v, { keepDigits: task.freeText });
      continue;
    }
    if (v === null || typeof v !== 'object') {
      if (copy) task.holder[task.key] = v;
      continue;
    }
    const proto = Object.getPrototypeOf(v) as unknown;
    const array = Array.isArray(v);
    if (!array && proto !== Object.prototype && proto !== null) {
      if (copy) task.holder[task.key] = v; // a Buffer, a Date: not parsed input
      continue;
    }
    if (task.depth >= limits.maxDepth) throw CommonErrors.INPUT_TOO_DEEP({ extensions: { maxDepth: limits.maxDepth } });
    const depth = task.depth + 1;
    if (array) {
      const list = v as unknown[];
      const out: unknown[] = copy ? new Array(list.length) : [];
      if (copy) task.holder[task.key] = out;
      // pushed last to first so they are filled first to last
      for (let i = list.length - 1; i >= 0; i--) {
        stack.push({ value: list[i], holder: out as unknown as Record<number, unknown>, key: i, depth, secret: task.secret, freeText: task.freeText, parent: task });
      }
      continue;
    }
    const out: Record<string, unknown> = {};
    if (copy) task.holder[task.key] = out;
    const entries = Object.entries(v as Record<string, unknown>);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i];
      if (POLLUTING_KEYS.has(key)) continue;
      const next: Task = { value: child, holder: out, key, depth, secret: task.secret || SECRET_KEY.test(key), freeText: FREE_TEXT_KEY.test(key), parent: task };
      if (ANY_CONTROL.test(key)) throw controlCharacter(next, name);
      stack.push(next);
    }
  }
  return root.value;
}

function controlCharacter(task: Task, name: string | undefined): Error {
  return refused(task, name, 'INPUT_CONTROL_CHARACTER');
}

function refused(task: Task, name: string | undefined, code: 'INPUT_CONTROL_CHARACTER' | 'INPUT_INVALID_UNICODE'): Error {
  const path: Array<string | number> = [];
  for (let t: Task | null = task; t?.parent; t = t.parent) path.unshift(t.key);
  if (name) path.unshift(name);
  const field = path.map((k) => String(k).replace(ANY_CONTROL_GLOBAL, '?')).join('.');
  return CommonErrors[code]({ fieldErrors: [{ field: field || 'value', code, message: CommonErrors.specs[code].message }] });
}

const ANY_CONTROL_GLOBAL = new RegExp(ANY_CONTROL.source, 'g');
