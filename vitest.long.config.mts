import { defineConfig } from 'vitest/config';

// The long runs: weeks of virtual time on the local host and the sandbox, judged hour by hour (`npm run test:long`).
export default defineConfig({
  test: {
    include: ['test/long/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    server: { deps: { external: [/node_modules/] } },
  },
});
