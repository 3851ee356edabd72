import { resolve } from 'node:path';
import { z } from 'zod';
import { parseWeekTemplate } from '@app/iran';

/**
 * The one typed configuration of the application, parsed and validated from the
 * environment once at start-up. Every variable is documented in config/.env.example.
 */
const bool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
    .optional()
    .transform((v) => (v === undefined ? def : ['true', '1', 'yes'].includes(v)));

const intOr = <D extends number | undefined>(def: D, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx): number | D => {
      if (v === undefined || v === '') return def;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `must be an integer between ${min} and ${max} (got "${v}")` });
        return z.NEVER;
      }
      return n;
    });

const int = (def: number, min: number, max: number) => intOr(def, min, max);
/** An integer setting whose default depends on others: undefined when unset. */
const optionalInt = (min: number, max: number) => intOr(undefined, min, max);

/** `LONGxSHORT` in pixels, e.g. `900x650`, as `{ long, short }`. */
const pixelSize = (def: string) =>
  z
    .string()
    .default(def)
    .transform((v, ctx) => {
      const m = /^(\d{2,4})x(\d{2,4})$/.exec(v.trim());
      if (!m || Number(m[1]) < Number(m[2])) {
        ctx.addIssue({ code: 'custom', message: `must be LONGxSHORT in pixels with LONG >= SHORT, e.g. 900x650 (got "${v}")` });
        return z.NEVER;
      }
      return { long: Number(m[1]), short: Number(m[2]) };
    });

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const hhmm = (def: string) =>
  z
    .string()
    .optional()
    .transform((v) => v ?? def)
    .refine((v) => /^([01]\d|2[0-3]):[0-5]\d$/.test(v), { message: 'must be a time HH:mm' });

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: int(3000, 0, 65535),
    HOST: z.string().default('0.0.0.0'),
    PUBLIC_URL: optionalString.refine((v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v), {
      message: 'must be an http(s) URL',
    }),
    DATA_DIR: z.string().default('./.data'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    TRUST_PROXY: int(0, 0, 10),
    WEB_CONCURRENCY: int(1, 1, 64),
    SHUTDOWN_DELAY_MS: optionalInt(0, 60000),
    SHUTDOWN_GRACE_MS: int(10000, 1000, 120000),
    CORS_ORIGINS: optionalString,
    BODY_LIMIT: z
      .string()
      .default('1mb')
      .refine((v) => /^\d+(b|kb|mb)$/i.test(v), { message: 'must look like 512kb or 1mb' }),

    DATABASE_URL: optionalString.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
      message: 'must be a postgres:// URL',
    }),
    DB_POOL_MAX: int(20, 1, 200),
    DB_QUERY_TIMEOUT_MS: int(15000, 100, 600000),
    DB_STATEMENT_TIMEOUT_MS: int(10000, 0, 3_600_000),
    DB_LOCK_TIMEOUT_MS: int(3000, 0, 3_600_000),
    DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: int(20000, 0, 3_600_000),
    DB_ACQUIRE_TIMEOUT_MS: int(3000, 100, 600000),
    DB_LONG_STATEMENT_TIMEOUT_MS: int(600_000, 1000, 86_400_000),
    DB_BULKHEAD_PUBLIC: optionalInt(0, 200),
    DB_BULKHEAD_CITIZEN: optionalInt(0, 200),
    DB_BULKHEAD_ORGANIZATION: optionalInt(0, 200),
    DB_BULKHEAD_STAFF: optionalInt(0, 200),
    DB_BULKHEAD_QUEUE: int(500, 0, 100000),
    DB_BULKHEAD_WAIT_MS: int(3000, 0, 600000),
    DB_MIGRATE_ON_START: bool(true),
    DB_DEBUG: bool(false),
    EMBEDDED_DB_PORT: int(0, 0, 65535),

    S3_ENDPOINT: optionalString,
    S3_PORT: int(0, 0, 65535),
    S3_USE_SSL: bool(false),
    S3_ACCESS_KEY: optionalString,
    S3_SECRET_KEY: optionalString,
    S3_BUCKET: z
      .string()
      .default('qazvin-documents')
      .refine((v) => /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(v), { message: 'must be a valid bucket name' }),
    S3_REGION: z.string().default('us-east-1'),
    EMBEDDED_S3_PORT: int(0, 0, 65535),

    JWT_SECRET: optionalString,
    ACCESS_TOKEN_TTL_SECONDS: int(900, 60, 86400),
    REFRESH_TOKEN_TTL_DAYS: int(30, 1, 365),
    REGISTRATION_TOKEN_TTL_SECONDS: int(900, 60, 86400),
    OTP_HMAC_KEY: optionalString,
    OTP_TTL_SECONDS: int(120, 30, 3600),
    OTP_MAX_ATTEMPTS: int(5, 1, 20),
    OTP_RESEND_COOLDOWN_SECONDS: int(60, 0, 3600),
    OTP_MAX_PER_MOBILE_PER_HOUR: int(5, 1, 1000),
    OTP_MAX_PER_IP_PER_HOUR: int(20, 1, 100000),
    OTP_VERIFY_MAX_PER_IP_PER_HOUR: int(120, 1, 100000),
    STAFF_2FA_ROLES: z.string().default('admin,region_manager,finance_officer'),
    STAFF_LOGIN_FREE_FAILURES_PER_IP: int(5, 1, 100),
    STAFF_LOGIN_FREE_FAILURES_PER_USERNAME: int(50, 1, 10000),
    STAFF_LOGIN_MAX_DELAY_SECONDS: int(900, 1, 86400),
    STAFF_LOGIN_FAILURE_MEMORY_HOURS: int(24, 1, 720),
    STAFF_OTP_MAX_PER_HOUR: int(20, 1, 1000),
    AUTH_REVOCATION_CACHE_MS: int(5000, 0, 60000),
    ORG_TOKEN_TTL_SECONDS: int(1800, 60, 86400),
    CLIENT_SECRET_OVERLAP_HOURS: int(24, 0, 720),

    SANDBOX_MODE: z.enum(['true', 'false', '1', '0', 'yes', 'no']).optional(),
    SMS_PROVIDER: z.enum(['sandbox', 'kavenegar', 'smsir']).default('sandbox'),
    SMS_TEMPLATES_FILE: optionalString,
    SMS_HTTP_TIMEOUT_MS: int(5000, 100, 60000),
    KAVENEGAR_API_KEY: optionalString,
    KAVENEGAR_BASE_URL: z.string().url().default('https://api.kavenegar.com'),
    KAVENEGAR_SENDER: optionalString,
    KAVENEGAR_OTP_TEMPLATE: z.string().default('qazvin-otp'),
    SMSIR_API_KEY: optionalString,
    SMSIR_BASE_URL: z.string().url().default('https://api.sms.ir'),
    SMSIR_LINE_NUMBER: optionalString,
    SMSIR_OTP_TEMPLATE_ID: int(100000, 1, 2_000_000_000),

    IDENTITY_PROVIDER: z.enum(['sandbox', 'http']).default('sandbox'),
    IDENTITY_SANDBOX_UNAVAILABLE: bool(false),
    IDENTITY_HTTP_BASE_URL: optionalString,
    IDENTITY_HTTP_BUSINESS_ID: optionalString,
    IDENTITY_HTTP_TOKEN: optionalString,
    IDENTITY_HTTP_TIMEOUT_MS: int(5000, 100, 60000),
    IDENTITY_HTTP_RETRIES: int(2, 0, 5),
    IDENTITY_CACHE_TTL_SECONDS: int(3600, 0, 30 * 86400),
    IDENTITY_RETRY_AFTER_SECONDS: int(60, 1, 86400),

    PAYMENT_GATEWAYS: z.string().default('sandbox'),
    PAYMENT_DEFAULT_GATEWAY: optionalString,
    PAYMENT_GATEWAY_TIMEOUT_MS: int(10000, 500, 120000),
    SEP_TERMINAL_ID: optionalString,
    SEP_BASE_URL: z.string().url().default('https://sep.shaparak.ir'),
    ZARINPAL_MERCHANT_ID: optionalString,
    ZARINPAL_BASE_URL: z.string().url().default('https://payment.zarinpal.com'),
    ZARINPAL_START_URL: optionalString.refine((v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v), {
      message: 'must be an http(s) URL',
    }),
    PAYMENT_RETURN_URL_ORIGINS: optionalString.refine(
      (v) => v === undefined || v.split(',').every((o) => o.trim() === '' || /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/.test(o.trim())),
      { message: 'must be comma-separated origins such as https://shahr.qazvin.ir (scheme, host and optional port; no path)' },
    ),
    PAYMENT_RECONCILE_AFTER_SECONDS: int(1200, 0, 86400),
    PAYMENT_MAX_PER_IP_PER_HOUR: int(60, 1, 100000),

    JOBS_WORKER_ENABLED: bool(true),
    JOBS_POLL_INTERVAL_MS: int(1000, 50, 60000),
    JOBS_CONCURRENCY: int(4, 1, 64),

    CALENDAR_WEEK: z.string().default('sat-wed=07:30-14:30;thu=closed;fri=closed'),
    CALENDAR_HALF_DAY_CLOSES_AT: hhmm('12:00'),
    SLA_REVIEW_WORKING_DAYS: int(1, 1, 30),

    BILLING_COMPANY_CODE: z
      .string()
      .default('101')
      .refine((v) => /^\d{1,3}$/.test(v), { message: 'must be 1 to 3 digits (the municipality\'s company code in bill IDs)' }),
    BILLING_BILL_VALIDITY_DAYS: int(7, 1, 90),
    BILLING_ASSESS_BATCH_SIZE: int(5000, 100, 100_000),

    DOCUMENT_UPLOAD_MAX_BYTES: int(5 * 1024 * 1024, 1024, 50 * 1024 * 1024),
    DOCUMENT_STORED_MAX_BYTES: int(300 * 1024, 50 * 1024, 5 * 1024 * 1024),
    DOCUMENT_MAX_SIDE_PX: int(2000, 400, 8000),
    /** Smallest legible scan per kind of page, as long side × short side in pixels (a phone photo is 3000+ px). */
    DOCUMENT_MIN_PAGE_PX: pixelSize('900x650'),
    DOCUMENT_MIN_CARD_PX: pixelSize('480x300'),
    DOCUMENT_MIN_PHOTO_PX: pixelSize('640x480'),
    /** Grey-level standard deviation (0–255) below which a scan is blank or washed out. */
    DOCUMENT_MIN_CONTRAST: int(3, 0, 60),
    DOCUMENT_URL_TTL_SECONDS: int(300, 30, 3600),
    CLAMAV_HOST: optionalString,
    CLAMAV_PORT: int(3310, 1, 65535),
    CLAMAV_TIMEOUT_MS: int(10000, 100, 120000),

    INQUIRY_MAX_WRONG_ATTEMPTS_PER_DAY: int(5, 1, 100),
    INQUIRY_VISIT_SLOT_MINUTES: int(60, 15, 480),
    INQUIRY_VISIT_CAPACITY: int(2, 1, 10000),
    INQUIRY_VISIT_DAYS: int(10, 1, 60),
    TRACKING_RATE_LIMIT_PER_MINUTE: int(30, 1, 100000),

    DESK_SLA_SCAN_SECONDS: int(300, 10, 86400),
    CERT_SIGNING_KEY: optionalString.refine((v) => v === undefined || v.includes('BEGIN PRIVATE KEY'), {
      message: 'must be an Ed25519 private key in PKCS#8 PEM (-----BEGIN PRIVATE KEY-----)',
    }),
    CERT_PREVIOUS_PUBLIC_KEYS: optionalString.refine((v) => v === undefined || v.includes('BEGIN PUBLIC KEY'), {
      message: 'must hold one or more Ed25519 public keys as SPKI PEM (-----BEGIN PUBLIC KEY-----)',
    }),
    CERT_VALIDITY_DAYS: int(90, 1, 3650),
    CERT_VERIFY_RATE_LIMIT_PER_MINUTE: int(30, 1, 100000),
    CHROMIUM_PATH: z.string().default('/usr/bin/chromium'),
    PDF_RENDER_TIMEOUT_MS: int(30000, 1000, 300000),

    WEBHOOKS_ALLOW_LOOPBACK: optionalString.refine((v) => v === undefined || /^(true|false|1|0|yes|no)$/i.test(v), { message: 'must be true or false' }),
    WEBHOOK_TIMEOUT_MS: int(10000, 500, 60000),
    WEBHOOK_RETRY_HOURS: int(24, 1, 72),
    WEBHOOK_MAX_ENDPOINTS: int(10, 1, 100),
    ORG_RATE_LIMIT_PER_MINUTE: int(600, 1, 1_000_000),
    ORG_QUOTA_PER_DAY: int(100_000, 1, 100_000_000),
    ORG_SMS_REQUESTS_PER_DAY: int(1000, 1, 1_000_000),

    DEMO_SEED: bool(true),
    DEMO_CITY_PARCELS: int(3000, 200, 10_000_000),
  })
  .superRefine((env, ctx) => {
    if (env.DATABASE_URL && env.NODE_ENV === 'production' && !env.CERT_SIGNING_KEY) {
      ctx.addIssue({ code: 'custom', path: ['CERT_SIGNING_KEY'], message: 'is required in production with a real database (Ed25519 PKCS#8 PEM)' });
    }
    if (env.S3_ENDPOINT && (!env.S3_ACCESS_KEY || !env.S3_SECRET_KEY)) {
      for (const path of ['S3_ACCESS_KEY', 'S3_SECRET_KEY'] as const) {
        if (!env[path]) ctx.addIssue({ code: 'custom', path: [path], message: 'is required when S3_ENDPOINT is set' });
      }
    }
    if (env.DATABASE_URL && env.NODE_ENV === 'production' && (!env.JWT_SECRET || env.JWT_SECRET.length < 32)) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET'],
        message: 'is required in production with at least 32 characters',
      });
    }
    try {
      parseWeekTemplate(env.CALENDAR_WEEK);
    } catch (err) {
      ctx.addIssue({ code: 'custom', path: ['CALENDAR_WEEK'], message: (err as Error).message });
    }
    const sandbox = env.SANDBOX_MODE === undefined ? !env.DATABASE_URL : ['true', '1', 'yes'].includes(env.SANDBOX_MODE);
    if (env.NODE_ENV === 'production' && sandbox) {
      ctx.addIssue({ code: 'custom', path: ['SANDBOX_MODE'], message: 'must be false in production' });
    }
    if (env.NODE_ENV === 'production' && env.WEBHOOKS_ALLOW_LOOPBACK && /^(true|1|yes)$/i.test(env.WEBHOOKS_ALLOW_LOOPBACK)) {
      ctx.addIssue({ code: 'custom', path: ['WEBHOOKS_ALLOW_LOOPBACK'], message: 'must be false in production' });
    }
    if (env.IDENTITY_PROVIDER === 'http') {
      for (const path of ['IDENTITY_HTTP_BASE_URL', 'IDENTITY_HTTP_BUSINESS_ID', 'IDENTITY_HTTP_TOKEN'] as const) {
        if (!env[path]) ctx.addIssue({ code: 'custom', path: [path], message: 'is required when IDENTITY_PROVIDER=http' });
      }
    }
    if (env.NODE_ENV === 'production' && env.SMS_PROVIDER === 'sandbox') {
      ctx.addIssue({ code: 'custom', path: ['SMS_PROVIDER'], message: 'must be a real provider (kavenegar or smsir) in production' });
    }
    if (env.SMS_PROVIDER === 'kavenegar' && !env.KAVENEGAR_API_KEY) {
      ctx.addIssue({ code: 'custom', path: ['KAVENEGAR_API_KEY'], message: 'is required when SMS_PROVIDER=kavenegar' });
    }
    if (env.SMS_PROVIDER === 'smsir' && (!env.SMSIR_API_KEY || !env.SMSIR_LINE_NUMBER)) {
      for (const path of ['SMSIR_API_KEY', 'SMSIR_LINE_NUMBER'] as const) {
        if (!env[path]) ctx.addIssue({ code: 'custom', path: [path], message: 'is required when SMS_PROVIDER=smsir' });
      }
    }
    checkPaymentGateways(env, ctx);
    if (env.WEB_CONCURRENCY > 1 && !env.DATABASE_URL) {
      ctx.addIssue({ code: 'custom', path: ['WEB_CONCURRENCY'], message: 'needs DATABASE_URL (the embedded database lives in one process)' });
    }
    if (env.WEB_CONCURRENCY > 1 && !env.S3_ENDPOINT) {
      ctx.addIssue({ code: 'custom', path: ['WEB_CONCURRENCY'], message: 'needs S3_ENDPOINT (the embedded object storage lives in one process)' });
    }
    if (env.NODE_ENV === 'production' && !env.STAFF_2FA_ROLES.split(',').map((r) => r.trim()).includes('admin')) {
      ctx.addIssue({ code: 'custom', path: ['STAFF_2FA_ROLES'], message: 'must include admin in production' });
    }
    if (env.WEB_CONCURRENCY > 1 && !env.JWT_SECRET) {
      // every worker must sign and check tokens (and OTP hashes) with the same key
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'is required when WEB_CONCURRENCY > 1' });
    }
    checkDatabaseLimits(env, ctx);
    if (env.OTP_HMAC_KEY !== undefined && env.OTP_HMAC_KEY.length < 32) {
      ctx.addIssue({ code: 'custom', path: ['OTP_HMAC_KEY'], message: 'must have at least 32 characters' });
    }
    for (const role of env.STAFF_2FA_ROLES.split(',').map((r) => r.trim()).filter(Boolean)) {
      if (!STAFF_ROLES.includes(role)) {
        ctx.addIssue({ code: 'custom', path: ['STAFF_2FA_ROLES'], message: `has an unknown role "${role}" (known: ${STAFF_ROLES.join(', ')})` });
      }
    }
    if (env.JWT_SECRET !== undefined && env.JWT_SECRET.length < 32) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'must have at least 32 characters' });
    }
  });

