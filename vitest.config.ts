import { defineConfig } from 'vitest/config';

// Integration files share one Redis and one broker, so files run one at a time (BullMQ does the same).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
