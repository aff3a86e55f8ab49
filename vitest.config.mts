import { defineConfig } from 'vitest/config';

// Four kinds of test, one command: pure unit tests, template assertions over the synthesized app,
// integration tests against the real local cloud (DynamoDB Local, s3rver, the local Step Functions
// service), and browser tests of the web console (Debian's Chromium driven by playwright-core).
export default defineConfig({
  test: {
    reporters: ['default', './test/support/totals-reporter.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Each file starts real services (a JVM among them): one file at a time on a 2-core machine.
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          // After the other projects: a browser and a whole local cloud need the machine to themselves.
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
