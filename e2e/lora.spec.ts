import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { shortNumber } from '../lib/formats/display';
import { readSafetensors, tensorToFloat32 } from '../lib/io/safetensors';
import { capturedEnergy, singularValues } from '../lib/linalg/svd';
import { presetArchitecture, totalParameters } from '../lib/lora/architectures';
import { loraTrainableParams, trainablePercent } from '../lib/lora/params';
import { openPage, watchErrors } from './helpers';

// The widgets' numbers are recomputed here with the same lib functions, so the page must show exactly
// these figures (docs/design.md: numbers are computed, not typed).

const MISTRAL = JSON.stringify({
  architectures: ['MistralForCausalLM'], hidden_size: 4096, intermediate_size: 14336, model_type: 'mistral',
  num_attention_heads: 32, num_hidden_layers: 32, num_key_value_heads: 8, vocab_size: 32000, tie_word_embeddings: false,
});

test.describe('LoRA lesson', () => {
  test('rank widget: Llama-2-7B q, v at r = 8 trains 4,194,304 parameters; r and targets move it; state in the URL', async ({ page }) => {
    const errors = watchErrors(page);
    await openPage(page, '/lessons/lora/');
    const w = page.getByTestId('rank-widget');
    await w.scrollIntoViewIfNeeded();
    const llama = presetArchitecture('llama-2-7b');
    await expect(w.getByTestId('rank-trainable')).toHaveText('4,194,304');
    await expect(w.getByTestId('rank-percent')).toHaveText(`${shortNumber(trainablePercent(4_194_304, totalParameters(llama)), 3)}%`);
    await expect(w.getByTestId('rank-arch')).toContainText('6,738,415,616');
    // A power of two, then all-linear at r = 64 (the QLoRA recipe).
    await w.getByRole('button', { name: '64', exact: true }).click();
    await w.getByTestId('rank-all-linear').check();
    await expect(w.getByTestId('rank-trainable')).toHaveText(loraTrainableParams(llama, 'all-linear', 64).toLocaleString('en-US'));
    // The slider is keyboard-operable: one step up from 64.
    await w.getByTestId('rank-r').focus();
    await page.keyboard.press('ArrowRight');
    await expect(w.getByTestId('rank-trainable')).toHaveText(loraTrainableParams(llama, 'all-linear', 65).toLocaleString('en-US'));
    await expect.poll(() => new URL(page.url()).searchParams.get('rank.r')).toBe('65');
    await page.reload();
    await expect(page.getByTestId('rank-widget').getByTestId('rank-trainable')).toHaveText(loraTrainableParams(llama, 'all-linear', 65).toLocaleString('en-US'));
    // GPT-2: the fused c_attn, explained.
    await page.getByTestId('rank-widget').getByTestId('rank-preset').selectOption('gpt2');
    await expect(page.getByTestId('rank-gpt2-note')).toContainText('c_attn');
    expect(errors).toEqual([]);
  });

  test('rank widget: a pasted config.json is read; a bad paste shows its error and keeps the last good', async ({ page }) => {
    const errors = watchErrors(page);
    await openPage(page, '/lessons/lora/');
    const w = page.getByTestId('rank-widget');
    await w.scrollIntoViewIfNeeded();
    await w.locator('summary').click();
    await w.getByTestId('rank-paste').fill(MISTRAL);
    const mistralQV = loraTrainableParams(presetArchitecture('mistral-7b'), ['q', 'v'], 8).toLocaleString('en-US');
    await expect(w.getByTestId('rank-arch')).toContainText('MistralForCausalLM');
    await expect(w.getByTestId('rank-arch')).toContainText('7,241,732,096');
    await expect(w.getByTestId('rank-trainable')).toHaveText(mistralQV);
    // A broken paste: the error is shown, the numbers stay Mistral's.
    await w.getByTestId('rank-paste').fill('{"hidden_size": 4096, "num_hidden_layers": 32');
    await expect(w.getByTestId('rank-paste-status')).toContainText('not valid JSON');
    await expect(w.getByTestId('rank-paste-status')).toContainText('Still showing MistralForCausalLM');
    await expect(w.getByTestId('rank-paste')).toHaveAttribute('aria-invalid', 'true');
    await expect(w.getByTestId('rank-trainable')).toHaveText(mistralQV);
    // A missing field is named.
    await w.getByTestId('rank-paste').fill('{"hidden_size": 4096, "intermediate_size": 11008, "num_attention_heads": 32, "vocab_size": 32000}');
    await expect(w.getByTestId('rank-paste-status')).toContainText('config.json has no "num_hidden_layers"');
    await expect(w.getByTestId('rank-trainable')).toHaveText(mistralQV);
    // An emptied box says so.
    await w.getByTestId('rank-paste').fill('');
    await expect(w.getByTestId('rank-trainable')).toHaveText(mistralQV);
    expect(errors).toEqual([]);
  });

  test('rank widget: impossible sizes and huge pastes are refused at once, by name; a long model name wraps inside the widget', async ({ page }) => {
    const errors = watchErrors(page);
    await page.setViewportSize({ width: 390, height: 844 });
    await openPage(page, '/lessons/lora/');
    const w = page.getByTestId('rank-widget');
    await w.scrollIntoViewIfNeeded();
    await w.locator('summary').click();
    const paste = w.getByTestId('rank-paste');
    const status = w.getByTestId('rank-paste-status');
    const llama7b = '4,194,304';
    // 16,777,216 layers froze the page for a minute per slider step.
    await paste.fill('{"hidden_size": 4096, "intermediate_size": 11008, "num_hidden_layers": 16777216, "num_attention_heads": 32, "vocab_size": 32000}');
    await expect(status).toContainText('"num_hidden_layers" is 16,777,216, more than this widget reads (at most 1,024');
    await expect(w.getByTestId('rank-trainable')).toHaveText(llama7b);
    // A 3 MB paste is not parsed; the message names its size and stays short.
    await paste.fill(`{"pad": "${'x'.repeat(3_000_000)}"}`);
    await expect(status).toContainText('This is 3,000,011 characters; a config.json takes at most 200,000.');
    expect((await status.textContent())!.length).toBeLessThan(300);
    // A model name of 5,000 letters is cut short, and the texts that show it wrap inside the widget.
    await paste.fill(JSON.stringify({ ...JSON.parse(MISTRAL), architectures: ['M'.repeat(5000)] }));
    await expect(w.getByTestId('rank-arch')).toContainText('(5,000 characters)');
    await expect(status).toContainText('Read: MMM');
    const right = (await w.boundingBox())!.x + (await w.boundingBox())!.width;
    for (const id of ['rank-arch', 'rank-paste-status', 'rank-preset']) {
      const box = (await w.getByTestId(id).boundingBox())!;
      expect(box.x + box.width, id).toBeLessThanOrEqual(right);
    }
    expect(errors).toEqual([]);
  });

  test('spectrum widget: a link’s block or rank the file does not have is named, not clamped in silence', async ({ page }) => {
    const errors = watchErrors(page);
    await openPage(page, '/lessons/lora/?spectrum.layer=63&spectrum.r=4096');
    const w = page.getByTestId('spectrum-widget');
    await w.scrollIntoViewIfNeeded();
    await expect(w.getByTestId('spectrum-captured-8')).toHaveText(/%$/);
    await expect(w.getByRole('status').filter({ hasText: 'This link’s' })).toContainText('layer=63');
    await expect(w.getByRole('status').filter({ hasText: 'This link’s' })).toContainText('r=4096');
    await expect(w.getByTestId('spectrum-readout')).toContainText('Rank 8 captures');
    expect(errors).toEqual([]);
  });

  test('spectrum widget: loads the real ΔW, draws its spectrum, and the rank-8 readout is the computed percentage', async ({ page }) => {
    const errors = watchErrors(page);
    const file = readSafetensors(new Uint8Array(readFileSync('public/models/kjv-char-4l/full-finetune-delta.safetensors')));
    const captured = (name: string, r: number) => {
      const t = file.tensors.get(name)!;
      return `${shortNumber(100 * capturedEnergy(singularValues(tensorToFloat32(t), t.shape[0], t.shape[1]), r), 3)}%`;
    };
    await openPage(page, '/lessons/lora/');
    const w = page.getByTestId('spectrum-widget');
    await w.scrollIntoViewIfNeeded();
    await expect(w.getByTestId('spectrum-captured-8')).toHaveText(/^\d+(\.\d+)?%$/);
    await expect(w.getByTestId('spectrum-captured-8')).toHaveText(captured('transformer.h.0.attn.c_attn.weight', 8));
    await expect(w.getByTestId('spectrum-captured-16')).toHaveText(captured('transformer.h.0.attn.c_attn.weight', 16));
    await expect(w.getByTestId('spectrum-readout')).toContainText(`Rank 8 captures ${captured('transformer.h.0.attn.c_attn.weight', 8)}`);
    expect((await w.getByTestId('spectrum-line').getAttribute('d'))?.length ?? 0).toBeGreaterThan(100);
    await expect(w.getByTestId('spectrum-random-line')).toHaveCount(1);
    // Another block and matrix.
    await w.getByTestId('spectrum-layer').selectOption('3');
    await w.getByTestId('spectrum-matrix').selectOption('mlp.c_proj');
    await expect(w.getByTestId('spectrum-captured-8')).toHaveText(captured('transformer.h.3.mlp.c_proj.weight', 8));
    await expect.poll(() => new URL(page.url()).searchParams.get('spectrum.layer')).toBe('3');
    expect(errors).toEqual([]);
  });
});
