import { defineConfig } from 'vitest/config';

// Three projects: fast unit tests beside their code; property-based tests (test/property) that
// feed generated hostile input through the pipeline into a real embedded ClickHouse, which need
// no Kafka or Redis (so no globalSetup) but run long enough to deserve their own project and
// `pnpm fuzz`; and integration tests under test/ that run against real Kafka, Redis and embedded
// ClickHouse (started by globalSetup).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts', 'test/data/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'property',
          include: ['test/property/**/*.test.ts'],
          testTimeout: 600_000,
          // Hours with FUZZ_RUNS set; one file at a time (each opens its own chDB store).
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
