import { expect, test } from '@playwright/test';
import { watchErrors } from './helpers';

// The smallest run: calibration sets of 1, 2 and 4 windows (one capture), 2 held-out windows.
const URL = '/lessons/ptq-vs-qat/?calib.maxWindows=4&calib.heldout=2';

test('calibration size: GPTQ scored at every size from one capture, round-to-nearest the same line in every row', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = watchErrors(page);
  await page.goto(URL);
  const w = page.getByTestId('calibration-size');
  // The near-screen placeholder is swapped for the widget while it scrolls in: retry until it holds still.
  await expect(async () => w.scrollIntoViewIfNeeded({ timeout: 5_000 })).toPass();
  await expect(w).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  await w.getByTestId('calibration-run').click();
  await expect(w).toHaveAttribute('data-state', 'done', { timeout: 150_000 });
  const rows = w.getByTestId('calibration-results').locator('tbody tr');
  await expect(rows).toHaveCount(3);
  console.log((await w.getByTestId('calibration-results').innerText()).replace(/\t/g, ' | '));
  const rtnKl = await rows.nth(0).getAttribute('data-rtn-kl');
  const rtnPpl = await rows.nth(0).getAttribute('data-rtn-perplexity');
  expect(Number(rtnKl)).toBeGreaterThan(0);
  for (let i = 0; i < 3; i++) {
    const row = rows.nth(i);
    expect(Number(await row.getAttribute('data-windows'))).toBe(2 ** i);
    expect(Number(await row.getAttribute('data-characters'))).toBe(128 * 2 ** i);
    const ppl = Number(await row.getAttribute('data-perplexity'));
    const kl = Number(await row.getAttribute('data-kl'));
    expect(Number.isFinite(ppl) && ppl > 1).toBe(true);
    expect(Number.isFinite(kl) && kl > 0).toBe(true);
    expect(await row.getAttribute('data-rtn-kl')).toBe(rtnKl);
    expect(await row.getAttribute('data-rtn-perplexity')).toBe(rtnPpl);
  }
  await expect(w.getByTestId('calibration-chart').locator('[data-series=gptq] circle')).toHaveCount(3);
  await expect(w.getByTestId('calibration-chart').locator('[data-series=rtn]')).toHaveCount(1);
  expect(errors).toEqual([]);
});
