/* Shared helpers of the benchmark scripts: start the built server against a fresh real
 * PostgreSQL database, wait until ready, run a closed-loop load, and summarise latencies. */
import autocannon from 'autocannon';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { Agent, request } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

export const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function freshDatabase(name: string): Promise<string> {
  const c = new Client({ connectionString: ADMIN_URL });
  await c.connect();
  await c.query(`drop database if exists "${name}" with (force)`);
  await c.query(`create database "${name}"`);
  await c.end();
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function startServer(env: Record<string, string>, port: number): Promise<{ proc: ChildProcess; base: string; stop(): Promise<void> }> {
  // as `npm start` and the production image run it (package.json, docker/Dockerfile)
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '--max-semi-space-size=64').split(' ').filter(Boolean);
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-'));
  // Several HTTP workers need an external object store and a shared JWT secret (the
  // embedded ones live in one process): an s3rver in its own process stands in for MinIO.
  let s3: BenchS3 | undefined;
  if (Number(env.WEB_CONCURRENCY ?? 1) > 1 && !env.S3_ENDPOINT) {
    s3 = await startBenchS3();
    env = { ...s3.env, JWT_SECRET: 'bench-secret-'.padEnd(48, 'x'), ...env };
  }
  // BENCH_SERVER_ENTRY: another build to compare (A/B of a patched copy of dist/)
  const proc = spawn(process.execPath, [...nodeArgs, process.env.BENCH_SERVER_ENTRY ?? 'dist/src/main.js'], {
    env: { ...process.env, PORT: String(port), LOG_LEVEL: 'warn', DATA_DIR: dataDir, ...env },
    stdio: ['ignore', process.env.BENCH_SERVER_STDOUT ? 'inherit' : 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240; i++) {
    await new Promise((r) => setTimeout(r, 500));
    const ok = await fetch(`${base}/health/ready`).then((r) => r.ok, () => false);
    if (ok) break;
    if (proc.exitCode !== null) throw new Error('server exited');
  }
  return {
    proc,
    base,
    stop: () =>
      new Promise<void>((resolve) => {
        proc.once('exit', () => void (s3?.stop() ?? Promise.resolve()).then(() => resolve()));
        proc.kill('SIGINT');
      }),
  };
}

export interface BenchS3 {
  pid: number;
  /** S3_* settings of the server under test. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** s3rver in its own process (`bench/s3-server.ts`), standing in for MinIO on its own machine. */
export async function startBenchS3(): Promise<BenchS3> {
  const proc = spawn(process.execPath, ['-r', './scripts/register.js', 'bench/s3-server.ts'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const s3 = await new Promise<{ port: number; accessKey: string; secretKey: string }>((resolve, reject) => {
    proc.once('message', (m) => resolve(m as { port: number; accessKey: string; secretKey: string }));
    proc.once('exit', (code) => reject(new Error(`s3rver exited (${code})`)));
  });
  return {
    pid: proc.pid!,
    env: { S3_ENDPOINT: '127.0.0.1', S3_PORT: String(s3.port), S3_ACCESS_KEY: s3.accessKey, S3_SECRET_KEY: s3.secretKey },
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGINT');
      }),
  };
}

/**
 * The OTP benches' i-th phone: its own mobile number and its own client IP (X-Forwarded-For,
 * read with TRUST_PROXY=1), as many phones behind a load balancer; the limits stay at their defaults.
 */
export function benchPhone(i: number): { mobile: string; headers: Record<string, string> } {
  return {
    mobile: `0912${String(1000000 + i).padStart(7, '0')}`,
    headers: { 'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` },
  };
}

/** The application's environment in the OTP benches: sandbox SMS, trusted proxy, the default pool and job worker. */
export function otpBenchEnv(databaseUrl: string, jwtSecret: string, extra: Record<string, string> = {}): Record<string, string> {
  return { DATABASE_URL: databaseUrl, SANDBOX_MODE: 'true', TRUST_PROXY: '1', JWT_SECRET: jwtSecret, DB_POOL_MAX: '20', JOBS_POLL_INTERVAL_MS: '200', ...extra };
}

/**
 * The OTP code of the newest sandbox outbox message: its `code` field, or six digits of its
 * text (ASCII or Persian) for builds whose outbox has no code field (an A/B against an older build).
 */
export function outboxCode(outbox: unknown): string | undefined {
  const list = (Array.isArray(outbox) ? outbox : (outbox as { items?: unknown[] } | undefined)?.items) as
    | Array<{ body?: string; code?: string | null }>
    | undefined;
  const first = list?.[0];
  if (first?.code) return first.code;
  const digits = /([0-9۰-۹]{6})/.exec(first?.body ?? '')?.[1];
  return digits?.replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0));
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function summarize(name: string, samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  const f = (n: number) => n.toFixed(1);
  return `${name.padEnd(22)} n=${String(s.length).padStart(6)}  p50=${f(percentile(s, 50))} ms  p95=${f(percentile(s, 95))} ms  p99=${f(percentile(s, 99))} ms`;
}

/** Runs `worker` in `concurrency` closed loops for `seconds`; returns completed iterations. */
export async function closedLoop(concurrency: number, seconds: number, worker: (i: number) => Promise<void>): Promise<{ done: number; errors: number; elapsed: number }> {
  const end = Date.now() + seconds * 1000;
  let next = 0;
  let done = 0;
  let errors = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        const i = next++;
        try {
          await worker(i);
          done++;
        } catch (err) {
          errors++;
          if (errors <= 3) process.stderr.write(`iteration failed: ${(err as Error).message}\n`);
        }
      }
    }),
  );
  return { done, errors, elapsed: (Date.now() - started) / 1000 };
}

