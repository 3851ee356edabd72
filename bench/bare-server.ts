/*
 * The comparison point of the benchmarks: a bare `node:http` + `pg` server running exactly
 * the same SQL as the application's hot read paths, with none of the framework (no Nest,
 * Express, validation, guards, logging or ORM). Started by the benchmark scripts as a
 * child process: `node -r ./scripts/register.js bench/bare-server.ts <port>` with
 * DATABASE_URL and DB_POOL_MAX in the environment.
 */
import { createServer } from 'node:http';
import { Pool } from 'pg';
import { debtLookupSql } from '../src/modules/billing/billing.service';
import { PROPERTY_READ_SQL } from '../src/modules/properties/properties.service';

/** knex `?` placeholders → PostgreSQL `$n`. */
export function toPg(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

const routes: Record<string, { sql: string; params: (q: URLSearchParams) => unknown[] }> = {
  '/lookup': { sql: toPg(PROPERTY_READ_SQL.summary), params: (q) => [q.get('code')] },
  '/debts': { sql: toPg(debtLookupSql('property')), params: (q) => [q.get('code'), `property:${q.get('code')}`] },
  '/at': {
    sql: toPg(PROPERTY_READ_SQL.parcelAt),
    params: (q) => {
      const [lat, lon] = [Number(q.get('lat')), Number(q.get('lon'))];
      return [lon, lat, lon, lat];
    },
  },
};

if (require.main === module) {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_MAX ?? 20) });
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const route = routes[url.pathname];
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    pool.query(route.sql, route.params(url.searchParams)).then(
      (r) => {
        const body = JSON.stringify(r.rows[0] ?? null);
        res.writeHead(r.rows.length ? 200 : 404, { 'content-type': 'application/json' }).end(body);
      },
      (err: Error) => res.writeHead(500).end(err.message),
    );
  });
  server.keepAliveTimeout = 65_000;
  server.listen(Number(process.argv[2] ?? 3990), '127.0.0.1', () => process.send?.('ready'));
  process.on('SIGINT', () => server.close(() => void pool.end().then(() => process.exit(0))));
}
