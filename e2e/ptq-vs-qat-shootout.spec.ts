import { expect, test } from '@playwright/test';
import { watchErrors } from './helpers';

test('the PTQ against QAT shoot-out scores FP32, RTN, MSE-clipped RTN, GPTQ and QAT on the same windows; QAT starts at RTN’s loss', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  // One bit width (3), a 4-step QAT budget and 8 held-out windows; WebGL trains this model faster than SwiftShader's WebGPU here.
  // shootout.bits is a mask over [8, 4, 3, 2]: 4 = 3-bit only.
  await page.goto('/lessons/ptq-vs-qat/?shootout.bits=4&shootout.steps=4&shootout.windows=8&backend=webgl');
  const w = page.getByTestId('qat-shootout');
  await w.scrollIntoViewIfNeeded();
  await expect(w).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  await expect(w.getByTestId('shootout-bits-3')).toBeChecked();
  await expect(w.getByTestId('shootout-bits-4')).not.toBeChecked();
  await w.getByTestId('shootout-run').click();
  await expect(w).toHaveAttribute('data-state', 'done', { timeout: 100_000 });
  const table = w.getByTestId('shootout-table');
  console.log(await table.innerText());
  const loss = async (method: string) => Number(await table.locator(`tr[data-method=${method}]`).getAttribute('data-loss'));
  const [fp32, rtn, mse, gptq, qat] = [await loss('fp32'), await loss('rtn'), await loss('mse'), await loss('gptq'), await loss('qat')];
  for (const x of [fp32, rtn, mse, gptq, qat]) {
    expect(Number.isFinite(x)).toBe(true);
    expect(x).toBeGreaterThan(0);
  }
  await expect(table.locator('tr[data-method=qat]')).toHaveAttribute('data-bits', '3');
  // Quantizing to 3 bits costs loss against FP32.
  expect(rtn).toBeGreaterThan(fp32);
  // Each row's MSE-chosen range minimises the weights' rounding error, not the model's loss: it need not beat RTN here.
  expect(mse).toBeGreaterThan(fp32);
  // At step 0 QAT's forward pass is the round-to-nearest model on the same grid, scored on the same windows.
  const check = w.getByTestId('shootout-check-3');
  const start = Number(await check.getAttribute('data-qat-start'));
  const rtnSeen = Number(await check.getAttribute('data-rtn'));
  console.log(`QAT step 0: ${start}; RTN: ${rtnSeen}; gap ${Math.abs(start - rtnSeen)}`);
  expect(rtnSeen).toBe(rtn);
  expect(Math.abs(start - rtn)).toBeLessThan(1e-3);
  console.log(await w.getByTestId('shootout-cost-3').innerText());
  await expect(w.getByTestId('shootout-curve')).toBeVisible();
  expect(errors).toEqual([]);
});
