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
    server: { deps: { external: [/node_modules/] } },
  },
});
