import { resolve } from 'node:path';
import { z } from 'zod';
import { parseWeekTemplate } from '../modules/calendar/domain/working-calendar';

/**
 * The one typed configuration of the application, parsed and validated from the
 * environment once at start-up. Every variable is documented in config/.env.example.
 */
const bool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
    .optional()
    .transform((v) => (v === undefined ? def : ['true', '1', 'yes'].includes(v)));

const int = (def: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return def;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `must be an integer between ${min} and ${max} (got "${v}")` });
        return z.NEVER;
      }
      return n;
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
    CORS_ORIGINS: optionalString,
    BODY_LIMIT: z
      .string()
      .default('1mb')
      .refine((v) => /^\d+(b|kb|mb)$/i.test(v), { message: 'must look like 512kb or 1mb' }),

    DATABASE_URL: optionalString.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
      message: 'must be a postgres:// URL',
    }),
    DB_POOL_MAX: int(10, 1, 200),
    DB_QUERY_TIMEOUT_MS: int(15000, 100, 600000),
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

    JOBS_WORKER_ENABLED: bool(true),
    JOBS_POLL_INTERVAL_MS: int(1000, 50, 60000),
    JOBS_CONCURRENCY: int(4, 1, 64),

    CALENDAR_WEEK: z.string().default('sat-wed=07:30-14:30;thu=closed;fri=closed'),
    CALENDAR_HALF_DAY_CLOSES_AT: hhmm('12:00'),
    SLA_REVIEW_WORKING_DAYS: int(1, 1, 30),

    DEMO_SEED: bool(true),
  })
  .superRefine((env, ctx) => {
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
    if (env.JWT_SECRET !== undefined && env.JWT_SECRET.length < 32) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'must have at least 32 characters' });
    }
  });

export type Env = z.input<typeof envSchema>;

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
    },
    log: { level: e.LOG_LEVEL },
    dataDir,
    database: {
      /** Set for real PostgreSQL; absent means the embedded engine provides one. */
      url: e.DATABASE_URL,
      embedded: !e.DATABASE_URL,
      embeddedPort: e.EMBEDDED_DB_PORT,
      poolMax: e.DB_POOL_MAX,
      queryTimeoutMs: e.DB_QUERY_TIMEOUT_MS,
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
    auth: {
      jwtSecret: e.JWT_SECRET,
      accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
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
    demo: { seed: e.DEMO_SEED && !e.DATABASE_URL },
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
