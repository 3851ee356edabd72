import type { Options } from '@mikro-orm/core';
import { defineConfig, PostgreSqlDriver } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { join } from 'node:path';
import { ALL_ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export interface OrmSettings {
  url: string;
  poolMax?: number;
  queryTimeoutMs?: number;
  debug?: boolean;
  /** Do not connect at init (OpenAPI generation). */
  connect?: boolean;
}

/** Tables PostGIS owns; never part of our schema diff. */
const POSTGIS_TABLES = ['spatial_ref_sys', 'geometry_columns', 'geography_columns'];

/**
 * MikroORM options shared by the application, the CLI and the tests. Migrations are an
 * explicit list (src/database/migrations/index.ts), so they load the same from TypeScript
 * sources and from the build.
 */
export function createOrmOptions(settings: OrmSettings): Options<PostgreSqlDriver> {
  return defineConfig({
    driver: PostgreSqlDriver,
    clientUrl: settings.url,
    entities: ALL_ENTITIES,
    extensions: [Migrator],
    connect: settings.connect ?? true,
    debug: settings.debug ?? false,
    allowGlobalContext: false,
    forceUtcTimezone: true,
    ignoreUndefinedInQuery: true,
    pool: { min: 0, max: settings.poolMax ?? 10, idleTimeoutMillis: 30_000 },
    driverOptions: {
      connection: {
        // A statement stuck behind an open transaction (the embedded engine serializes
        // them) fails loudly instead of hanging forever.
        query_timeout: settings.queryTimeoutMs ?? 15_000,
        application_name: 'qazvin-citizen-services',
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
      snapshot: true,
      silent: true,
      snapshotName: '.schema-snapshot',
      transactional: true,
      allOrNothing: true,
      emit: 'ts',
      fileName: (timestamp: string, name?: string) => `Migration${timestamp}${name ? `_${name}` : ''}`,
    },
  });
}
