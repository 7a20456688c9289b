import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS and ESM builds; Node (and so Pothos and Yoga) loads the CJS one, and
    // the schema's types must come from that same copy.
    alias: { graphql: 'graphql/index.js' },
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Installs Chromium and a CJK font for test/e2e when missing (see the file).
    globalSetup: ['test/e2e/global-setup.ts'],
    // Vitest runs one file at a time on a 2-core machine (its default is cores - 1). Most files
    // wait on sockets, emulators and child processes (PostgreSQL, Redis, Chromium) rather than
    // compute, so two at once keep both cores busy: the suite takes ~45% less wall time. Nothing
    // here measures time, so sharing the cores changes no result.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
