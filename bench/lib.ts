/* Shared helpers of the benchmark scripts: start the built server against a fresh real
 * PostgreSQL database, wait until ready, run a closed-loop load, and summarise latencies. */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
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
  const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS ? process.env.BENCH_SERVER_NODE_ARGS.split(' ') : [];
  const proc = spawn(process.execPath, [...nodeArgs, 'dist/src/main.js'], {
    env: { ...process.env, PORT: String(port), LOG_LEVEL: 'warn', DATA_DIR: mkdtempSync(join(tmpdir(), 'bench-')), ...env },
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
        proc.once('exit', () => resolve());
        proc.kill('SIGINT');
      }),
  };
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
