/**
 * A PostgreSQL array literal for a bound parameter (`= any(?::uuid[])`, `?::text[]`,
 * `?::smallint[]`): every element quoted, with `"` and `\` escaped, so any text is safe.
 */
export function pgArray(values: ReadonlyArray<string | number>): string {
  return `{${values.map((v) => `"${String(v).replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
}

/** The elements of a `uuid[]`/`text[]` column as the driver returned it (an array, or its literal for unquoted elements). */
export function pgArrayOf(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  const s = String(v ?? '{}');
  return s === '{}' ? [] : s.slice(1, -1).split(',');
}
