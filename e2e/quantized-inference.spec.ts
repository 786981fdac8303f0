import { expect, test, type Locator } from '@playwright/test';
import { watchErrors } from './helpers';

const FORMATS = ['fp32', 'fp16', 'bf16', 'int8-channel', 'int4-group64', 'nf4-dq'] as const;

async function num(w: Locator, id: string): Promise<number> {
  return Number((await w.getByTestId(id).textContent())?.replace(/[^0-9.eE+-]/g, ''));
}

test('the quantization lab quantizes the tiny model’s real matrices', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/lessons/granularity/?cost.distribution=model&cost.layer=h.1.mlp.c_fc');
  const lab = page.locator('[data-lab-id="cost"]');
  await lab.scrollIntoViewIfNeeded();
  await expect(lab.getByTestId('lab-layer')).toHaveValue('h.1.mlp.c_fc');
  await expect(lab.getByTestId('lab-tensor')).toContainText('kjv-char-4l: Block 2 · MLP up-projection (mlp.c_fc), 512 × 128 (out × in), trained weights', { timeout: 60_000 });
  await expect(lab.getByTestId('lab-tensor')).not.toContainText('synthetic');
  await expect(lab.getByTestId('lab-sqnr')).toHaveText(/dB/);
  await lab.getByTestId('lab-layer').selectOption('wte');
  await expect(lab.getByTestId('lab-tensor')).toContainText('Token embedding / output head (wte)', { timeout: 60_000 });
  await expect(lab.getByTestId('lab-size')).toHaveCount(0); // a model matrix has its own size
  expect(errors).toEqual([]);
});

test('six storage formats of one model: bytes, speed, perplexity, KL and top-1, measured on WebGPU', async ({ page }) => {
  test.setTimeout(300_000);
  const errors = watchErrors(page);
  await page.goto('/lessons/quantized-inference/');
  const w = page.getByTestId('inference-widget');
  await w.scrollIntoViewIfNeeded();
  await w.getByTestId('inference-run').click();
  await expect(w).toHaveAttribute('data-state', 'done', { timeout: 280_000 });
  console.log((await w.getByTestId('inference-table').innerText()).replace(/\t/g, ' | '));
  console.log(await w.getByTestId('inference-samples').innerText());
  await expect(w.getByTestId('inference-table').locator('tbody tr')).toHaveCount(6);
  await expect(w).toContainText('measured on WebGPU');
  await expect(w.getByTestId('inference-kl-fp32')).toHaveText('0');
  await expect(w.getByTestId('inference-top1-fp32')).toHaveText('100%');
  await expect(w.getByTestId('inference-bits-fp32')).toHaveText('32');
  await expect(w.getByTestId('inference-bits-fp16')).toHaveText('16');
  const ppl = Object.fromEntries(await Promise.all(FORMATS.map(async (f) => [f, await num(w, `inference-ppl-${f}`)] as const)));
  const kl = Object.fromEntries(await Promise.all(FORMATS.map(async (f) => [f, await num(w, `inference-kl-${f}`)] as const)));
  // A trained model, not noise: held-out perplexity far below the 63-character vocabulary.
  expect(ppl.fp32).toBeGreaterThan(1);
  expect(ppl.fp32).toBeLessThan(10);
  expect(Math.abs(ppl.fp16 - ppl.fp32) / ppl.fp32).toBeLessThan(0.01);
  expect(kl.fp16).toBeLessThan(kl['int4-group64']);
  expect(kl['int8-channel']).toBeLessThan(kl['nf4-dq']);
  expect(kl['nf4-dq']).toBeGreaterThan(0);
  // Packed on the device: NF4 holds the model in a fraction of FP32's bytes.
  const bytes = async (f: string) => w.getByTestId(`inference-bytes-${f}`).textContent();
  expect(await bytes('nf4-dq')).toMatch(/\(0\.(1|2)\d*×\)/);
  expect(await bytes('nf4-dq')).not.toContain('*');
  await expect(w.getByTestId('inference-samples').locator('dd')).toHaveCount(6);
  // Decoded with the KV cache in one dispatch a step (plus the read of the id), reading the packed bytes.
  await expect(w.getByTestId('inference-decode-note')).toContainText('single dispatch');
  for (const f of FORMATS) await expect(w.getByTestId(`inference-dispatches-${f}`)).toHaveText('2');
  const read = async (f: string) => w.getByTestId(`inference-readbytes-${f}`).textContent();
  expect(await read('fp32')).toMatch(/^3\.\d+ MB$/);
  expect(await read('nf4-dq')).toMatch(/^\d{3} kB$/); // about half a byte a weight, constants and wte (float32) included
  const tensors = await page.evaluate(() => window.lowbit?.tf.memory().numTensors);
  expect(tensors).toBe(0);
  expect(errors).toEqual([]);
});

test('the comparison names prompt characters the model never saw, and stops on request', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  await page.goto('/lessons/quantized-inference/');
  const w = page.getByTestId('inference-widget');
  await w.scrollIntoViewIfNeeded();
  await w.getByTestId('inference-prompt').fill('');
  await expect(w.getByTestId('inference-run')).toBeDisabled();
  await expect(w.getByRole('alert')).toContainText('Type a prompt');
  await w.getByTestId('inference-prompt').fill('Xerxes paid £5 to Moses');
  await w.getByTestId('inference-run').click();
  await expect(w.getByTestId('inference-dropped')).toContainText('“X”, “£”, “5”', { timeout: 60_000 });
  await w.getByTestId('inference-stop').click();
  await expect(w).toHaveAttribute('data-state', 'stopped', { timeout: 100_000 });
  await expect(w.getByTestId('inference-status')).toContainText('Stopped after');
  expect(errors).toEqual([]);
});
