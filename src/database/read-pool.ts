import { createHash } from 'node:crypto';
import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { Pool } from 'pg';
import { APP_CONFIG } from '../config/config.module';
import type { ResolvedConfig } from '../config/app-config';
import { guardConnection } from './connection-guard';
import { type Query, type Row, toPgPlaceholders } from './sql';

/**
 * Where the hot public reads (a property's summary, the parcel at a point, the parcels in a
 * bbox, the debts of a property or licence) run their one statement, outside any unit of work.
 *
 * On PostgreSQL: a `pg` pool of its own running each statement as a named prepared statement
 * through pg's public `{ name, text, values }`, so the server parses and plans it once per
 * connection, not on every request, and the statement skips the ORM's per-query work
 * (bench/RESULTS-hot-reads.md measures both). The pool holds at most the public requests' share
 * of connections (`DB_BULKHEAD_PUBLIC`, see the README's configuration), opens them on demand
 * and closes them after 30 s idle; its sessions get the same statement timeouts and the same
 * client-side backstop as the ORM's.
 *
 * On the embedded engine (one PGlite session): the ORM's connection, through its public `execute`.
 */
@Injectable()
export class ReadPool implements OnApplicationShutdown {
  private readonly pool?: Pool;
  /** The hot reads' few statement texts → their prepared statements (named by a hash of the text). */
  private readonly prepared = new Map<string, { name: string; text: string }>();

  constructor(
    private readonly em: EntityManager,
    @Inject(APP_CONFIG) config: ResolvedConfig,
  ) {
    const db = config.database;
    if (db.embedded) return;
    const logger = new Logger('ReadPool');
    this.pool = new Pool({
      connectionString: db.url,
      max: db.bulkheads.limits.public || db.poolMax,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: db.acquireTimeoutMs,
      application_name: 'qazvin-citizen-services',
      ...(db.session && { statement_timeout: db.session.statementTimeoutMs, lock_timeout: db.session.lockTimeoutMs }),
    });
    this.pool.on('connect', (client) =>
      guardConnection(client, db.queryTimeoutMs, (ms) =>
        logger.warn(`a read had no answer after ${ms} ms: its connection was destroyed`),
      ),
    );
    // an idle connection the server ended: pg removes it from the pool; say so instead of crashing
    this.pool.on('error', (err) => logger.warn(`an idle read connection failed: ${err.message}`));
  }

  /** Runs one query and reads its rows. */
  async run<T>(q: Query<T>): Promise<T> {
    if (!this.pool) return q.read(await this.em.getConnection().execute<Row[]>(q.sql, q.params));
    let statement = this.prepared.get(q.sql);
    if (!statement) {
      statement = { name: `r_${createHash('sha1').update(q.sql).digest('hex').slice(0, 20)}`, text: toPgPlaceholders(q.sql) };
      this.prepared.set(q.sql, statement);
    }
    const result = await this.pool.query({ ...statement, values: q.params });
    return q.read(result.rows as Row[]);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool?.end();
  }
}

@Global()
@Module({ providers: [ReadPool], exports: [ReadPool] })
export class ReadPoolModule {}
