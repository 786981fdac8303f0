import { expect, test } from '@playwright/test';
import { watchErrors } from './helpers';

test('the lab kernels on WebGPU agree with the CPU reference in every case', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = watchErrors(page);
  await page.goto('/gpu/');
  const w = page.getByTestId('gpu-selftest');
  await expect(w.getByTestId('selftest-run')).toBeEnabled({ timeout: 60_000 });
  await w.getByTestId('selftest-run').click();
  await expect(w.getByTestId('selftest-summary')).toBeVisible({ timeout: 150_000 });
  const rows = await w.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.textContent));
  console.log(rows.join('\n'));
  await expect(w.getByTestId('selftest-summary')).toContainText('All 9 cases agree');
  expect(errors).toEqual([]);
});

test('the NF4 dequantize kernel is bit-identical to the CPU reference and holds about half a byte per weight', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  await page.goto('/gpu/');
  const w = page.getByTestId('nf4-selftest');
  await expect(w.getByTestId('nf4-selftest-run')).toBeEnabled({ timeout: 60_000 });
  await w.getByTestId('nf4-selftest-run').click();
  await expect(w.getByTestId('nf4-selftest-summary')).toBeVisible({ timeout: 100_000 });
  const rows = await w.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.textContent));
  console.log(rows.join('\n'));
  await expect(w.getByTestId('nf4-selftest-summary')).toContainText('All 6 cases are bit-identical');
  // 1M weights: 524,288 bytes of codes + 16,384 of absmax codes + 256 of absmax2 + the 1,088-byte tables.
  const first = w.locator('tbody tr').first();
  await expect(first.locator('td').nth(3)).toHaveText('542,016');
  await expect(first.locator('td').nth(4)).toHaveText('0.517');
  expect(errors).toEqual([]);
});
