import { defineConfig } from '@playwright/test';
import { executablePath, quietFlags } from './playwright.config';

/**
 * One check against `next dev`, the mode lesson writers work in: React StrictMode (next.config.mjs)
 * mounts every component, runs its effect cleanups and mounts it again — in development only, so
 * the main suite (the static export) cannot see a widget that does not survive it. Kept to one
 * page: the server's start-up URL is that page, so its first compile happens before the test.
 */
const PORT = Number(process.env.E2E_DEV_PORT ?? 3101);

export default defineConfig({
  testDir: 'e2e-dev',
  timeout: 90_000,
  expect: { timeout: 60_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: { baseURL: `http://localhost:${PORT}`, trace: 'off' },
  projects: [{ name: 'next-dev', use: { launchOptions: { executablePath, args: ['--enable-unsafe-webgpu', ...quietFlags] } } }],
  webServer: {
    command: `npx next dev -p ${PORT}`,
    url: `http://localhost:${PORT}/lessons/clipping-and-calibration/`,
    env: { NEXT_TELEMETRY_DISABLED: '1' },
    reuseExistingServer: !process.env.CI,
    timeout: 180_000,
  },
});
