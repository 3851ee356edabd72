import type { ArgumentMetadata, PipeTransform, Type } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { sendProblem } from './problem.filter';

/** Where one argument of a hot read's handler comes from. */
export type HotArgument =
  /** The whole query string, validated and transformed into `metatype` (a query DTO). */
  | { from: 'query'; metatype: Type<unknown> }
  /** One path parameter (`:name` in the path), through `pipes` after the global ones. */
  | { from: 'param'; name: string; pipes?: PipeTransform[] };

/**
 * A public GET read answered ahead of the framework's router: the controller's own method,
 * called with its arguments validated by the application's global pipes (the same
 * `PipeTransform`s and the same errors as Nest's route), answered as Nest would answer it.
 */
export interface HotRead {
  /** Path under the API prefix: literal segments and `:name` parameters (`properties/:renewalCode`). */
  path: string;
  /** What a parameter's value must look like for this read to take the request (else the router does). */
  paramShapes?: Record<string, RegExp>;
  args: HotArgument[];
  /** The controller method, bound: `(...args) => controller.method(...args)`. */
  handle: (...args: never[]) => Promise<unknown>;
  /** For a handler answering a string (a GeoJSON text): its content type. */
  contentType?: string;
}

interface Compiled {
  read: HotRead;
  pattern: RegExp;
  params: string[];
}

function compile(prefix: string, read: HotRead): Compiled {
  const params: string[] = [];
  const source = read.path
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      params.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { read, params, pattern: new RegExp(`^/${prefix}/${source}/?$`) };
}

/**
 * Express middleware (public API only: `app.use`, `req.path`, `req.query`, the pipes'
 * `transform`) answering the application's hottest public reads without Nest's router,
 * guards and interceptors, which cost them more CPU than the read itself (bench/RESULTS-hot-reads.md).
 * Only for `@Public()` routes without a guard, interceptor or rate limit of their own: the
 * controller route stays the documented one (OpenAPI, HEAD) and the one other methods reach.
 * A request this middleware does not take goes on unchanged.
 */
export function hotReads(prefix: string, reads: HotRead[], globalPipes: PipeTransform[]): RequestHandler {
  const compiled = reads.map((r) => compile(prefix, r));
  const pipe = async (value: unknown, metadata: ArgumentMetadata, extra: PipeTransform[] = []) => {
    for (const p of [...globalPipes, ...extra]) value = await p.transform(value, metadata);
    return value;
  };
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'GET') return next();
    const path = req.path;
    for (const c of compiled) {
      const m = c.pattern.exec(path);
      if (!m) continue;
      const values: Record<string, string> = {};
      let taken = true;
      c.params.forEach((name, i) => {
        values[name] = decodeURIComponentSafe(m[i + 1]);
        const shape = c.read.paramShapes?.[name];
        if (shape && !shape.test(values[name])) taken = false;
      });
      if (!taken) continue;
      answer(c.read, values).then(
        (body) => {
          if (typeof body === 'string') res.status(200).type(c.read.contentType ?? 'text/plain').send(body);
          else res.status(200).json(body);
        },
        (err: unknown) => sendProblem(req, res, err),
      );
      return;
    }
    next();

    async function answer(read: HotRead, params: Record<string, string>): Promise<unknown> {
      const args: unknown[] = [];
      for (const a of read.args) {
        if (a.from === 'query') args.push(await pipe({ ...req.query }, { type: 'query', metatype: a.metatype, data: undefined }));
        else args.push(await pipe(params[a.name], { type: 'param', metatype: String, data: a.name }, a.pipes));
      }
      return read.handle(...(args as never[]));
    }
  };
}

/** A malformed escape stays as it came (the route's own validation refuses it). */
function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
