import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Runs these suites on their own until the root config has an `integration` project
// (`npm exec -- vitest run --config test/integration/local-storage/vitest.config.mts`).
export default defineConfig({
  root: fileURLToPath(new URL('../../..', import.meta.url)),
  test: {
    include: ['test/integration/local-storage/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
