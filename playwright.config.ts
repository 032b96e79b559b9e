import { defineConfig } from '@playwright/test';

// End-to-end tests drive the real UI in serve mode with Debian's Chromium (no browser download is
// possible here). Each test starts its own server on a free port with a fresh data folder (fixtures.ts).
export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1360, height: 860 },
    launchOptions: {
      executablePath: process.env.LABWARDEN_CHROMIUM ?? '/usr/bin/chromium',
      // Playwright gives each launch a fresh temporary user-data dir; these keep Chromium off the network.
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-gpu'],
    },
  },
});
