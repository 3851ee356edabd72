import type { EntityManager } from '@mikro-orm/postgresql';

/** One plain SQL statement with knex `?` placeholders and its parameters. */
export interface SqlStatement {
  sql: string;
  params: unknown[];
}

/** Anything that runs plain SQL: an entity manager (inside its transaction when it has one) or a connection. */
type SqlRunner = Pick<EntityManager, 'execute'>;

/**
 * Runs several statements in one round trip and returns each one's rows, in order.
 *
 * The statements travel as one simple-protocol query (MikroORM inlines the parameters, as it
 * does for every `execute`). PostgreSQL runs them in order, each with a snapshot of its own
 * (READ COMMITTED), so a statement after `pg_advisory_xact_lock(...)` sees what the previous
 * holder of the lock committed. Outside a transaction the batch is one implicit transaction:
 * an error in any statement undoes them all.
 */
export async function executeBatch(em: SqlRunner, statements: SqlStatement[]): Promise<Array<Array<Record<string, unknown>>>> {
  if (statements.length === 0) return [];
  const sql = statements.map((s) => s.sql).join(';\n');
  const params = statements.flatMap((s) => s.params);
  const result = await em.execute<Array<Record<string, unknown>> | Array<Array<Record<string, unknown>>>>(sql, params);
  // one statement: its rows; several: one array of rows per statement
  return statements.length === 1 ? [result as Array<Record<string, unknown>>] : (result as Array<Array<Record<string, unknown>>>);
}
