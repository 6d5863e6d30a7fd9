import { mkdirSync } from 'node:fs';
import { configDefaults, defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

// Tests keep their temporary files under the project (TMPDIR below): the folder must exist
// before the first test file runs, with or without the local AWS parts.
mkdirSync('.tmp', { recursive: true });

/** Starts DynamoDB Local (Java) and the SQS emulator, shared by every project that names it. */
const LOCAL_AWS = ['test/global-setup.ts'];

/** A project with the settings below (timeouts, workers, env), its own files and what else it says. */
function project(name: string, include: string[], test: TestProjectInlineConfiguration['test'] = {}): TestProjectInlineConfiguration {
  return { extends: true, test: { name, include, ...test } };
}

export default defineConfig({
  test: {
    projects: [
      // The domain, use cases over in-memory fakes, adapters against loopback stand-ins: no emulator, no Java.
      // Its files mock no module and change no environment, so a worker imports lib/ and the
      // libraries once for all of its files instead of once per file (most of this project's time).
      project('unit', ['test/unit/**/*.test.ts'], { isolate: false }),
      // Adapters and the whole pipeline on DynamoDB Local and the SQS emulator; hostile inputs against the real API handler.
      project('integration', ['test/integration/**/*.test.ts', 'test/hostile/**/*.test.ts'], { globalSetup: LOCAL_AWS }),
      // Throttling, killed workers, restarts and outages, on the same emulators.
      project('faults', ['test/faults/**/*.test.ts'], { globalSetup: LOCAL_AWS }),
      // The synthesized stack (bundling skipped) and cdk-nag.
      project('cdk', ['test/cdk/**/*.test.ts']),
      // Each function's bundle, built with esbuild as the stack builds it.
      project('build', ['test/build/**/*.test.ts']),
      // The web console in headless Chromium against local mode (one browser for the file).
      project('console', ['test/console/**/*.test.ts'], { globalSetup: LOCAL_AWS, testTimeout: 60_000 }),
      // `npm start` as a user runs it: it starts its own DynamoDB Local and emulator.
      project('e2e', ['test/e2e/**/*.test.ts']),
    ],
    // The 100,000-contact fan-out takes minutes on DynamoDB Local: `npm run test:fanout` runs it.
    exclude: [
      ...configDefaults.exclude,
      ...(process.env.MAILROOM_LARGE_TESTS ? [] : ['test/integration/pipeline/campaign-fanout-100k.test.ts']),
    ],
    // Most integration files wait on DynamoDB Local, the queue emulator or timers rather than
    // the CPU, so three at a time finish sooner than the default of one per spare core.
    maxWorkers: 3,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', TMPDIR: '.tmp' },
  },
});
