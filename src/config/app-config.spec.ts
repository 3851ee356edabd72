import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('gives the embedded defaults with an empty environment', () => {
    const c = loadConfig({});
    expect(c.http.port).toBe(3000);
    expect(c.database).toMatchObject({ embedded: true, url: undefined, poolMax: 20 });
    expect(c.storage).toMatchObject({ embedded: true, bucket: 'qazvin-documents' });
    expect(c.demo.seed).toBe(true);
    expect(c.dataDir).toMatch(/\.data$/);
  });

  it('reads the documents\' legibility floors as LONGxSHORT pixels with defaults a phone photo passes', () => {
    expect(loadConfig({}).documents.minPx).toEqual({ page: { long: 900, short: 650 }, card: { long: 480, short: 300 }, photo: { long: 640, short: 480 } });
    expect(loadConfig({ DOCUMENT_MIN_CARD_PX: '600x380', DOCUMENT_MIN_CONTRAST: '0' }).documents).toMatchObject({ minPx: { card: { long: 600, short: 380 } }, minContrast: 0 });
    expect(() => loadConfig({ DOCUMENT_MIN_PAGE_PX: '650x900' })).toThrow(/DOCUMENT_MIN_PAGE_PX must be LONGxSHORT/);
    expect(() => loadConfig({ DOCUMENT_MIN_PHOTO_PX: 'big' })).toThrow(/DOCUMENT_MIN_PHOTO_PX must be LONGxSHORT/);
  });

  it('sets the server-side session limits on real PostgreSQL only, and sizes the bulkheads from the pool', () => {
    const embedded = loadConfig({});
    expect(embedded.database.session).toBeUndefined();
    expect(embedded.database.bulkheads.limits).toEqual({ public: 7, citizen: 3, organization: 2, staff: 2 });
    const real = loadConfig({ DATABASE_URL: 'postgres://u@db:5432/q', DB_LOCK_TIMEOUT_MS: '1500' });
    expect(real.database.session).toEqual({ statementTimeoutMs: 10000, lockTimeoutMs: 1500, idleInTransactionTimeoutMs: 20000 });
    expect(real.database.acquireTimeoutMs).toBe(3000);
    // a smaller pool: smaller shares, at least 1 each
    expect(loadConfig({ DB_POOL_MAX: '10' }).database.bulkheads.limits).toEqual({ public: 2, citizen: 1, organization: 1, staff: 1 });
  });

  it('refuses a client-side backstop shorter than the statement timeout and class limits the pool cannot hold', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://u@db:5432/q', DB_STATEMENT_TIMEOUT_MS: '20000', DB_QUERY_TIMEOUT_MS: '15000' })).toThrow(
      /DB_QUERY_TIMEOUT_MS must be longer than DB_STATEMENT_TIMEOUT_MS/,
    );
    expect(() => loadConfig({ DB_POOL_MAX: '10', DB_BULKHEAD_PUBLIC: '8' })).toThrow(/DB_POOL_MAX must hold .* at least 16/);
    // derived limits too: each class keeps 1 slot however small the pool, so a worker with more jobs than the pool is refused
    expect(() => loadConfig({ DB_POOL_MAX: '20', JOBS_CONCURRENCY: '32' })).toThrow(/DB_POOL_MAX must hold .* set or derived = 4.* at least 37/);
    expect(() => loadConfig({ DB_POOL_MAX: '6' })).toThrow(/at least 9/);
    expect(loadConfig({ DB_POOL_MAX: '6', JOBS_WORKER_ENABLED: 'false' }).database.bulkheads.limits.public).toBe(2);
    expect(loadConfig({ DB_POOL_MAX: '10', DB_BULKHEAD_PUBLIC: '2', DB_BULKHEAD_CITIZEN: '1', DB_BULKHEAD_ORGANIZATION: '1', DB_BULKHEAD_STAFF: '1' }).database.bulkheads.limits.public).toBe(2);
  });

  it('switches to real mode with DATABASE_URL / S3_ENDPOINT and never seeds demo data there', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://u@db:5432/q',
      S3_ENDPOINT: 'minio',
      S3_ACCESS_KEY: 'a',
      S3_SECRET_KEY: 'b',
      DEMO_SEED: 'true',
    });
    expect(c.database.embedded).toBe(false);
    expect(c.storage.embedded).toBe(false);
    expect(c.demo.seed).toBe(false);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT must be an integer between 0 and 65535 (got "abc")'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must be a postgres:// URL'],
    [{ S3_ENDPOINT: 'minio' }, 'S3_ACCESS_KEY is required when S3_ENDPOINT is set'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET must have at least 32 characters'],
    [{ NODE_ENV: 'production', DATABASE_URL: 'postgres://x/y' }, 'JWT_SECRET is required in production'],
    [{ CALENDAR_WEEK: 'sat-wed=07:30-14:30' }, 'CALENDAR_WEEK'],
    [{ DB_MIGRATE_ON_START: 'maybe' }, 'DB_MIGRATE_ON_START must be true or false'],
    [{ BODY_LIMIT: 'huge' }, 'BODY_LIMIT must look like 512kb or 1mb'],
    [{ WEB_CONCURRENCY: '2' }, 'WEB_CONCURRENCY needs DATABASE_URL'],
    [{ WEB_CONCURRENCY: '2', DATABASE_URL: 'postgres://x/y' }, 'JWT_SECRET is required when WEB_CONCURRENCY > 1'],
    [{ WEB_CONCURRENCY: '2', DATABASE_URL: 'postgres://x/y', JWT_SECRET: 'x'.repeat(40) }, 'WEB_CONCURRENCY needs S3_ENDPOINT'],
    [{ NODE_ENV: 'production', STAFF_2FA_ROLES: 'region_manager' }, 'STAFF_2FA_ROLES must include admin in production'],
    [{ NODE_ENV: 'production', DATABASE_URL: 'postgres://x/y', JWT_SECRET: 'x'.repeat(40), SMS_PROVIDER: 'sandbox' }, 'SMS_PROVIDER must be a real provider'],
    [{ NODE_ENV: 'production', DATABASE_URL: 'postgres://x/y', JWT_SECRET: 'x'.repeat(40), SANDBOX_MODE: 'true' }, 'SANDBOX_MODE must be false in production'],
    [{ SMS_PROVIDER: 'kavenegar' }, 'KAVENEGAR_API_KEY is required when SMS_PROVIDER=kavenegar'],
    [{ STAFF_2FA_ROLES: 'admin,boss' }, 'STAFF_2FA_ROLES has an unknown role "boss"'],
    [{ SHUTDOWN_DELAY_MS: '-1' }, 'SHUTDOWN_DELAY_MS must be an integer between 0 and 60000 (got "-1")'],
    [{ SHUTDOWN_GRACE_MS: '500' }, 'SHUTDOWN_GRACE_MS must be an integer between 1000 and 120000 (got "500")'],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('graceful shutdown: a readiness delay by default in production only, both bounded', () => {
    expect(loadConfig({}).shutdown).toEqual({ delayMs: 0, graceMs: 10000 });
    const production = { NODE_ENV: 'production', SMS_PROVIDER: 'kavenegar', KAVENEGAR_API_KEY: 'k', PAYMENT_GATEWAYS: 'sep', SEP_TERMINAL_ID: '123456', SANDBOX_MODE: 'false' };
    expect(loadConfig(production).shutdown.delayMs).toBe(3000);
    expect(loadConfig({ SHUTDOWN_DELAY_MS: '0', SHUTDOWN_GRACE_MS: '2500' }).shutdown).toEqual({ delayMs: 0, graceMs: 2500 });
    expect(loadConfig({ SHUTDOWN_DELAY_MS: '1500' }).shutdown.delayMs).toBe(1500);
  });

  it('lists every bad variable at once', () => {
    try {
      loadConfig({ PORT: '-1', DB_POOL_MAX: '0' });
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect((err as ConfigError).problems).toHaveLength(2);
    }
  });
});
