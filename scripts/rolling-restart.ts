/*
 * Two instances of the built service (dist/src/main.js, as `npm start` runs it) against ONE
 * fresh PostgreSQL database and ONE s3rver, behind a small local load balancer (below):
 * steady traffic while each instance in turn is stopped with SIGTERM and started again.
 *
 * Asserts: no request the balancer forwarded failed (no 5xx, no connection error), every
 * job ran exactly once (job rows completed at their first attempt; the fake SMS provider got
 * exactly one message per accepted OTP request), and OTP cooldowns, the OTP rate limit per
 * client IP and bank payment reports replayed with the same key hold across the two
 * instances. Prints one summary line; exits 1 on any failed check.
 *
 *   npm run test:rolling            (builds first; real PostgreSQL at DATABASE_URL or 127.0.0.1:5432)
 *   BENCH_SERVER_ENTRY=other/main.js node -r ./scripts/register.js scripts/rolling-restart.ts
 */
import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { NestFactory } from '@nestjs/core';
import { ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync } from 'node:fs';
import { Agent, createServer, IncomingMessage, request, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { toJalali } from '@app/iran';
import { legalIdCheckDigit } from '../libs/iran/src/legal-id';
import { ADMIN_URL, freshDatabase, httpRequest, startBenchS3 } from '../bench/lib';
import { startFakeKavenegar } from '../test/helpers/fake-sms-servers';
import { AppModule } from '../src/app.module';
import { loadConfig } from '../src/config/app-config';
import { migrateUp } from '../src/database/prepare';
import { AssessmentService } from '../src/modules/billing/assessment.service';
import { TariffsService } from '../src/modules/billing/tariffs.service';
import { OrganizationKind } from '../src/modules/membership/entities/organization.entity';
import { OrganizationsService } from '../src/modules/membership/organizations.service';
import { loadDemoCity } from '../src/cli/demo/demo-city.loader';
import { startRuntime } from '../src/runtime/runtime';

const HOST = '127.0.0.1';
/** How often the balancer asks each instance's readiness (like a load balancer's health check). */
const POLL_MS = 150;
/** The instances keep serving this long after SIGTERM while readiness answers 503. */
const SHUTDOWN_DELAY_MS = 2000;
const TRAFFIC_LOOPS = 4;
const OTP_IP_LIMIT = 20;
const KAVENEGAR_KEY = 'rolling-restart-key';

const problems: string[] = [];
const check = (ok: boolean, what: string) => {
  if (!ok) problems.push(what);
  return ok;
};
const log = (line: string) => process.stdout.write(`[rolling] ${line}\n`);

// ---------------------------------------------------------------------------------------
// HTTP client (keep-alive, like a browser or a bank's client)
// ---------------------------------------------------------------------------------------

interface Answer {
  status: number;
  body: string;
  json: () => Record<string, unknown>;
}

async function send(base: string, agent: Agent, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const res = await httpRequest(base, method, path, payload, payload ? { 'content-type': 'application/json', ...headers } : headers, {
    agent,
    timeoutMs: 30_000,
  });
  return { status: res.status, body: res.text, json: () => JSON.parse(res.text) as Record<string, unknown> };
}

// ---------------------------------------------------------------------------------------
// The load balancer: round robin over the instances whose /health/ready is 200
// ---------------------------------------------------------------------------------------

interface Backend {
  name: string;
  port: number;
  healthy: boolean;
  agent: Agent;
  forwarded: number;
}

interface Balancer {
  url: string;
  failures: Array<{ backend: string; error: string }>;
  close(): Promise<void>;
  /** Resolves when the balancer has seen the backend's readiness as `healthy`. */
  seen(name: string, healthy: boolean): Promise<void>;
}

async function startBalancer(backends: Backend[]): Promise<Balancer> {
  const failures: Balancer['failures'] = [];
  const probe = new Agent({ keepAlive: false });
  const waiters: Array<{ name: string; healthy: boolean; resolve: () => void }> = [];
  let stopped = false;
  const poll = async (b: Backend) => {
    while (!stopped) {
      const healthy = await new Promise<boolean | undefined>((resolve) => {
        const req = request({ host: HOST, port: b.port, path: '/health/ready', agent: probe, timeout: 1000 }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode === 200));
        });
        // no answer in time: keep the last state (a real balancer counts several misses)
        req.on('timeout', () => {
          req.destroy();
          resolve(undefined);
        });
        req.on('error', () => resolve(false));
        req.end();
      });
      if (healthy !== undefined) b.healthy = healthy;
      for (const w of waiters.filter((x) => x.name === b.name && x.healthy === b.healthy)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  };
  for (const b of backends) void poll(b);

  let next = 0;
  const pick = async (): Promise<Backend | undefined> => {
    // no healthy instance right now (both restarting would be a failed rollout): wait a little, never forward blind
    for (let i = 0; i < 40; i++) {
      for (let k = 0; k < backends.length; k++) {
        const b = backends[next++ % backends.length];
        if (b.healthy) return b;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return undefined;
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const b = await pick();
      if (!b) {
        failures.push({ backend: '-', error: 'no healthy backend' });
        res.writeHead(503).end('no healthy backend');
        return;
      }
      b.forwarded++;
      const headers = { ...req.headers };
      // the balancer is the edge: the client's address, unless the (simulated) client gives one
      headers['x-forwarded-for'] = (req.headers['x-forwarded-for'] as string | undefined) ?? req.socket.remoteAddress ?? HOST;
      const up = request({ host: HOST, port: b.port, path: req.url, method: req.method, headers, agent: b.agent, timeout: 30_000 }, (upRes) => {
        res.writeHead(upRes.statusCode!, upRes.headers);
        upRes.pipe(res);
        upRes.on('error', (err) => {
          failures.push({ backend: b.name, error: `response: ${err.message}` });
          res.destroy();
        });
      });
      up.on('timeout', () => up.destroy(new Error('upstream timeout')));
      // a forwarded request that fails is a failure: no retry on the other instance
      up.on('error', (err) => {
        failures.push({ backend: b.name, error: `${(err as NodeJS.ErrnoException).code ?? ''} ${err.message}`.trim() });
        if (!res.headersSent) res.writeHead(502).end('bad gateway');
        else res.destroy();
      });
      up.end(Buffer.concat(chunks));
    })();
  });
  await new Promise<void>((r) => server.listen(0, HOST, r));
  return {
    url: `http://${HOST}:${(server.address() as AddressInfo).port}`,
    failures,
    seen: (name, healthy) => new Promise((resolve) => waiters.push({ name, healthy, resolve })),
    close: async () => {
      stopped = true;
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      for (const b of backends) b.agent.destroy();
    },
  };
}

