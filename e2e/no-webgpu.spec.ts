import { expect, test } from '@playwright/test';
import { backendBadge, runInt8Check, watchErrors } from './helpers';

// Run by the "no-webgpu" project: Chromium without --enable-unsafe-webgpu has no adapter.
test('without WebGPU the course falls back to WebGL and still computes the same codes', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/lessons/why-quantize/');
  expect(await backendBadge(page)).toBe('WebGL');
  await expect(page.locator('.backend-badge')).toHaveAttribute('title', /WebGPU/);
  const r = await runInt8Check(page, String(2 ** 18));
  expect(r.backend).toBe('WebGL');
  expect(r.maxDiff).toBe('0');
  expect(r.mismatches).toBe('0 of 262,144');
  expect(errors).toEqual([]);
});

test('without WebGPU the 4-bit lesson keeps packed NF4 in main memory and says so', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/lessons/four-bit/');
  const w = page.getByTestId('dq-widget');
  await w.scrollIntoViewIfNeeded();
  await expect(w.getByTestId('dq-device')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(w.getByTestId('dq-device-result')).toContainText('WebGL is in use, without WebGPU');
  await expect(w.getByTestId('dq-device-result')).toContainText('identical');
  expect(errors).toEqual([]);
});

test('without WebGPU the notebook kernel runs on WebGL and a cell prints', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/notebook/');
  const c = page.getByTestId('code-cell').first();
  const content = c.getByTestId('cell-editor').locator('.cm-content');
  await content.click();
  await page.keyboard.insertText('print(tf.getBackend(), tf.tensor([1, 2, 3]).sum().dataSync()[0])');
  await c.getByTestId('run-cell').click();
  await expect(c.getByTestId('cell-output')).toHaveText('webgl 6');
  await expect(page.getByTestId('kernel-badge')).toContainText('WebGL');
  expect(errors).toEqual([]);
});
