import { INestApplication, RequestMethod } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import express, { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { MikroORM } from '@mikro-orm/core';
import cors from 'cors';
import {
  answerParserErrorsAsProblems,
  assertAcceptableInput,
  hasBody,
  FrontedExpressAdapter,
  hotReads,
  NodeMiddleware,
  OPENAPI_PUBLIC_EXTENSION,
  OPENAPI_RATE_LIMIT_EXTENSION,
  PROBLEM_CONTENT_TYPE,
  RATE_LIMIT_RESPONSE_HEADERS,
  RateLimitHeaders,
  RETRY_AFTER_HEADER,
  CommonErrors,
  createValidationPipe,
  NormalizeInputPipe,
  ProblemDto,
  requestIdMiddleware,
  sendProblem,
} from '@app/common';
import { API_PREFIX } from './config/api-prefix';
import type { ResolvedConfig } from './config/app-config';
import { bulkheadMiddleware } from './database/bulkhead';
import { ormRequestContext } from './database/request-context';
import { accessLogMiddleware, ROOT_LOGGER } from './logger';
import { debtsHotReads, DebtsController } from './modules/billing/billing.controller';
import { JWT_ISSUER } from './modules/membership/auth/jwt.strategy';
import { MapController, propertiesHotReads, PropertiesController } from './modules/properties/properties.controller';
import { ORG_API_RATE_LIMIT } from './modules/org-api/org-api.module';

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
  const securityHeaders = helmet({
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
  });
  // what every request passes first, the hot reads too (on Node's request and response)
  const common: NodeMiddleware[] = [requestIdMiddleware, accessLogMiddleware(app.get(ROOT_LOGGER)), securityHeaders];
  // no allowed origins: no CORS headers at all, which the cors middleware would work out anew
  // on every request (it answers `origin: false` by doing nothing)
  if (config.http.corsOrigins.length) {
    common.push(
      cors({
        origin: config.http.corsOrigins,
        exposedHeaders: ['X-Request-Id', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'Location'],
        maxAge: 600,
      }),
    );
  }
  // before any database work: each class of requests holds at most its share of the pool
  common.push(bulkheadMiddleware(API_PREFIX, config.database.bulkheads));
  for (const middleware of common) app.use(middleware);
  // the hottest public reads are answered before Express (FrontedExpressAdapter, created by createApp)
  const pipes = [new NormalizeInputPipe(), createValidationPipe()];
  const adapter = app.getHttpAdapter();
  if (adapter instanceof FrontedExpressAdapter) {
    adapter.answerFirst(
      hotReads(
        API_PREFIX,
        [...debtsHotReads(app.get(DebtsController)), ...propertiesHotReads(app.get(PropertiesController), app.get(MapController))],
        pipes,
        common,
      ),
    );
  }
  app.use(ormRequestContext(app.get(MikroORM).em));
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
  app.useGlobalPipes(...pipes);
}

/** A body parser whose errors answer as problem+json; a request without a body skips it (nothing to parse). */
function guardParser(parser: express.RequestHandler) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!hasBody(req)) return next();
    parser(req, res, (err?: unknown) => (err ? sendProblem(req, res, err) : next()));
  };
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
  /** The staff token on the admin surface (`/api/v1/admin/...`), declared apart so a reviewer sees that surface. */
  admin: 'admin',
  organization: 'organization',
} as const;

/**
 * Swagger UI's tags in the order of who uses them: citizens, then banks and offices, the
 * region desks, administrators, and last the sandbox and health probes.
 */
