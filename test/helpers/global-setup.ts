/**
 * Jest global setup (runs once, in the parent process). Starts the shared test engines:
 * - object storage: one s3rver on a random port (each test file uses its own bucket);
 * - database: without DATABASE_URL, one embedded PGlite (in memory) served on a random
 *   port; test files run one at a time against it and truncate between files. With
 *   DATABASE_URL, nothing starts here: each test file clones a migrated template database.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startEmbeddedPostgres } from '../../src/runtime/embedded-postgres';
import { startEmbeddedS3 } from '../../src/runtime/embedded-s3';

type Stoppable = { stop(): Promise<void> };

export default async function globalSetup(): Promise<void> {
  const g = globalThis as typeof globalThis & { __testEngines?: Stoppable[] };
  g.__testEngines = [];
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  process.env.TEST_RUN_ID = runId;
  const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined } as never;

  const s3 = await startEmbeddedS3({
    directory: mkdtempSync(join(tmpdir(), 'qazvin-s3-')),
    port: 0,
    bucket: 'qazvin-test',
    logger: quiet,
  });
  g.__testEngines.push(s3);
  process.env.TEST_S3_PORT = String(s3.port);

  if (!process.env.DATABASE_URL) {
    const started = Date.now();
    const pg = await startEmbeddedPostgres({ dataDir: undefined, port: 0, logger: quiet });
    g.__testEngines.push(pg);
    process.env.TEST_EMBEDDED_DATABASE_URL = pg.url;
    process.stdout.write(`\n[test] embedded PostgreSQL (PGlite) started in ${Date.now() - started} ms\n`);
  } else {
    process.stdout.write(`\n[test] real PostgreSQL: ${process.env.DATABASE_URL.replace(/:[^:@/]*@/, ':***@')}\n`);
  }
}
