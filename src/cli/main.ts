import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { INestApplicationContext, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppModule } from '../app.module';
import { createApp } from '../app.factory';
import { buildOpenApiDocument } from '../app.setup';
import { AppConfig, ConfigError, loadConfig, ResolvedConfig } from '../config/app-config';
import { maintenanceOrm, migrateUp, withoutRequestLimits } from '../database/prepare';
import { prepare } from '../prepare';
import { loadEnvFile } from '../env-file';
import { AssessmentService } from '../modules/billing/assessment.service';
import { TariffsService } from '../modules/billing/tariffs.service';
import { CalendarService } from '../modules/calendar/calendar.service';
import { StaffRole } from '../modules/membership/entities/staff-user.entity';
import { StaffService } from '../modules/membership/staff.service';
import { startRuntime } from '../runtime/runtime';
import { seedDemo } from './demo/demo-seed';
import { loadDemoCity } from './demo/demo-city.loader';
import { ProgressReporter } from './progress';

/** The repository root (the folder with package.json), from the sources or from dist/. */
const ROOT = (() => {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
})();
const OPENAPI_FILE = join(ROOT, 'config', 'openapi', 'openapi.json');
const MIGRATIONS_DIR = join(ROOT, 'src', 'database', 'migrations');

type Args = { _: string[]; [flag: string]: string | boolean | string[] };

function parseArgs(argv: string[]): Args {
  const out: Args = { _: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const [k, v] = a.slice(2).split('=', 2);
      if (v !== undefined) out[k] = v;
      else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) out[k] = argv[++i];
      else out[k] = true;
    } else out._.push(a);
  }
  return out;
}

const HELP = `Usage: npm run cli -- <command> [options]

  prepare                       apply migrations, generate the working calendar, seed demo data (embedded)
  migration:up                  apply pending migrations
  migration:create [--name x]   generate a migration from the entity changes (and update the index)
  migration:check               fail when entities and migrations disagree (applies migrations first)
  openapi:write                 write config/openapi/openapi.json (no database needed)
  openapi:check                 fail when config/openapi/openapi.json is stale
  admin:create --username u --mobile 09… [--password p] [--name "Full name"]
                                create an administrator (prints a generated password once;
                                the mobile receives the login's second-factor code)
  calendar:generate --year 1405 generate a Jalali year of the working calendar
  billing:assess [--year 1405]  assess renewal, waste and guild demands of a Jalali year (default: the
                                current one) for every property and guild licence: batched, resumable
                                (existing demands are kept), with progress
  demo:seed                     (embedded mode) create demo accounts and city, write DATA_DIR/demo.json
  city:generate [--parcels 3000] [--seed 1]
                                load the generated demo city into an empty property registry
                                (e.g. --parcels 1000000 for benchmarks), with progress

Without DATABASE_URL the commands use the embedded database under DATA_DIR; do not run
them while \`npm start\` holds the same DATA_DIR.`;

async function withContext<T>(
  config: AppConfig,
  fn: (ctx: INestApplicationContext, cfg: ResolvedConfig) => Promise<T>,
  options: { storage?: boolean } = {},
): Promise<T> {
  // maintenance work (migrations, generation, assessment): none of the request limits
  const runtime = await startRuntime(
    withoutRequestLimits({ ...config, jobs: { ...config.jobs, workerEnabled: false }, log: { level: 'warn' } }),
    new Logger('Runtime'),
    { storage: options.storage ?? false },
  );
  const ctx = await NestFactory.createApplicationContext(AppModule.forRoot(runtime.config), { logger: ['error', 'warn'] });
  try {
    return await fn(ctx, runtime.config);
  } finally {
    await ctx.close();
    await runtime.stop();
  }
}

/** A maintenance ORM (entities found by path) for `fn`, closed after it. */
async function withOrm<T>(config: ResolvedConfig, options: { snapshot?: boolean }, fn: (orm: MikroORM) => Promise<T>): Promise<T> {
  const orm = await maintenanceOrm(config, options);
  try {
    return await fn(orm);
  } finally {
    await orm.close();
  }
}

