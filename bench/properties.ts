/*
 * Benchmark of the property registry's hot read paths on real PostgreSQL with a generated
 * city (issue 4 targets at 50 concurrent connections: renewal-code lookup p99 ≤ 20 ms,
 * point lookup p99 ≤ 30 ms; a ~500-feature bbox p95 ≤ 150 ms).
 *
 *   npm run bench:properties -- [--parcels 1000000] [--seconds 15] [--connections 50] [--warmup 3] [--reload]
 *
 * The city is loaded once into database `qazvin_bench_props_<parcels>` (about 5 minutes for
 * 1,000,000 parcels) and reused by later runs unless --reload is given.
 */
import { generateCity } from '../src/cli/demo/demo-city';
import { loadRun, ensureBenchCity, parseArgs, processTreeCpuMs, report, startBareServer, startServer, type LoadResult } from './lib';

const args = parseArgs();
const parcels = Number(args.parcels ?? 1_000_000);
const seconds = Number(args.seconds ?? 15);
const connections = Number(args.connections ?? 50);
const warmup = Number(args.warmup ?? 3);

async function main(): Promise<void> {
  const url = await ensureBenchCity(parcels, Boolean(args.reload));
  const city = generateCity({ parcels });
  const rnd = (n: number) => Math.floor(Math.random() * n);
  const centre = (i: number) => {
    const ring = city.parcelAt(i).geometry.coordinates[0][0];
    const lons = ring.map((p) => p[0]);
    const lats = ring.map((p) => p[1]);
    return [(Math.min(...lons) + Math.max(...lons)) / 2, (Math.min(...lats) + Math.max(...lats)) / 2];
  };
  // bbox side (degrees) that holds about 500 parcels: calibrated from the layout's density
  const density = parcels / ((city.layout.bbox[2] - city.layout.bbox[0]) * (city.layout.bbox[3] - city.layout.bbox[1]));
  const side = Math.sqrt(500 / density);

  // request targets are prepared before the load so the generator costs nothing during it
  const picks = Array.from({ length: 20_000 }, () => rnd(parcels));
  const codes = picks.map((i) => city.parcelAt(i).renewalCode);
  const points = picks.map((i) => centre(i));
  let k = 0;
  const next = () => k++ % picks.length;

  // each run: `warmup` seconds not recorded, then the measured run with the server's CPU per request
  const run = async (base: string, pid: number, path: () => string): Promise<LoadResult & { cpuMs: number }> => {
    if (warmup) await loadRun(base, { connections, seconds: warmup }, path);
    const cpu0 = processTreeCpuMs(pid);
    const r = await loadRun(base, { connections, seconds }, path);
    return { ...r, cpuMs: (processTreeCpuMs(pid) - cpu0) / r.total };
  };
  const cpu = (r: { cpuMs: number }) => `server CPU ${r.cpuMs.toFixed(3)} ms/request`;
  const server = await startServer({ DATABASE_URL: url, TRUST_PROXY: '1', JOBS_WORKER_ENABLED: 'false', WEB_CONCURRENCY: String(args.workers ?? 1) }, Number(args.port ?? 3903));
  try {
    const sample = await fetch(`${server.base}/api/v1/map/parcels?bbox=${bboxAround(points[0], side)}`).then((r) => r.json() as Promise<{ features?: unknown[] }>);
    console.log(`\nproperties benchmark — ${parcels} parcels, real PostgreSQL, ${connections} connections, ${seconds} s each; sample bbox holds ${sample.features?.length} parcels`);
    const pid = server.proc.pid!;
    const lookup = await run(server.base, pid, () => `/api/v1/properties/${codes[next()]}`);
    report('renewal-code lookup', lookup, `target: p99 ≤ 20 ms; ${cpu(lookup)}`);
    const point = await run(server.base, pid, () => {
      const [lon, lat] = points[next()];
      return `/api/v1/map/parcels/at?lat=${lat}&lon=${lon}`;
    });
    report('point lookup', point, `target: p99 ≤ 30 ms; ${cpu(point)}`);
    const bbox = await run(server.base, pid, () => `/api/v1/map/parcels?bbox=${bboxAround(points[next()], side)}`);
    report('~500-feature bbox', bbox, `target: p95 ≤ 150 ms (autocannon gives no p95: p97.5 then); ${cpu(bbox)}`);
  } finally {
    await server.stop();
  }
  // The ceiling of this machine: the same SQL behind a bare node:http + pg handler.
  if (!args['no-bare']) {
    const bare = await startBareServer(url, Number(args['bare-port'] ?? 3904));
    try {
      const lookup = await run(bare.base, bare.pid, () => `/lookup?code=${codes[next()]}`);
      report('bare node:http+pg lookup', lookup, `(same SQL, no framework); ${cpu(lookup)}`);
      const point = await run(bare.base, bare.pid, () => {
        const [lon, lat] = points[next()];
        return `/at?lat=${lat}&lon=${lon}`;
      });
      report('bare node:http+pg point', point, `(same SQL, no framework); ${cpu(point)}`);
      const bbox = await run(bare.base, bare.pid, () => `/bbox?bbox=${bboxAround(points[next()], side)}`);
      report('bare node:http+pg bbox', bbox, `(same SQL, no framework); ${cpu(bbox)}`);
    } finally {
      await bare.stop();
    }
  }
}

function bboxAround([lon, lat]: number[], side: number): string {
  const h = side / 2;
  return [lon - h, lat - h, lon + h, lat + h].map((v) => v.toFixed(6)).join(',');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
