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
