/**
 * A JSON value read with plain SQL, whichever way it arrives: node-postgres parses `json` and
 * `jsonb` columns, while JSON that reaches the driver typed as text arrives as a string.
 */
export function jsonValue<T>(v: unknown): T {
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
}
