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
 */
import { closedLoop, freshDatabase, httpJson, outboxCode, processTreeCpuMs, startServer, summarize } from './lib';

const args = Object.fromEntries(process.argv.slice(2).map((a, i, all) => (a.startsWith('--') ? [a.slice(2), all[i + 1]] : [])).filter((x) => x.length));
const seconds = Number(args.seconds ?? 20);
const concurrency = Number(args.concurrency ?? 50);

async function main(): Promise<void> {
  const url = await freshDatabase('qazvin_bench_otp');
  const server = await startServer(
    { DATABASE_URL: url, SANDBOX_MODE: 'true', TRUST_PROXY: '1', JWT_SECRET: 'bench-secret-'.padEnd(48, 'x'), DB_POOL_MAX: '20', WEB_CONCURRENCY: String(args.workers ?? 1), JOBS_POLL_INTERVAL_MS: '200' },
    Number(args.port ?? 3901),
  );
  const lat = { otp: [] as number[], outbox: [] as number[], verify: [] as number[], flow: [] as number[] };
  const timed = async <T>(bucket: number[], fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const out = await fn();
    bucket.push(performance.now() - t0);
    return out;
  };
  const flow = async (i: number) => {
    const t0 = performance.now();
    const mobile = `0912${String(1000000 + i).padStart(7, '0')}`;
    const ip = { 'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` };
    const r1 = await timed(lat.otp, () => httpJson(server.base, 'POST', '/api/v1/auth/otp', { mobile }, ip));
    if (r1.status !== 202) throw new Error(`otp ${r1.status} ${JSON.stringify(r1.body)}`);
    const r2 = await timed(lat.outbox, () => httpJson(server.base, 'GET', `/api/v1/sandbox/sms-outbox?mobile=${mobile}`, undefined, ip));
    const code = outboxCode(r2.body);
    if (!code) throw new Error(`no code (${r2.status})`);
    const r3 = await timed(lat.verify, () => httpJson(server.base, 'POST', '/api/v1/auth/otp/verify', { mobile, code }, ip));
    const body = r3.body as { status?: string };
    if (r3.status !== 200 || body.status !== 'registration_required') throw new Error(`verify ${r3.status} ${JSON.stringify(body)}`);
    lat.flow.push(performance.now() - t0);
  };
  // warm-up
  await closedLoop(10, 3, (i) => flow(900000 + i));
  for (const k of Object.keys(lat) as Array<keyof typeof lat>) lat[k].length = 0;
  const cpu0 = processTreeCpuMs(server.proc.pid!);
  const { done, errors, elapsed } = await closedLoop(concurrency, seconds, flow);
  const serverCpuMs = processTreeCpuMs(server.proc.pid!) - cpu0;
  await server.stop();
  const rate = done / elapsed;
  console.log(`\nOTP flow benchmark — real PostgreSQL, sandbox SMS, ${concurrency} concurrent clients, ${elapsed.toFixed(1)} s`);
  console.log(summarize('POST /auth/otp', lat.otp));
  console.log(summarize('GET /sandbox/sms-outbox', lat.outbox));
  console.log(summarize('POST /auth/otp/verify', lat.verify));
  console.log(summarize('complete flow', lat.flow));
  console.log(`server CPU: ${(serverCpuMs / done).toFixed(2)} ms per complete flow (${(serverCpuMs / 1000 / elapsed).toFixed(2)} cores busy on average)`);
  console.log(`complete flows: ${done} in ${elapsed.toFixed(1)} s = ${rate.toFixed(0)} flows/s (errors: ${errors}); target ≥ 300 flows/s: ${rate >= 300 ? 'MET' : 'NOT MET'}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
