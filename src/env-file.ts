import { existsSync } from 'node:fs';

/** Loads `.env` from the working directory when present (real environment wins). */
export function loadEnvFile(path = '.env'): void {
  if (!existsSync(path)) return;
  const before = { ...process.env };
  process.loadEnvFile(path);
  Object.assign(process.env, before);
}
