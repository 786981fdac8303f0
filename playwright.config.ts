import { defineConfig } from '@playwright/test';
import { existsSync } from 'node:fs';

/**
 * E2e against the static export (`out/`, built by `npm run build`) served on http://localhost —
 * WebGPU needs a secure context, which localhost is. Chromium: $PLAYWRIGHT_CHROMIUM_EXECUTABLE,
 * else Debian's /usr/bin/chromium, else Playwright's own download (`npx playwright install chromium`).
 */
const PORT = Number(process.env.E2E_PORT ?? 3100);
export const executablePath =
  process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

// Closed-network flags: without them Chromium keeps calling home and logs refused connections.
export const quietFlags = ['--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

export default defineConfig({
  testDir: 'e2e',
  timeout: 90_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://localhost:${PORT}`,
    trace: 'off',
  },
  projects: [
    {
      name: 'webgpu',
      testIgnore: /no-webgpu\.spec\.ts/,
      use: { launchOptions: { executablePath, args: ['--enable-unsafe-webgpu', ...quietFlags] } },
    },
    {
      // The same browser without --enable-unsafe-webgpu: no WebGPU adapter, so the course falls back to WebGL.
      name: 'no-webgpu',
      testMatch: /no-webgpu\.spec\.ts/,
      use: { launchOptions: { executablePath, args: [...quietFlags] } },
    },
  ],
  webServer: {
    command: `npx serve out -l ${PORT} --no-port-switching`,
    url: `http://localhost:${PORT}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