/**
 * Starts `bench/bare-server.ts` (node:http + pg, same SQL, no framework) — or another bare
 * server `script` with more `env` — on `port`, with the application's pool size: DB_POOL_MAX
 * of this environment, which the application under test gets too, else the application's
 * default of 10.
 */
export async function startBareServer(
  databaseUrl: string,
  port: number,
  poolMax = Number(process.env.DB_POOL_MAX ?? 10),
  { script = 'bench/bare-server.ts', env = {} }: { script?: string; env?: Record<string, string> } = {},
): Promise<{ base: string; pid: number; stop(): Promise<void> }> {
  const proc = spawn(process.execPath, ['-r', './scripts/register.js', script, String(port)], {
    env: { ...process.env, ...env, DATABASE_URL: databaseUrl, DB_POOL_MAX: String(poolMax) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    proc.once('message', () => resolve());
    proc.once('exit', (code) => reject(new Error(`bare server exited (${code})`)));
  });
  return {
    base: `http://127.0.0.1:${port}`,
    pid: proc.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        proc.once('exit', () => resolve());
        proc.kill('SIGINT');
      }),
  };
}

const keepAlive = new Agent({ keepAlive: true, maxSockets: 256 });

/**
 * A lean HTTP/1.1 keep-alive request for the closed loops (node:http; `fetch` costs several
 * times more CPU per request, and the load generator shares the machine's two cores).
 * `options.agent` replaces the shared keep-alive agent; `options.timeoutMs` fails a request
 * whose socket stays silent that long.
 */
export function httpRequest(
  base: string,
  method: string,
  path: string,
  body?: Buffer,
  headers: Record<string, string> = {},
  options: { agent?: Agent; timeoutMs?: number } = {},
): Promise<{ status: number; text: string }> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method,
        agent: options.agent ?? keepAlive,
        headers: body ? { ...headers, 'content-length': String(body.length) } : headers,
        ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('client timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

/** `httpRequest` with a JSON body and a parsed JSON answer (the text when it is not JSON). */
export async function httpJson(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown }> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const res = await httpRequest(base, method, path, payload, payload ? { ...headers, 'content-type': 'application/json' } : headers);
  let parsed: unknown = res.text;
  try {
    parsed = res.text ? JSON.parse(res.text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed };
}

/**
 * CPU time (ms, user + system) used so far by a process and its direct children (cluster
 * workers), from /proc. Per-request CPU is a steadier yardstick than throughput on a shared
 * two-core machine.
 */
export function processTreeCpuMs(pid: number): number {
  const children = readOr(`/proc/${pid}/task/${pid}/children`).trim().split(/\s+/).filter(Boolean);
  return [String(pid), ...children].reduce((ms, p) => ms + ticksOf(readOr(`/proc/${p}/stat`)), 0);
}

/** utime + stime of a /proc stat line, in ms (USER_HZ = 100); 0 for a process that is gone. */
const ticksOf = (stat: string) => {
  if (!stat) return 0;
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};
const readOr = (path: string, fallback = '') => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
};

/** CPU ms used so far by a process's main thread, and by its other threads (libuv's pool, libvips, V8's helpers) and cluster workers. */
function threadsCpuMs(pid: number): { main: number; other: number } {
  const main = ticksOf(readOr(`/proc/${pid}/task/${pid}/stat`));
  return { main, other: processTreeCpuMs(pid) - main };
}

