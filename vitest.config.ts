import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The live tier talks to the real registry; it runs only through `npm run test:live`.
    exclude: process.env.MCP_GUARD_LIVE ? ['node_modules/**'] : ['test/live/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests spawn real server processes; two cores do not benefit from more workers.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
