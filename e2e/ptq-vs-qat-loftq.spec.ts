import { expect, test } from '@playwright/test';
import { watchErrors } from './helpers';

test('LoftQ start: its step-0 held-out loss lies below zero-B QLoRA’s, and both runs train', async ({ page }) => {
  test.setTimeout(300_000);
  const errors = watchErrors(page);
  // WebGL trains this model faster than SwiftShader's WebGPU on this machine (as the QLoRA specs do).
  await page.goto('/lessons/ptq-vs-qat/?loftq.steps=5&backend=webgl');
  const w = page.getByTestId('loftq-start');
  // The near-screen placeholder is swapped for the widget while it scrolls in: retry until it holds still.
  await expect(async () => w.scrollIntoViewIfNeeded({ timeout: 5_000 })).toPass();
  await expect(w).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  await w.getByTestId('loftq-run').click();
  await expect(w).toHaveAttribute('data-state', 'done', { timeout: 280_000 });
  console.log((await w.getByTestId('loftq-table').innerText()).replace(/\t/g, ' | '));
  const start = async (key: string) => Number(await w.locator(`tr[data-key=${key}]`).getAttribute('data-start-loss'));
  const [fp32, zero, loftq] = [await start('fp32'), await start('zero'), await start('loftq')];
  for (const v of [fp32, zero, loftq]) expect(Number.isFinite(v) && v > 0).toBe(true);
  expect(loftq).toBeLessThan(zero);
  for (const key of ['zero', 'loftq']) expect(Number.isFinite(Number(await w.locator(`tr[data-key=${key}]`).getAttribute('data-final-loss')))).toBe(true);
  expect(Number.isFinite(Number(await w.getByTestId('loftq-extra').getAttribute('data-ms')))).toBe(true);
  expect(errors).toEqual([]);
});
