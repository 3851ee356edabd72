// ESLint flat config: typescript-eslint recommended rules + the project's own.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * A package is used through what it exports: no deep import of its built or internal files
 * (`pkg/lib/…`, `@scope/pkg/cjs/…`, `…/internal/…`), which a minor release may move (issue 19).
 */
const PRIVATE_PACKAGE_PATHS = {
  regex: '^(?!\\.|@app/)(@[^/]+/)?[^/]+/(.+/)?(lib|cjs|esm|dist|build|internal|src)(/|$)',
  message: "Import the package's public entry (its index or an `exports` subpath), not its private files.",
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**', 'examples/generated/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'error',
      'no-restricted-imports': ['error', { patterns: [PRIVATE_PACKAGE_PATHS] }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    // libs/iran is pure: no Nest, no I/O
    files: ['libs/iran/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [PRIVATE_PACKAGE_PATHS, { group: ['@nestjs/*', '@mikro-orm/*', 'node:fs', 'fs', 'node:http', 'http', 'pg'] }] },
      ],
    },
  },
  {
    // benchmarks and examples print their results
    files: ['bench/**/*.ts', 'examples/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
