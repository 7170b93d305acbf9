import { defineConfig } from 'vitest/config';
import SlowestFirst from './test/sequencer.ts';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Three files at a time on the two cores: each file owns its databases, and a file waits much of its
    // time on the PostgreSQL server, SEFAZ's and carriers' local servers or the browser (two workers kept
    // the CPU 75 % busy over a CI run: 34.7 min of user time in 23.2 min).
    maxWorkers: 3,
    // The slowest files start first, so the two workers end together (see test/sequencer.ts).
    sequence: { sequencer: SlowestFirst },
  },
});