export type Env = z.input<typeof envSchema>;

/** Internet payment gateways the payments module has adapters for. */
export const PAYMENT_GATEWAY_NAMES = ['sandbox', 'sep', 'zarinpal'] as const;
export type PaymentGatewayName = (typeof PAYMENT_GATEWAY_NAMES)[number];

function paymentGatewayList(value: string): string[] {
  return [...new Set(value.split(',').map((g) => g.trim().toLowerCase()).filter(Boolean))];
}

/** PAYMENT_GATEWAYS names known adapters, each enabled one has its credentials, no sandbox in production. */
function checkPaymentGateways(
  env: { NODE_ENV: string; PAYMENT_GATEWAYS: string; PAYMENT_DEFAULT_GATEWAY?: string; SEP_TERMINAL_ID?: string; ZARINPAL_MERCHANT_ID?: string },
  ctx: z.RefinementCtx,
): void {
  const enabled = paymentGatewayList(env.PAYMENT_GATEWAYS);
  if (enabled.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['PAYMENT_GATEWAYS'], message: `must name at least one gateway (${PAYMENT_GATEWAY_NAMES.join(', ')})` });
  }
  for (const name of enabled) {
    if (!(PAYMENT_GATEWAY_NAMES as readonly string[]).includes(name)) {
      ctx.addIssue({ code: 'custom', path: ['PAYMENT_GATEWAYS'], message: `has an unknown gateway "${name}" (known: ${PAYMENT_GATEWAY_NAMES.join(', ')})` });
    }
  }
  if (env.PAYMENT_DEFAULT_GATEWAY !== undefined && !enabled.includes(env.PAYMENT_DEFAULT_GATEWAY.toLowerCase())) {
    ctx.addIssue({ code: 'custom', path: ['PAYMENT_DEFAULT_GATEWAY'], message: `must be one of PAYMENT_GATEWAYS (${enabled.join(', ') || 'none'})` });
  }
  if (env.NODE_ENV === 'production' && enabled.includes('sandbox')) {
    ctx.addIssue({ code: 'custom', path: ['PAYMENT_GATEWAYS'], message: 'must not include sandbox in production (use sep and/or zarinpal)' });
  }
  if (enabled.includes('sep') && !env.SEP_TERMINAL_ID) {
    ctx.addIssue({ code: 'custom', path: ['SEP_TERMINAL_ID'], message: 'is required when PAYMENT_GATEWAYS includes sep' });
  }
  if (env.SEP_TERMINAL_ID !== undefined && !/^\d{1,15}$/.test(env.SEP_TERMINAL_ID)) {
    ctx.addIssue({ code: 'custom', path: ['SEP_TERMINAL_ID'], message: 'must be the numeric terminal id Saman issued' });
  }
  if (enabled.includes('zarinpal') && !env.ZARINPAL_MERCHANT_ID) {
    ctx.addIssue({ code: 'custom', path: ['ZARINPAL_MERCHANT_ID'], message: 'is required when PAYMENT_GATEWAYS includes zarinpal' });
  }
  if (env.ZARINPAL_MERCHANT_ID !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(env.ZARINPAL_MERCHANT_ID)) {
    ctx.addIssue({ code: 'custom', path: ['ZARINPAL_MERCHANT_ID'], message: 'must be the 36-character merchant id (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)' });
  }
}

