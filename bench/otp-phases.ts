/*
 * Diagnostic companion of bench/otp-flow.ts: the OTP flow's three requests measured one
 * phase at a time, so the server CPU of each route (and of the SMS jobs POST /auth/otp
 * queues) is read apart. For A/B runs with BENCH_SERVER_ENTRY, like the other benches.
 *
 *   node -r ./scripts/register.js bench/otp-phases.ts [--flows 3000] [--concurrency 50]
 */
import { benchPhone, freshDatabase, httpJson, otpBenchEnv, outboxCode, parseArgs, processTreeCpuMs, startServer } from './lib';

const args = parseArgs();
const flows = Number(args.flows ?? 3000);
const concurrency = Number(args.concurrency ?? 50);

/** Runs `fn(i)` for i in [from, from + n) at `concurrency`; throws on the first failure. */
async function phase(from: number, n: number, fn: (i: number) => Promise<void>): Promise<number> {
  let next = from;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < from + n) await fn(next++);
    }),
  );
  return (performance.now() - t0) / 1000;
}

async function main(): Promise<void> {
  const url = await freshDatabase('qazvin_bench_otp_phases');
  const server = await startServer(
    otpBenchEnv(url, 'bench-secret-'.padEnd(48, 'x')),
    Number(args.port ?? 3902),
  );
  const mobile = (i: number) => benchPhone(i).mobile;
  const ip = (i: number) => benchPhone(i).headers;
  const codes = new Map<number, string>();
  const otp = async (i: number) => {
    const r = await httpJson(server.base, 'POST', '/api/v1/auth/otp', { mobile: mobile(i) }, ip(i));
    if (r.status !== 202) throw new Error(`otp ${r.status} ${JSON.stringify(r.body)}`);
  };
  const outbox = async (i: number) => {
    const r = await httpJson(server.base, 'GET', `/api/v1/sandbox/sms-outbox?mobile=${mobile(i)}`, undefined, ip(i));
    const code = outboxCode(r.body);
    if (!code) throw new Error(`no code for ${mobile(i)} (${r.status})`);
    codes.set(i, code);
  };
  const verify = async (i: number) => {
    const r = await httpJson(server.base, 'POST', '/api/v1/auth/otp/verify', { mobile: mobile(i), code: codes.get(i) }, ip(i));
    if (r.status !== 200) throw new Error(`verify ${r.status} ${JSON.stringify(r.body)}`);
  };
  /** Waits until the last SMS of the phase is in the outbox (the job worker delivered them all). */
  const drained = async (last: number) => {
    for (let t = 0; t < 600; t++) {
      const r = await httpJson(server.base, 'GET', `/api/v1/sandbox/sms-outbox?mobile=${mobile(last)}`, undefined, ip(last));
      if (outboxCode(r.body)) return;
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error('SMS jobs did not drain');
  };
  const run = async (from: number, n: number, report: boolean) => {
    const rows: string[] = [];
    const measure = async (name: string, fn: (i: number) => Promise<void>, after?: () => Promise<void>) => {
      const cpu0 = processTreeCpuMs(server.proc.pid!);
      const s = await phase(from, n, fn);
      if (after) await after();
      const cpu = processTreeCpuMs(server.proc.pid!) - cpu0;
      rows.push(`${name.padEnd(34)} ${(cpu / n).toFixed(3)} ms CPU/req  ${(n / s).toFixed(0)} req/s`);
    };
    await measure('POST /auth/otp (+ its SMS job)', otp, () => drained(from + n - 1));
    await measure('GET /sandbox/sms-outbox', outbox);
    await measure('POST /auth/otp/verify', verify);
    if (report) for (const r of rows) console.log(r);
  };
  await run(900000, 300, false); // warm-up
  await run(0, flows, true);
  await server.stop();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
