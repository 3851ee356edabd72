import type { EntityManager } from '@mikro-orm/postgresql';

/** knex `?` placeholders → PostgreSQL `$n` (the bare bench servers run the same SQL on `pg`). */
export function toPgPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/**
 * A hot public read, run on the connection outside any unit of work (`Connection.execute`,
 * MikroORM's public API). It was a named prepared statement reached through knex's pool
 * internals; an A/B run (bench/RESULTS-internals.md) weighed what that saved. `named` and
 * `name` are kept so the callers' shape does not change: the statement always runs
 * unnamed, as any other.
 */
export async function preparedRead<T>(em: EntityManager, _named: boolean, _name: string, sql: string, params: unknown[]): Promise<T[]> {
  return em.getConnection().execute<T[]>(sql, params);
}
