import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// One runner for every suite. Workspace packages resolve to their sources, so tests never run
// against a stale build. Three projects:
//   unit    *.spec.ts            pure logic, no stack needed
//   int     *.int.spec.ts        real PostgreSQL, Redis, Kafka, Centrifugo; files run in parallel
//   serial  *.serial.spec.ts     tests that break shared infrastructure on purpose, or must own it (the
//                                gateway suites: one gateway per file on their topics); infra/test.sh
//                                runs them after the others, one file at a time (--no-file-parallelism)
const root = fileURLToPath(new URL('.', import.meta.url));
const alias = [{ find: /^@orqestra\/([a-z-]+)$/, replacement: `${root}packages/$1/src/index.ts` }];
// infra/lint/fixtures: trees that break the import rules on purpose, not tests.
const exclude = ['**/node_modules/**', '**/dist/**', 'infra/lint/fixtures/**'];

export default defineConfig({
  test: {
    reporters: ['default'],
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['{apps,packages,infra}/**/*.spec.ts'],
          exclude: [...exclude, '**/*.int.spec.ts', '**/*.serial.spec.ts'],
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'int',
          include: ['{apps,packages,infra}/**/*.int.spec.ts'],
          exclude,
          // Migrate and create topics first, then start the API and worker processes.
          globalSetup: ['packages/testing/src/global-setup.ts', 'apps/api/test/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'serial',
          include: ['{apps,packages,infra}/**/*.serial.spec.ts'],
          exclude,
          globalSetup: ['packages/testing/src/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
