import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Lets the statements of the caller's transaction run up to `ms` milliseconds, where the
 * pool's session limit (DB_STATEMENT_TIMEOUT_MS) would cancel them: for work that is
 * legitimately long — a GeoJSON import, a year's assessment of the whole city (DB_LONG_STATEMENT_TIMEOUT_MS).
 * `SET LOCAL`: it ends with the transaction, so the connection goes back to the pool with the
 * request limits. The client-side backstop follows it (connection-guard.ts). Call it first
 * inside `em.transactional`: outside a transaction `SET LOCAL` does nothing.
 */
export async function allowLongStatements(tx: EntityManager, ms: number): Promise<void> {
  await tx.execute(`set local statement_timeout = ${Math.max(0, Math.floor(ms))}`);
}
