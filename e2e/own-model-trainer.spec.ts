import { expect, test } from '@playwright/test';
import { formatBytes } from '../lib/memory/format';
import { memoryBudget } from '../lib/model/own-model';
import { ownTrainingMemory } from '../lib/train/own-model-training';
import { watchErrors } from './helpers';
import { tinyGpt2Files, TINY_GPT2, VOCAB } from './own-model-files';

// A tiny GPT-2-layout checkpoint, written in the test (e2e/own-model-files.ts): nothing is fetched.
test('a checkpoint loaded on lesson 7 follows a client-side link to QLoRA, whose trainer says what training it would hold and trains it', async ({ page }) => {
  test.setTimeout(90_000);
  const errors = watchErrors(page);
  await page.goto('/lessons/quantized-inference/');
  const inference = page.getByTestId('inference-widget');
  await inference.scrollIntoViewIfNeeded();
  const panel = inference.getByTestId('own-model');
  await expect(panel).toBeVisible();
  await panel.getByTestId('own-model-files').setInputFiles(tinyGpt2Files());
  await panel.getByTestId('own-model-load').click();
  await expect(panel.getByTestId('own-model-loaded')).toContainText(`n_embd ${TINY_GPT2.n_embd}`);

  // Client-side navigation (next/link: the header's home link, then the lesson's card) keeps the document, and so the tab's model.
  await page.evaluate(() => Object.assign(window, { sameDocument: true }));
  await page.locator('a.site-title').click();
  await page.locator('a.lesson-card[href="/lessons/qlora/"]').click();
  await expect(page).toHaveURL(/\/lessons\/qlora\/$/);
  expect(await page.evaluate(() => (window as Window & { sameDocument?: boolean }).sameDocument)).toBe(true);

  const w = page.getByTestId('qlora-widget');
  await w.scrollIntoViewIfNeeded();
  const note = w.getByTestId('qlora-own-model');
  await expect(note).toContainText(`n_embd ${TINY_GPT2.n_embd}`);

  // The figures are the library's for the checkpoint's config and this browser's budget (QLoRA, the widget's default mode, NF4 packed on WebGPU).
  const m = ownTrainingMemory({ vocab_size: VOCAB, n_layer: TINY_GPT2.n_layer, n_head: TINY_GPT2.n_head, n_embd: TINY_GPT2.n_embd, block_size: TINY_GPT2.n_positions }, 'qlora');
  const budget = memoryBudget(await page.evaluate(() => (navigator as Navigator & { deviceMemory?: number }).deviceMemory));
  await expect(note).toHaveAttribute('data-total-bytes', String(m.totalBytes));
  await expect(note).toHaveAttribute('data-budget-bytes', String(budget.bytes));
  await expect(note).toHaveAttribute('data-fits', 'true');
  const text = (await note.textContent()) ?? '';
  console.log(text);
  for (const b of [m.totalBytes, m.baseBytes, m.adapterBytes, m.activationBytes, m.logitsBytes, m.maskBytes, m.workerCopyBytes, budget.bytes]) expect(text).toContain(formatBytes(b));
  expect(text).toContain(`${m.batch} windows of ${m.seq} tokens`);
  expect(text).toContain('the trainer can train it instead of the course’s tiny model');

  // It fits: train it instead. One step on the checkpoint, in its BPE tokens.
  await w.getByTestId('qlora-own-train').check();
  await expect(w.locator('h3')).toHaveText('Fine-tune your model');
  await expect(w.getByTestId('qlora-status')).toContainText(`windows of ${m.seq} tokens`);
  await w.getByTestId('qlora-step').click();
  await expect(w).toHaveAttribute('data-step', '1', { timeout: 60_000 });
  await expect(w.getByTestId('qlora-status')).toContainText('Step 1 of');
  await expect(w.getByTestId('qlora-error')).toHaveCount(0);
  expect(errors).toEqual([]);
});
