import { expect, test } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { watchErrors } from './helpers';

const num = (s: string | null) => Number((s ?? '').replace(/[^0-9.eE+-]/g, ''));

test('QLoRA trains in a worker on WebGPU: held-out loss falls, the page stays responsive, the adapter exports, merges and imports', async ({ page }) => {
  test.setTimeout(600_000);
  const errors = watchErrors(page);
  await page.goto('/lessons/qlora/?qlora.steps=10');
  const w = page.getByTestId('qlora-widget');
  await w.scrollIntoViewIfNeeded();
  // Long tasks on the page's main thread while training (PerformanceObserver: none over 50 ms is the aim).
  await page.evaluate(() => {
    (window as unknown as { longTasks: number[] }).longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) (window as unknown as { longTasks: number[] }).longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: false });
  });
  await w.getByTestId('qlora-start').click();
  await expect(w).toHaveAttribute('data-state', 'running', { timeout: 240_000 });
  await expect(w.getByTestId('qlora-backend')).toContainText('Web Worker on WebGPU');
  await expect(w.getByTestId('qlora-before')).not.toHaveText('—');
  // Scrolled out of view, the run pauses; back in view, it resumes.
  await page.evaluate(() => window.scrollTo(0, 0));
  await expect(w.getByTestId('qlora-status')).toContainText('paused while the widget is off screen', { timeout: 60_000 });
  await w.scrollIntoViewIfNeeded();
  await expect(w).toHaveAttribute('data-state', 'done', { timeout: 300_000 });
  const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
  console.log('long tasks during the run (ms):', longTasks);
  // Responsive while training: no main-thread task of 200 ms or more, and at most one over 50 ms
  // (on this two-core machine a lone garbage-collection pause of ~70 ms has been seen once in a run
  // otherwise free of long tasks; a page that blocked on the training would show many).
  expect(Math.max(0, ...longTasks)).toBeLessThan(200);
  expect(longTasks.filter((t) => t >= 50).length).toBeLessThanOrEqual(1);

  const heldout = (await w.getByTestId('qlora-heldout').textContent()) ?? '';
  const [before, after] = heldout.match(/[\d.]+ → [\d.]+/)![0].split(' → ').map(Number);
  console.log('held-out loss', before, '→', after);
  // ALL CAPITALS, QLoRA r 8, lr 3e-3, 10 steps of 8 × 64 characters, seed 1: measured 3.48 → 2.64 here.
  expect(after).toBeLessThan(before - 0.1);
  expect(after).toBeLessThan(3.0);
  await expect(w.getByTestId('qlora-trainable')).toContainText('65,536');
  await expect(w.getByTestId('qlora-after')).not.toHaveText(/Pause or finish/, { timeout: 120_000 });
  // The NF4 + DQ base is held packed: well under a quarter of its FP32 size.
  const ledger = await w.getByTestId('qlora-ledger').innerText();
  console.log(ledger);
  expect(ledger).toContain('NF4 + DQ');
  expect(ledger).not.toContain('kept as float32');

  await w.getByTestId('qlora-merge').click();
  const merge = w.getByTestId('qlora-merge-result');
  await expect(merge).toBeVisible({ timeout: 120_000 });
  const m = ((await merge.textContent()) ?? '').match(/adapter: ([\d.]+); merged model, .*: ([\d.]+)/)!;
  expect(Math.abs(Number(m[1]) - Number(m[2]))).toBeLessThan(1e-3);

  const downloads: string[] = [];
  page.on('download', async (d) => {
    const path = `test-results/${d.suggestedFilename()}`;
    await d.saveAs(path);
    downloads.push(path);
  });
  await w.getByTestId('qlora-export').click();
  await expect.poll(() => downloads.length, { timeout: 30_000 }).toBe(2);
  const weights = downloads.find((p) => p.endsWith('.safetensors'))!;
  const config = downloads.find((p) => p.endsWith('.json'))!;
  // A truncated adapter file: the error names the tensor, and the trained run is untouched (its
  // step, its before-sample and, after an export, its lora_B weights).
  const bytes = readFileSync(weights);
  writeFileSync('test-results/truncated.safetensors', bytes.subarray(0, bytes.length >> 1));
  const stepBefore = await w.getAttribute('data-step');
  const sampleBefore = await w.getByTestId('qlora-before').textContent();
  await w.getByTestId('qlora-import-weights').setInputFiles('test-results/truncated.safetensors');
  await w.getByTestId('qlora-import-config').setInputFiles(config);
  await w.getByTestId('qlora-import').click();
  await expect(w.getByTestId('qlora-error')).toContainText(/Tensor "base_model\.model\.transformer\./, { timeout: 60_000 });
  expect(await w.getAttribute('data-step')).toBe(stepBefore);
  await expect(w.getByTestId('qlora-before')).toHaveText(sampleBefore ?? '');
  const again: string[] = [];
  page.removeAllListeners('download');
  page.on('download', async (d) => {
    const path = `test-results/again-${d.suggestedFilename()}`;
    await d.saveAs(path);
    again.push(path);
  });
  await w.getByTestId('qlora-export').click();
  await expect.poll(() => again.length, { timeout: 30_000 }).toBe(2);
  expect(readFileSync(again.find((p) => p.endsWith('.safetensors'))!).equals(bytes)).toBe(true);
  await w.getByTestId('qlora-import-weights').setInputFiles(weights);
  await w.getByTestId('qlora-import-config').setInputFiles(config);
  await w.getByTestId('qlora-import').click();
  // The imported adapter scores what the trained one scored on the same held-out windows.
  await expect(w.getByTestId('qlora-heldout')).toHaveText(/→/, { timeout: 240_000 });
  await expect.poll(async () => w.getAttribute('data-step'), { timeout: 240_000 }).toBe('0');
  await expect.poll(async () => {
    const t = (await w.getByTestId('qlora-heldout').textContent()) ?? '';
    const m = t.match(/[\d.]+ → ([\d.]+)/);
    return m !== null && Math.abs(Number(m[1]) - after) < 2e-3;
  }, { timeout: 240_000 }).toBe(true);
  expect(errors).toEqual([]);
});