/** CPU ms used so far by every PostgreSQL process of the machine (backends, WAL writer, checkpointer…). */
function postgresCpuMs(): number {
  let ms = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = readOr(`/proc/${pid}/stat`);
    if (stat.includes(' (postgres) ')) ms += ticksOf(stat);
  }
  return ms;
}

/** Busy CPU ms of the whole machine so far (all cores), from /proc/stat. */
function machineBusyMs(): number {
  const f = readOr('/proc/stat').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return ((f.reduce((a, b) => a + b, 0) - f[3] - f[4]) * 1000) / 100;
}

/**
 * Where the machine's CPU went during a run, per unit of work: the server's main thread and
 * its other threads, PostgreSQL, named helper processes (s3rver), this process (the load
 * generator) and everything else, from its creation (just before the run) to `stop(units)`.
 */
export function cpuMeter(server: number, helpers: Record<string, number>) {
  const read = () => ({
    server: threadsCpuMs(server),
    postgres: postgresCpuMs(),
    helpers: Object.fromEntries(Object.entries(helpers).map(([k, pid]) => [k, processTreeCpuMs(pid)])),
    self: process.cpuUsage(),
    machine: machineBusyMs(),
    at: performance.now(),
  });
  const before = read();
  return {
    stop(units: number): { perUnit: Record<string, number>; coresBusy: number } {
      const after = read();
      const self = process.cpuUsage(before.self);
      const parts: Record<string, number> = {
        'server main thread': after.server.main - before.server.main,
        'server other threads, workers': after.server.other - before.server.other,
        PostgreSQL: after.postgres - before.postgres,
        ...Object.fromEntries(Object.keys(helpers).map((k) => [k, after.helpers[k] - before.helpers[k]])),
        'load generator': (self.user + self.system) / 1000,
      };
      const machine = after.machine - before.machine;
      parts['everything else'] = machine - Object.values(parts).reduce((a, b) => a + b, 0);
      parts.machine = machine;
      return {
        perUnit: Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, v / units])),
        coresBusy: machine / (after.at - before.at),
      };
    },
  };
}

/** What a closed-loop load run measured (latencies in ms), whichever generator ran it. */
export interface LoadResult {
  generator: 'wrk' | 'autocannon';
  total: number;
  perSecond: number;
  latency: { p50: number; p90: number; p95?: number; p97_5: number; p99: number; max: number };
  non2xx: number;
  errors: number;
}

const WRK_SCRIPT = `
local paths = {}
local i = 0
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  i = math.random(#paths)
end
function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK {"total":%d,"us":%d,"non2xx":%d,"errors":%d,"p50":%.0f,"p90":%.0f,"p95":%.0f,"p97_5":%.0f,"p99":%.0f,"max":%.0f}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(97.5), latency:percentile(99), latency.max))
end
`;

let wrkPath: string | null | undefined;
/** wrk (Debian package `wrk`), unless `BENCH_GENERATOR=autocannon` or it is not installed. */
function findWrk(): string | null {
  if (wrkPath !== undefined) return wrkPath;
  const found = spawnSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' }).stdout.trim();
  wrkPath = process.env.BENCH_GENERATOR === 'autocannon' || !found ? null : found;
  if (!wrkPath && process.env.BENCH_GENERATOR !== 'autocannon') {
    console.warn('wrk not found (apt-get install -y wrk): using autocannon, which takes more of the CPU the server would use');
  }
  return wrkPath;
}

/**
 * A closed-loop run of GETs over `connections` keep-alive connections for `seconds`, the
 * paths taken in turn from `path()` (prepared beforehand, so producing them costs nothing
 * during the load). The generator is wrk, a C program using one thread, when installed:
 * on two shared cores autocannon (Node) takes roughly a core of its own at these rates and
 * that CPU comes out of the server's latency. `BENCH_GENERATOR=autocannon` forces it.
 */
