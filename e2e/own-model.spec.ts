import { expect, test } from '@playwright/test';
import { watchErrors } from './helpers';
import { tinyGpt2Files, tinyGpt2Parameters, TINY_GPT2 } from './own-model-files';

// A tiny GPT-2-layout checkpoint, written in the test (e2e/own-model-files.ts): nothing is fetched.
test('your own GPT-2 checkpoint: a bad one is named, a good one is compared in two formats, and back', async ({ page }) => {
  test.setTimeout(90_000);
  const errors = watchErrors(page);
  await page.goto('/lessons/quantized-inference/');
  const w = page.getByTestId('inference-widget');
  await w.scrollIntoViewIfNeeded();
  const panel = w.getByTestId('own-model');
  await expect(panel).toBeVisible({ timeout: 30_000 });

  // A checkpoint without one of its tensors: the library's named error, before any weight is read.
  await panel.getByTestId('own-model-files').setInputFiles(tinyGpt2Files('h.1.mlp.c_fc.weight'));
  await expect(panel.getByTestId('own-model-error')).toContainText('ModelLoadError');
  await expect(panel.getByTestId('own-model-error')).toContainText('h.1.mlp.c_fc.weight');

  // The good one: the header's figures, then Load (tensor k of n).
  await panel.getByTestId('own-model-files').setInputFiles(tinyGpt2Files());
  const summary = panel.getByTestId('own-model-summary');
  await expect(summary).toContainText(tinyGpt2Parameters().toLocaleString('en-US'));
  await expect(summary).toContainText('Fits');
  await expect(panel.getByTestId('own-model-error')).toHaveCount(0);
  await panel.getByTestId('own-model-load').click();
  await expect(panel.getByTestId('own-model-loaded')).toContainText(`${TINY_GPT2.n_layer} layers, n_embd ${TINY_GPT2.n_embd}`);

  // Two formats, on a pasted text.
  for (const f of ['fp16', 'bf16', 'int4-group64', 'nf4-dq']) await w.getByTestId(`inference-format-${f}`).uncheck();
  await panel.getByTestId('own-model-text').fill('In the beginning there was the word, and the word was with the other words. '.repeat(8));
  await w.getByTestId('inference-run').click();
  await expect(w).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  console.log((await w.getByTestId('inference-table').innerText()).replace(/\t/g, ' | '));
  await expect(w.getByTestId('inference-table').locator('tbody tr')).toHaveCount(2);
  await expect(w.getByTestId('inference-model')).toContainText(`n_embd ${TINY_GPT2.n_embd}`);
  await expect(w.getByTestId('inference-status')).toContainText('tokens of your text');
  await expect(w.getByTestId('inference-bits-fp32')).toHaveText('32');
  // FP32 holds 4 bytes a parameter (formatBytes: kB for this model), far below the tiny model's megabytes.
  const held = (await w.getByTestId('inference-bytes-fp32').textContent()) ?? '';
  expect(held).toMatch(/ kB/);
  const kb = Number(held.replace(/[^0-9.]/g, ''));
  expect(kb * 1000).toBeGreaterThanOrEqual(4 * tinyGpt2Parameters() * 0.99);
  expect(kb * 1000).toBeLessThan(8 * tinyGpt2Parameters());
  const ppl = Number((await w.getByTestId('inference-ppl-int8-channel').textContent())?.replace(/[^0-9.eE+-]/g, ''));
  expect(ppl).toBeGreaterThan(1);
  // GPT-2's tanh GELU decodes on the fused kernels too: neither row took tfjs ops, and nothing says why not.
  await expect(w.locator('tbody tr[data-decode-path="ops"]')).toHaveCount(0);
  await expect(w.locator('tbody tr[data-decode-path]')).toHaveCount(2);
  await expect(w.getByTestId('inference-decode-why')).toHaveCount(0);
  await expect(w.getByTestId('inference-samples')).toBeVisible();

  // Back to the tiny model: the figures shown stay, still named for the model they were measured on.
  await panel.getByTestId('own-model-back').click();
  await expect(panel.getByTestId('own-model-loaded')).toHaveCount(0);
  await expect(w.getByTestId('inference-table').locator('tbody tr')).toHaveCount(2);
  await expect(w.getByTestId('inference-model')).toContainText(`n_embd ${TINY_GPT2.n_embd}`);
  expect(errors).toEqual([]);
});
