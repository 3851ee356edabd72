import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { INestApplicationContext, Logger } from '@nestjs/common';
import type { ResolvedConfig } from './config/app-config';
import { maintenanceOrm, migrateUp } from './database/prepare';
import { TariffsService } from './modules/billing/tariffs.service';
import { CalculatorTariffsService } from './modules/calculators/calculator-tariffs.service';
import { CalendarService } from './modules/calendar/calendar.service';
import { RegionsService } from './modules/membership/regions.service';

const logger = new Logger('Prepare');

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
