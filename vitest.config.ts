import { defineConfig } from 'vitest/config';

// One runner for Node and browser code. The pass/fail reporter prints the line CI reads.
export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'apps/*/src/**/*.test.ts',
      'tests/**/*.test.ts',
      'scripts/**/*.test.ts',
      'tools/**/*.test.ts',
    ],
    reporters: ['default', './scripts/pass-fail-reporter.ts'],
    globalSetup: ['./scripts/runtime/vitest-runtime.ts'],
    setupFiles: ['./scripts/runtime/same-runtime.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
