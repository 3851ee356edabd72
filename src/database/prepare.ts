import { MikroORM } from '@mikro-orm/postgresql';
import { Logger } from '@nestjs/common';
import type { AppConfig, ResolvedConfig } from '../config/app-config';
import { createOrmOptions } from './orm-options';

const logger = new Logger('Prepare');

/* The start-up step that fills the modules' defaults (prepare) is src/prepare.ts: the database layer imports no module. */

/** Applies pending migrations; returns their names. */
export async function migrateUp(orm: MikroORM): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  for (const m of applied) logger.log(`migration applied: ${m.name}`);
  return applied.map((m) => m.name);
}

/**
 * The database settings of maintenance work — migrations, start-up, the CLI: none of the
 * request limits (no statement, lock or idle-in-transaction timeout, no client-side
 * backstop), so `create extension postgis` or a city's assessment on a slow machine takes
 * what it takes.
 */
export function withoutRequestLimits<C extends Pick<AppConfig, 'database'>>(config: C): C {
  return { ...config, database: { ...config.database, queryTimeoutMs: 0, session: NO_LIMITS(config.database.embedded) } };
}

/** Real PostgreSQL: 0 explicitly, so limits set on the role or database (`ALTER ROLE … SET`) do not apply either. */
const NO_LIMITS = (embedded: boolean) => (embedded ? undefined : { statementTimeoutMs: 0, lockTimeoutMs: 0, idleInTransactionTimeoutMs: 0 });

/**
 * An ORM of its own for the start-up step and the CLI's migrations, with the maintenance
 * settings (the application's pool keeps the request limits), a few connections, and the
 * entities found by path (no Nest module graph). `snapshot`: `migration:create` writes
 * the schema snapshot, `migration:check` reads it; nothing else touches it.
 */
export async function maintenanceOrm(config: ResolvedConfig, options: { snapshot?: boolean } = {}): Promise<MikroORM> {
  return MikroORM.init({
    ...createOrmOptions({ url: config.database.url, poolMax: 4, queryTimeoutMs: 0, session: NO_LIMITS(config.database.embedded), snapshot: options.snapshot }),
    debug: config.database.debug,
  });
}
