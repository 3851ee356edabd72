import { Client } from 'pg';

export default async function globalTeardown(): Promise<void> {
  const g = globalThis as typeof globalThis & { __testEngines?: Array<{ stop(): Promise<void> }> };
  for (const engine of (g.__testEngines ?? []).reverse()) await engine.stop().catch(() => undefined);
  const url = process.env.DATABASE_URL;
  const runId = process.env.TEST_RUN_ID;
  if (url && runId) {
    // drop what this run's files left behind (a file that crashed) and the template
    const client = new Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ datname: string }>(
      `select datname from pg_database where datname like $1`,
      [`qazvin_test_${runId}%`],
    );
    for (const { datname } of rows) {
      await client.query(`drop database if exists "${datname}" with (force)`).catch(() => undefined);
    }
    await client.end();
  }
}
