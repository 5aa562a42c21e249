import { defineConfig, devices } from '@playwright/test';

import { chromiumLaunchOptions } from './lib/cli/chromium.mjs';

const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: 'tests/e2e',
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  workers: 1,
  reporter: process.env.CI ? [['list']] : [['list']],
  timeout: 30_000,
  use: {
    baseURL,
    trace: 'retain-on-failure',
    launchOptions: chromiumLaunchOptions,
  },
  projects: [
    {
      name: 'desktop',
      use: { ...devices['Desktop Chrome'], launchOptions: chromiumLaunchOptions },
      testIgnore: /.*\.mobile\.spec\.ts/,
    },
    {
      name: 'phone',
      use: { ...devices['Pixel 7'], launchOptions: chromiumLaunchOptions },
      testMatch: /.*\.mobile\.spec\.ts/,
    },
  ],
  webServer: {
    // The production server against a fresh database of its own, so browser tests never touch
    // a developer's data. lib/cli/e2e-server.mjs migrates it first.
    command: `node lib/cli/e2e-server.mjs`,
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    // E2E_PORT and NEXT_DIST_DIR let several runs (a developer's and a benchmark's) coexist.
    // LTI grade passback polls and backs off fast here, so tests/e2e/lti.spec.ts stays short (decision 017).
    env: {
      PORT: String(port),
      DATABASE_URL: `file:./data/e2e-${port}.db`,
      AUTODIDACT_LTI_POLL_MS: '100',
      AUTODIDACT_LTI_RETRY_BASE_MS: '300',
      AUTODIDACT_LTI_RETRY_MAX_MS: '1000',
    },
  },
});
