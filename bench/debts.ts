/*
 * Benchmark of the public debt lookup (issue 5): `GET /api/v1/debts?renewalCode=&region=`
 * on real PostgreSQL with 1,000,000 properties and their renewal and waste demands of three
 * Jalali years. Targets at 50 connections: p99 ≤ 25 ms, and throughput ≥ 0.5 × that of a
 * bare node:http + pg handler running the same statement, measured in the same run.
 *
 *   npm run bench:debts -- [--parcels 1000000] [--seconds 15] [--connections 50] [--warmup 3] [--workers 1]
 *
 * Every property looked up gets its bill on the first lookup (one insert); a warm-up pass
 * over the sampled codes issues those bills first, so the measured requests are the steady
 * state in which both servers run exactly one statement per request.
 */
import { toJalali } from '@app/iran';
import { Client } from 'pg';
import { loadRun, ensureBenchCity, ensureBenchDemands, parseArgs, processTreeCpuMs, report, startBareServer, startServer } from './lib';

const args = parseArgs();
const parcels = Number(args.parcels ?? 1_000_000);
const seconds = Number(args.seconds ?? 15);
const connections = Number(args.connections ?? 50);
const warmup = Number(args.warmup ?? 3);

async function main(): Promise<void> {
  const url = await ensureBenchCity(parcels);
  const { jy } = toJalali(new Date());
  await ensureBenchDemands(url, [jy - 2, jy - 1, jy]);
  const c = new Client({ connectionString: url });
  await c.connect();
  const sample = await c.query<{ renewal_code: string; region: number }>(
    `select renewal_code, region from property tablesample system (2) where building >= 0 limit 20000`,
  );
  await c.end();
  const codes = sample.rows.map((r) => `renewalCode=${r.renewal_code}&region=${r.region}`);
  let k = 0;
  const next = () => codes[k++ % codes.length];
  const run = (base: string, path: () => string, secs = seconds) => loadRun(base, { connections, seconds: secs }, path);

  const server = await startServer(
    { DATABASE_URL: url, TRUST_PROXY: '1', JOBS_WORKER_ENABLED: 'false', WEB_CONCURRENCY: String(args.workers ?? 1) },
    Number(args.port ?? 3905),
  );
  let app;
  let cpuPerRequest: number;
  try {
    // warm-up: issue the bills of the sampled properties (first lookups insert them)
    for (let i = 0; i < codes.length; i += 500) {
      await Promise.all(codes.slice(i, i + 500).map((q) => fetch(`${server.base}/api/v1/debts?${q}`).then((r) => r.arrayBuffer())));
    }
    // settle the database after those inserts, so autovacuum and the checkpoint they set off
    // do not run during the measurement
    const admin = new Client({ connectionString: url });
    await admin.connect();
    await admin.query('vacuum analyze billing_bill');
    await admin.query('checkpoint');
    await admin.end();
    console.log(`\ndebts benchmark — ${parcels} properties, ${codes.length} sampled, real PostgreSQL, ${connections} connections, ${seconds} s each`);
    await run(server.base, () => `/api/v1/debts?${next()}`, warmup); // not recorded: JIT, pool connections
    const cpu0 = processTreeCpuMs(server.proc.pid!);
    app = await run(server.base, () => `/api/v1/debts?${next()}`);
    cpuPerRequest = (processTreeCpuMs(server.proc.pid!) - cpu0) / app.total;
    report('GET /api/v1/debts', app, 'target: p99 ≤ 25 ms');
  } finally {
    await server.stop();
  }
  const bare = await startBareServer(url, Number(args['bare-port'] ?? 3907));
  let base;
  try {
    await run(bare.base, () => `/debts?code=${next().split('&')[0].slice('renewalCode='.length)}`, warmup);
    const cpu0 = processTreeCpuMs(bare.pid);
    base = await run(bare.base, () => `/debts?code=${next().split('&')[0].slice('renewalCode='.length)}`);
    const bareCpu = (processTreeCpuMs(bare.pid) - cpu0) / base.total;
    report('bare node:http+pg, same SQL', base, '');
    console.log(`server CPU per request: application ${cpuPerRequest.toFixed(3)} ms, bare ${bareCpu.toFixed(3)} ms`);
  } finally {
    await bare.stop();
  }
  const ratio = app.perSecond / base.perSecond;
  const met = app.latency.p99 <= 25 && ratio >= 0.5;
  console.log(`throughput ratio application/bare = ${ratio.toFixed(2)} (target ≥ 0.5); p99 = ${app.latency.p99} ms (target ≤ 25): ${met ? 'MET' : 'NOT MET'}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
