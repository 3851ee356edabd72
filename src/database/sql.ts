import type { EntityManager } from '@mikro-orm/postgresql';
import { composeWith, executeBatch, readThenWrite, type SqlStatement } from './sql-batch';

/**
 * Typed statements: the one way the application talks SQL.
 *
 * A repository (`<module>/*.repository.ts`, the only place SQL is written) returns a
 * `Query<T>`: the statement, its parameters and how its rows read as `T` (the row types
 * are declared in the repository, where the rows are produced). A service never writes
 * SQL: it runs a repository's queries with `run` (one), `runAll` (several in one round
 * trip) or `readThenWrite` (a locked read, a decision in Node, the writes and COMMIT),
 * on the entity manager it is working with, so a query joins the caller's transaction
 * (`em.transactional(tx => run(tx, …))`), or on the request's context outside one.
 *
 * A cross-module conditional write (write B only if A wrote a row) is a `Cte` handle:
 * the owner of A names its statement `cte(...)`, the owner of B takes the handle and
 * makes its insert `… where exists (select from <handle>)` (`onlyWhen`), and `withCtes`
 * sends them as one statement. No module spells another's CTE name.
 */
export type Row = Record<string, unknown>;

/** Anything that runs SQL: an entity manager (in its transaction when it has one). */
export type SqlRunner = Pick<EntityManager, 'execute'>;

export interface Query<T> extends SqlStatement {
  /** The answer from the statement's rows. */
  readonly read: (rows: Row[]) => T;
}

/** A statement whose rows read as `read` says. */
export function query<T>(sql: string, params: unknown[], read: (rows: Row[]) => T): Query<T> {
  return { sql, params, read };
}

/** Reads the first row as `map` says, or `undefined` when the statement returned none. */
export function firstRow<T>(map: (row: Row) => T): (rows: Row[]) => T | undefined {
  return (rows) => (rows.length > 0 ? map(rows[0]) : undefined);
}

/** A statement run for its effect. */
export function statement(sql: string, params: unknown[]): Query<void> {
  return { sql, params, read: () => undefined };
}

/** Runs one query on `db` (the caller's transaction, when it has one) and reads its rows. */
export async function run<T>(db: SqlRunner, q: Query<T>): Promise<T> {
  return q.read(await db.execute<Row[]>(q.sql, q.params));
}

/** A page of a list and the number of items in the whole list. */
export interface Page<T> {
  items: T[];
  total: number;
}

/**
 * Runs a page query (`page(limit, offset)`, whose total rides on its rows as
 * `count(*) over ()`) and keeps the list's total past its last page: no row comes back there
 * to carry it, so it is read from the first page's first row (one more round trip, only then).
 */
export async function runPage<T>(db: SqlRunner, page: (limit: number, offset: number) => Query<Page<T>>, limit: number, offset: number): Promise<Page<T>> {
  return keepTotal(db, await run(db, page(limit, offset)), page, offset);
}

/** `found`, the answer of `page(…, offset)` run in a batch, with the list's total past its last page (see `runPage`). */
export async function keepTotal<T>(db: SqlRunner, found: Page<T>, page: (limit: number, offset: number) => Query<Page<T>>, offset: number): Promise<Page<T>> {
  if (found.items.length > 0 || offset === 0) return found;
  return { items: [], total: (await run(db, page(1, 0))).total };
}

/** knex `?` placeholders → PostgreSQL `$n` (for `pg` itself: the read pool, the bare bench servers). */
export function toPgPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

type Answers<Q extends readonly Query<unknown>[]> = { -readonly [K in keyof Q]: Q[K] extends Query<infer T> ? T : never };

/** Runs several queries in one round trip (see `executeBatch`) and reads each one's rows. */
export async function runAll<const Q extends readonly Query<unknown>[]>(db: SqlRunner, queries: Q): Promise<Answers<Q>> {
  const rows = await executeBatch(db, [...queries]);
  return queries.map((q, i) => q.read(rows[i])) as Answers<Q>;
}

/** A named part of a composed statement, handed to another module to make its write conditional. */
export class Cte {
  private static next = 0;
  /** Unique per handle, so two modules' handles never collide in one statement. */
  readonly name: string;
  constructor(
    readonly query: SqlStatement,
    name?: string,
  ) {
    this.name = name ?? `cte_${++Cte.next}`;
  }
}

/**
 * `query` as a CTE of a composed statement; pass the handle to `onlyWhen`. A `name` (chosen
 * by the repository composing the statement, unique within it) keeps the statement's text
 * the same on every call, as a prepared statement needs; without one the name is unique.
 */
export function cte(q: SqlStatement, name?: string): Cte {
  return new Cte(q, name);
}

/** The clause that makes an `insert … select` write only when `when` produced a row ('' without one). */
export function onlyWhenCte(when: Cte | undefined): string {
  return when ? ` where exists (select from ${when.name})` : '';
}

/** `with <ctes> <final>`: one statement and one round trip (see `composeWith`). */
export function withCtes<T>(ctes: Cte[], final: Query<T>): Query<T> {
  const composed = composeWith(
    ctes.map((c) => ({ name: c.name, ...c.query })),
    final,
  );
  return { ...composed, read: final.read };
}

type Reads<Q extends readonly Query<unknown>[]> = Answers<Q>;

/**
 * A read-check-write transaction in two round trips (see `sql-batch.readThenWrite`): the
 * reads (typically `for update`), then `decide` from their answers returns the writes to
 * run with COMMIT (none: COMMIT alone) and the result from the writes' answers.
 */
export function readDecideWrite<const Q extends readonly Query<unknown>[], T>(
  em: EntityManager,
  reads: Q,
  decide: (answers: Reads<Q>) => { writes: Query<unknown>[]; result: (answers: unknown[]) => T },
): Promise<T> {
  return readThenWrite(em, [...reads], (rows) => {
    const plan = decide(reads.map((q, i) => q.read(rows[i])) as Reads<Q>);
    return { writes: plan.writes, result: (written) => plan.result(plan.writes.map((w, i) => w.read(written[i]))) };
  });
}
