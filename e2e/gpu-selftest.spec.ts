import { expect, test } from '@playwright/test';
import { watchErrors } from './helpers';

test('the lab kernels on WebGPU agree with the CPU reference in every case', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = watchErrors(page);
  await page.goto('/gpu/');
  const w = page.getByTestId('gpu-selftest');
  await expect(w.getByTestId('selftest-run')).toBeEnabled({ timeout: 60_000 });
  await w.getByTestId('selftest-run').click();
  await expect(w.getByTestId('selftest-summary')).toBeVisible({ timeout: 150_000 });
  const rows = await w.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.textContent));
  console.log(rows.join('\n'));
  await expect(w.getByTestId('selftest-summary')).toContainText('All 11 cases agree');
  expect(errors).toEqual([]);
});

test('the NF4 dequantize kernel is bit-identical to the CPU reference and holds about half a byte per weight', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  await page.goto('/gpu/');
  const w = page.getByTestId('nf4-selftest');
  await expect(w.getByTestId('nf4-selftest-run')).toBeEnabled({ timeout: 60_000 });
  await w.getByTestId('nf4-selftest-run').click();
  await expect(w.getByTestId('nf4-selftest-summary')).toBeVisible({ timeout: 100_000 });
  const rows = await w.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.textContent));
  console.log(rows.join('\n'));
  await expect(w.getByTestId('nf4-selftest-summary')).toContainText('All 6 cases are bit-identical');
  // 1M weights: 524,288 bytes of codes + 16,384 of absmax codes + 256 of absmax2 + the 1,088-byte tables.
  const first = w.locator('tbody tr').first();
  await expect(first.locator('td').nth(3)).toHaveText('542,016');
  await expect(first.locator('td').nth(4)).toHaveText('0.517');
  expect(errors).toEqual([]);
});

test('the weight storage kernels are bit-identical to the CPU reference in every format and hold the layout’s bytes', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = watchErrors(page);
  await page.goto('/gpu/');
  const w = page.getByTestId('weight-format-selftest');
  await expect(w.getByTestId('weight-format-selftest-run')).toBeEnabled({ timeout: 60_000 });
  await w.getByTestId('weight-format-selftest-run').click();
  await expect(w.getByTestId('weight-format-selftest-summary')).toBeVisible({ timeout: 150_000 });
  const rows = await w.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (c) => c.textContent).join(' | ')));
  console.log(rows.join('\n'));
  await expect(w.getByTestId('weight-format-selftest-summary')).toContainText('All 30 cases are bit-identical');
  // The 512 × 128 weight (65,536 weights), packed on the device: bytes and bits per weight from the layout.
  const expected: Record<string, [string, string]> = {
    fp32: ['262,144', '32.000'],
    fp16: ['131,072', '16.000'],
    bf16: ['131,072', '16.000'],
    'int8-channel': ['67,584', '8.250'], // 65,536 codes + 512 float32 scales
    'int4-group64': ['37,376', '4.563'], // 32,768 of codes + 1,024 float32 scales (4,096) + 1,024 4-bit zero points (512)
    'nf4-dq': ['34,896', '4.127'], // 32,768 + 1,024 absmax codes + 16 of absmax2 + the 1,088-byte tables (bits: + the 4-byte offset, no tables)
  };
  for (const [format, [bytes, bits]] of Object.entries(expected)) {
    const row = w.locator(`tbody tr[data-format="${format}"]`).first();
    await expect(row.locator('td').nth(4)).toHaveText(bytes);
    await expect(row.locator('td').nth(5)).toHaveText(bits);
  }
  expect(errors).toEqual([]);
});

test('GPTQ’s column-loop kernel and AWQ’s batched α search on WebGPU agree with the CPU references', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = watchErrors(page);
  await page.goto('/gpu/');
  const w = page.getByTestId('methods-selftest');
  await expect(w.getByTestId('methods-selftest-run')).toBeEnabled({ timeout: 60_000 });
  await w.getByTestId('methods-selftest-run').click();
  await expect(w.getByTestId('methods-selftest-summary')).toBeVisible({ timeout: 170_000 });
  const rows = await w.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (c) => c.textContent).join(' | ')));
  console.log(rows.join('\n'));
  await expect(w.getByTestId('methods-selftest-summary')).toContainText('All 7 cases agree');
  // Every case ran on WebGPU: GPTQ in the WGSL kernel, AWQ through tfjs's WebGPU backend.
  await expect(w.locator('tbody tr td:nth-child(3)')).toHaveText(Array(7).fill('WebGPU'));
  expect(errors).toEqual([]);
});

