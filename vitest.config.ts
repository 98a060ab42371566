import { defineConfig } from 'vitest/config';

// One runner for unit, contract, e2e and browser tests. Browser and e2e suites start real servers,
// so files run in parallel processes but tests inside a file run in order.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