export const TAGS: ReadonlyArray<{ name: string; description: string }> = [
  { name: 'auth', description: 'Citizens: sign in with a one-time SMS code, register, refresh, sign out' },
  { name: 'me', description: 'Citizens: their profile' },
  { name: 'properties', description: 'Citizens: a property by its renewal code, zoning and street widening' },
  { name: 'map', description: 'Citizens: the city map, parcels and layers' },
  { name: 'calculators', description: 'Citizens: density, floor area and building fee calculators' },
  { name: 'billing', description: 'Citizens: debts and payment history of a property or guild licence' },
  { name: 'payments', description: 'Citizens: paying a bill online and its receipt' },
  { name: 'inquiries', description: 'Citizens: property inquiries (استعلام), their documents, visits and answers' },
  { name: 'tracking', description: 'Citizens: an inquiry’s state by its tracking code' },
  { name: 'certificates', description: 'Anyone: verify a signed answer; the signing keys' },
  { name: 'calendar', description: 'Anyone: working days and due dates (Jalali calendar)' },
  { name: 'regions', description: 'The municipality’s regions and their service desks' },
  { name: 'oauth', description: 'Banks and offices: OAuth 2.0 client-credentials token' },
  { name: 'org', description: 'Banks and offices: the calling organization' },
  { name: 'org-inquiries', description: 'Banks and offices: inquiries for citizens, answers, bulk certificate verification' },
  { name: 'org-webhooks', description: 'Banks and offices: webhook endpoints and deliveries' },
  { name: 'bank', description: 'Banks: bill payments made in the bank’s channels and daily statements' },
  { name: 'staff-auth', description: 'Staff: sign in (password, then the SMS code for admins, managers, finance)' },
  { name: 'desk', description: 'Region desks: the inquiry queue, review, visits, answers' },
  { name: 'admin-staff', description: 'Administrators: staff accounts' },
  { name: 'admin-citizens', description: 'Administrators: member accounts (find, deactivate, reactivate)' },
  { name: 'admin-identity-registry', description: 'Administrators: the sandbox identity registry (test people for the mobile-ownership and civil registry checks)' },
  { name: 'admin-organizations', description: 'Administrators: organizations and their API clients' },
  { name: 'admin-properties', description: 'Administrators: properties, owners, zones, certificates history, imports' },
  { name: 'admin-billing', description: 'Administrators: tariffs, demands, guild licences, payments and reconciliation' },
  { name: 'admin-calculators', description: 'Administrators: calculator tariffs' },
  { name: 'admin-calendar', description: 'Administrators: holidays and working hours' },
  { name: 'admin-notifications', description: 'Administrators: the SMS outbox' },
  { name: 'sandbox', description: 'Sandbox only: the test payment gateway and SMS outbox (absent in production)' },
  { name: 'health', description: 'Liveness and readiness probes' },
];

/** RFC 8725 practice, as the JWT strategy and the token service apply it to every bearer token. */
const JWT_PRACTICE =
  'Follows RFC8725 (JSON Web Token Best Current Practices): a JWS signed with HS256 only (the algorithm is pinned on ' +
  `verification; \`none\` and every other \`alg\` are refused), issuer \`${JWT_ISSUER}\` checked, the \`typ\` claim ` +
  '(citizen, staff, organization) checked against the operation, tokens with an `aud` refused, `exp` always set and checked.';

const minutes = (seconds: number) => `${Math.round(seconds / 60)} minutes`;

