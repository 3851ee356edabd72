import { MikroORM } from '@mikro-orm/postgresql';
import { Test } from '@nestjs/testing';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { AppModule } from './app.module';
import { loadConfig, ResolvedConfig } from './config/app-config';
import { createOrmOptions } from './database/orm-options';

/**
 * The two ways the entities reach MikroORM agree: the application's, where each module
 * registers its own (`MikroOrmModule.forFeature`, loaded by `autoLoadEntities`), and the
 * one outside Nest (the CLI's migrations, the start-up step, the tests' databases), which
 * finds the entity files by path. An entity in a file not named `*.entity.ts`, outside
 * `src/modules/`, or that no module registers fails here.
 */

const ROOT = join(__dirname, '..');
const OFFLINE_URL = 'postgres://offline@127.0.0.1:1/offline';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [join(dir, e.name)] : [],
  );
}

/** Class names of the entities the ORM discovered (not the abstract base classes). */
function entityNames(orm: MikroORM): string[] {
  return Object.values(orm.getMetadata().getAll())
    .filter((meta) => !meta.abstract)
    .map((meta) => meta.className)
    .sort();
}

/** `@Entity(…) … export class X` in the sources: the files and class names, read as text. */
const declared = [...sourceFiles(join(ROOT, 'src')), ...sourceFiles(join(ROOT, 'libs'))].flatMap((file) => {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/@Entity\([^)]*\)[\s\S]*?export class (\w+)/g)].map((m) => ({ file: relative(ROOT, file), className: m[1] }));
});

describe('entity registration and discovery', () => {
  it('every entity sits in a `*.entity.ts` file of a module folder', () => {
    expect(declared.length).toBeGreaterThan(30);
    expect(declared.filter((d) => !/^src\/modules\/.+\.entity\.ts$/.test(d.file))).toEqual([]);
  });

  it('discovery by path finds every entity, and the modules register the same ones', async () => {
    const byPath = await MikroORM.init(createOrmOptions({ url: OFFLINE_URL, connect: false }));
    const found = entityNames(byPath);
    await byPath.close();
    expect(found).toEqual(declared.map((d) => d.className).sort());

    // a data folder of its own: building the modules writes a generated signing key there
    const base = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: mkdtempSync(join(tmpdir(), 'qazvin-entities-')) });
    const offline: ResolvedConfig = {
      ...base,
      database: { ...base.database, url: OFFLINE_URL },
      storage: { ...base.storage, endPoint: '127.0.0.1', port: 1, accessKey: 'offline', secretKey: 'offline' },
      auth: { ...base.auth, jwtSecret: 'offline-'.padEnd(40, 'x') },
      jobs: { ...base.jobs, workerEnabled: false },
    };
    const module = await Test.createTestingModule({ imports: [AppModule.forRoot(offline, { connect: false })] }).compile();
    try {
      expect(entityNames(module.get(MikroORM))).toEqual(found);
    } finally {
      await module.close();
    }
  }, 60_000);
});
