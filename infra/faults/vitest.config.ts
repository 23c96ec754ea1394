import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `npm run test:faults`: the fault matrix alone, in its full profile. It brings up a stack instance
// of its own, so unlike the serial project of vitest.config.ts it needs no global setup on the main
// stack. (npm test runs the same file, short profile, in its serial tier.)
const root = fileURLToPath(new URL('../../', import.meta.url));

export default defineConfig({
  root,
  resolve: { alias: [{ find: /^@orqestra\/([a-z-]+)$/, replacement: `${root}packages/$1/src/index.ts` }] },
  test: {
    include: ['infra/faults/*.serial.spec.ts'],
    reporters: ['default'],
    testTimeout: 15 * 60_000,
    hookTimeout: 5 * 60_000,
  },
});