/**
 * The client-side query timeout is the backstop behind the server's statement_timeout, so it
 * must be the longer one; the pool must hold every request class's limit and the job worker's.
 */
function checkDatabaseLimits(
  env: {
    DATABASE_URL?: string; DB_QUERY_TIMEOUT_MS: number; DB_STATEMENT_TIMEOUT_MS: number; DB_POOL_MAX: number;
    JOBS_WORKER_ENABLED: boolean; JOBS_CONCURRENCY: number;
    DB_BULKHEAD_PUBLIC?: number; DB_BULKHEAD_CITIZEN?: number; DB_BULKHEAD_ORGANIZATION?: number; DB_BULKHEAD_STAFF?: number;
  },
  ctx: z.RefinementCtx,
): void {
  if (env.DATABASE_URL && env.DB_STATEMENT_TIMEOUT_MS > 0 && env.DB_QUERY_TIMEOUT_MS <= env.DB_STATEMENT_TIMEOUT_MS) {
    ctx.addIssue({
      code: 'custom',
      path: ['DB_QUERY_TIMEOUT_MS'],
      message: `must be longer than DB_STATEMENT_TIMEOUT_MS (${env.DB_STATEMENT_TIMEOUT_MS}): it is the client-side backstop behind the server's limit`,
    });
  }
  // derived limits fit by construction only while the pool leaves each class its 1 slot
  // (DB_POOL_MAX 20 with JOBS_CONCURRENCY 32 would otherwise start with more than the pool in use)
  const classes = Object.values(bulkheadLimits(env)).reduce((a, b) => a + b, 0);
  const needed = classes + (env.JOBS_WORKER_ENABLED ? env.JOBS_CONCURRENCY : 0) + 1;
  if (needed > env.DB_POOL_MAX) {
    ctx.addIssue({
      code: 'custom',
      path: ['DB_POOL_MAX'],
      message:
        `must hold the request classes' limits (DB_BULKHEAD_*, set or derived = ${classes}), the job worker's ` +
        `(JOBS_CONCURRENCY = ${env.JOBS_WORKER_ENABLED ? env.JOBS_CONCURRENCY : 0}) and 1 spare: at least ${needed}`,
    });
  }
}

