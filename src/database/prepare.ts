import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { INestApplicationContext, Logger } from '@nestjs/common';
import type { AppConfig, ResolvedConfig } from '../config/app-config';
import { createOrmOptions } from './orm-options';
import { TariffsService } from '../modules/billing/tariffs.service';
import { CalculatorTariffsService } from '../modules/calculators/calculator-tariffs.service';
import { CalendarService } from '../modules/calendar/calendar.service';
import { RegionsService } from '../modules/membership/regions.service';

const logger = new Logger('Prepare');

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
 * An ORM of its own for the start-up step, with the maintenance settings (the application's
 * pool keeps the request limits), a few connections.
 */
async function maintenanceOrm(config: ResolvedConfig): Promise<MikroORM> {
  return MikroORM.init({ ...createOrmOptions({ url: config.database.url, poolMax: 4, queryTimeoutMs: 0, session: NO_LIMITS(config.database.embedded) }), debug: config.database.debug });
}

/**
 * The start-up step of the entrypoint (and of `npm run cli -- prepare`): migrations, the
 * regions, the working calendar of this and next Jalali year, default billing tariffs of this
 * and the previous two Jalali years, the calculators' tariff tables of this year, and — embedded mode only —
 * demo data (the `seed` step the caller passes: the database layer imports no CLI). Runs on a maintenance connection without the request limits (`withoutRequestLimits`).
 */
/** A last start-up step the caller adds (e.g. the CLI's demo seed, from main or the CLI), run on the maintenance connection. */
export type PrepareStep = (app: INestApplicationContext, config: ResolvedConfig, em: EntityManager) => Promise<unknown>;

export async function prepare(app: INestApplicationContext, config: ResolvedConfig, seed?: PrepareStep): Promise<void> {
  const orm = await maintenanceOrm(config);
  try {
    await prepareWith(app, config, orm, seed);
  } finally {
    await orm.close();
  }
}

async function prepareWith(app: INestApplicationContext, config: ResolvedConfig, orm: MikroORM, seed?: PrepareStep): Promise<void> {
  if (config.database.migrateOnStart) await migrateUp(orm);
  await app.get(RegionsService).ensureDefaults(orm.em.fork());
  const years = await app.get(CalendarService).ensureCurrentYears(new Date(), orm.em.fork());
  if (years.length) logger.log(`working calendar generated for Jalali years ${years.join(', ')}`);
  const tariffYears = await app.get(TariffsService).ensureDefaults(orm.em.fork());
  if (tariffYears.length) logger.log(`default billing tariffs created for Jalali years ${tariffYears.join(', ')}`);
  const calcYear = await app.get(CalculatorTariffsService).ensureDefaults(orm.em.fork());
  if (calcYear) logger.log(`calculator tariff tables created for Jalali year ${calcYear}`);
  if (config.demo.seed && seed) await seed(app, config, orm.em);
}
