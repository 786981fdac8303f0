import { expect, test } from '@playwright/test';
import { watchErrors } from './helpers';

// One small calibration (4 windows), shared by the three widgets, and 2 held-out windows.
const URL = '/lessons/gptq-and-awq/?gptq.calib=4&awq.calib=4&methods.calib=4&methods.heldout=2';

test('GPTQ step by step, AWQ’s α curve and one whole-model setting, computed in the page', async ({ page }) => {
  test.setTimeout(330_000);
  const errors = watchErrors(page);
  await page.goto(URL);

  const stepper = page.getByTestId('gptq-stepper');
  await stepper.scrollIntoViewIfNeeded();
  const trace = stepper.getByTestId('gptq-trace');
  await expect(trace).toHaveAttribute('data-done', '0', { timeout: 150_000 });
  await stepper.getByTestId('gptq-step').click();
  await expect(trace).toHaveAttribute('data-done', '1');
  await stepper.getByTestId('gptq-finish').click();
  const cols = await trace.getAttribute('data-cols');
  await expect(trace).toHaveAttribute('data-done', cols!);
  const gptqLoss = Number(await trace.getAttribute('data-gptq-loss'));
  const rtnLoss = Number(await trace.getAttribute('data-rtn-loss'));
  expect(gptqLoss).toBeGreaterThan(0);
  expect(gptqLoss).toBeLessThanOrEqual(rtnLoss);

  const awq = page.getByTestId('awq-curve');
  await awq.scrollIntoViewIfNeeded();
  const result = awq.getByTestId('awq-result');
  await expect(result).toBeVisible({ timeout: 60_000 });
  expect(await result.getAttribute('data-alpha')).toBe(await result.getAttribute('data-min-alpha'));
  expect(await result.getAttribute('data-error')).toBe(await result.getAttribute('data-min-error'));
  await expect(awq.getByTestId('awq-salient').locator('tbody tr')).toHaveCount(8);

  const table = page.getByTestId('methods-table');
  await table.scrollIntoViewIfNeeded();
  await expect(table).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  await table.getByTestId('methods-run').click();
  await expect(table).toHaveAttribute('data-state', 'done', { timeout: 150_000 });
  const rows = table.getByTestId('methods-results').locator('tbody tr');
  await expect(rows).toHaveCount(4);
  console.log((await table.getByTestId('methods-results').innerText()).replace(/\t/g, ' | '));
  const fp32 = Number(await rows.nth(0).getAttribute('data-perplexity'));
  expect(fp32).toBeGreaterThan(1);
  expect(fp32).toBeLessThan(10);
  for (let i = 1; i < 4; i++) {
    expect(Number(await rows.nth(i).getAttribute('data-kl'))).toBeGreaterThan(0);
    expect(Number(await rows.nth(i).getAttribute('data-perplexity'))).toBeLessThan(2 * fp32);
  }
  await expect(table).toContainText(/Capture and scoring on WebGPU/);
  // Automatic on a software adapter: the CPU references quantize (the GPU paths are checked on /gpu/).
  await expect(table.getByTestId('methods-ran-on')).toHaveText(['—', 'CPU reference', 'CPU reference', 'CPU reference']);
  expect(errors).toEqual([]);
});
