// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const processEnvRule = {
  selector: "MemberExpression[object.name='process'][property.name='env']",
  message: "Read the environment only in the app's config.ts (zod schema → typed config); pass config down.",
};

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/*.d.ts',
      'packages/db/src/generated/**',
      'apps/admin/.next/**',
      // Deliberate rule violations, checked by infra/lint/dependency-rules.spec.ts.
      'infra/lint/fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', processEnvRule],
    },
  },
  {
    // The places allowed to read process.env: each app's config.ts, test support, tooling scripts.
    files: ['apps/*/src/config.ts', 'packages/testing/**', '**/*.spec.ts', 'infra/**', 'bench/**', 'vitest.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // The admin console runs in browsers (its server side reads the environment only in src/config.ts).
    files: ['apps/admin/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The contracts are shared with the browser console: no Node-only modules (crypto lives in @orqestra/crypto).
    files: ['packages/contracts/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'packages/contracts runs in browsers too: keep Node-only modules out (see packages/crypto).' },
          ],
        },
      ],
      // Node globals need no import, so the dependency rules cannot see them (docs/dependency-rules.md).
      'no-restricted-globals': [
        'error',
        ...['Buffer', 'process', 'require', 'module', 'exports', '__dirname', '__filename', 'global', 'setImmediate', 'clearImmediate'].map(
          (name) => ({
            name,
            message: `packages/contracts runs in browsers too, where ${name} does not exist: use a web-standard API (TextEncoder, globalThis, ...).`,
          }),
        ),
      ],
    },
  },
  {
    // SQL only in repositories (docs/dependency-rules.md, kysely-only-in-repositories): services take a
    // transaction handle, and building a query on it needs no kysely import, so the import rule alone
    // cannot see it.
    files: ['apps/*/src/**/*.ts', 'packages/*/src/**/*.ts'],
    ignores: ['**/*.repository.ts', '**/*.spec.ts', 'packages/db/**', 'packages/testing/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['selectFrom', 'selectNoFrom', 'insertInto', 'replaceInto', 'updateTable', 'deleteFrom', 'mergeInto'].map((property) => ({
          property,
          message: 'Write SQL in a *.repository.ts of the aggregate (or in packages/db), and call it from here.',
        })),
      ],
    },
  },
  {
    // Plain scripts served to browsers (the demo inbox).
    files: ['apps/*/public/**/*.js'],
    languageOptions: { globals: { ...globals.browser }, sourceType: 'script' },
  },
);
