/**
 * Two projects: `unit` (pure functions and services beside the code) and `e2e`
 * (supertest against the whole AppModule on a real database: the embedded PGlite
 * engine by default, PostgreSQL when DATABASE_URL is set).
 */
const swc = [
  '@swc/jest',
  {
    swcrc: false,
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];
const moduleNameMapper = {
  '^@app/iran(|/.*)$': '<rootDir>/libs/iran/src$1',
  '^@app/common(|/.*)$': '<rootDir>/libs/common/src$1',
};
const usingRealPostgres = Boolean(process.env.DATABASE_URL);
const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)s$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
};
module.exports = {
  // The embedded engine is one shared session: e2e files take turns on it.
  maxWorkers: usingRealPostgres ? 2 : 1,
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/src/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/helpers/global-setup.ts',
      globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
    },
  ],
};
