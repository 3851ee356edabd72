import { INestApplication, RequestMethod } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import express, { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { MikroORM } from '@mikro-orm/core';
import cors from 'cors';
import proxyAddr from 'proxy-addr';
import {
  answerParserErrorsAsProblems,
  assertAcceptableInput,
  hasBody,
  installFastLane,
  withFastQueryChecks,
  LaneMiddleware,
  OPENAPI_PUBLIC_EXTENSION,
  CommonErrors,
  createValidationPipe,
  NormalizeInputPipe,
  ProblemDto,
  requestIdMiddleware,
  sendProblem,
} from '@app/common';
import type { ResolvedConfig } from './config/app-config';
import { bulkheadMiddleware } from './database/bulkhead';
import { ormRequestContext } from './database/request-context';
import { accessLogMiddleware, ROOT_LOGGER } from './logger';
import { RATE_LIMIT } from './modules/rate-limit/rate-limit.guard';

export const API_PREFIX = 'api/v1';

const BODY_TYPES = [/^application\/json\b/i, /^application\/[\w.+-]+\+json\b/i, /^application\/x-www-form-urlencoded\b/i, /^multipart\/form-data\b/i];

/**
 * Everything between the socket and the controllers, shared by `main.ts`, the tests and
 * the OpenAPI export, so they all see the same application.
 */
export function configureApp(app: NestExpressApplication, config: ResolvedConfig): void {
  app.useLogger(app.get(Logger));
  app.set('trust proxy', config.http.trustProxy);
  app.disable('x-powered-by');
  // API responses are not hashed for an ETag on every request: no conditional GETs (304),
  // every answer is sent whole (the lookups are small and change with payments)
  app.set('etag', false);
  const headers = staticHeaders(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: null,
        },
      },
    }),
  );
  const accessLog = accessLogMiddleware(app.get(ROOT_LOGGER));
  // no allowed origins: no CORS headers at all, which the cors middleware would work out anew
  // on every request (it answers `origin: false` by doing nothing)
  const corsPolicy = config.http.corsOrigins.length
    ? [
        cors({
          origin: config.http.corsOrigins,
          exposedHeaders: ['X-Request-Id', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'Location'],
          maxAge: 600,
        }) as LaneMiddleware,
      ]
    : [];
  // what every request passes first, in this order, in Express and in the fast lane alike
  const common: LaneMiddleware[] = [
    requestIdMiddleware as LaneMiddleware,
    accessLog as LaneMiddleware,
    headers as LaneMiddleware,
    ...corsPolicy,
    // before any database work: each class of requests holds at most its share of the pool
    bulkheadMiddleware(API_PREFIX, config.database.bulkheads) as LaneMiddleware,
    ormRequestContext(app.get(MikroORM).em),
  ];
  for (const middleware of common) app.use(middleware);
  app.use(rejectUnsupportedBodies);
  // Body parsers are wrapped so their errors (malformed JSON, too large) answer as
  // problem+json like every other error.
  app.use(guardParser(express.json({ limit: config.http.bodyLimit, type: ['application/json', 'application/*+json'] })));
  app.use(guardParser(express.urlencoded({ limit: config.http.bodyLimit, extended: false })));
  // what no pipe would accept (too deep, too many values, control characters) is refused
  // before any guard, interceptor or logger walks it (the pipe applies the same rule to params)
  app.use(refuseUnacceptableInput);
  answerParserErrorsAsProblems(app.getHttpServer() as import('node:http').Server);
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
    ],
  });
  const normalize = new NormalizeInputPipe();
  const validation = createValidationPipe();
  app.useGlobalPipes(normalize, validation);

  const trust = (app.getHttpAdapter().getInstance() as express.Application).get('trust proxy fn') as (addr: string, i: number) => boolean;
  installFastLane(app, {
    prefix: API_PREFIX,
    enabled: config.http.fastLane,
    // the lane's public lookups take simple query DTOs: a query the compiled checks vouch for
    // skips class-transformer and class-validator; any other goes through the same pipe
    pipes: [normalize, withFastQueryChecks(validation)],
    refuseMetadata: [RATE_LIMIT],
    middlewares: [
      // what Express adds to a request and those middlewares read
      (req, _res, next) => {
        Object.assign(req, { originalUrl: req.url, ip: proxyAddr(req, trust) });
        next();
      },
      ...common,
    ],
  });
}

/**
 * The headers a middleware sets when they depend on nothing in the request (helmet's, as
 * configured here), worked out once at start-up and then set on every response: the same
 * headers without helmet's dozen nested middlewares per request.
 */
export function staticHeaders(middleware: (req: Request, res: Response, next: (err?: unknown) => void) => void): express.RequestHandler {
  const headers: Array<[string, string | number | readonly string[]]> = [];
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => void headers.push([name, value]),
    removeHeader: () => undefined,
    getHeader: () => undefined,
  };
  let called = false;
  middleware({ headers: {}, method: 'GET', url: '/' } as Request, recorder as unknown as Response, (err) => {
    if (err) throw err;
    called = true;
  });
  if (!called) throw new Error('staticHeaders: the middleware did not finish synchronously');
  return (_req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}

function guardParser(parser: express.RequestHandler) {
  return (req: Request, res: Response, next: NextFunction) =>
    parser(req, res, (err?: unknown) => (err ? sendProblem(req, res, err) : next()));
}