test('full fine-tuning, LoRA and QLoRA on the same budget end in a results table', async ({ page }) => {
  test.setTimeout(600_000);
  const errors = watchErrors(page);
  // WebGL trains this model faster than SwiftShader's WebGPU on this machine; the table works on both.
  await page.goto('/lessons/qlora/?compare.steps=5&backend=webgl');
  const w = page.getByTestId('compare-widget');
  await w.scrollIntoViewIfNeeded();
  await w.getByTestId('compare-run').click();
  await expect(w).toHaveAttribute('data-phase', 'done', { timeout: 540_000 });
  console.log(await w.getByTestId('compare-table').innerText());
  for (const mode of ['full', 'lora', 'qlora']) {
    const [a, b] = ((await w.getByTestId(`compare-loss-${mode}`).textContent()) ?? '').split('→').map(num);
    expect(b).toBeLessThan(a);
  }
  await expect(w.locator('tr[data-mode=full] td').nth(1)).toHaveText('817,792');
  await expect(w.locator('tr[data-mode=qlora] td').nth(1)).toHaveText('65,536');
  // WebGL's texture pool is bounded (64 MiB, lib/compute/device-memory): what the backend holds
  // stays near the bound plus the live tensors, for a model whose working set is a few MB.
  for (const mode of ['full', 'lora', 'qlora']) {
    const held = Number(await w.getByTestId(`compare-device-${mode}`).getAttribute('data-bytes'));
    console.log(`${mode}: ${(held / 2 ** 20).toFixed(1)} MiB allocated on the device`);
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThan(160 * 2 ** 20);
  }
  expect(errors).toEqual([]);
});
