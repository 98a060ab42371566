import { defineConfig } from 'vitest/config';

// One runner for unit, contract, e2e and browser tests. Browser and e2e suites start real servers,
// so files run in parallel processes but tests inside a file run in order. Two files at a time even on two
// cores (vitest would take one): most files wait on spawned processes, sockets and timers, not the CPU, so
// the suite takes about 6 minutes instead of 14. Every file gets its own ports, directories and PostgreSQL
// schema, so two never meet.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
