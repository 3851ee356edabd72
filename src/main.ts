import 'reflect-metadata';
import cluster from 'node:cluster';
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig } from './config/app-config';
import { createApp } from './app.factory';
import { prepare } from './prepare';
import { demoFilePath, seedDemo } from './cli/demo/demo-seed';
import { loadEnvFile } from './env-file';
import { startRuntime } from './runtime/runtime';
import { ShutdownService } from './modules/health/shutdown.service';

/**
 * Entrypoint. Embedded mode (no DATABASE_URL / S3_ENDPOINT): starts PGlite and s3rver in
 * this process with data under DATA_DIR. Then, in every mode: migrations, the working
 * calendar, demo data (embedded only), and the HTTP server.
 */
async function main(): Promise<void> {
  const started = Date.now();
  const logger = new Logger('Main');
  loadEnvFile();
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  // Several HTTP workers (real database only): the primary prepares the database once,
  // then forks WEB_CONCURRENCY workers that share the port and skip the preparation.
  const workers = config.http.workers;
  if (workers > 1 && cluster.isPrimary) {
    const runtime = await startRuntime(config, logger);
    const ctx = await createApp(runtime.config);
    await prepare(ctx, runtime.config, seedDemo);
    await ctx.close();
    await runtime.stop();
    for (let i = 0; i < workers; i++) cluster.fork({ DB_MIGRATE_ON_START: 'false', WORKER_PREPARED: 'true' });
    cluster.on('exit', (worker, code, signal) => {
      if (!stoppingCluster) {
        logger.error(`worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
        cluster.fork({ DB_MIGRATE_ON_START: 'false', WORKER_PREPARED: 'true' });
      }
    });
    let stoppingCluster = false;
    const stopAll = (signal: NodeJS.Signals) => {
      if (stoppingCluster) return;
      stoppingCluster = true;
      // each worker drains on its own (readiness 503, delay, in-flight work), bounded like a single process
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(signal);
      setTimeout(() => process.exit(1), stopBoundMs(config)).unref();
      cluster.on('exit', () => Object.keys(cluster.workers ?? {}).length === 0 && process.exit(0));
    };
    process.on('SIGINT', () => stopAll('SIGINT'));
    process.on('SIGTERM', () => stopAll('SIGTERM'));
    logger.log(`started ${workers} HTTP workers on port ${config.http.port}`);
    return;
  }
  const runtime = await startRuntime(config, logger);
  let app: Awaited<ReturnType<typeof createApp>> | undefined;
  let stopping = false;
  let listening = false;
  // Graceful: readiness 503 at once, new requests still served for SHUTDOWN_DELAY_MS, then
  // in-flight requests and jobs finish (ShutdownService), bounded by SHUTDOWN_GRACE_MS.
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received, shutting down`);
    const force = setTimeout(() => {
      process.stderr.write(`shutdown took longer than ${stopBoundMs(config)} ms: exiting\n`);
      process.exit(1);
    }, stopBoundMs(config));
    force.unref();
    if (app && listening) app.get(ShutdownService).begin();
    await app?.close().catch((err) => logger.error(err));
    await runtime.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    app = await createApp(runtime.config);
    if (process.env.WORKER_PREPARED !== 'true') await prepare(app, runtime.config, seedDemo);
    await app.listen(runtime.config.http.port, runtime.config.http.host);
    listening = true;
  } catch (err) {
    // written directly: the buffered/async logger may not flush before exit
    process.stderr.write(`start-up failed: ${(err as Error)?.stack ?? String(err)}\n`);
    await app?.close().catch(() => undefined);
    await runtime.stop();
    process.exit(1);
  }
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : runtime.config.http.port;
  const base = runtime.config.http.publicUrl ?? `http://localhost:${port}`;
  const lines = [
    '',
    `  Qazvin citizen e-services — ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${config.database.embedded ? 'embedded' : 'real'} database, ${config.storage.embedded ? 'embedded' : 'external'} object storage)`,
    `  API:          ${base}/api/v1`,
    `  Swagger UI:   ${base}/docs   (OpenAPI JSON: ${base}/docs-json)`,
    `  Health:       ${base}/health/ready`,
  ];
  if (runtime.config.demo.seed) lines.push(`  Demo logins:  ${demoFilePath(runtime.config)}`);
  if (config.database.embedded) lines.push(`  Data:         ${config.dataDir} (kept between starts; Ctrl-C stops cleanly)`);
  process.stdout.write(lines.join('\n') + '\n\n');
}

/** The longest a stop may take: the readiness delay, the grace period, and time for the hooks and engines to close. */
function stopBoundMs(config: { shutdown: { delayMs: number; graceMs: number } }): number {
  return config.shutdown.delayMs + config.shutdown.graceMs + 5000;
}

void main();
