import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import type { Agent as TestAgent } from 'supertest';
import { createApp } from '../../src/app.factory';
import { loadConfig, ResolvedConfig } from '../../src/config/app-config';
import { createOrmOptions } from '../../src/database/orm-options';
import { migrateUp } from '../../src/database/prepare';
import { prepare } from '../../src/prepare';
import { StorageService } from '../../src/modules/documents/storage.service';
import { JobsService } from '../../src/modules/jobs/jobs.service';

export interface TestApp {
  app: NestExpressApplication;
  config: ResolvedConfig;
  http: () => TestAgent;
  orm: MikroORM;
  jobs: JobsService;
  /** SQL on this file's database (own connection). */
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export const usingRealPostgres = Boolean(process.env.DATABASE_URL);

/**
 * A fresh application on a clean database for one test file:
 * - real PostgreSQL (DATABASE_URL): a new database cloned from a migrated template;
 * - embedded: the shared PGlite of the global setup, every table truncated.
 * The job worker is off; tests run jobs with `jobs.drain()`.
 */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const databaseUrl = usingRealPostgres ? await cloneTemplateDatabase() : await resetEmbeddedDatabase();
  const base = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'qazvin-data-')),
    DATABASE_URL: databaseUrl,
    JOBS_WORKER_ENABLED: 'false',
    SANDBOX_MODE: 'true',
    // the client-side backstop: a statement stuck behind a transaction of the embedded engine
    // (it serializes them) fails and its connection is destroyed; on real PostgreSQL the
    // server's DB_STATEMENT_TIMEOUT_MS (10 s) ends it first
    DB_QUERY_TIMEOUT_MS: '20000',
    // every request reads its principal's state: a revocation is visible to the next request
    AUTH_REVOCATION_CACHE_MS: '0',
    ...env,
  });
  const config: ResolvedConfig = {
    ...base,
    // the embedded engine is one PGlite session behind its socket: say so, as the runtime does
    // (the read pool then uses the ORM's connection; named prepared statements would collide)
    database: { ...base.database, url: databaseUrl, embedded: !usingRealPostgres, migrateOnStart: !usingRealPostgres },
    storage: {
      ...base.storage,
      endPoint: '127.0.0.1',
      port: Number(process.env.TEST_S3_PORT),
      useSSL: false,
      accessKey: 'S3RVER',
      secretKey: 'S3RVER',
      bucket: `t-${randomBytes(6).toString('hex')}`,
    },
    auth: { ...base.auth, jwtSecret: randomBytes(32).toString('hex') },
    demo: { ...base.demo, seed: false },
  };
  const app = await createApp(config);
  await prepare(app, config);
  await app.get(StorageService).ensureBucket();
  await app.init();
  const orm = app.get(MikroORM) as MikroORM;
  return {
    app,
    config,
    orm,
    jobs: app.get(JobsService),
    http: () => request(app.getHttpServer()),
    sql: async <T,>(text: string, params: unknown[] = []) => {
      const client = new Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        return (await client.query(text, params)).rows as T[];
      } finally {
        await client.end();
      }
    },
    close: async () => {
      await app.close();
      if (usingRealPostgres) await dropDatabase(databaseUrl);
    },
  };
}

/** A clean, migrated database for one test file and an ORM on it: for repository tests, without the application. */
export interface TestDb {
  orm: MikroORM;
  /** A fresh entity manager (`run(db.em(), repository.query(...))`, or `em.transactional`). */
  em(): EntityManager;
  /** SQL on this file's database (own connection), to arrange rows and check what a repository wrote. */
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** `createTestApp`'s database without the application: real PostgreSQL (DATABASE_URL) or the embedded engine. */
export async function createTestDb(): Promise<TestDb> {
  const databaseUrl = usingRealPostgres ? await cloneTemplateDatabase() : await resetEmbeddedDatabase();
  const orm = await MikroORM.init(createOrmOptions({ url: databaseUrl, queryTimeoutMs: 0, poolMax: 2 }));
  // the embedded database is migrated by the first application of the run; a repository test may come first
  if (!usingRealPostgres) await migrateUp(orm);
  return {
    orm,
    em: () => orm.em.fork(),
    sql: async <T,>(text: string, params: unknown[] = []) => {
      const client = new Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        return (await client.query(text, params)).rows as T[];
      } finally {
        await client.end();
      }
    },
    close: async () => {
      await orm.close(true);
      if (usingRealPostgres) await dropDatabase(databaseUrl);
    },
  };
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function adminQuery<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Migrates the run's template database once (advisory lock), then clones it. */
async function cloneTemplateDatabase(): Promise<string> {
  const runId = process.env.TEST_RUN_ID ?? 'local';
  const template = `qazvin_test_${runId}_tpl`;
  await adminQuery(async (c) => {
    await c.query('select pg_advisory_lock(724211)');
    try {
      const { rowCount } = await c.query('select 1 from pg_database where datname = $1', [template]);
      if (!rowCount) {
        await c.query(`create database "${template}"`);
        const orm = await MikroORM.init(createOrmOptions({ url: withDatabase(process.env.DATABASE_URL!, template), queryTimeoutMs: 0 }));
        try {
          await migrateUp(orm);
        } finally {
          await orm.close(true);
        }
      }
    } finally {
      await c.query('select pg_advisory_unlock(724211)');
    }
  });
  const name = `qazvin_test_${runId}_${randomBytes(4).toString('hex')}`;
  await adminQuery((c) => c.query(`create database "${name}" template "${template}"`));
  return withDatabase(process.env.DATABASE_URL!, name);
}

async function dropDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  await adminQuery((c) => c.query(`drop database if exists "${name}" with (force)`)).catch(() => undefined);
}

/** Empties every application table of the shared embedded database. */
async function resetEmbeddedDatabase(): Promise<string> {
  const url = process.env.TEST_EMBEDDED_DATABASE_URL;
  if (!url) throw new Error('the e2e global setup did not start the embedded database');
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ tablename: string }>(
      `select tablename from pg_tables where schemaname = 'public'
         and tablename not in ('mikro_orm_migrations', 'spatial_ref_sys')`,
    );
    if (rows.length) {
      await client.query(`truncate ${rows.map((r) => `"${r.tablename}"`).join(', ')} restart identity cascade`);
    }
  } finally {
    await client.end();
  }
  return url;
}
