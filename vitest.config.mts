import { defineConfig } from 'vitest/config';

// `npm test` runs everything but the multi-week virtual-clock runs under test/long/, which `npm run test:long`
// (vitest.long.config.mts) runs on their own; CI runs both.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/long/**', '**/node_modules/**'],
    // Integration tests start Azurite and the sandbox on loopback: give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two at once: most of a test's time is spent waiting on loopback (Azurite, the sandbox, the local host), not on
    // a core, so two workers on two cores took the suite from 13 min to 5 min with the same results (vitest's
    // default here would be one: availableParallelism - 1).
    maxWorkers: 2,
    server: { deps: { external: [/node_modules/] } },
  },
});
