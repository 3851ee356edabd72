import type { Options } from '@mikro-orm/core';
import { Logger } from '@nestjs/common';
import { defineConfig, PostgreSqlDriver } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { extname, join } from 'node:path';
import type { Client } from 'pg';
import { guardConnection, isReusable } from './connection-guard';
import { MIGRATIONS } from './migrations';

/** Limits PostgreSQL enforces on each pooled session, in milliseconds (0 = none). */
export interface SessionLimits {
  statementTimeoutMs: number;
  lockTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
}

export interface OrmSettings {
  url: string;
  poolMax?: number;
  /**
   * Client-side backstop (connection-guard.ts): a statement without an answer this long
   * has its connection destroyed. 0 = none (migrations, start-up, the CLI).
   */
  queryTimeoutMs?: number;
  /** Server-side limits of the sessions (real PostgreSQL; none: the server's defaults). */
  session?: SessionLimits;
  /** Longest wait for a pooled connection (knex/tarn `acquireTimeoutMillis`). */
  acquireTimeoutMs?: number;
  debug?: boolean;
  /** Do not connect at init (OpenAPI generation). */
  connect?: boolean;
  /**
   * Where the entities come from: `files` (default) finds every module's `*.entity.ts`
   * by path (ENTITY_FILES), for an ORM outside Nest (the CLI's migrations, the start-up
   * step, tests); `modules`: none here, each Nest module registers its own with
   * `MikroOrmModule.forFeature` and the root module loads them (`autoLoadEntities`).
   */
  entities?: 'files' | 'modules';
  /**
   * Read and write the migrations' schema snapshot (`migrations/.schema-snapshot.json`).
   * Only `migration:create` writes it and `migration:check` reads it; elsewhere applying
   * migrations would rewrite the tracked file with the database's view of the schema.
   */
  snapshot?: boolean;
}

const logger = new Logger('Database');

/** Tables PostGIS owns; never part of our schema diff. */
const POSTGIS_TABLES = ['spatial_ref_sys', 'geometry_columns', 'geography_columns'];

/**
 * Every module's entity files, found by path: each `*.entity.ts` under `src/modules/` when
 * running the TypeScript sources (Jest, `node -r ./scripts/register.js`), each `*.entity.js`
 * under `dist/src/modules/` in the build. An entity file is named `*.entity.ts` and sits in
 * its module's folder.
 */
export const ENTITY_FILES = join(__dirname, '..', 'modules', '**', `*.entity${extname(__filename)}`);

/**
 * MikroORM options shared by the application, the CLI and the tests. Migrations are an
 * explicit list (src/database/migrations/index.ts), so they load the same from TypeScript
 * sources and from the build.
 */
export function createOrmOptions(settings: OrmSettings): Options<PostgreSqlDriver> {
  return defineConfig({
    driver: PostgreSqlDriver,
    clientUrl: settings.url,
    // by path, or none: MikroOrmModule.forRoot's `autoLoadEntities` adds the modules' own
    ...(settings.entities === 'modules' ? { entities: [] } : { entities: [ENTITY_FILES], entitiesTs: [ENTITY_FILES] }),
    // loads the entity files with the runtime's `require` (swc compiles this `import()` to
    // it): the same module instances as the application's imports in Jest and under
    // scripts/register.js, where Node's own `import()` knows no `.ts`
    dynamicImportProvider: (id: string) => import(id),
    extensions: [Migrator],
    connect: settings.connect ?? true,
    debug: settings.debug ?? false,
    allowGlobalContext: false,
    forceUtcTimezone: true,
    ignoreUndefinedInQuery: true,
    pool: { min: 0, max: settings.poolMax ?? 10, idleTimeoutMillis: 30_000 },
    driverOptions: {
      connection: {
        application_name: 'qazvin-citizen-services',
        // sent in the start-up packet: no round trip per connection
        ...(settings.session && {
          statement_timeout: settings.session.statementTimeoutMs,
          lock_timeout: settings.session.lockTimeoutMs,
          idle_in_transaction_session_timeout: settings.session.idleInTransactionTimeoutMs,
        }),
      },
      // knex's pool options (tarn): MikroORM's `pool` type does not name `validate`
      pool: {
        acquireTimeoutMillis: settings.acquireTimeoutMs ?? 60_000,
        // A statement stuck behind an open transaction (the embedded engine serializes
        // them) fails loudly instead of hanging forever, and its connection, whose
        // transaction state is then unknown, is destroyed rather than reused.
        afterCreate: (connection: Client, done: (err: Error | null, connection: Client) => void) => {
          guardConnection(connection, settings.queryTimeoutMs ?? 15_000, (ms) =>
            logger.warn(`a statement had no answer after ${ms} ms: its connection was destroyed (transaction state unknown)`),
          );
          done(null, connection);
        },
        validate: isReusable,
      },
      // knex's own warnings (e.g. a connection the server ended, dropped from the pool) in the application's log
      log: {
        warn: (message: unknown) => logger.warn(String(message)),
        error: (message: unknown) => logger.error(String(message)),
        deprecate: (message: unknown) => logger.warn(String(message)),
        debug: () => undefined,
      },
    },
    schemaGenerator: {
      skipTables: POSTGIS_TABLES,
      ignoreSchema: ['tiger', 'tiger_data', 'topology'],
    },
    migrations: {
      tableName: 'mikro_orm_migrations',
      path: join(__dirname, 'migrations'),
      pathTs: join(__dirname, 'migrations'),
      migrationsList: MIGRATIONS,
      snapshot: settings.snapshot ?? false,
      silent: true,
      snapshotName: '.schema-snapshot',
      transactional: true,
      allOrNothing: true,
      emit: 'ts',
      fileName: (timestamp: string, name?: string) => `Migration${timestamp}${name ? `_${name}` : ''}`,
    },
  });
}