export async function loadRun(base: string, opts: { connections: number; seconds: number; warmup?: number }, path: () => string): Promise<LoadResult> {
  // the same load for `warmup` seconds first, not recorded: JIT compilation, the pool's connections, caches
  if (opts.warmup) await loadRun(base, { connections: opts.connections, seconds: opts.warmup }, path);
  const wrk = findWrk();
  if (!wrk) return autocannonRun(base, opts, path);
  const dir = mkdtempSync(join(tmpdir(), 'wrk-'));
  writeFileSync(join(dir, 'paths'), Array.from({ length: 20_000 }, path).join('\n') + '\n');
  writeFileSync(join(dir, 'run.lua'), WRK_SCRIPT);
  const out = await new Promise<string>((resolve, reject) => {
    const p = spawn(wrk, ['-t1', `-c${opts.connections}`, `-d${opts.seconds}s`, '--timeout', '10s', '-s', join(dir, 'run.lua'), base, '--', join(dir, 'paths')]);
    let text = '';
    p.stdout.on('data', (d) => (text += d));
    p.stderr.on('data', (d) => (text += d));
    p.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`wrk exited ${code}: ${text}`))));
  });
  rmSync(dir, { recursive: true, force: true });
  const line = out.split('\n').find((l) => l.startsWith('WRK '));
  if (!line) throw new Error(`wrk printed no summary: ${out}`);
  const w = JSON.parse(line.slice(4)) as Record<string, number>;
  const ms = (us: number) => Math.round(us / 100) / 10;
  return {
    generator: 'wrk',
    total: w.total,
    perSecond: w.total / (w.us / 1e6),
    latency: { p50: ms(w.p50), p90: ms(w.p90), p95: ms(w.p95), p97_5: ms(w.p97_5), p99: ms(w.p99), max: ms(w.max) },
    non2xx: w.non2xx,
    errors: w.errors,
  };
}

function autocannonRun(base: string, opts: { connections: number; seconds: number }, path: () => string): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: base,
        connections: opts.connections,
        duration: opts.seconds,
        requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: path() }) }],
      },
      (err, r) =>
        err
          ? reject(err)
          : resolve({
              generator: 'autocannon',
              total: r.requests.total,
              perSecond: r.requests.average,
              latency: { p50: r.latency.p50, p90: r.latency.p90, p97_5: r.latency.p97_5, p99: r.latency.p99, max: r.latency.max },
              non2xx: r.non2xx,
              errors: r.errors,
            }),
    );
  });
}

export function report(name: string, r: LoadResult, note: string): void {
  const lat = r.latency;
  const p95 = lat.p95 === undefined ? '' : `  p95=${lat.p95} ms`;
  console.log(
    `${name.padEnd(30)} ${String(Math.round(r.perSecond)).padStart(6)} req/s  p50=${lat.p50} ms  p90=${lat.p90} ms${p95}  p97.5=${lat.p97_5} ms  p99=${lat.p99} ms  non-2xx=${r.non2xx}  errors=${r.errors}  [${r.generator}]  ${note}`,
  );
}

/** `--name value` and bare `--flag` arguments. */
export function parseArgs(argv = process.argv.slice(2)): Record<string, string> {
  return Object.fromEntries(
    argv.map((a, i, all) => (a.startsWith('--') ? [a.slice(2), all[i + 1]?.startsWith('--') ? 'true' : (all[i + 1] ?? 'true')] : [])).filter((x) => x.length),
  );
}

function cli(url: string, ...command: string[]): void {
  const res = spawnSync(process.execPath, ['-r', './scripts/register.js', 'src/cli/main.ts', ...command], {
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (res.status !== 0) throw new Error(`cli ${command.join(' ')} failed`);
}

/**
 * The generated city in database `qazvin_bench_props_<parcels>`, loaded once (about 5
 * minutes for 1,000,000 parcels; `city:generate` loads nothing when it is already there)
 * and reused by later runs unless `reload`. Migrations run every time.
 */
export async function ensureBenchCity(parcels: number, reload = false): Promise<string> {
  const name = `qazvin_bench_props_${parcels}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  const exists = (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount;
  if (exists && reload) await admin.query(`drop database "${name}" with (force)`);
  if (!exists || reload) await admin.query(`create database "${name}"`);
  await admin.end();
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  const url = u.toString();
  const t0 = Date.now();
  cli(url, 'city:generate', '--parcels', String(parcels));
  console.log(`city ready (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return url;
}

/** Assesses the given Jalali years for the whole bench city unless demands of that year exist. */
export async function ensureBenchDemands(url: string, years: number[]): Promise<void> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    for (const year of years) {
      const { rowCount } = await c.query('select 1 from billing_demand where jalali_year = $1 limit 1', [year]);
      if (rowCount) continue;
      const t0 = Date.now();
      cli(url, 'billing:assess', '--year', String(year));
      console.log(`year ${year} assessed (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    }
    await c.query('vacuum analyze billing_demand');
  } finally {
    await c.end();
  }
}