/** Each class's share of the connections left for requests when its DB_BULKHEAD_* is not set. */
const BULKHEAD_SHARES = { public: 1 / 2, citizen: 1 / 5, organization: 2 / 15, staff: 2 / 15 } as const;

/**
 * Concurrent requests per class: DB_BULKHEAD_* where set, otherwise the class's share of the
 * connections the job worker and one spare leave in DB_POOL_MAX, at least 1 — with the
 * defaults (20 connections, 4 jobs): 15 for requests, public 7, citizen 3, organization 2, staff 2.
 */
function bulkheadLimits(env: {
  DB_POOL_MAX: number; JOBS_WORKER_ENABLED: boolean; JOBS_CONCURRENCY: number;
  DB_BULKHEAD_PUBLIC?: number; DB_BULKHEAD_CITIZEN?: number; DB_BULKHEAD_ORGANIZATION?: number; DB_BULKHEAD_STAFF?: number;
}): Record<keyof typeof BULKHEAD_SHARES, number> {
  const forRequests = env.DB_POOL_MAX - (env.JOBS_WORKER_ENABLED ? env.JOBS_CONCURRENCY : 0) - 1;
  const share = (name: keyof typeof BULKHEAD_SHARES) => Math.max(1, Math.floor(forRequests * BULKHEAD_SHARES[name] + 1e-9));
  return {
    public: env.DB_BULKHEAD_PUBLIC ?? share('public'),
    citizen: env.DB_BULKHEAD_CITIZEN ?? share('citizen'),
    organization: env.DB_BULKHEAD_ORGANIZATION ?? share('organization'),
    staff: env.DB_BULKHEAD_STAFF ?? share('staff'),
  };
}