/** The app module without any connection, for the OpenAPI document. */
async function openApiJson(config: AppConfig): Promise<string> {
  const offline: ResolvedConfig = {
    ...config,
    log: { level: 'silent' },
    database: { ...config.database, url: 'postgres://offline@127.0.0.1:1/offline' },
    storage: { ...config.storage, endPoint: '127.0.0.1', port: 1, accessKey: 'offline', secretKey: 'offline' },
    auth: { ...config.auth, jwtSecret: 'offline-'.padEnd(40, 'x') },
    jobs: { ...config.jobs, workerEnabled: false },
  };
  const app = await createApp(offline, { connect: false });
  const doc = buildOpenApiDocument(app, offline);
  await app.close();
  return JSON.stringify(doc, null, 2) + '\n';
}

function writeMigrationIndex(): void {
  const names = readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^Migration\d+.*\.ts$/.test(f))
    .map((f) => f.replace(/\.ts$/, ''))
    .sort();
  const body = [
    '/* Generated by `npm run migration:create`; lists every migration in order. */',
    "import type { MigrationObject } from '@mikro-orm/core';",
    ...names.map((n) => `import { ${n} } from './${n}';`),
    '',
    'export const MIGRATIONS: MigrationObject[] = [',
    ...names.map((n) => `  { name: '${n}', class: ${n} },`),
    '];',
    '',
  ].join('\n');
  writeFileSync(join(MIGRATIONS_DIR, 'index.ts'), body);
}

