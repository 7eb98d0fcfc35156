import { defineConfig } from 'vitest/config';

// Separate from vite.config.ts on purpose: without this file vitest would load vite.config.ts
// and with it the React Router plugin.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'engine/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // One process per test file: PGlite (WebAssembly) and pg pools live side by side safely.
    pool: 'forks',
    // 2-core machines.
    maxWorkers: 2,
  },
});
