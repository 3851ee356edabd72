import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { AppConfig, ResolvedConfig } from '../config/app-config';
import { startEmbeddedPostgres } from './embedded-postgres';
import { startEmbeddedS3 } from './embedded-s3';

/**
 * Resolves what the application connects to. Real mode: DATABASE_URL / S3_* as given.
 * Embedded mode (each independently when unset): starts PGlite and s3rver in this
 * process, data under DATA_DIR. Either way the application gets one concrete config and
 * runs the same code.
 */
export interface Runtime {
  config: ResolvedConfig;
  stop(): Promise<void>;
}

export interface RuntimeOptions {
  /** Start the embedded object storage when S3 is not configured (default true). */
  storage?: boolean;
}

export async function startRuntime(
  config: AppConfig,
  logger = new Logger('Runtime'),
  options: RuntimeOptions = {},
): Promise<Runtime> {
  const stops: Array<() => Promise<void>> = [];
  try {
    let databaseUrl = config.database.url;
    if (!databaseUrl) {
      const pg = await startEmbeddedPostgres({
        dataDir: join(config.dataDir, 'pg'),
        port: config.database.embeddedPort,
        logger,
      });
      stops.push(pg.stop);
      databaseUrl = pg.url;
    }
    let storage = config.storage as ResolvedConfig['storage'];
    if (config.storage.embedded && options.storage !== false) {
      const s3 = await startEmbeddedS3({
        directory: join(config.dataDir, 's3'),
        port: config.storage.embeddedPort,
        bucket: config.storage.bucket,
        logger,
      });
      stops.push(s3.stop);
      storage = {
        ...config.storage,
        endPoint: '127.0.0.1',
        port: s3.port,
        useSSL: false,
        accessKey: s3.accessKey,
        secretKey: s3.secretKey,
      };
    }
    const resolved: ResolvedConfig = {
      ...config,
      database: { ...config.database, url: databaseUrl },
      storage: {
        ...storage,
        // without storage (CLI database tasks) the client points nowhere and is never used
        endPoint: storage.endPoint ?? '127.0.0.1',
        accessKey: storage.accessKey ?? 'none',
        secretKey: storage.secretKey ?? 'none',
        port: storage.port ?? (storage.useSSL ? 443 : 80),
      },
      auth: { ...config.auth, jwtSecret: config.auth.jwtSecret ?? localSecret(config, logger) },
    };
    return {
      config: resolved,
      async stop() {
        for (const stop of stops.reverse()) await stop().catch(() => undefined);
      },
    };
  } catch (err) {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    throw err;
  }
}

/**
 * Without JWT_SECRET: the embedded mode keeps a generated secret in DATA_DIR/secrets.json
 * (so sessions survive a restart); elsewhere a per-process secret is used (tests).
 * Production with a real database refuses to start without one (config validation).
 */
function localSecret(config: AppConfig, logger: Logger): string {
  if (!config.database.embedded) {
    logger.warn('JWT_SECRET is not set: using a random per-process secret (tokens end with the process)');
    return randomBytes(48).toString('base64url');
  }
  const file = join(config.dataDir, 'secrets.json');
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { jwtSecret?: string };
    if (stored.jwtSecret) return stored.jwtSecret;
  }
  mkdirSync(config.dataDir, { recursive: true });
  const jwtSecret = randomBytes(48).toString('base64url');
  writeFileSync(file, JSON.stringify({ jwtSecret }, null, 2), { mode: 0o600 });
  chmodSync(file, 0o600);
  return jwtSecret;
}
