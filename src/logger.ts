import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import pino, { DestinationStream, Logger as PinoInstance } from 'pino';
import { RequestContext } from '@app/common';
import type { ResolvedConfig } from './config/app-config';

/**
 * Structured JSON logs (pino) carrying the request id. Secrets never reach the logs:
 * authorization headers, cookies, passwords, OTP codes, tokens and national IDs are
 * redacted wherever they appear in logged objects.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.code',
  '*.otp',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.registrationToken',
  '*.clientSecret',
  '*.client_secret',
  '*.secret',
  '*.nationalId',
];

/** Token of the application's one pino logger (the Nest logger and the access log write to it). */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/**
 * The application's one pino logger. Every line written while a request is being handled
 * carries its `reqId`, read from the request context by a mixin: no logger object is made
 * per request.
 */
export function createRootLogger(config: ResolvedConfig, destination?: DestinationStream): PinoInstance {
  const options = {
    level: config.log.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    mixin: () => {
      const reqId = RequestContext.requestId();
      return reqId ? { reqId } : {};
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * nestjs-pino's `Logger` (what `app.useLogger` gets) writing to the root logger. Its own
 * per-request middlewares (pino-http's child logger, a third async-local store) are not
 * installed (`useExisting`, no routes): the access log below and the mixin do their work.
 */
export function loggerParams(root: PinoInstance): Params {
  return { pinoHttp: { logger: root }, useExisting: true, forRoutes: [] };
}

/**
 * One access-log line per finished request: method, path (never the query string, which
 * may carry mobile numbers or codes), status and duration; `info` for success, `warn` for
 * 4xx, `error` for 5xx or an aborted response. Health probes are not logged.
 */
export function accessLogMiddleware(root: PinoInstance) {
  return (req: IncomingMessage & { originalUrl?: string }, res: ServerResponse, next: () => void): void => {
    if (req.url?.startsWith('/health/') || !root.isLevelEnabled('error')) return next();
    const started = process.hrtime.bigint();
    const done = (aborted: boolean) => {
      const status = res.statusCode;
      const level = aborted || status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
      if (!root.isLevelEnabled(level)) return;
      root[level](
        {
          reqId: req.id,
          req: { method: req.method, url: (req.originalUrl ?? req.url ?? '').split('?')[0] },
          res: { statusCode: status },
          responseTime: Number(process.hrtime.bigint() - started) / 1e6,
        },
        aborted ? 'request aborted' : status >= 500 ? 'request errored' : 'request completed',
      );
    };
    res.once('close', () => done(!res.writableFinished));
    next();
  };
}
