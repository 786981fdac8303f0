import { expect, test } from '@playwright/test';
import { watchErrors } from './helpers';
import { tinyGpt2Files, TINY_GPT2 } from './own-model-files';

// A tiny GPT-2-layout checkpoint written in the test (e2e/own-model-files.ts): nothing is fetched.
test('the GPTQ/AWQ methods table on your own GPT-2 checkpoint: its first block quantized by RTN, GPTQ and AWQ and scored', async ({ page }) => {
  test.setTimeout(90_000);
  const errors = watchErrors(page);
  await page.goto('/lessons/gptq-and-awq/?methods.calib=4');
  const table = page.getByTestId('methods-table');
  await table.scrollIntoViewIfNeeded();
  const panel = table.getByTestId('own-model');
  await expect(panel).toBeVisible({ timeout: 30_000 });

  await panel.getByTestId('own-model-files').setInputFiles(tinyGpt2Files());
  await panel.getByTestId('own-model-load').click();
  await expect(panel.getByTestId('own-model-loaded')).toContainText('The methods table runs on it.');
  // The bounds, computed from the model's config: the first block by default, or both.
  await expect(panel.getByTestId('methods-own-blocks').locator('option')).toHaveText(['the first block', `all ${TINY_GPT2.n_layer} blocks`]);
  await expect(panel.getByTestId('methods-own-bounds')).toContainText('the 4 Linear layers of the first block of 2 are quantized');
  await expect(panel.getByTestId('methods-own-bounds')).toContainText(`of ${TINY_GPT2.n_positions} tokens`);

  await panel.getByTestId('methods-own-heldout').fill('2');
  await table.getByTestId('methods-run').click();
  await expect(table).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  const rows = table.getByTestId('methods-results').locator('tbody tr');
  await expect(rows).toHaveCount(4);
  console.log((await table.getByTestId('methods-results').innerText()).replace(/\t/g, ' | '));
  await expect(table.getByTestId('methods-caption')).toContainText(`n_embd ${TINY_GPT2.n_embd}`);
  await expect(table.getByTestId('methods-caption')).toContainText('all 4 Linear weights');
  await expect(rows.locator('td:nth-child(2)')).toHaveText(['—', 'Round to nearest', 'GPTQ', 'AWQ']);
  const fp32 = Number(await rows.nth(0).getAttribute('data-perplexity'));
  expect(fp32).toBeGreaterThan(1);
  for (let i = 1; i < 4; i++) {
    expect(Number(await rows.nth(i).getAttribute('data-kl'))).toBeGreaterThan(0);
    expect(Number.isFinite(Number(await rows.nth(i).getAttribute('data-perplexity')))).toBe(true);
  }
  await expect(table.getByTestId('methods-status')).toContainText('Done: 3 quantized models scored on 2 held-out windows.');
  expect(errors).toEqual([]);
});
