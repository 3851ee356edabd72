import { mkdirSync } from 'node:fs';
import { Logger } from '@nestjs/common';

/**
 * The embedded PostgreSQL of the default mode: PGlite (PostgreSQL 18 in WASM) with PostGIS
 * and pg_trgm, served over the PostgreSQL wire protocol by pglite-socket, so the
 * application talks to it through its ordinary `pg` driver exactly as to a real server.
 *
 * Known limit: PGlite is a single session. pglite-socket queues queries of all
 * connections, and while one connection has a transaction open the others wait. Code
 * must therefore run every statement of a transaction on that transaction's connection.
 */
export interface EmbeddedPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(options: {
  dataDir: string | undefined;
  port: number;
  logger?: Logger;
}): Promise<EmbeddedPostgres> {
  const logger = options.logger ?? new Logger('EmbeddedPostgres');
  // ESM-only packages: loaded with a real dynamic import even when compiled to CommonJS.
  const esmImport = new Function('s', 'return import(s)') as <T>(s: string) => Promise<T>;
  const { PGlite } = await esmImport<typeof import('@electric-sql/pglite')>('@electric-sql/pglite');
  const { postgis } = await esmImport<typeof import('@electric-sql/pglite-postgis')>('@electric-sql/pglite-postgis');
  // (typed loosely: its types resolve only under node16 module resolution)
  const { pg_trgm } = await esmImport<{ pg_trgm: NonNullable<Parameters<typeof PGlite.create>[1]>['extensions'] extends infer E ? E[keyof E] : never }>(
    '@electric-sql/pglite/contrib/pg_trgm',
  );
  const { PGLiteSocketServer } = await esmImport<typeof import('@electric-sql/pglite-socket')>(
    '@electric-sql/pglite-socket',
  );
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const started = Date.now();
  const db = await PGlite.create(options.dataDir ?? 'memory://', { extensions: { postgis, pg_trgm } });
  const server = new PGLiteSocketServer({
    db,
    port: options.port,
    host: '127.0.0.1',
    maxConnections: 64,
  });
  await server.start();
  const port = Number(server.getServerConn().split(':').pop());
  logger.log(`embedded PostgreSQL (PGlite + PostGIS) ready on 127.0.0.1:${port} in ${Date.now() - started} ms`);
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
