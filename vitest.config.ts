import { defineConfig } from 'vitest/config';

// Separate from vite.config.ts on purpose: without this file vitest would load vite.config.ts
// and with it the React Router plugin.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'engine/**/*.test.ts'],
    // The e2e setup builds the app (once per state of the sources) if an e2e file is selected; the
    // other starts the throwaway PostgreSQL cluster.
    globalSetup: ['tests/e2e/global-setup.ts', 'tests/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // One process per test file: PGlite (WebAssembly) and pg pools live side by side safely.
    pool: 'forks',
    // 2-core machines.
    maxWorkers: 2,
  },
});
