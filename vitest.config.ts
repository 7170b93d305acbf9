import { defineConfig } from 'vitest/config';
import SlowestFirst from './test/sequencer.ts';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Two cores: two files at a time; each file owns its databases.
    maxWorkers: 2,
    // The slowest files start first, so the two workers end together (see test/sequencer.ts).
    sequence: { sequencer: SlowestFirst },
  },
});
