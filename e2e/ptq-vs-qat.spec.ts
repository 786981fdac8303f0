import { expect, test } from '@playwright/test';
import { watchErrors } from './helpers';

test('the straight-through estimator moves a weight the true gradient leaves alone, and passes nothing where the code is clamped', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/lessons/ptq-vs-qat/?ste.w=0.1&ste.target=0.45&ste.step=0.5&ste.bits=2&ste.lr=0.1');
  const w = page.getByTestId('ste-explorer');
  await w.scrollIntoViewIfNeeded();
  const readout = w.getByTestId('ste-readout');
  await expect(readout).toHaveAttribute('data-quantized', '0');
  // ŵ = 0, target 0.45: dL/dw = 2 (0 − 0.45) = −0.9, passed through by the STE.
  await expect(readout).toHaveAttribute('data-ste-gradient', '-0.9');
  await w.getByTestId('ste-true-step').click();
  await expect(w.getByTestId('ste-status')).toContainText('does not move');
  await expect(readout).toHaveAttribute('data-quantized', '0');
  await w.getByTestId('ste-descend').click(); // w 0.1 → 0.19
  await w.getByTestId('ste-descend').click(); // w 0.19 → 0.28, which rounds to 0.5
  await expect(readout).toHaveAttribute('data-quantized', '0.5');
  await expect(page).toHaveURL(/ste\.w=0\.28/);
  // Beyond the top of the 2-bit grid (code 1 = 0.5) the code clamps and the STE passes nothing.
  await page.goto('/lessons/ptq-vs-qat/?ste.w=1.4&ste.target=-1&ste.step=0.5&ste.bits=2');
  await page.getByTestId('ste-explorer').scrollIntoViewIfNeeded();
  await expect(page.getByTestId('ste-readout')).toHaveAttribute('data-ste-gradient', '0');
  await page.getByTestId('ste-descend').click();
  await expect(page.getByTestId('ste-status')).toContainText('clamped');
  expect(errors).toEqual([]);
});
