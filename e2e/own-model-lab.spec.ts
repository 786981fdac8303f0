import { expect, test } from '@playwright/test';
import { watchErrors } from './helpers';
import { tinyGpt2Files, TINY_GPT2, VOCAB } from './own-model-files';

/** One F32 tensor of a safetensors file: an 8-byte little-endian header length, the JSON header, then the data. */
function tensorOf(file: Buffer, name: string): Float32Array {
  const len = Number(file.readBigUInt64LE(0));
  const header = JSON.parse(file.subarray(8, 8 + len).toString()) as Record<string, { data_offsets: [number, number] }>;
  const [a, b] = header[name].data_offsets;
  const bytes = file.subarray(8 + len + a, 8 + len + b);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

// A tiny GPT-2-layout checkpoint, written in the test (e2e/own-model-files.ts): nothing is fetched.
test('the quantization lab lists and quantizes a matrix of your own checkpoint, and goes back to the tiny model', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/lessons/quantized-inference/');
  const lab = page.locator('[data-lab-id="real"]');
  await lab.scrollIntoViewIfNeeded();
  await expect(lab.getByTestId('lab-tensor')).toContainText('kjv-char-4l: ', { timeout: 60_000 });
  await lab.getByTestId('lab-granularity').selectOption('tensor');
  await expect(lab.getByTestId('lab-scale')).not.toContainText('up to'); // one scale drawn: the per-tensor result, not the groups' before it
  const tinyScale = (await lab.getByTestId('lab-scale').textContent()) ?? '';

  // The picker is folded into one line until opened; load the checkpoint from it.
  const panel = lab.getByTestId('own-model');
  await expect(panel).toBeHidden();
  await lab.getByTestId('lab-own-model').locator('summary').click();
  const files = tinyGpt2Files();
  await panel.getByTestId('own-model-files').setInputFiles(files);
  await panel.getByTestId('own-model-load').click();
  const { n_embd: C, n_layer: L } = TINY_GPT2;
  await expect(panel.getByTestId('own-model-loaded')).toContainText(`${L} layers, n_embd ${C}`);
  await expect(lab.getByTestId('lab-own-note')).toContainText(`its ${2 + 4 * L} weight matrices`);

  // Its matrices, with their shapes: wte, wpe, then four a block.
  const layer = lab.getByTestId('lab-layer');
  await expect(layer.locator('option')).toHaveCount(2 + 4 * L);
  await expect(layer.locator('option').first()).toHaveText(`Token embedding / output head (wte), ${VOCAB} × ${C}`);
  await layer.selectOption(`h.${L - 1}.mlp.c_proj`);
  await expect(lab.getByTestId('lab-tensor')).toContainText(`Block ${L} · MLP down-projection (mlp.c_proj), ${C} × ${4 * C} (out × in)`);

  // Computed from that matrix: symmetric per-tensor s = max|x| / ((2^b − 1) / 2) (docs/numerics.md).
  const w = tensorOf(files.find((f) => f.name === 'model.safetensors')!.buffer, `h.${L - 1}.mlp.c_proj.weight`);
  const absmax = w.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
  const bits = Number(await lab.getByTestId('lab-bits-value').textContent());
  const scale = Number(await lab.getByTestId('lab-scale').textContent());
  expect(Math.abs(scale - absmax / ((2 ** bits - 1) / 2))).toBeLessThan(1e-5 * scale);
  expect(scale).not.toBe(Number(tinyScale));
  expect(page.url()).not.toContain('mlp.c_proj'); // the learner's matrix stays out of the link

  // Back to the tiny model: its matrix again.
  await panel.getByTestId('own-model-back').click();
  await expect(lab.getByTestId('lab-tensor')).toContainText('kjv-char-4l: ');
  await expect(lab.getByTestId('lab-scale')).toHaveText(tinyScale);
  expect(errors).toEqual([]);
});
