import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS } from './support/constants.mjs';

export default defineConfig({
  testDir: './tests',
  globalSetup: './support/global-setup.mjs',
  globalTeardown: './support/global-teardown.mjs',
  workers: 2,
  retries: 0,
  fullyParallel: false,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/results.json' }]],
  outputDir: 'test-results/artifacts',
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS },
    // Calls open the microphone first (protocol.md part 4); tests of a denied microphone make their
    // own context without this grant.
    permissions: ['microphone'],
    // Traces cost seconds per test on 2 loaded cores; rerun with --trace on to debug a failure.
    trace: 'off',
    screenshot: 'only-on-failure',
  },
});
