import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { toDomainError } from '../errors/to-domain-error';
import { PROBLEM_CONTENT_TYPE, toProblem } from '../errors/problem';
import { pickLanguage } from './language';
import { requestIdOf } from '../context/request-context';

const logger = new Logger('ProblemFilter');

/**
 * Writes any error as RFC 9457 problem+json. Used by the global Nest filter, the
 * Express-level body parsers and the hot reads, so every path answers identically.
 */
export function sendProblem(req: Request, res: Response, err: unknown): void {
  const error = toDomainError(err);
  if (error.status >= 500) {
    const cause = error.code === 'INTERNAL_ERROR' ? err : error.cause;
    const line = `${req.method} ${(req.originalUrl ?? req.url)?.split('?')[0]} failed: ${error.code}`;
    // a refusal the application chose itself (a full bulkhead, a service it calls said no)
    // has no cause to show: one warning line, no stack, so shedding load stays cheap
    if (cause) logger.error({ err: cause, code: error.code, requestId: requestIdOf(req) }, line);
    else logger.warn({ code: error.code, requestId: requestIdOf(req) }, line);
  }
  if (res.headersSent) {
    res.end();
    return;
  }
  const lang = pickLanguage(req.headers['accept-language']);
  const body = toProblem(error, lang, {
    instance: (req.originalUrl ?? req.url)?.split('?')[0],
    requestId: requestIdOf(req),
  });
  if (error.retryAfterSeconds !== undefined) {
    res.setHeader('Retry-After', String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
  }
  res.setHeader('Content-Language', lang);
  const text = JSON.stringify(body);
  if (typeof (res as Partial<Response>).send === 'function') {
    // Express's send, which interceptors hook to see the answer (the Idempotency-Key store)
    res.status(error.status).type(PROBLEM_CONTENT_TYPE).send(text);
    return;
  }
  // Node's own response API: an answer given before Express has the request (answerParserErrorsAsProblems)
  res.statusCode = error.status;
  res.setHeader('Content-Type', PROBLEM_CONTENT_TYPE);
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(req.method === 'HEAD' ? undefined : text);
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    sendProblem(http.getRequest<Request>(), http.getResponse<Response>(), exception);
  }
}
