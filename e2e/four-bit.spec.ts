import { expect, test } from '@playwright/test';
import { shortNumber } from '../lib/formats/display';
import { formatShootout, levelMse } from '../lib/quant/four-bit-compare';
import { sampleRow } from '../lib/quant/four-bit-samples';
import { inspectGGUFBlock } from '../lib/quant/gguf-block';
import { openPage, watchErrors } from './helpers';

// The widgets' numbers are recomputed here with the same lib functions and seeds, so the page must
// show exactly these figures (docs/design.md: numbers are computed, not typed).

test.describe('4-bit lesson', () => {
  test('why a normal float: NF4 beats INT4 and E2M1 on normal weights, with the computed MSEs', async ({ page }) => {
    const errors = watchErrors(page);
    await openPage(page, '/lessons/four-bit/');
    const w = page.getByTestId('levels-widget');
    await w.scrollIntoViewIfNeeded();
    const x = sampleRow('normal', 16384, 1);
    for (const kind of ['nf4', 'int4', 'e2m1'] as const) {
      await expect(w.getByTestId(`levels-mse-${kind}`)).toHaveText(shortNumber(levelMse(x, kind, 64).mse, 3));
    }
    expect(levelMse(x, 'nf4').mse).toBeLessThan(levelMse(x, 'int4').mse);
    await expect(w.locator('[data-row=nf4] text').filter({ hasText: 'lowest' })).toHaveCount(1);
    // Another block size changes the figures.
    await w.getByTestId('levels-block-size').selectOption('256');
    await expect(w.getByTestId('levels-mse-nf4')).toHaveText(shortNumber(levelMse(x, 'nf4', 256).mse, 3));
    expect(errors).toEqual([]);
  });

  test('blocks and absmax: one outlier spoils one block; block size moves error and bits; state in the URL', async ({ page }) => {
    const errors = watchErrors(page);
    await openPage(page, '/lessons/four-bit/');
    const w = page.getByTestId('blocks-widget');
    await w.scrollIntoViewIfNeeded();
    await expect(w.getByTestId('blocks-readout')).toContainText('it holds the outlier');
    await expect(w.getByTestId('blocks-readout')).toContainText('the other 63 blocks keep their own absmax');
    await expect(w.getByTestId('blocks-clipped')).toBeVisible();
    await expect(w.getByTestId('blocks-bits')).toHaveText('4.5');
    await expect(w.getByTestId('blocks-bits-dq')).toHaveText('4.127');
    const mse64 = Number(await w.getByTestId('blocks-mse').textContent());
    // Keyboard: End takes the slider to 4096, a single block for the row.
    await w.getByTestId('blocks-size').focus();
    await page.keyboard.press('End');
    await expect(w.getByText('Block size: 4096 (1 block)')).toBeVisible();
    await expect(w.getByTestId('blocks-bits')).toHaveText('4.0078');
    const mse4096 = Number(await w.getByTestId('blocks-mse').textContent());
    expect(mse4096).toBeGreaterThan(5 * mse64);
    await expect.poll(() => new URL(page.url()).searchParams.get('blocks.blockSize')).toBe('4096');
    await page.reload();
    await expect(page.getByTestId('blocks-widget').getByText('Block size: 4096 (1 block)')).toBeVisible();
    expect(errors).toEqual([]);
  });

  test('double quantization: 0.5 → 0.127 bits of constants, and the GPU holds packed NF4 bit-identically', async ({ page }) => {
    test.setTimeout(90_000);
    const errors = watchErrors(page);
    await openPage(page, '/lessons/four-bit/');
    const w = page.getByTestId('dq-widget');
    await w.scrollIntoViewIfNeeded();
    await expect(w.getByTestId('dq-bits')).toHaveText('4.5 → 4.127');
    await expect(w.locator('[data-bar=fp32]')).toContainText('0.5 bits/weight');
    await expect(w.locator('[data-bar=dq]')).toContainText('0.127 bits/weight');
    await expect(w.getByTestId('dq-device')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
    await expect(w.getByTestId('dq-device-agreement')).toHaveText('bit-identical');
    // 262,144 weights: 131,072 B of codes + 4,096 of absmax codes + 64 of absmax2 + 1,088 of tables.
    await expect(w.getByTestId('dq-device-bytes')).toHaveText('136 kB');
    await expect(w.getByTestId('dq-device-bytes-per-weight')).toHaveText('0.52');
    await w.getByTestId('dq-size').selectOption('1048576');
    await expect(w.getByTestId('dq-device')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
    await expect(w.getByTestId('dq-device-bytes')).toHaveText('542 kB');
    await expect(w.getByTestId('dq-device-agreement')).toHaveText('bit-identical');
    const tensors = await page.evaluate(() => window.lowbit?.tf.memory().numTensors);
    expect(tensors).toBe(0);
    expect(errors).toEqual([]);
  });

  test('format shoot-out: every format’s true bits and error, the frontier marked', async ({ page }) => {
    const errors = watchErrors(page);
    await openPage(page, '/lessons/four-bit/');
    const w = page.getByTestId('shootout-widget');
    await w.scrollIntoViewIfNeeded();
    const rows = formatShootout(sampleRow('normal', 16384, 1), { groupSize: 64 });
    await expect(w.getByTestId('shootout-table').locator('tbody tr')).toHaveCount(8);
    for (const r of rows) {
      await expect(w.getByTestId(`shootout-mse-${r.format}`)).toHaveText(shortNumber(r.mse, 3));
      await expect(w.getByTestId(`shootout-bits-${r.format}`)).toHaveText(shortNumber(r.bitsPerWeight, 5));
    }
    await expect(w.getByTestId('shootout-bits-q4_0')).toHaveText('4.5');
    await expect(w.getByTestId('shootout-bits-mxfp4')).toHaveText('4.25');
    await expect(w.getByTestId('shootout-bits-q8_0')).toHaveText('8.5');
    await expect(w.locator('tr[data-format=q8_0]')).toHaveAttribute('data-frontier', 'true');
    await w.getByTestId('shootout-source').selectOption('outlier');
    const outlierRows = formatShootout(sampleRow('outlier', 16384, 1), { groupSize: 64 });
    await expect(w.getByTestId('shootout-mse-nf4')).toHaveText(shortNumber(outlierRows.find((r) => r.format === 'nf4')!.mse, 3));
    expect(errors).toEqual([]);
  });

  test('GGUF block inspector: bytes, nibbles and decoding; bad pastes are named and lose nothing', async ({ page }) => {
    const errors = watchErrors(page);
    await openPage(page, '/lessons/four-bit/');
    const w = page.getByTestId('gguf-inspector');
    await w.scrollIntoViewIfNeeded();
    const view = inspectGGUFBlock('q4_0', sampleRow('normal', 32, 1));
    await expect(w.locator('[data-offset]')).toHaveCount(18);
    await expect(w.getByTestId('gguf-d')).toHaveText(shortNumber(view.header[0].value, 6));
    // Weight 19 lives in the high nibble of byte 5 (qs[3]).
    await w.getByTestId('gguf-weight-19').click();
    await expect(w.locator('[data-offset="5"]')).toHaveAttribute('data-selected', 'true');
    await expect(w.locator('[data-offset="5"] [data-nibble=high]')).toHaveAttribute('data-selected', 'true');
    await expect(w.getByTestId('gguf-selected')).toContainText('high nibble of byte 5 (qs[3])');
    await expect(w.getByTestId('gguf-selected')).toContainText(`= ${view.elements[19].code}`);

    await w.getByTestId('gguf-type-q8_0').check();
    await expect(w.locator('[data-offset]')).toHaveCount(34);

    await w.getByTestId('gguf-source').selectOption('paste');
    const paste = w.getByTestId('gguf-paste');
    await paste.fill('');
    await expect(w.getByTestId('gguf-error')).toContainText('Paste 32 numbers');
    const block = Array.from({ length: 32 }, (_, i) => ((i - 12) / 8).toString());
    await paste.fill(block.join(', '));
    await expect(w.getByTestId('gguf-error')).toHaveCount(0);
    await expect(w.getByTestId('gguf-d')).toHaveText(shortNumber(inspectGGUFBlock('q8_0', Float32Array.from(block, Number)).header[0].value, 6));
    const good = await w.getByTestId('gguf-d').textContent();
    await paste.fill(`${block.slice(0, 31).join(', ')}, NaN`);
    await expect(w.getByTestId('gguf-error')).toContainText('finite');
    await expect(w.getByTestId('gguf-error')).toContainText('Still showing your last good block');
    await expect(w.getByTestId('gguf-d')).toHaveText(good ?? '');
    await paste.fill('1, 2, 3');
    await expect(w.getByTestId('gguf-error')).toContainText('you pasted 3');
    // A long bad token is quoted briefly (a 10 MB one made a 21-million-character error).
    await paste.fill(`1, ${'z'.repeat(900)}`);
    await expect(w.getByTestId('gguf-error')).toContainText('(900 characters) is not a number');
    expect((await w.getByTestId('gguf-error').textContent())!.length).toBeLessThan(300);
    expect(errors).toEqual([]);
  });

  test('a shared link opens the same views, and bad link values are named', async ({ page }) => {
    const errors = watchErrors(page);
    await openPage(page, '/lessons/four-bit/?gguf.type=q4_1&shootout.groupSize=128&dq.size=999');
    await expect(page.getByTestId('gguf-inspector').locator('[data-offset]')).toHaveCount(20);
    await expect(page.getByTestId('gguf-m')).toBeVisible();
    await expect(page.getByTestId('shootout-widget').getByTestId('shootout-group')).toHaveValue('128');
    await expect(page.getByTestId('dq-widget').getByRole('status')).toContainText('size=999');
    expect(errors).toEqual([]);
  });

  test('links are strict and round-trip: any seed the buttons make opens; hex, exponents and duplicates are named', async ({ page }) => {
    const errors = watchErrors(page);
    // Seeds past 2^31 are what "New block" / "New weights" reach; they were once refused.
    await openPage(page, '/lessons/four-bit/?gguf.seed=2147483649&shootout.seed=3000000000&dq.blockSize=0x40&levels.blockSize=6.4e1&blocks.blockSize=64&blocks.blockSize=128');
    await expect(page.getByTestId('dq-widget').getByRole('status')).toContainText('blockSize=0x40');
    await expect(page.getByTestId('levels-widget').getByRole('status')).toContainText('blockSize=6.4e1');
    await expect(page.getByTestId('blocks-widget').getByRole('status')).toContainText('blockSize=64, blockSize=128');
    await expect(page.getByTestId('gguf-inspector').getByRole('status')).toHaveCount(0);
    await expect(page.getByTestId('shootout-widget').getByRole('status')).toHaveCount(0);
    await page.getByTestId('gguf-new-block').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('gguf.seed')).toBe('2147483650');
    expect(errors).toEqual([]);
  });
});
