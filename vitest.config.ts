import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // mezon-sdk queues REST calls of its own (its listeners fetch channels and clans) that outlive a
    // test's fake Mezon server; their "fetch failed" rejections are the SDK's, raised after the test
    // closed the server, and are not unhandled errors of botcache. Every other unhandled error fails the run.
    onUnhandledError(error) {
      const stack = String((error as { stack?: unknown }).stack ?? '');
      return !(error.message === 'fetch failed' && stack.includes('mezon-sdk/dist/cjs/'));
    },
  },
});