// ---------------------------------------------------------------------------------------
// Instances
// ---------------------------------------------------------------------------------------

interface Instance extends Backend {
  proc?: ChildProcess;
  env: Record<string, string>;
  logFile: string;
  base: string;
}

async function startInstance(inst: Instance): Promise<void> {
  const entry = process.env.BENCH_SERVER_ENTRY ?? 'dist/src/main.js';
  const out = createWriteStream(inst.logFile, { flags: 'a' });
  const proc = spawn(process.execPath, ['--max-semi-space-size=64', entry], {
    env: { ...process.env, ...inst.env, PORT: String(inst.port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout!.pipe(out);
  proc.stderr!.pipe(out);
  inst.proc = proc;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`${inst.name} exited during start-up; see ${inst.logFile}`);
    const ok = await send(inst.base, new Agent(), 'GET', '/health/ready').then(
      (a) => a.status === 200,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${inst.name} not ready in 120 s; see ${inst.logFile}`);
}

function stopInstance(inst: Instance): Promise<number | null> {
  const proc = inst.proc!;
  if (proc.exitCode !== null) return Promise.resolve(proc.exitCode);
  return new Promise((resolve) => {
    proc.once('exit', (code) => resolve(code));
    proc.kill('SIGTERM');
  });
}

// ---------------------------------------------------------------------------------------
// Seed: migrations, a small city with this year's demands, a bank with an API client
// ---------------------------------------------------------------------------------------

async function seed(env: Record<string, string>): Promise<{ clientId: string; clientSecret: string; renewalCodes: string[] }> {
  const runtime = await startRuntime({ ...loadConfig(env), log: { level: 'warn' } }, undefined, { storage: false });
  const ctx = await NestFactory.createApplicationContext(AppModule.forRoot({ ...runtime.config, jobs: { ...runtime.config.jobs, workerEnabled: false } }), {
    logger: ['error', 'warn'],
  });
  try {
    const orm = ctx.get(MikroORM) as MikroORM;
    await migrateUp(orm);
    await loadDemoCity(ctx, { parcels: 200, seed: 7 });
    await ctx.get(TariffsService).ensureDefaults(orm.em.fork());
    await ctx.get(AssessmentService).assessYear(toJalali(new Date()).jy, { em: orm.em.fork() });
    const orgs = ctx.get(OrganizationsService);
    const body = `10103${String(Date.now() % 100000).padStart(5, '0')}`;
    const org = await orgs.create({ kind: OrganizationKind.Bank, name: 'بانک آزمون', legalNationalId: body + legalIdCheckDigit(body) }, orm.em.fork());
    const client = await orgs.createClient(org.id, { name: 'rolling', scopes: ['bills:report'] }, orm.em.fork());
    const rows = await orm.em.fork().execute<Array<{ renewal_code: string }>>(`select renewal_code from property order by renewal_code limit 100`);
    return { clientId: client.clientId, clientSecret: client.clientSecret, renewalCodes: rows.map((r) => r.renewal_code) };
  } finally {
    await ctx.close();
    await runtime.stop();
  }
}

// ---------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = Date.now();
  const dbName = `qazvin_rolling_${process.pid}`;
  const databaseUrl = await freshDatabase(dbName);
  const s3 = await startBenchS3();
  const sms = await startFakeKavenegar({ apiKey: KAVENEGAR_KEY });
  const dir = mkdtempSync(join(tmpdir(), 'rolling-'));
  const common: Record<string, string> = {
    NODE_ENV: 'development',
    HOST,
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    DB_MIGRATE_ON_START: 'false',
    ...s3.env,
    SANDBOX_MODE: 'false',
    JWT_SECRET: randomBytes(32).toString('hex'),
    OTP_HMAC_KEY: randomBytes(32).toString('hex'),
    // every instance signs answer letters with the same key (else each generates its own in DATA_DIR)
    CERT_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    SMS_PROVIDER: 'kavenegar',
    KAVENEGAR_API_KEY: KAVENEGAR_KEY,
    KAVENEGAR_BASE_URL: sms.url,
    TRUST_PROXY: '1',
    OTP_MAX_PER_IP_PER_HOUR: String(OTP_IP_LIMIT),
    JOBS_POLL_INTERVAL_MS: '200',
    SHUTDOWN_DELAY_MS: String(SHUTDOWN_DELAY_MS),
    SHUTDOWN_GRACE_MS: '10000',
  };
  const instances: Instance[] = [];
  let balancer: Balancer | undefined;
  // whatever way this process ends (the overall time limit included), no server outlives it
  process.on('exit', () => {
    for (const inst of instances) if (inst.proc?.exitCode === null) inst.proc.kill('SIGKILL');
    try {
      process.kill(s3.pid, 'SIGKILL');
    } catch {
      // already stopped
    }
  });
  try {
    const seeded = await seed({ ...common, DATA_DIR: join(dir, 'seed') });
    log(`database ${dbName} migrated and seeded (${seeded.renewalCodes.length} properties) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (const name of ['A', 'B']) {
      const port = await freePort();
      instances.push({
        name,
        port,
        healthy: false,
        agent: new Agent({ keepAlive: true, maxSockets: 16, timeout: 4000 }),
        forwarded: 0,
        env: { ...common, DATA_DIR: join(dir, name) },
        logFile: join(dir, `${name}.log`),
        base: `http://${HOST}:${port}`,
      });
    }
    // one after the other, as a first deploy would (the second finds the database prepared)
    for (const inst of instances) await startInstance(inst);
    balancer = await startBalancer(instances);
    await Promise.all(instances.map((i) => balancer!.seen(i.name, true)));
    const [A, B] = instances;
    const client = new Agent({ keepAlive: true, maxSockets: 16 });
    const lb = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => send(balancer!.url, client, method, path, body, headers);
    const direct = (inst: Instance, method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
      send(inst.base, new Agent(), method, path, body, headers);

    const token = (await lb('POST', '/api/v1/oauth/token', { grant_type: 'client_credentials', client_id: seeded.clientId, client_secret: seeded.clientSecret })).json()
      .access_token as string;
    const bank = { Authorization: `Bearer ${token}` };
    const bills: Array<{ billId: string; paymentId: string; amountRials: number }> = [];
    for (const code of seeded.renewalCodes) {
      const debts = (await lb('GET', `/api/v1/debts?renewalCode=${encodeURIComponent(code)}`)).json();
      if (debts.bill) bills.push(debts.bill as (typeof bills)[number]);
    }
    log(`${bills.length} bills to report; instances A :${A.port}, B :${B.port}, balancer ${balancer.url}`);

    // --- across instances, before the restarts ---------------------------------------
    const accepted = new Map<string, number>(); // mobile → OTP requests answered 202
    const countOtp = (mobile: string, a: Answer) => {
      if (a.status === 202) accepted.set(mobile, (accepted.get(mobile) ?? 0) + 1);
    };
    const cooldownMobile = '09129990001';
    const first = await direct(A, 'POST', '/api/v1/auth/otp', { mobile: cooldownMobile }, { 'X-Forwarded-For': '198.51.100.1' });
    countOtp(cooldownMobile, first);
    const second = await direct(B, 'POST', '/api/v1/auth/otp', { mobile: cooldownMobile }, { 'X-Forwarded-For': '198.51.100.2' });
    countOtp(cooldownMobile, second);
    check(first.status === 202, `OTP on A: expected 202, got ${first.status}`);
    check(second.status === 429 && second.json().code === 'OTP_RESEND_TOO_SOON', `OTP cooldown across instances: B answered ${second.status} ${second.body.slice(0, 120)}`);

    const limited: number[] = [];
    for (let i = 0; i < OTP_IP_LIMIT + 4; i++) {
      const mobile = `0912888${String(i).padStart(4, '0')}`;
      const a = await direct(i % 2 ? B : A, 'POST', '/api/v1/auth/otp', { mobile }, { 'X-Forwarded-For': '203.0.113.77' });
      countOtp(mobile, a);
      limited.push(a.status);
    }
    const ipAccepted = limited.filter((s) => s === 202).length;
    check(ipAccepted === OTP_IP_LIMIT && limited.filter((s) => s === 429).length === 4, `OTP limit per IP across instances: ${ipAccepted} accepted of ${limited.length} (limit ${OTP_IP_LIMIT})`);

    const report = (bill: (typeof bills)[number], reference: string) => ({
      billId: bill.billId,
      paymentId: bill.paymentId,
      amount: bill.amountRials,
      bankReference: reference,
      paidAt: new Date(Date.now() - 60_000).toISOString(),
    });
    type Send = (b: unknown, h: Record<string, string>) => Promise<Answer>;
    /**
     * One bank report sent twice at once (one after the other through `first` and `second`),
     * then replayed through each once both have answered. The Idempotency-Key store answers a
     * request whose twin is still running with 409 IDEMPOTENCY_IN_PROGRESS ("retry shortly");
     * every other answer must be the first one's 200, byte for byte.
     */
    const sameReport = async (bill: (typeof bills)[number], first: Send, second: Send) => {
      const reference = `RR-${randomBytes(6).toString('hex')}`;
      const body = report(bill, reference);
      const headers = { ...bank, 'Idempotency-Key': reference };
      const concurrent = await Promise.all([first(body, headers), second(body, headers)]);
      const replays = [await second(body, headers), await first(body, headers)];
      return { concurrent, replays };
    };
    let idempotencyChecks = 0;
    let inProgress = 0;
    const idempotent = (r: { concurrent: Answer[]; replays: Answer[] }, where: string) => {
      idempotencyChecks++;
      const all = [...r.concurrent, ...r.replays];
      const busy = r.concurrent.filter((a) => a.status === 409 && a.body.includes('"IDEMPOTENCY_IN_PROGRESS"')).length;
      inProgress += busy;
      const ok = all.filter((a) => a.status === 200);
      check(
        ok.length + busy === all.length && r.replays.every((a) => a.status === 200) && ok.every((a) => a.body === ok[0].body),
        `same bank report replayed (${where}): ${all.map((a) => `${a.status} ${a.status === 200 ? '' : a.body.slice(0, 80)}`).join(' | ')}; 200 bodies ${ok.every((a) => a.body === ok[0].body) ? 'equal' : 'differ'}`,
      );
    };
    const billQueue = [...bills];
    const toA: Send = (b, h) => direct(A, 'POST', '/api/v1/bank/bill-payments', b, h);
    const toB: Send = (b, h) => direct(B, 'POST', '/api/v1/bank/bill-payments', b, h);
    idempotent(await sameReport(billQueue.shift()!, toA, toB), 'A and B');

    // --- steady traffic through the balancer ------------------------------------------
    let sent = 0;
    let failed = 0;
    let fiveXx = 0;
    const statuses = new Map<number, number>();
    let running = true;
    let mobileSeq = 0;
    const viaLb = async (fn: () => Promise<Answer>): Promise<Answer | undefined> => {
      sent++;
      try {
        const a = await fn();
        statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
        if (a.status >= 500) {
          fiveXx++;
          failed++;
        }
        return a;
      } catch (err) {
        failed++;
        problems.push(`request failed at the client: ${(err as Error).message}`);
        return undefined;
      }
    };
    const loop = async (n: number) => {
      let i = 0;
      while (running) {
        i++;
        const kind = (i + n) % 8;
        if (kind <= 3) {
          const code = seeded.renewalCodes[(i * 7 + n) % seeded.renewalCodes.length];
          await viaLb(() => lb('GET', kind % 2 ? `/api/v1/properties/${encodeURIComponent(code)}` : `/api/v1/debts?renewalCode=${encodeURIComponent(code)}`));
        } else if (kind <= 5) {
          // fresh mobiles (each an SMS job) and a few repeated ones (cooldown answers 429)
          const mobile = kind === 4 ? `0913${String(n)}${String(++mobileSeq).padStart(6, '0')}` : `091477700${n}${i % 3}`;
          const a = await viaLb(() => lb('POST', '/api/v1/auth/otp', { mobile }, { 'X-Forwarded-For': `10.${n}.${(i >> 8) & 255}.${i & 255}` }));
          if (a) countOtp(mobile, a);
        } else if (kind === 6 && billQueue.length && i % 6 === 0) {
          const bill = billQueue.shift()!;
          const pay: Send = (b, h) => viaLb(() => lb('POST', '/api/v1/bank/bill-payments', b, h)).then((a) => a ?? { status: 0, body: '', json: () => ({}) });
          idempotent(await sameReport(bill, pay, pay), 'through the balancer');
        } else {
          await viaLb(() => lb('GET', '/health/live'));
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    const loops = Array.from({ length: TRAFFIC_LOOPS }, (_, n) => loop(n));
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    await pause(1500);
    for (const inst of instances) {
      const t0 = Date.now();
      const stopped = stopInstance(inst);
      await balancer.seen(inst.name, false);
      const tOut = Date.now() - t0;
      const code = await stopped;
      check(code === 0, `${inst.name} exited with ${code} after SIGTERM`);
      const tExit = Date.now() - t0;
      await startInstance(inst);
      await balancer.seen(inst.name, true);
      log(`${inst.name}: out of rotation after ${tOut} ms, exited (${code}) after ${tExit} ms, back in rotation after ${Date.now() - t0} ms`);
      await pause(1000);
    }
    running = false;
    await Promise.all(loops);

    // the same report once more, to both restarted instances
    check(billQueue.length > 0, 'bills left for the last replay check');
    idempotent(await sameReport(billQueue.shift()!, toB, toA), 'B and A, after the restarts');

    // --- jobs: wait until none is due, then every one ran exactly once -----------------
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      for (let i = 0; i < 150; i++) {
        const { rows } = await db.query(`select count(*)::int as n from job where status in ('pending', 'active') and run_at <= now()`);
        if (rows[0].n === 0) break;
        await pause(200);
      }
      const { rows: jobs } = await db.query<{ total: number; once: number; not_done: number }>(
        `select count(*)::int as total, count(*) filter (where status = 'completed' and attempts = 1)::int as once,
                count(*) filter (where status <> 'completed')::int as not_done from job`,
      );
      const delivered = new Map<string, number>();
      for (const r of sms.requests) {
        const mobile = r.form?.receptor;
        if (mobile) delivered.set(mobile, (delivered.get(mobile) ?? 0) + 1);
      }
      let smsMismatch = 0;
      for (const [mobile, n] of accepted) if ((delivered.get(mobile) ?? 0) !== n) smsMismatch++;
      for (const mobile of delivered.keys()) if (!accepted.has(mobile)) smsMismatch++;
      const otpAccepted = [...accepted.values()].reduce((s, n) => s + n, 0);
      check(jobs[0].once === jobs[0].total && jobs[0].total > 0, `jobs run exactly once: ${jobs[0].once}/${jobs[0].total} (${jobs[0].not_done} not completed)`);
      check(smsMismatch === 0 && sms.requests.length === otpAccepted, `SMS: ${sms.requests.length} delivered for ${otpAccepted} accepted OTP requests, ${smsMismatch} mobiles differ`);
      const { rows: settled } = await db.query<{ bad: number; reports: number }>(
        `select count(*) filter (where n <> 1 or paid <> 1)::int as bad, count(*)::int as reports
           from (select p.bill_id, count(*)::int as n, (select count(*)::int from billing_bill b where b.bill_id = p.bill_id and b.status = 'paid') as paid
                   from billing_bank_payment p group by p.bill_id) x`,
      );
      check(settled[0].bad === 0 && settled[0].reports === idempotencyChecks, `bank reports: ${settled[0].reports} bills settled for ${idempotencyChecks} reports, ${settled[0].bad} settled more than once`);
      for (const f of balancer.failures) problems.push(`balancer: forwarded to ${f.backend}: ${f.error}`);
      check(failed === 0 && fiveXx === 0, `requests failed: ${failed} (5xx: ${fiveXx})`);
      const elapsed = ((Date.now() - started) / 1000).toFixed(1);
      const byStatus = [...statuses.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}:${n}`).join(' ');
      process.stdout.write(
        `\nrolling restart (2 instances, 1 PostgreSQL, 1 S3, balancer on /health/ready): requests sent ${sent}, failed = ${failed}, 5xx = ${fiveXx}, ` +
          `jobs run once = ${jobs[0].once}/${jobs[0].total}, SMS delivered ${sms.requests.length} for ${otpAccepted} accepted OTPs, ` +
          `bank reports ${idempotencyChecks} each sent 4 times across instances (settled once each, ${inProgress} answered IDEMPOTENCY_IN_PROGRESS), forwarded A ${A.forwarded} / B ${B.forwarded}, statuses ${byStatus}, ${elapsed} s\n`,
      );
    } finally {
      await db.end();
    }
  } finally {
    await balancer?.close();
    await Promise.all(instances.filter((i) => i.proc).map((i) => stopInstance(i)));
    await sms.close();
    await s3.stop();
    const admin = new Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`drop database if exists "${dbName}" with (force)`);
    await admin.end();
  }
  if (problems.length) {
    process.stdout.write(`\nFAILED (${problems.length}):\n${[...new Set(problems)].slice(0, 40).map((p) => `  - ${p}`).join('\n')}\n`);
    for (const inst of instances) process.stdout.write(`\n--- ${inst.name} log (tail) ---\n${readFileSync(inst.logFile, 'utf8').split('\n').slice(-15).join('\n')}\n`);
    process.exit(1);
  }
  process.exit(0);
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, HOST, () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const overall = setTimeout(() => {
  process.stderr.write('rolling restart test: no result within 5 minutes\n');
  process.exit(1);
}, 300_000);
overall.unref();
main().catch((err) => {
  process.stderr.write(`rolling restart test failed: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
