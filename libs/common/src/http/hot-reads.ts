import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { parse as parseQueryString } from 'node:querystring';
import type { ArgumentMetadata, NestApplicationOptions, PipeTransform, Type } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { Request, Response } from 'express';
import { sendProblem } from './problem.filter';

/** Where one argument of a hot read's handler comes from. */
export type HotArgument =
  /** The whole query string, validated and transformed into `metatype` (a query DTO). */
  | { from: 'query'; metatype: Type<unknown> }
  /** One path parameter (`:name` in the path), through `pipes` after the global ones. */
  | { from: 'param'; name: string; pipes?: PipeTransform[] };

/**
 * A public GET read answered before Express: the controller's own method, called with its
 * arguments through the application's global pipes (the same `PipeTransform`s and the same
 * errors as its Nest route), answered as Nest answers it.
 */
export interface HotRead {
  /** Path under the API prefix: literal segments and `:name` parameters (`properties/:renewalCode`). */
  path: string;
  /** What a parameter's value must look like for this read to take the request (else Express does). */
  paramShapes?: Record<string, RegExp>;
  args: HotArgument[];
  /** The controller method, bound: `(...args) => controller.method(...args)`. */
  handle: (...args: never[]) => Promise<unknown>;
  /** For a handler answering a string (a GeoJSON text): its content type. */
  contentType?: string;
}

/** A connect-style middleware that works on Node's own request and response (no Express additions). */
export type NodeMiddleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/** Takes the request (true) or leaves it to Express (false). */
export type FrontHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

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

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * The application's hottest public reads, answered on Node's request and response before
 * Express (public API only: the pipes' `transform`, the controller's method, Node's `http`):
 * Express's per-request work, Nest's router, guards and interceptors, the ORM's request
 * context and the body parsers cost these one-statement reads more CPU than the read itself
 * (bench/RESULTS-hot-reads.md). `before` runs first, the same middlewares Express runs for
 * every other request (request id, access log, security headers, CORS, bulkhead).
 * Only for `@Public()` routes without a guard, interceptor or rate limit of their own; the
 * Nest route stays the documented one (OpenAPI) and answers HEAD and anything not taken here.
 */
export function hotReads(prefix: string, reads: HotRead[], globalPipes: PipeTransform[], before: NodeMiddleware[]): FrontHandler {
  const compiled = reads.map((r) => compile(prefix, r));
  const pipe = async (value: unknown, metadata: ArgumentMetadata, extra: PipeTransform[] = []) => {
    for (const p of [...globalPipes, ...extra]) value = await p.transform(value, metadata);
    return value;
  };

  return (req, res) => {
    if (req.method !== 'GET') return false;
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    for (const c of compiled) {
      const m = c.pattern.exec(path);
      if (!m) continue;
      const params = paramsOf(c, m);
      if (!params) continue;
      const query = { ...parseQueryString(q < 0 ? '' : url.slice(q + 1)) };
      runChain(before, req, res, () => {
        answer(c.read, params, query).then(
          (body) => send(res, body, c.read.contentType),
          (err: unknown) => sendProblem(req as Request, res as Response, err),
        );
      });
      return true;
    }
    return false;
  };

  async function answer(read: HotRead, params: Record<string, string>, query: Record<string, unknown>): Promise<unknown> {
    const args: unknown[] = [];
    for (const a of read.args) {
      if (a.from === 'query') args.push(await pipe(query, { type: 'query', metatype: a.metatype, data: undefined }));
      else args.push(await pipe(params[a.name], { type: 'param', metatype: String, data: a.name }, a.pipes));
    }
    return read.handle(...(args as never[]));
  }
}

/** The decoded parameters, or undefined when one is malformed or not of its shape (Express answers those). */
function paramsOf(c: Compiled, m: RegExpExecArray): Record<string, string> | undefined {
  const values: Record<string, string> = {};
  for (let i = 0; i < c.params.length; i++) {
    const name = c.params[i];
    try {
      values[name] = decodeURIComponent(m[i + 1]);
    } catch {
      return undefined;
    }
    const shape = c.read.paramShapes?.[name];
    if (shape && !shape.test(values[name])) return undefined;
  }
  return values;
}

function runChain(chain: NodeMiddleware[], req: IncomingMessage, res: ServerResponse, done: () => void): void {
  let i = 0;
  const next = (): void => {
    if (res.writableEnded) return; // a middleware answered (the bulkhead's 503)
    const m = chain[i++];
    if (m) m(req, res, next);
    else done();
  };
  next();
}

function send(res: ServerResponse, body: unknown, contentType: string | undefined): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.statusCode = 200;
  res.setHeader('Content-Type', typeof body === 'string' ? (contentType ?? 'text/plain; charset=utf-8') : JSON_TYPE);
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

/**
 * Nest's Express adapter whose HTTP server offers each request to a front handler
 * (`hotReads`) before Express. Through the adapter's public extension point
 * (`initHttpServer`, `setHttpServer`, `getInstance`): `app.listen`, `app.getHttpServer()`,
 * graceful shutdown and the tests' `supertest(app.getHttpServer())` see one server.
 */
export class FrontedExpressAdapter extends ExpressAdapter {
  private front: FrontHandler = () => false;

  /** Set once the application's controllers exist (configureApp). */
  answerFirst(front: FrontHandler): void {
    this.front = front;
  }

  override initHttpServer(options: NestApplicationOptions): void {
    // HTTPS and force-closed connections stay Express's own server (not used by this service)
    if (options?.httpsOptions || options?.forceCloseConnections) return super.initHttpServer(options);
    const express = this.getInstance<(req: IncomingMessage, res: ServerResponse) => void>();
    this.setHttpServer(createServer((req, res) => this.front(req, res) || express(req, res)));
  }
}
