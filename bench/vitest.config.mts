import { defineConfig } from 'vitest/config';

// Benchmarks run one at a time, with nothing else competing for the two cores.
export default defineConfig({
  test: {
    include: ['bench/**/*.bench.ts'],
    environment: 'node',
    testTimeout: 300_000,
    fileParallelism: false,
    reporters: ['verbose'],
  },
});
