import { expect, test } from '@playwright/test';

// Under `next dev` React StrictMode runs every effect's cleanup once right after mounting. A widget
// whose cleanup disposes an engine created outside that effect is left holding a dead engine and
// never computes ("starting…"); useEngine (components/widget-kit) is what makes the lab survive it.
test('the quantization lab computes under next dev, where StrictMode mounts it twice', async ({ page }) => {
  await page.goto('/lessons/clipping-and-calibration/');
  const lab = page.getByTestId('quant-lab').first();
  await lab.scrollIntoViewIfNeeded();
  await expect(lab.getByTestId('lab-stats')).toBeVisible();
});
