import { expect, test } from '@playwright/test';
import { openPage, watchErrors } from './helpers';
import { shortNumber } from '../lib/formats/display';
import { presetArchitecture } from '../lib/lora/architectures';
import { formatBinaryBytes, formatBytes, kvCacheBytes, kvCacheBytesPerToken } from '../lib/memory';
import { separateServing } from '../lib/serving/adapters';
import { PAGED_DEFAULTS, requestStream, simulateAllocation } from '../lib/serving/paged';
import { arithmeticIntensity } from '../lib/serving/roofline';

test('serving: the KV cache and its quantization on the tiny model, the roofline measured, paged memory and adapters', async ({ page }) => {
  test.setTimeout(150_000);
  const errors = watchErrors(page);
  // A linked view: batch 2^4 = 16 sequences of 2^12 = 4,096 tokens.
  await openPage(page, '/lessons/serving/?kvcache.batch=4');
  const llama2 = presetArchitecture('llama-2-7b');

  const kv = page.getByTestId('kv-widget');
  await expect(kv.getByTestId('kv-per-token')).toHaveText(formatBinaryBytes(kvCacheBytesPerToken(llama2, 'fp16')));
  await expect(kv.getByTestId('kv-total')).toHaveText(formatBytes(kvCacheBytes(llama2, 'fp16', 4096, 16)));
  await kv.getByTestId('kv-dtype').selectOption('fp8');
  await expect(kv.getByTestId('kv-total')).toHaveText(formatBytes(kvCacheBytes(llama2, 'fp8', 4096, 16)));

  // The roofline: a datasheet preview first, then this device's roof, measured.
  const roof = page.getByTestId('roofline-widget');
  await roof.scrollIntoViewIfNeeded();
  await expect(roof).toHaveAttribute('data-state', 'preview');
  await expect(roof.getByTestId('roofline-intensity-fp16-decode')).toHaveText(shortNumber(arithmeticIntensity({ in: 4096, out: 4096, tokens: 1, weightBytes: 2, activationBytes: 2 }), 4));
  await roof.getByTestId('roofline-measure').click();
  await expect(roof).toHaveAttribute('data-state', 'measured', { timeout: 90_000 });
  await expect(roof.getByTestId('roofline-bandwidth')).toHaveText(/^[\d.,]+ GB\/s$/);
  await expect(roof.getByTestId('roofline-note')).toContainText('measured');

  // Paged against contiguous, recomputed from lib/serving for the same seed.
  const requests = requestStream(PAGED_DEFAULTS);
  const o = { capacity: PAGED_DEFAULTS.capacity, blockSize: 16, maxNewTokens: PAGED_DEFAULTS.maxNewTokens, steps: PAGED_DEFAULTS.steps };
  for (const kind of ['contiguous', 'paged'] as const) {
    await expect(page.getByTestId(`paged-util-${kind}`)).toHaveText(`${shortNumber(100 * simulateAllocation(kind, requests, o).meanUtilisation, 3)} %`);
  }

  const adapters = page.getByTestId('adapters-widget');
  await expect(adapters.getByTestId('adapters-bytes-separate')).toHaveText(formatBytes(separateServing(llama2, { targets: ['q', 'v'], r: 8, adapters: 10, format: 'fp16', adapterBytes: 2 }).bytes));

  // KV-cache quantization on the shipped model: FP32 is its own reference, INT4 moves the distributions.
  const q = page.getByTestId('kvq-widget');
  await q.scrollIntoViewIfNeeded();
  await q.getByTestId('kvq-run').click();
  await expect(q).toHaveAttribute('data-state', 'done', { timeout: 90_000 });
  await expect(q.locator('tbody tr')).toHaveCount(4);
  await expect(q.getByTestId('kvq-kl-fp32')).toHaveText('0');
  await expect(q.getByTestId('kvq-kl-int4')).not.toHaveText('0');
  expect(errors).toEqual([]);
});
