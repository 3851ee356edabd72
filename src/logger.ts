import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
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

export function loggerOptions(config: ResolvedConfig): Params {
  return {
    pinoHttp: {
      level: config.log.level,
      genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id?: string }).id ?? 'unknown',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health/') },
      serializers: {
        req: (req: { id?: string; method?: string; url?: string }) => ({
          id: req.id,
          method: req.method,
          // never log query strings: they may carry mobile numbers or codes
          url: req.url?.split('?')[0],
        }),
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    },
  };
}