async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const command = args._[0];
  const logger = {
    log: (m: string) => process.stdout.write(`${m}\n`),
    error: (m: string) => process.stderr.write(`${m}\n`),
  };
  loadEnvFile();
  const config = loadConfig(process.env);

  switch (command) {
    case 'prepare':
      await withContext({ ...config, database: { ...config.database, migrateOnStart: true } }, (ctx, cfg) => prepare(ctx, cfg, seedDemo));
      return 0;
    // The migration commands use an ORM of their own with the entities found by path
    // (maintenanceOrm); only migration:create writes the schema snapshot, migration:check reads it.
    case 'migration:up':
      await withContext(config, (_ctx, cfg) => withOrm(cfg, {}, async (orm) => void (await migrateUp(orm))));
      return 0;
    case 'migration:create':
      return withContext(config, (_ctx, cfg) =>
        withOrm(cfg, { snapshot: true }, async (orm) => {
          const result = await orm.getMigrator().createMigration(MIGRATIONS_DIR, false, false, (args.name as string) || undefined);
          if (!result.fileName) {
            logger.log('no changes: entities match the snapshot');
            return 0;
          }
          writeMigrationIndex();
          logger.log(`created ${result.fileName}; review it, then commit it with the snapshot and index.ts`);
          return 0;
        }),
      );
    case 'migration:check':
      return withContext(config, async (_ctx, cfg) => {
        const problems: string[] = [];
        // applying the migrations leaves the snapshot alone; a second ORM only reads it
        const diff = await withOrm(cfg, {}, async (orm) => {
          await migrateUp(orm);
          return (await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false, safe: false })).trim();
        });
        if (await withOrm(cfg, { snapshot: true }, (orm) => orm.getMigrator().checkMigrationNeeded())) {
          problems.push('the schema snapshot differs from the entities: run `npm run migration:create`');
        }
        if (diff) problems.push(`the migrated database differs from the entities:\n${diff}`);
        if (problems.length) {
          logger.error(`migration check failed:\n- ${problems.join('\n- ')}`);
          return 1;
        }
        logger.log('migration check passed: migrations, snapshot and entities agree');
        return 0;
      });
    case 'openapi:write': {
      mkdirSync(dirname(OPENAPI_FILE), { recursive: true });
      writeFileSync(OPENAPI_FILE, await openApiJson(config));
      logger.log(`wrote ${OPENAPI_FILE}`);
      return 0;
    }
    case 'openapi:check': {
      const current = await openApiJson(config);
      let committed = '';
      try {
        committed = readFileSync(OPENAPI_FILE, 'utf8');
      } catch {
        /* missing counts as stale */
      }
      if (committed !== current) {
        logger.error('config/openapi/openapi.json is stale: run `npm run openapi` and commit the result');
        return 1;
      }
      logger.log('config/openapi/openapi.json is current');
      return 0;
    }
    case 'admin:create': {
      const username = args.username;
      if (typeof username !== 'string' || typeof args.mobile !== 'string') {
        logger.error('--username and --mobile are required (admins confirm each login with an SMS code)');
        return 2;
      }
      const generated = typeof args.password !== 'string';
      const password = generated ? randomBytes(12).toString('base64url') : (args.password as string);
      await withContext(config, async (ctx) => {
        await ctx.get(StaffService).create(
          {
            username,
            password,
            mobile: args.mobile as string,
            fullName: typeof args.name === 'string' ? args.name : username,
            roles: [StaffRole.Admin],
          },
          (ctx.get(MikroORM) as MikroORM).em.fork(),
        );
      });
      process.stdout.write(`administrator "${username}" created${generated ? `; password (shown once): ${password}` : ''}\n`);
      return 0;
    }
    case 'calendar:generate': {
      const year = Number(args.year);
      await withContext(config, async (ctx) => {
        const r = await ctx.get(CalendarService).generateYear(year, (ctx.get(MikroORM) as MikroORM).em.fork());
        logger.log(`Jalali year ${year}: ${r.days} days, ${r.written} written (admin-edited days kept)`);
      });
      return 0;
    }
    case 'city:generate': {
      const parcels = Number(args.parcels ?? 3000);
      const seed = Number(args.seed ?? 1);
      const progress = new ProgressReporter({ unit: 'parcels' });
      const result = await withContext(config, async (ctx) => {
        await migrateUp(ctx.get(MikroORM) as MikroORM);
        return loadDemoCity(ctx, {
          parcels,
          seed,
          onProgress: (done, total) => progress.update(done, total),
        });
      });
      progress.end();
      logger.log(
        result.loaded
          ? `demo city: ${result.parcels} parcels loaded in ${(result.elapsedMs / 1000).toFixed(1)} s`
          : `the registry already holds ${result.parcels} properties; nothing loaded`,
      );
      logger.log(`samples: ${JSON.stringify(result.samples)}`);
      return 0;
    }
    case 'billing:assess': {
      const { toJalali } = await import('@app/iran');
      const year = args.year === undefined ? toJalali(new Date()).jy : Number(args.year);
      const progress = new ProgressReporter({});
      const result = await withContext(config, async (ctx) => {
        const orm = ctx.get(MikroORM) as MikroORM;
        await migrateUp(orm);
        await ctx.get(TariffsService).ensureDefaults(orm.em.fork());
        return ctx.get(AssessmentService).assessYear(year, {
          em: orm.em.fork(),
          onProgress: (p) => progress.update(p.done, p.total, `${p.kind}, ${p.created} demands created`, p.kind),
        });
      });
      progress.end();
      logger.log(
        `Jalali year ${result.jalaliYear} assessed with tariff ${result.tariffId}: ${result.properties} properties, ` +
          `${result.guilds} guild licences, ${result.created} demands created (existing ones kept)`,
      );
      return 0;
    }
    case 'demo:seed':
      await withContext(config, async (ctx, cfg) => {
        await migrateUp((ctx.get(MikroORM) as MikroORM));
        await seedDemo(ctx, cfg);
      });
      return 0;
    default:
      process.stdout.write(`${HELP}\n`);
      return command && command !== 'help' ? 2 : 0;
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
    else process.stderr.write(`${(err as Error)?.stack ?? err}\n`);
    process.exit(1);
  },
);