function refuseUnacceptableInput(req: Request, res: Response, next: NextFunction): void {
  try {
    if (req.body !== undefined) assertAcceptableInput(req.body, 'text');
    assertAcceptableInput(req.query, 'identifier');
  } catch (err) {
    return sendProblem(req, res, err);
  }
  next();
}

/** 415 for a body in a content type no endpoint reads. */
function rejectUnsupportedBodies(req: Request, res: Response, next: NextFunction): void {
  if (!hasBody(req) || req.method === 'GET' || req.method === 'HEAD') return next();
  const type = req.headers['content-type'] ?? '';
  if (BODY_TYPES.some((re) => re.test(type))) return next();
  sendProblem(req, res, CommonErrors.UNSUPPORTED_MEDIA_TYPE());
}

export const SECURITY = {
  citizen: 'citizen',
  staff: 'staff',
  organization: 'organization',
} as const;

/** The OpenAPI document of the whole API (also written to config/openapi/openapi.json). */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Qazvin citizen e-services API (سامانه شهروندسپاری شهرداری قزوین)')
    .setDescription(
      [
        'Backend of Qazvin municipality’s citizen e-services: membership, property lookup and map, ',
        'fees and payments, property inquiries (استعلام) for banks, offices and notaries, region ',
        'service desks and signed answers.',
        '',
        '**Errors** are RFC 9457 `application/problem+json` with a stable `code`, a `detail` in Persian ',
        '(default) or English (`Accept-Language: en`), `errors[]` for invalid fields and the `requestId` ',
        '(also in the `X-Request-Id` header; send your own to correlate).',
        '',
        '**Input**: Persian (۰-۹) and Arabic (٠-٩) digits are accepted everywhere and normalized, as are ',
        'Arabic ي/ك. Money is integer Rials. Dates are ISO 8601 UTC, with Jalali strings where people read them.',
        '',
        '**Authorize** (button above): citizens — `POST /api/v1/auth/otp`, read the code (sandbox: ',
        '`GET /api/v1/sandbox/sms-outbox`), `POST /api/v1/auth/otp/verify`, paste the `accessToken` under `citizen`. ',
        'Staff — `POST /api/v1/staff/auth/login` (+ `/staff/auth/verify` with the SMS code for admins, managers and ',
        'finance officers), paste the `accessToken` under `staff`. Banks, offices and notaries — enter the client id ',
        'and secret under `organization` (OAuth 2.0 client credentials). In the sandbox every demo account is listed ',
        'in `DATA_DIR/demo.json`.',
      ].join('\n'),
    )
    .setVersion('1.0.0')
    .addServer('/', 'This server (the sandbox: `npm start`, http://localhost:3000)')
    .setContact('Qazvin Municipality — IT', '', 'it@qazvin.ir')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'Citizen access token: POST /api/v1/auth/otp → /auth/otp/verify (→ /auth/register for new numbers)',
      },
      SECURITY.citizen,
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'Staff access token: POST /api/v1/staff/auth/login (→ /staff/auth/verify with the SMS code for admins, managers, finance)',
      },
      SECURITY.staff,
    )
    .addOAuth2(
      {
        type: 'oauth2',
        description: 'Banks, offices and notaries: OAuth 2.0 client credentials (client id and secret from the municipality)',
        flows: {
          clientCredentials: {
            tokenUrl: '/api/v1/oauth/token',
            scopes: {
              'inquiries:read': 'Read inquiries addressed to the organization and their answers',
              'inquiries:write': 'Create inquiries for citizens',
              'certificates:verify': 'Verify answer certificates in bulk',
              'bills:report': 'Report bill payments made in the bank’s channels',
              'webhooks:manage': 'Register and manage webhook endpoints',
            },
          },
        },
      },
      SECURITY.organization,
    );
  const document = SwaggerModule.createDocument(app, builder.build(), {
    extraModels: [ProblemDto],
    operationIdFactory: (controllerKey, methodKey) => `${controllerKey}_${methodKey}`,
  });
  return sortDocument(completeOperations(document));
}

/**
 * Fills what every operation must state (checked by `npm run openapi:lint`): public routes
 * (`@Public()`) say `security: []` explicitly, and an operation documented by its summary
 * alone repeats the summary as its description.
 */
function completeOperations(doc: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(doc.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const) {
      const op = item[method] as (Record<string, unknown> & { summary?: string; description?: string }) | undefined;
      if (!op) continue;
      if (op[OPENAPI_PUBLIC_EXTENSION]) {
        delete op[OPENAPI_PUBLIC_EXTENSION];
        op.security = [];
      }
      if (!op.description && op.summary) op.description = op.summary;
    }
  }
  return doc;
}

/** Stable key order so the committed document diffs cleanly. */
function sortDocument(doc: OpenAPIObject): OpenAPIObject {
  const paths = Object.fromEntries(Object.entries(doc.paths).sort(([a], [b]) => a.localeCompare(b)));
  const schemas = doc.components?.schemas
    ? Object.fromEntries(Object.entries(doc.components.schemas).sort(([a], [b]) => a.localeCompare(b)))
    : undefined;
  return { ...doc, paths, components: { ...doc.components, ...(schemas ? { schemas } : {}) } };
}

export function mountSwagger(app: INestApplication, document: OpenAPIObject): void {
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    customSiteTitle: 'Qazvin citizen e-services API',
    swaggerOptions: { persistAuthorization: true, displayRequestDuration: true, docExpansion: 'none', tryItOutEnabled: true },
  });
}
