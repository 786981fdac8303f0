import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { layerTopChannels, loadOwnActivationStudy, OWN_STUDY } from '../lib/model/activation-study';
import { cpuTfjs } from '../lib/model/cpu-tfjs';
import { openGpt2Checkpoint } from '../lib/model/gpt2-checkpoint';
import { readOwnWeights } from '../lib/model/own-model';
import { watchErrors } from './helpers';
import { tinyGpt2Files, TINY_GPT2 } from './own-model-files';

// A tiny GPT-2-layout checkpoint, written in the test (e2e/own-model-files.ts): nothing is fetched.
test('activations lesson: the heatmap captures a loaded GPT-2 checkpoint’s Linear inputs and lists its largest channels as lib does', async ({ page }) => {
  test.setTimeout(90_000);
  const errors = watchErrors(page);
  await page.goto('/lessons/activations-and-outliers/');
  const heat = page.getByTestId('act-heatmap');
  await heat.scrollIntoViewIfNeeded();
  await expect(heat).toHaveAttribute('data-state', 'done', { timeout: 60_000 }); // the tiny model first
  const panel = heat.getByTestId('own-model');
  await panel.getByTestId('own-model-files').setInputFiles(tinyGpt2Files());
  await panel.getByTestId('own-model-load').click();
  await expect(panel.getByTestId('own-model-loaded')).toContainText(`${TINY_GPT2.n_layer} layers, n_embd ${TINY_GPT2.n_embd}`);

  const C = TINY_GPT2.n_embd, L = TINY_GPT2.n_layer, T = Math.min(OWN_STUDY.windowTokens, TINY_GPT2.n_positions);
  await expect(heat).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(heat).toContainText(`over ${OWN_STUDY.windows} windows of ${T} tokens of the course’s calibration text, tokenized with your model’s BPE`);
  await expect(heat.getByTestId('act-heatmap-layer').locator('option')).toHaveCount(4 * L);
  await expect(heat.locator(`[aria-label*="${T} tokens × ${C} channels"]`)).toHaveCount(1);
  const rows = heat.getByTestId('act-heatmap-largest-row');
  await expect(rows).toHaveCount(L);
  await heat.getByTestId('act-heatmap-layer').selectOption(`h.${L - 1}.mlp.c_proj`);
  await expect(heat.locator(`[aria-label*="${T} tokens × ${4 * C} channels"]`)).toHaveCount(1);
  const shown = await rows.locator('strong').allTextContents();

  // The same capture on tfjs's CPU backend in Node, from the same files and calibration text, through lib.
  const files = Object.fromEntries(tinyGpt2Files().map((f) => [f.name, f.buffer]));
  const bytes = new Uint8Array(files['model.safetensors']);
  const ckpt = await openGpt2Checkpoint({ config: JSON.parse(files['config.json'].toString()), tokenizer: JSON.parse(files['tokenizer.json'].toString()), weights: { size: bytes.length, slice: (b, e) => ({ arrayBuffer: async () => bytes.slice(b, e).buffer }) } });
  const study = await loadOwnActivationStudy(await cpuTfjs(), await readOwnWeights(ckpt), readFileSync('public/models/kjv-char-4l/calibration.txt', 'utf8'));
  expect(shown).toEqual(layerTopChannels(study.stats, 1, '.mlp.c_proj').map((l) => String(l.top[0].channel)));
  expect(errors).toEqual([]);
});
