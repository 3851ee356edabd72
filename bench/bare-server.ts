/*
 * The comparison point of the benchmarks: a bare `node:http` + `pg` server running exactly
 * the same SQL as the application's hot read paths, with none of the framework (no Nest,
 * Express, validation, guards, logging or ORM). Started by the benchmark scripts as a
 * child process: `node -r ./scripts/register.js bench/bare-server.ts <port>` with
 * DATABASE_URL and DB_POOL_MAX in the environment.
 */
import { createServer } from 'node:http';
import { Pool } from 'pg';
import { toPgPlaceholders as toPg } from '../src/database/sql';
import { BillsRepository } from '../src/modules/billing/bills.repository';
import { GuildLicencesRepository } from '../src/modules/billing/guild-licences.repository';
import { PropertyBillingFacts } from '../src/modules/properties/billing-facts.read-model';
import { MAP_MAX_FEATURES } from '../src/modules/properties/properties.service';
import { PROPERTY_READ_SQL } from '../src/modules/properties/properties.repository';


// `prepared`: a named prepared statement (pg's public `{ name, text, values }`), the floor the bare server sets;
// the application runs the same SQL prepared too, on its read pool (`ReadPool`, src/database/read-pool.ts)
// `text`: the answer is that column of the row as is (the GeoJSON PostgreSQL built), not the row as JSON
// the debt lookup exactly as the application runs it; its parameters are the code, then the scope
const debts = new BillsRepository(new PropertyBillingFacts(), new GuildLicencesRepository());

const routes: Record<string, { sql: string; params: (q: URLSearchParams) => unknown[]; prepared?: boolean; text?: string }> = {
  '/lookup': { sql: toPg(PROPERTY_READ_SQL.summary), params: (q) => [q.get('code')], prepared: true },
  '/debts': { sql: toPg(debts.debtLookup('property', '').sql), params: (q) => [q.get('code'), `property:${q.get('code')}`], prepared: true },
  '/at': {
    prepared: true,
    sql: toPg(PROPERTY_READ_SQL.parcelAt),
    params: (q) => {
      const [lat, lon] = [Number(q.get('lat')), Number(q.get('lon'))];
      return [lon, lat, lon, lat];
    },
  },
  '/bbox': {
    prepared: true,
    text: 'fc',
    sql: toPg(PROPERTY_READ_SQL.parcelsInBbox),
    params: (q) => [...(q.get('bbox') ?? '').split(',').map(Number), MAP_MAX_FEATURES + 1],
  },
};

if (require.main === module) {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_MAX ?? 10) });
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const route = routes[url.pathname];
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    const values = route.params(url.searchParams);
    pool.query(route.prepared ? { name: url.pathname, text: route.sql, values } : { text: route.sql, values }).then(
      (r) => {
        const body = route.text ? String(r.rows[0]?.[route.text]) : JSON.stringify(r.rows[0] ?? null);
        res.writeHead(r.rows.length ? 200 : 404, { 'content-type': 'application/json' }).end(body);
      },
      (err: Error) => res.writeHead(500).end(err.message),
    );
  });
  server.keepAliveTimeout = 65_000;
  server.listen(Number(process.argv[2] ?? 3990), '127.0.0.1', () => process.send?.('ready'));
  process.on('SIGINT', () => server.close(() => void pool.end().then(() => process.exit(0))));
}
