import { readFileSync } from 'node:fs';
import { expect, test, type Locator } from '@playwright/test';
import { decompositionErrors, layerOperands, loadActivationStudy } from '../lib/model/activation-study';
import { cpuTfjs } from '../lib/model/cpu-tfjs';
import { readTinyLMWeights } from '../lib/model/load';
import { watchErrors } from './helpers';

const MODEL = 'public/models/kjv-char-4l';

async function percent(w: Locator, id: string): Promise<number> {
  return Number((await w.getByTestId(id).textContent())?.replace(/[^0-9.eE+-]/g, '')) / 100;
}

test('activations lesson: the layer widgets compute on the captured inputs, and LLM.int8() matches lib on the same layer', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = watchErrors(page);
  await page.goto('/lessons/activations-and-outliers/?act-int8.layer=h.1.mlp.c_fc&act-int8.threshold=6');

  const heat = page.getByTestId('act-heatmap');
  await heat.scrollIntoViewIfNeeded();
  await expect(heat).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  await expect(heat).toContainText('Captured on WebGPU');
  const ratio = Number(await heat.getByTestId('act-heatmap-ratio').textContent());
  await heat.getByTestId('act-heatmap-synthetic').check();
  await expect(heat).toContainText('SYNTHETIC');
  expect(Number(await heat.getByTestId('act-heatmap-ratio').textContent())).toBeGreaterThan(ratio);

  const int8 = page.getByTestId('act-int8');
  await int8.scrollIntoViewIfNeeded();
  await expect(int8).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  const shownColumns = await int8.getByTestId('act-int8-columns').textContent();
  const shownMixed = await percent(int8, 'act-int8-mixed');
  const shownPure = await percent(int8, 'act-int8-pure');

  // The same layer, captured on tfjs's CPU backend in Node from the same files, through lib.
  const tf = await cpuTfjs();
  const weights = await readTinyLMWeights(JSON.parse(readFileSync(`${MODEL}/config.json`, 'utf8')), new Uint8Array(readFileSync(`${MODEL}/model.safetensors`)));
  const study = await loadActivationStudy(tf, weights, readFileSync(`${MODEL}/calibration.txt`, 'utf8'));
  const r = decompositionErrors(layerOperands(study, 'transformer.h.1.mlp.c_fc', 128, { count: 4, factor: 40 }), 6);
  expect(shownColumns).toBe(`${r.outlierColumns.length} of 128`);
  expect(shownMixed).toBeCloseTo(r.decompositionError, 3);
  expect(shownPure).toBeCloseTo(r.int8Error, 3);
  expect(shownMixed).toBeLessThan(shownPure);

  const smooth = page.getByTestId('act-smooth');
  await smooth.scrollIntoViewIfNeeded();
  await expect(smooth).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  expect(await percent(smooth, 'act-smooth-after')).toBeLessThan(await percent(smooth, 'act-smooth-before'));

  const schemes = page.getByTestId('act-schemes');
  await schemes.scrollIntoViewIfNeeded();
  await schemes.getByTestId('act-schemes-windows').fill('2');
  await schemes.getByTestId('act-schemes-run').click();
  await expect(schemes).toHaveAttribute('data-state', 'done', { timeout: 90_000 });
  await expect(schemes.getByTestId('act-schemes-table').locator('tbody tr')).toHaveCount(5);
  console.log((await schemes.getByTestId('act-schemes-table').innerText()).replace(/\t/g, ' | '));
  expect(Number(await schemes.getByTestId('act-schemes-kl-w8a8-token').textContent())).toBeGreaterThan(0);
  expect(errors).toEqual([]);
});