/** Staff roles (kept here so config validation needs no entity import). */
export const STAFF_ROLES = ['admin', 'region_manager', 'region_clerk', 'finance_officer', 'inspector'];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee config/.env.example.`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws ConfigError naming each bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env) {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'} ${issue.message}`),
    );
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  return {
    env: e.NODE_ENV,
    http: {
      port: e.PORT,
      host: e.HOST,
      publicUrl: e.PUBLIC_URL,
      corsOrigins: e.CORS_ORIGINS ? e.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean) : [],
      bodyLimit: e.BODY_LIMIT,
      trustProxy: e.TRUST_PROXY,
      /** HTTP worker processes (real database only; the embedded engine lives in one process). */
      workers: e.WEB_CONCURRENCY,
    },
    shutdown: {
      /**
       * After SIGTERM/SIGINT: how long readiness answers 503 while new requests are still
       * served, so a load balancer stops sending before the port closes. Default 3000 in
       * production, else 0 (Ctrl-C in the sandbox stops at once).
       */
      delayMs: e.SHUTDOWN_DELAY_MS ?? (e.NODE_ENV === 'production' ? 3000 : 0),
      /** Then at most this long for in-flight requests and jobs to finish; what is left is cut off. */
      graceMs: e.SHUTDOWN_GRACE_MS,
    },
    log: { level: e.LOG_LEVEL },
    dataDir,
    database: {
      /** Set for real PostgreSQL; absent means the embedded engine provides one. */
      url: e.DATABASE_URL,
      embedded: !e.DATABASE_URL,
      embeddedPort: e.EMBEDDED_DB_PORT,
      poolMax: e.DB_POOL_MAX,
      /** Client-side backstop: a statement without an answer this long has its connection destroyed. */
      queryTimeoutMs: e.DB_QUERY_TIMEOUT_MS,
      /**
       * Limits PostgreSQL enforces on the pool's sessions (0 = none): it cancels the
       * statement and rolls its transaction back. Real PostgreSQL only: the embedded engine
       * (one PGlite session) has no timers to enforce them.
       */
      session: e.DATABASE_URL
        ? {
            statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS,
            lockTimeoutMs: e.DB_LOCK_TIMEOUT_MS,
            idleInTransactionTimeoutMs: e.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
          }
        : undefined,
      /** Statement timeout of the legitimately long operations (imports, a year's assessment; long-statements.ts). */
      longStatementTimeoutMs: e.DB_LONG_STATEMENT_TIMEOUT_MS,
      /** Longest wait for a pooled connection before DATABASE_BUSY (503). */
      acquireTimeoutMs: e.DB_ACQUIRE_TIMEOUT_MS,
      /** Concurrent requests per class (0 = no limit), their bounded queue and its wait (src/database/bulkhead.ts). */
      bulkheads: {
        limits: bulkheadLimits(e),
        queue: e.DB_BULKHEAD_QUEUE,
        waitMs: e.DB_BULKHEAD_WAIT_MS,
      },
      migrateOnStart: e.DB_MIGRATE_ON_START,
      debug: e.DB_DEBUG,
    },
    storage: {
      embedded: !e.S3_ENDPOINT,
      endPoint: e.S3_ENDPOINT,
      port: e.S3_PORT || undefined,
      useSSL: e.S3_USE_SSL,
      accessKey: e.S3_ACCESS_KEY,
      secretKey: e.S3_SECRET_KEY,
      bucket: e.S3_BUCKET,
      region: e.S3_REGION,
      embeddedPort: e.EMBEDDED_S3_PORT,
    },
    /** Sandbox conveniences (public SMS outbox, demo data); never in production. */
    sandbox: e.SANDBOX_MODE === undefined ? !e.DATABASE_URL : ['true', '1', 'yes'].includes(e.SANDBOX_MODE),
    auth: {
      jwtSecret: e.JWT_SECRET,
      accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlDays: e.REFRESH_TOKEN_TTL_DAYS,
      registrationTokenTtlSeconds: e.REGISTRATION_TOKEN_TTL_SECONDS,
      otpHmacKey: e.OTP_HMAC_KEY,
      otp: {
        ttlSeconds: e.OTP_TTL_SECONDS,
        maxAttempts: e.OTP_MAX_ATTEMPTS,
        resendCooldownSeconds: e.OTP_RESEND_COOLDOWN_SECONDS,
        maxPerMobilePerHour: e.OTP_MAX_PER_MOBILE_PER_HOUR,
        maxPerIpPerHour: e.OTP_MAX_PER_IP_PER_HOUR,
        verifyMaxPerIpPerHour: e.OTP_VERIFY_MAX_PER_IP_PER_HOUR,
      },
      staff2faRoles: e.STAFF_2FA_ROLES.split(',').map((r) => r.trim()).filter(Boolean),
      /** Staff sign-in throttling (NIST SP 800-63B §5.2.2): growing delays, never a lock. */
      staffLogin: {
        freeFailuresPerIp: e.STAFF_LOGIN_FREE_FAILURES_PER_IP,
        freeFailuresPerUsername: e.STAFF_LOGIN_FREE_FAILURES_PER_USERNAME,
        maxDelaySeconds: e.STAFF_LOGIN_MAX_DELAY_SECONDS,
        failureMemoryHours: e.STAFF_LOGIN_FAILURE_MEMORY_HOURS,
      },
      /** Staff second-factor codes per mobile number per hour (apart from the citizens' OTP caps). */
      staffOtpMaxPerHour: e.STAFF_OTP_MAX_PER_HOUR,
      /** How long a process may trust its last read of a principal's state (active, token epoch). */
      revocationCacheMs: e.AUTH_REVOCATION_CACHE_MS,
      orgTokenTtlSeconds: e.ORG_TOKEN_TTL_SECONDS,
      clientSecretOverlapHours: e.CLIENT_SECRET_OVERLAP_HOURS,
    },
    sms: {
      provider: e.SMS_PROVIDER,
      templatesFile: e.SMS_TEMPLATES_FILE,
      httpTimeoutMs: e.SMS_HTTP_TIMEOUT_MS,
      kavenegar: {
        apiKey: e.KAVENEGAR_API_KEY,
        baseUrl: e.KAVENEGAR_BASE_URL,
        sender: e.KAVENEGAR_SENDER,
        otpTemplate: e.KAVENEGAR_OTP_TEMPLATE,
      },
      smsir: {
        apiKey: e.SMSIR_API_KEY,
        baseUrl: e.SMSIR_BASE_URL,
        lineNumber: e.SMSIR_LINE_NUMBER,
        otpTemplateId: e.SMSIR_OTP_TEMPLATE_ID,
      },
    },
    /** Identity verification (mobile-ownership and civil registries): see README "Identity verification". */
    identity: {
      provider: e.IDENTITY_PROVIDER,
      /** Sandbox only: every registry question is answered "unavailable" (exercises the 503 path). */
      sandboxUnavailable: e.IDENTITY_SANDBOX_UNAVAILABLE,
      http: {
        baseUrl: e.IDENTITY_HTTP_BASE_URL,
        businessId: e.IDENTITY_HTTP_BUSINESS_ID,
        token: e.IDENTITY_HTTP_TOKEN,
        timeoutMs: e.IDENTITY_HTTP_TIMEOUT_MS,
        retries: e.IDENTITY_HTTP_RETRIES,
      },
      /** How long a definite answer (matched / not matched / a civil record) is reused; 0 = never. */
      cacheTtlSeconds: e.IDENTITY_CACHE_TTL_SECONDS,
      /** Retry-After of IDENTITY_SERVICE_UNAVAILABLE. */
      retryAfterSeconds: e.IDENTITY_RETRY_AFTER_SECONDS,
    },
    payments: {
      /** Gateways offered to payers, in PAYMENT_GATEWAYS order (validated names). */
      gateways: paymentGatewayList(e.PAYMENT_GATEWAYS) as PaymentGatewayName[],
      /** The gateway used when a payment names none: PAYMENT_DEFAULT_GATEWAY, else the first enabled. */
      defaultGateway: (e.PAYMENT_DEFAULT_GATEWAY?.toLowerCase() ?? paymentGatewayList(e.PAYMENT_GATEWAYS)[0]) as PaymentGatewayName,
      timeoutMs: e.PAYMENT_GATEWAY_TIMEOUT_MS,
      sep: { terminalId: e.SEP_TERMINAL_ID, baseUrl: e.SEP_BASE_URL },
      zarinpal: { merchantId: e.ZARINPAL_MERCHANT_ID, baseUrl: e.ZARINPAL_BASE_URL, startUrl: e.ZARINPAL_START_URL ?? e.ZARINPAL_BASE_URL },
      /** Origins (besides PUBLIC_URL's) a payment's `returnUrl` may point to. */
      returnUrlOrigins: (e.PAYMENT_RETURN_URL_ORIGINS ?? '').split(',').map((o) => o.trim().toLowerCase()).filter(Boolean),
      /** Delay of the first reconciliation check of a payment (after the gateway session is over). */
      reconcileAfterSeconds: e.PAYMENT_RECONCILE_AFTER_SECONDS,
      /** Payments a client IP may start per hour. */
      maxPerIpPerHour: e.PAYMENT_MAX_PER_IP_PER_HOUR,
    },
    jobs: {
      workerEnabled: e.JOBS_WORKER_ENABLED,
      pollIntervalMs: e.JOBS_POLL_INTERVAL_MS,
      concurrency: e.JOBS_CONCURRENCY,
    },
    calendar: {
      week: e.CALENDAR_WEEK,
      halfDayClosesAt: e.CALENDAR_HALF_DAY_CLOSES_AT,
      reviewWorkingDays: e.SLA_REVIEW_WORKING_DAYS,
    },
    billing: {
      /** Three-digit company code of the municipality in bill IDs (service type 6). */
      companyCode: e.BILLING_COMPANY_CODE.padStart(3, '0'),
      /** A bill is valid this many days, and never past the end of the Jalali month it was issued in. */
      billValidityDays: e.BILLING_BILL_VALIDITY_DAYS,
      assessBatchSize: e.BILLING_ASSESS_BATCH_SIZE,
    },
    documents: {
      /** Largest upload multer accepts (bytes); bigger is 413 before any processing. */
      uploadMaxBytes: e.DOCUMENT_UPLOAD_MAX_BYTES,
      /** Largest stored page after re-encoding (the guide's ~300 KB). */
      storedMaxBytes: e.DOCUMENT_STORED_MAX_BYTES,
      maxSidePx: e.DOCUMENT_MAX_SIDE_PX,
      /** Legibility floors: smallest long × short side per kind of scan, and the least grey-level contrast. */
      minPx: { page: e.DOCUMENT_MIN_PAGE_PX, card: e.DOCUMENT_MIN_CARD_PX, photo: e.DOCUMENT_MIN_PHOTO_PX },
      minContrast: e.DOCUMENT_MIN_CONTRAST,
      urlTtlSeconds: e.DOCUMENT_URL_TTL_SECONDS,
      /** Optional ClamAV daemon (INSTREAM over TCP); scanning is skipped when no host is set. */
      clamav: e.CLAMAV_HOST ? { host: e.CLAMAV_HOST, port: e.CLAMAV_PORT, timeoutMs: e.CLAMAV_TIMEOUT_MS } : null,
    },
    inquiries: {
      /** Wrong "last request number" tries per member per property per Tehran day. */
      maxWrongAttemptsPerDay: e.INQUIRY_MAX_WRONG_ATTEMPTS_PER_DAY,
      visitSlotMinutes: e.INQUIRY_VISIT_SLOT_MINUTES,
      /** Site visits per region per slot. */
      visitCapacity: e.INQUIRY_VISIT_CAPACITY,
      /** Working days of visit slots offered from the requested date. */
      visitDays: e.INQUIRY_VISIT_DAYS,
      trackingRateLimitPerMinute: e.TRACKING_RATE_LIMIT_PER_MINUTE,
    },
    integration: {
      /** Webhooks to loopback addresses and over plain http (sandbox, tests); private addresses are refused always. Default: on in sandbox mode. */
      webhooksAllowLoopback:
        e.WEBHOOKS_ALLOW_LOOPBACK === undefined
          ? e.SANDBOX_MODE === undefined ? !e.DATABASE_URL : ['true', '1', 'yes'].includes(e.SANDBOX_MODE)
          : /^(true|1|yes)$/i.test(e.WEBHOOKS_ALLOW_LOOPBACK),
      webhookTimeoutMs: e.WEBHOOK_TIMEOUT_MS,
      /** Failed deliveries are retried with exponential backoff for this long. */
      webhookRetryHours: e.WEBHOOK_RETRY_HOURS,
      webhookMaxEndpoints: e.WEBHOOK_MAX_ENDPOINTS,
      /** Requests per API client per minute (RateLimit-* headers, 429). */
      orgRateLimitPerMinute: e.ORG_RATE_LIMIT_PER_MINUTE,
      /** Requests per API client per UTC day. */
      orgQuotaPerDay: e.ORG_QUOTA_PER_DAY,
      /** Per API client per day: POST /org/inquiries requests (each would SMS a citizen), refused ones included. */
      orgSmsRequestsPerDay: e.ORG_SMS_REQUESTS_PER_DAY,
    },
    desk: {
      /** How often the SLA job looks for overdue reviews. */
      slaScanSeconds: e.DESK_SLA_SCAN_SECONDS,
    },
    certificates: {
      /** Ed25519 PKCS#8 PEM; without it the embedded mode keeps a generated key in DATA_DIR. */
      signingKeyPem: e.CERT_SIGNING_KEY?.replace(/\\n/g, '\n'),
      /** Public keys of earlier signing keys (SPKI PEM, concatenated): still published and accepted after a rotation. */
      previousPublicKeysPem: e.CERT_PREVIOUS_PUBLIC_KEYS?.replace(/\\n/g, '\n'),
      validityDays: e.CERT_VALIDITY_DAYS,
      verifyRateLimitPerMinute: e.CERT_VERIFY_RATE_LIMIT_PER_MINUTE,
      chromiumPath: e.CHROMIUM_PATH,
      pdfTimeoutMs: e.PDF_RENDER_TIMEOUT_MS,
    },
    demo: { seed: e.DEMO_SEED && !e.DATABASE_URL, cityParcels: e.DEMO_CITY_PARCELS },
  };
}

export type AppConfig = ReturnType<typeof loadConfig>;

/**
 * The configuration after the entrypoint resolved the embedded engines: the database
 * URL and storage endpoint are always concrete here.
 */
export type ResolvedConfig = AppConfig & {
  database: AppConfig['database'] & { url: string };
  storage: AppConfig['storage'] & { endPoint: string; port: number; accessKey: string; secretKey: string };
  auth: AppConfig['auth'] & { jwtSecret: string };
};