test('QAT’s fused fake-quantization kernels on WebGPU give the reference’s values and straight-through gradients', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  await page.goto('/gpu/');
  const w = page.getByTestId('fake-quant-selftest');
  await expect(w.getByTestId('fake-quant-selftest-run')).toBeEnabled({ timeout: 60_000 });
  await w.getByTestId('fake-quant-selftest-run').click();
  await expect(w.getByTestId('fake-quant-selftest-summary')).toBeVisible({ timeout: 100_000 });
  const rows = await w.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (c) => c.textContent).join(' | ')));
  console.log(rows.join('\n'));
  await expect(w.getByTestId('fake-quant-selftest-summary')).toContainText('All 5 cases agree');
  // On this software adapter float32 division is correctly rounded: not one value or gradient differs.
  await expect(w.locator('tbody tr td:nth-child(3)')).toHaveText(Array(5).fill('0'));
  await expect(w.locator('tbody tr td:nth-child(4)')).toHaveText(Array(5).fill('0'));
  expect(errors).toEqual([]);
});

test('the fused decode kernels and the tiled dequantizing matmul on WebGPU agree with their CPU twins, and decoding with the KV cache with the forward over the whole context', async ({ page }) => {
  test.setTimeout(240_000);
  const errors = watchErrors(page);
  await page.goto('/gpu/');
  const w = page.getByTestId('decode-selftest');
  await expect(w.getByTestId('decode-selftest-run')).toBeEnabled({ timeout: 60_000 });
  await w.getByTestId('decode-selftest-run').click();
  await expect(w.getByTestId('decode-selftest-summary')).toBeVisible({ timeout: 210_000 });
  const rows = await w.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (c) => c.textContent).join(' | ')));
  console.log(rows.join('\n'));
  await expect(w.getByTestId('decode-selftest-summary')).toContainText('All 19 cases agree');
  await expect(w.locator('tbody tr[data-kind="matvec"]')).toHaveCount(6);
  await expect(w.locator('tbody tr[data-kind="decode"]')).toHaveCount(5);
  await expect(w.locator('tbody tr[data-kind="dqmm"]')).toHaveCount(6);
  expect(errors).toEqual([]);
});

test('the matmul, sums and softmax for emulated GPUs, the optimizer\'s fused step and the training kernels agree with the CPU reference on WebGPU', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = watchErrors(page);
  await page.goto('/gpu/');
  const w = page.getByTestId('software-kernels-selftest');
  await expect(w.getByTestId('software-kernels-selftest-run')).toBeEnabled({ timeout: 60_000 });
  await w.getByTestId('software-kernels-selftest-run').click();
  await expect(w.getByTestId('software-kernels-selftest-summary')).toBeVisible({ timeout: 100_000 });
  const rows = await w.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (c) => c.textContent).join(' | ')));
  console.log(rows.join('\n'));
  await expect(w.getByTestId('software-kernels-selftest-summary')).toContainText('All 10 cases agree');
  // The optimizer's fused step, in the same page.
  const o = page.getByTestId('adamw-selftest');
  await o.getByTestId('adamw-selftest-run').click();
  await expect(o.getByTestId('adamw-selftest-summary')).toBeVisible({ timeout: 60_000 });
  console.log((await o.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (c) => c.textContent).join(' | ')))).join('\n'));
  await expect(o.getByTestId('adamw-selftest-summary')).toContainText('All 2 cases agree');
  // Attention, GELU and layer norm over a batch, values and gradients, in the same page.
  const t = page.getByTestId('batch-ops-selftest');
  await t.getByTestId('batch-ops-selftest-run').click();
  await expect(t.getByTestId('batch-ops-selftest-summary')).toBeVisible({ timeout: 90_000 });
  console.log((await t.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (c) => c.textContent).join(' | ')))).join('\n'));
  await expect(t.getByTestId('batch-ops-selftest-summary')).toContainText('All 7 cases agree');
  expect(errors).toEqual([]);
});
