import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The 100,000-contact fan-out takes minutes on DynamoDB Local: `npm run test:fanout` runs it.
    exclude: [
      ...configDefaults.exclude,
      ...(process.env.MAILROOM_LARGE_TESTS ? [] : ['test/integration/pipeline/campaign-fanout-100k.test.ts']),
    ],
    globalSetup: ['test/global-setup.ts'],
    // Most integration files wait on DynamoDB Local, the queue emulator or timers rather than
    // the CPU, so three at a time finish sooner than the default of one per spare core.
    maxWorkers: 3,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', TMPDIR: '.tmp' },
  },
});
