import { expect, type Page } from '@playwright/test';

/** Collects console errors and uncaught page errors for the life of a page. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('response', (res) => {
    if (res.status() >= 400) errors.push(`http ${res.status()}: ${res.url()}`);
  });
  return errors;
}

/** Waits for the header's compute badge to settle and returns its text. */
export async function backendBadge(page: Page): Promise<string> {
  const badge = page.getByTestId('compute-backend');
  await expect(badge).toHaveText(/^(WebGPU|WebGL|CPU)$/);
  return (await badge.textContent()) ?? '';
}

/** Runs the INT8 GPU check widget and returns its verdict numbers. */
export async function runInt8Check(page: Page, size?: string) {
  const widget = page.getByTestId('gpu-int8-check');
  await widget.scrollIntoViewIfNeeded();
  const button = widget.getByTestId('check-run');
  await expect(button).toBeEnabled({ timeout: 60_000 });
  if (size) await widget.getByTestId('check-size').selectOption(size);
  await button.click();
  await expect(widget.getByTestId('check-result')).toBeVisible({ timeout: 60_000 });
  return {
    backend: (await widget.getByTestId('check-backend').textContent()) ?? '',
    elements: (await widget.getByTestId('check-elements').textContent()) ?? '',
    maxDiff: (await widget.getByTestId('check-max-diff').textContent()) ?? '',
    mismatches: (await widget.getByTestId('check-mismatches').textContent()) ?? '',
  };
}

/**
 * Opens a page and waits until React is live in every widget frame and quiz on it (they carry
 * `data-hydrated="true"`, components/widget-kit/useHydrated): text typed before that never
 * reaches React, so a spec that types right after loading waits for this first.
 */
export async function openPage(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect
    .poll(() => page.locator('section.widget:not(.nb-lesson-cell):not([data-hydrated]), section.quiz:not([data-hydrated])').count(), { message: 'every widget and quiz on the page hydrated' })
    .toBe(0);
}
