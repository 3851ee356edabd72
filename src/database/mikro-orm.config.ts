import { loadConfig } from '../config/app-config';
import { createOrmOptions } from './orm-options';

/**
 * Configuration for the stock `mikro-orm` CLI (e.g. `npx mikro-orm debug`), reading
 * DATABASE_URL: the entities found by path, the schema snapshot neither read nor written.
 * Day-to-day tasks (migrations, seeding, OpenAPI) use `npm run cli`, which also works on
 * the embedded engine; `npm run migration:create` is the one that writes the snapshot.
 */
export default (() => {
  const config = loadConfig(process.env);
  if (!config.database.url) {
    throw new Error('DATABASE_URL must be set for the mikro-orm CLI (use `npm run cli` for embedded-mode tasks)');
  }
  return createOrmOptions({ url: config.database.url, queryTimeoutMs: 0 }); // maintenance: no request limits
})();
