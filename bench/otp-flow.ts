/*
 * Benchmark: complete citizen OTP flows (request a code → read it from the sandbox
 * outbox → verify it) on real PostgreSQL with the sandbox SMS provider and the job worker
 * delivering the messages. Target (issue 3): ≥ 300 complete flows/s on this 2-core machine.
 *
 *   npm run bench:otp -- [--seconds 20] [--concurrency 50] [--workers 1]
 *
 * Each virtual client uses its own mobile number and its own client IP (X-Forwarded-For,
 * TRUST_PROXY=1), as real traffic from many phones behind a load balancer would; the
 * per-number and per-IP limits stay at their defaults.
 *
 * Then, in the same run (`--no-bare` skips it), the same flows against
 * `bench/bare-otp-server.ts`: a bare node:http + pg server writing and reading the same tables
 * with one statement per request, which shows this machine's ceiling for these requests.
 */
import { benchPhone, closedLoop, freshDatabase, httpJson, otpBenchEnv, outboxCode, parseArgs, processTreeCpuMs, startBareServer, startServer, summarize } from './lib';

const args = parseArgs();
const seconds = Number(args.seconds ?? 20);
const concurrency = Number(args.concurrency ?? 50);

type Latencies = { otp: number[]; outbox: number[]; verify: number[]; flow: number[] };

/** Complete flows against `base` from `concurrency` closed-loop clients; mobiles and client IPs from `first` on. */
async function measure(base: string, pid: number, first: number) {
  const lat: Latencies = { otp: [], outbox: [], verify: [], flow: [] };
  const timed = async <T>(bucket: number[], fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const out = await fn();
    bucket.push(performance.now() - t0);
    return out;
  };
  const flow = async (n: number) => {
    const t0 = performance.now();
    const { mobile, headers: ip } = benchPhone(first + n);
    const r1 = await timed(lat.otp, () => httpJson(base, 'POST', '/api/v1/auth/otp', { mobile }, ip));
    if (r1.status !== 202) throw new Error(`otp ${r1.status} ${JSON.stringify(r1.body)}`);
    const r2 = await timed(lat.outbox, () => httpJson(base, 'GET', `/api/v1/sandbox/sms-outbox?mobile=${mobile}`, undefined, ip));
    const code = outboxCode(r2.body);
    if (!code) throw new Error(`no code (${r2.status})`);
    const r3 = await timed(lat.verify, () => httpJson(base, 'POST', '/api/v1/auth/otp/verify', { mobile, code }, ip));
    const body = r3.body as { status?: string };
    if (r3.status !== 200 || body.status !== 'registration_required') throw new Error(`verify ${r3.status} ${JSON.stringify(body)}`);
    lat.flow.push(performance.now() - t0);
  };
  // warm-up
  await closedLoop(10, 3, (n) => flow(900000 + n));
  for (const k of Object.keys(lat) as Array<keyof Latencies>) lat[k].length = 0;
  const cpu0 = processTreeCpuMs(pid);
  const run = await closedLoop(concurrency, seconds, flow);
  return { ...run, lat, cpuMs: processTreeCpuMs(pid) - cpu0 };
}

function report(label: string, m: Awaited<ReturnType<typeof measure>>): void {
  const rate = m.done / m.elapsed;
  console.log(summarize(`${label}POST /auth/otp`, m.lat.otp));
  console.log(summarize(`${label}GET /sandbox/sms-outbox`, m.lat.outbox));
  console.log(summarize(`${label}POST /auth/otp/verify`, m.lat.verify));
  console.log(summarize(`${label}complete flow`, m.lat.flow));
  console.log(`${label}server CPU: ${(m.cpuMs / m.done).toFixed(2)} ms per complete flow (${(m.cpuMs / 1000 / m.elapsed).toFixed(2)} cores busy on average)`);
  console.log(`${label}complete flows: ${m.done} in ${m.elapsed.toFixed(1)} s = ${rate.toFixed(0)} flows/s (errors: ${m.errors})`);
}

async function main(): Promise<void> {
  const url = await freshDatabase('qazvin_bench_otp');
  const jwtSecret = 'bench-secret-'.padEnd(48, 'x');
  const server = await startServer(
    otpBenchEnv(url, jwtSecret, { WEB_CONCURRENCY: String(args.workers ?? 1) }),
    Number(args.port ?? 3901),
  );
  const app = await measure(server.base, server.proc.pid!, 0);
  await server.stop();
  console.log(`\nOTP flow benchmark — real PostgreSQL, sandbox SMS, ${concurrency} concurrent clients, ${app.elapsed.toFixed(1)} s`);
  report('', app);
  const rate = app.done / app.elapsed;
  console.log(`target ≥ 300 flows/s: ${rate >= 300 ? 'MET' : 'NOT MET'}`);
  if ('no-bare' in args) return;
  // other mobiles and IPs than the application's run: its cooldowns and counters stay in the tables
  const bare = await startBareServer(url, Number(args['bare-port'] ?? 3911), 20, { script: 'bench/bare-otp-server.ts', env: { JWT_SECRET: jwtSecret } });
  const ceiling = await measure(bare.base, bare.pid, 2_000_000);
  await bare.stop();
  console.log(`\nthe same flows on bench/bare-otp-server.ts (bare node:http + pg, the same tables, one statement per request):`);
  report('bare ', ceiling);
  console.log(`application ÷ bare: ${(rate / (ceiling.done / ceiling.elapsed)).toFixed(2)} of the flows/s, ${(app.cpuMs / app.done / (ceiling.cpuMs / ceiling.done)).toFixed(2)}× the CPU per flow`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