/** The OpenAPI document of the whole API (also written to config/openapi/openapi.json). */
export function buildOpenApiDocument(app: INestApplication, config: ResolvedConfig): OpenAPIObject {
  const { auth } = config;
  const staffToken = (what: string) =>
    `${what}: POST /api/v1/staff/auth/login (→ /staff/auth/verify with the SMS code for admins, managers, finance). ` +
    `Short-lived: the access token expires after ${minutes(auth.accessTokenTtlSeconds)}; renew with POST /api/v1/auth/refresh ` +
    `(rotating refresh token, ${auth.refreshTokenTtlDays} days, revoked at sign-out). ${JWT_PRACTICE}`;
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
        '**Rate limits**: operations with `x-rate-limit` send `RateLimit-Limit`, `RateLimit-Remaining` and ',
        '`RateLimit-Reset` (seconds) on their answers and `Retry-After` with a 429; every 429 carries `Retry-After`.',
        '',
        '**Authorize** (button above): citizens — `POST /api/v1/auth/otp`, read the code (sandbox: ',
        '`GET /api/v1/sandbox/sms-outbox`), `POST /api/v1/auth/otp/verify`, paste the `accessToken` under `citizen`. ',
        'Staff — `POST /api/v1/staff/auth/login` (+ `/staff/auth/verify` with the SMS code for admins, managers and ',
        'finance officers), paste the `accessToken` under `staff` (and under `admin` for the `/api/v1/admin/` operations). ',
        'Banks, offices and notaries — enter the client id ',
        'and secret under `organization` (OAuth 2.0 client credentials). In the sandbox every demo account is listed ',
        'in `DATA_DIR/demo.json`.',
      ].join('\n'),
    )
    .setVersion('1.0.0')
    .setContact('Qazvin Municipality — IT', '', 'it@qazvin.ir')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          'Citizen access token: POST /api/v1/auth/otp → /auth/otp/verify (→ /auth/register for new numbers). ' +
          `Short-lived: the access token expires after ${minutes(auth.accessTokenTtlSeconds)}; renew with POST /api/v1/auth/refresh ` +
          `(rotating refresh token, ${auth.refreshTokenTtlDays} days, revoked at sign-out). ${JWT_PRACTICE}`,
      },
      SECURITY.citizen,
    )
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: staffToken('Staff access token') }, SECURITY.staff)
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: staffToken(
          'The admin surface (every operation under /api/v1/admin/): the same staff access token, of an account with the ' +
            'role the operation names (admin, region manager, finance officer); every admin sign-in needs the SMS second factor',
        ),
      },
      SECURITY.admin,
    )
    .addOAuth2(
      {
        type: 'oauth2',
        description:
          'Banks, offices and notaries: OAuth 2.0 client credentials (client id and secret from the municipality). ' +
          `The access token is a JWT that expires after ${minutes(auth.orgTokenTtlSeconds)} (\`expires_in\`); there is no ` +
          `refresh token (RFC 6749 §4.4.3): ask for a new one with the client credentials. ${JWT_PRACTICE}`,
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
  for (const tag of TAGS) builder.addTag(tag.name, tag.description);
  const base = builder.build();
  base.servers = [
    {
      url: '/',
      description:
        'This host. Production: the municipality’s public API, for citizens’ apps, banks, offices and notaries ' +
        '(HTTPS only, at the host the municipality gives each integrator). Sandbox: the same API on `npm start` ' +
        '(http://localhost:3000) with demo data, for integration tests.',
      'x-internal': false,
    } as NonNullable<OpenAPIObject['servers']>[number],
  ];
  const document = SwaggerModule.createDocument(app, base, {
    extraModels: [ProblemDto],
    operationIdFactory: (controllerKey, methodKey) => `${controllerKey}_${methodKey}`,
  });
  return sortDocument(completeOperations(document, config));
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
type Operation = Record<string, unknown> & {
  summary?: string;
  description?: string;
  security?: Array<Record<string, string[]>>;
  responses: Record<string, { description: string; headers?: Record<string, unknown>; content?: Record<string, unknown> }>;
};

const problemResponse = (description: string) => ({
  description,
  content: { [PROBLEM_CONTENT_TYPE.split(';')[0]]: { schema: { $ref: '#/components/schemas/ProblemDto' } } },
});

/**
 * Fills what every operation must state (checked by `npm run openapi:lint` and Spectral):
 * - public routes (`@Public()`) say `security: []` explicitly;
 * - an operation documented by its summary alone repeats the summary as its description;
 * - the admin surface (`/api/v1/admin/...`) names the `admin` scheme instead of `staff`;
 * - 401 and 403 on every operation with a security requirement (the access guard answers
 *   them: no or an invalid token, a token of another kind, a missing role or scope), and
 *   500 on every operation (the problem filter's answer to a fault), all problem+json;
 * - `x-rate-limit` operations: their limiter's `RateLimit-*` headers on every 2XX and 4XX
 *   answer it sends, and a 429 with them and `Retry-After`; every 429 has `Retry-After`.
 */
function completeOperations(doc: OpenAPIObject, config: ResolvedConfig): OpenAPIObject {
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method] as Operation | undefined;
      if (!op) continue;
      if (op[OPENAPI_PUBLIC_EXTENSION]) {
        delete op[OPENAPI_PUBLIC_EXTENSION];
        op.security = [];
      }
      if (!op.description && op.summary) op.description = op.summary;
      const secured = !!op.security?.length;
      if (path.startsWith(`/${API_PREFIX}/admin/`)) {
        op.security = op.security?.map((requirement) =>
          Object.fromEntries(Object.entries(requirement).map(([name, scopes]) => [name === SECURITY.staff ? SECURITY.admin : name, scopes])),
        );
      }
      if (secured) {
        op.responses['401'] ??= problemResponse('Not authenticated: no, an expired or an invalid access token (`UNAUTHENTICATED`)');
        op.responses['403'] ??= problemResponse('Authenticated but not allowed: another kind of token, or a missing role or scope (`FORBIDDEN`)');
      }
      op.responses['500'] ??= problemResponse('Unexpected fault (`INTERNAL_ERROR`); the `requestId` identifies it in the server logs');
      documentRateLimit(op, secured, config);
    }
  }
  return doc;
}

function documentRateLimit(op: Operation, secured: boolean, config: ResolvedConfig): void {
  let limit = op[OPENAPI_RATE_LIMIT_EXTENSION] as RateLimitHeaders | undefined;
  if (limit?.per === ORG_API_RATE_LIMIT.per) {
    // the interceptor counts organization calls only: nothing to state where no organization token is accepted
    if (!op.security?.some((requirement) => SECURITY.organization in requirement)) limit = undefined;
    else limit = { ...limit, limit: config.integration.orgRateLimitPerMinute, windowSeconds: 60, dailyQuota: config.integration.orgQuotaPerDay };
  }
  if (limit) {
    op[OPENAPI_RATE_LIMIT_EXTENSION] = limit;
    op.responses['429'] ??= problemResponse('Rate limited (`RATE_LIMITED`); see the `Retry-After` header');
  } else {
    delete op[OPENAPI_RATE_LIMIT_EXTENSION];
  }
  for (const [status, response] of Object.entries(op.responses)) {
    // 401/403 of a secured operation come from the access guard, before any limiter counts the call
    const counted = limit && /^[24]/.test(status) && !(secured && (status === '401' || status === '403'));
    if (counted) response.headers = { ...response.headers, ...RATE_LIMIT_RESPONSE_HEADERS };
    if (status === '429') response.headers = { ...response.headers, 'Retry-After': RETRY_AFTER_HEADER };
  }
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
