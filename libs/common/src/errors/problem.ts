import { DomainError, FieldError } from './domain-error';
import { Lang } from '../http/language';

/** RFC 9457 problem details as this API answers them. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance?: string;
  requestId?: string;
  errors?: Array<{ field: string; code: string; message: string }>;
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export function problemTypeUri(code: string): string {
  return `urn:qazvin:problem:${code.toLowerCase().replace(/_/g, '-')}`;
}

const RESERVED = new Set(['type', 'title', 'status', 'code', 'detail', 'instance', 'requestId', 'errors']);

export function toProblem(
  error: DomainError,
  lang: Lang,
  ctx: { instance?: string; requestId?: string; title?: string },
): ProblemBody {
  const body: ProblemBody = {
    type: problemTypeUri(error.code),
    title: ctx.title ?? error.localized[lang],
    status: error.status,
    code: error.code,
    detail: error.localized[lang],
  };
  if (ctx.instance) body.instance = ctx.instance;
  if (ctx.requestId) body.requestId = ctx.requestId;
  if (error.fieldErrors.length) {
    body.errors = error.fieldErrors.map((f: FieldError) => ({
      field: f.field,
      code: f.code,
      message: f.message[lang],
    }));
  }
  for (const [k, v] of Object.entries(error.extensions)) {
    if (!RESERVED.has(k)) body[k] = v;
  }
  return body;
}
