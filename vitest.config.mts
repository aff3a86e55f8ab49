import { defineConfig } from 'vitest/config';

// Three kinds of test, one command: pure unit tests, template assertions over the synthesized app,
// and integration tests against the real local cloud (DynamoDB Local, s3rver, the local Step
// Functions service) started once for the run by the integration project's global setup.
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
    ],
  },
});
