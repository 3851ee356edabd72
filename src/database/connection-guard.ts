import type { Client } from 'pg';

/**
 * Pooled connections whose transaction state is unknown: a statement had no answer within
 * the client-side backstop, so it may still run, its transaction may still be open and hold
 * locks. They are closed at once and the pool's `validate` refuses them (`isReusable`), so no
 * later request can run inside that transaction.
 */
const unknownState = new WeakSet<object>();

/** The pool's `validate`: a connection is handed out again only when its state is known. */
export function isReusable(connection: object): boolean {
  return !unknownState.has(connection);
}

/** `set local statement_timeout = N` (withStatementTimeout): the backstop follows it until the transaction ends. */
const LOCAL_STATEMENT_TIMEOUT = /^\s*set\s+local\s+statement_timeout\s*=\s*'?(\d+)/i;
const TRANSACTION_END = /^\s*(commit|rollback)\b/i;
/** How much longer than a statement_timeout the client waits for the server's own cancel. */
const BACKSTOP_MARGIN_MS = 5000;

type Callback = (err: Error | null, result?: unknown) => void;

/**
 * Arms the client-side backstop on one pooled `pg` client (the pool's `afterCreate`): a
 * statement without an answer after `backstopMs` (or `set local statement_timeout` + 5 s in a
 * transaction that lengthened it) ends the connection — `Client.end()` destroys the socket of
 * a busy client, so the statement's transaction dies with the session and every queued query
 * fails — and marks it so the pool never reuses it. Unlike pg's own `query_timeout`, which
 * answers the caller and leaves the statement running on a connection that goes back to the
 * pool mid-transaction. Query streams (submittables) are passed through unguarded.
 */
export function guardConnection(client: Client, backstopMs: number, onDestroyed?: (elapsedMs: number) => void): void {
  if (!(backstopMs > 0)) return;
  let lengthenedMs = 0;
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const guarded = (...args: unknown[]): unknown => {
    const config = args[0] as { text?: unknown; submit?: unknown } | string | undefined;
    if (config && typeof config === 'object' && typeof config.submit === 'function') return query(...args);
    const text = typeof config === 'string' ? config : typeof config?.text === 'string' ? config.text : '';
    const local = LOCAL_STATEMENT_TIMEOUT.exec(text);
    if (local) lengthenedMs = Number(local[1]);
    const limit = lengthenedMs > 0 ? Math.max(backstopMs, lengthenedMs + BACKSTOP_MARGIN_MS) : backstopMs;
    if (TRANSACTION_END.test(text)) lengthenedMs = 0;
    const started = Date.now();
    const timer = setTimeout(() => {
      unknownState.add(client);
      onDestroyed?.(Date.now() - started);
      client.end().catch(() => undefined);
    }, limit);
    const last = args.length - 1;
    if (typeof args[last] === 'function') {
      const callback = args[last] as Callback;
      args[last] = (err: Error | null, result?: unknown) => {
        clearTimeout(timer);
        callback(err, result);
      };
      return query(...args);
    }
    const out = query(...args) as Promise<unknown> | undefined;
    if (out && typeof out.then === 'function') out.then(() => clearTimeout(timer), () => clearTimeout(timer));
    else clearTimeout(timer);
    return out;
  };
  Object.assign(client, { query: guarded });
}
