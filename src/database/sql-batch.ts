import type { EntityManager } from '@mikro-orm/postgresql';

/** One plain SQL statement with knex `?` placeholders and its parameters. */
export interface SqlStatement {
  sql: string;
  params: unknown[];
}

/** A statement to run as a named common table expression of a larger one (`composeWith`). */
export interface NamedStatement extends SqlStatement {
  name: string;
}

/**
 * `with a as (…), b as (…) <final>`: several statements, data-modifying ones included, as
 * one statement and one round trip, the parameters in order. Every CTE runs to completion
 * whether or not `final` reads it; all of them see one snapshot, and a CTE reads another's
 * rows only through its RETURNING. A write made conditional with `where exists (select from
 * <name>)` happens only when that CTE produced a row.
 */
export function composeWith(ctes: NamedStatement[], final: SqlStatement): SqlStatement {
  if (ctes.length === 0) return final;
  return {
    sql: `with ${ctes.map((c) => `${c.name} as (${c.sql})`).join(',\n')}\n${final.sql}`,
    params: [...ctes.flatMap((c) => c.params), ...final.params],
  };
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

/**
 * The WHERE clause that makes an `insert … select` of a `composeWith` CTE conditional: it
 * writes only when the CTE named `name` has a row (no name: unconditional, '').
 */
export function onlyWhen(name: string | undefined): string {
  return name ? ` where exists (select from ${name})` : '';
}

type Rows = Array<Record<string, unknown>>;

/** What `readThenWrite`'s caller decides from the rows it read: its writes, and its answer from their rows. */
export interface WritePlan<T> {
  writes: SqlStatement[];
  result: (rows: Rows[]) => T;
}

/**
 * A read-check-write transaction: the `reads` travel as one query (each read with its own
 * snapshot, so a read after a `for update` sees what the previous holder of the lock
 * committed), the caller checks their rows in Node (`decide`), then its writes travel as
 * another, and the transaction commits. `decide` throwing, or any statement failing, rolls
 * the transaction back and rethrows (database errors converted as `em.execute` converts
 * them). Runs in a transaction of its own on the connection (MikroORM's public
 * `Connection.transactional`), outside the entity manager's unit of work: never call it
 * inside another transaction.
 */
export async function readThenWrite<T>(em: EntityManager, reads: SqlStatement[], decide: (rows: Rows[]) => WritePlan<T>): Promise<T> {
  const driver = em.getDriver();
  return em.getConnection().transactional(async (trx) => {
    const runner: SqlRunner = { execute: (sql: string, params?: unknown[]) => driver.execute(sql, params, 'all', trx) };
    const read = await executeBatch(runner, reads);
    const plan = decide(read);
    const written = plan.writes.length ? await executeBatch(runner, plan.writes) : [];
    return plan.result(written);
  });
}
