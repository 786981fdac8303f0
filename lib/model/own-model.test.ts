/**
 * "Your own model": the budget, the summary shown before loading, and the loaded weights, on a small
 * GPT-2-layout checkpoint built here (safetensors bytes and a byte-level BPE vocabulary), nothing downloaded.
 */
import { describe, expect, it } from 'vitest';
import { writeSafetensors, type SafetensorsTensor } from '../io/safetensors';
import { normalArray } from '../random';
import { formatBytes } from '../memory/format';
import { checkMemoryBudget, openGpt2Checkpoint, type ByteSource } from './gpt2-checkpoint';
import { gpt2TokenizerJson } from './gpt2-fixture.test-util';
import { BUDGET_FRACTION, FALLBACK_BUDGET_BYTES, folderOf, memoryBudget, OWN_TEXT_MAX_CHARS, ownModelLabel, readOwnWeights, scoredText, summarizeCheckpoint } from './own-model';
import { scoredText as scoredTextDirect } from './own-model-text';

const C = 8, L = 2, H = 2, P = 8;
const MERGES = ['h e', 'l l'];
const tokenizerJson = () => gpt2TokenizerJson(MERGES);
const V = 256 + MERGES.length;
const CONFIG = { model_type: 'gpt2', n_embd: C, n_layer: L, n_head: H, n_positions: P, vocab_size: V };

function file(dtype: 'F32' | 'F16' = 'F32'): Uint8Array {
  const t = new Map<string, SafetensorsTensor>();
  let seed = 1;
  const add = (name: string, shape: number[]) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const v = normalArray(n, seed++, 0, 0.3);
    t.set(name, dtype === 'F32' ? { dtype, shape, data: v } : { dtype, shape, data: new Uint16Array(n).fill(0x3c00) }); // F16 1.0
  };
  add('wte.weight', [V, C]);
  add('wpe.weight', [P, C]);
  for (let l = 0; l < L; l++) {
    const p = `h.${l}`;
    add(`${p}.ln_1.weight`, [C]); add(`${p}.ln_1.bias`, [C]);
    add(`${p}.attn.c_attn.weight`, [C, 3 * C]); add(`${p}.attn.c_attn.bias`, [3 * C]);
    add(`${p}.attn.c_proj.weight`, [C, C]); add(`${p}.attn.c_proj.bias`, [C]);
    add(`${p}.ln_2.weight`, [C]); add(`${p}.ln_2.bias`, [C]);
    add(`${p}.mlp.c_fc.weight`, [C, 4 * C]); add(`${p}.mlp.c_fc.bias`, [4 * C]);
    add(`${p}.mlp.c_proj.weight`, [4 * C, C]); add(`${p}.mlp.c_proj.bias`, [C]);
  }
  add('ln_f.weight', [C]); add('ln_f.bias', [C]);
  return writeSafetensors(t);
}
const source = (bytes: Uint8Array): ByteSource => ({ size: bytes.length, slice: (b, e) => ({ arrayBuffer: async () => bytes.slice(b, e).buffer }) });
const open = (dtype: 'F32' | 'F16' = 'F32') => openGpt2Checkpoint({ config: CONFIG, tokenizer: tokenizerJson(), weights: source(file(dtype)) });

describe('memoryBudget', () => {
  it('takes a quarter of the reported device memory, in GiB', () => {
    expect(memoryBudget(8)).toEqual({ bytes: BUDGET_FRACTION * 8 * 2 ** 30, source: expect.stringMatching(/^a quarter of the 8 GiB \(8\.59 GB\) this browser reports/) });
    expect(memoryBudget(0.5).bytes).toBe(2 ** 29 * BUDGET_FRACTION);
  });
  it('falls back to a fixed bound, and says so, when the browser reports nothing usable', () => {
    for (const m of [undefined, null, 0, -1, Number.NaN]) {
      const b = memoryBudget(m);
      expect(b.bytes).toBe(FALLBACK_BUDGET_BYTES);
      expect(b.source).toContain('does not report');
    }
  });
});

describe('summarizeCheckpoint', () => {
  it('shows the header’s figures and agrees with checkMemoryBudget on fitting', async () => {
    const ckpt = await open('F16');
    const params = V * C + P * C + L * (12 * C * C + 13 * C) + 2 * C; // docs/numerics.md
    expect(ckpt.memory.parameters).toBe(params);
    const fits = summarizeCheckpoint(ckpt, { bytes: ckpt.memory.neededBytes, source: 's' });
    expect(fits.fits).toBe(true);
    expect(() => checkMemoryBudget(ckpt.memory, ckpt.memory.neededBytes)).not.toThrow();
    expect(fits.parameters).toContain(params.toLocaleString('en-US'));
    expect(fits.dtypes).toBe(`F16 (${ckpt.tensors.length} tensors)`);
    const short = summarizeCheckpoint(ckpt, { bytes: ckpt.memory.neededBytes - 1, source: 's' });
    expect(short.fits).toBe(false);
    expect(() => checkMemoryBudget(ckpt.memory, ckpt.memory.neededBytes - 1)).toThrow(/does not fit/);
    expect(short.budget).toContain('(s)');
  });

  it('names what the figure adds: the float32 weights kept, then the comparison\'s peak beside them or the read\'s transient', async () => {
    const ckpt = await open('F16');
    const m = ckpt.memory;
    const s = summarizeCheckpoint(ckpt, { bytes: 1e12, source: 's' });
    expect(s.needed).toBe(formatBytes(m.weightBytes + Math.max(m.peakReadBytes, m.comparison.peakBytes)));
    expect(s.breakdown).toContain(`${formatBytes(m.weightBytes)} of float32 weights, kept while each format is built`);
    expect(m.comparison.peakBytes).toBeGreaterThan(m.peakReadBytes);
    for (const part of [m.comparison.storeBytes, m.comparison.maskBytes, m.comparison.referenceBytes, Math.max(m.comparison.scoringBytes, m.comparison.decodeBytes)]) expect(s.breakdown).toContain(formatBytes(part));
    const reading = summarizeCheckpoint({ ...ckpt, memory: { ...m, peakReadBytes: 10 * m.comparison.peakBytes } }, { bytes: 1e12, source: 's' });
    expect(reading.breakdown).toMatch(/while the largest tensor is read$/);
  });
});

describe('readOwnWeights', () => {
  it('gives every tensor in the course’s names and layout, reporting tensor k of n', async () => {
    const ckpt = await open();
    const seen: [number, number][] = [];
    const w = await readOwnWeights(ckpt, { onTensor: (k, n) => seen.push([k, n]) });
    const n = ckpt.tensors.length;
    expect(n).toBe(2 + 12 * L + 2);
    expect(seen).toEqual(Array.from({ length: n + 1 }, (_, k) => [k, n]));
    expect(w.config).toBe(ckpt.config);
    expect(w.shapes.get('transformer.h.0.attn.c_attn.weight')).toEqual([3 * C, C]); // Conv1D [in, out] read as [out, in]
    expect(w.values.get('transformer.h.1.mlp.c_fc.weight')).toHaveLength(4 * C * C);
    expect(w.values.size).toBe(n);
  });
  it('stops when its signal is aborted', async () => {
    const ckpt = await open();
    const ac = new AbortController();
    const run = readOwnWeights(ckpt, { signal: ac.signal, chunkBytes: 64, onTensor: (k) => { if (k === 3) ac.abort(new Error('cancelled')); } });
    await expect(run).rejects.toThrow('cancelled');
  });
});

describe('scoredText and labels', () => {
  it('scores the pasted text, else the fallback, and refuses one over the cap', () => {
    expect(scoredTextDirect).toBe(scoredText);
    expect(scoredText('Hello there', 'held')).toEqual({ text: 'Hello there', pasted: true, error: null });
    expect(scoredText('  \n', 'held')).toEqual({ text: 'held', pasted: false, error: null });
    const long = scoredText('x'.repeat(OWN_TEXT_MAX_CHARS + 1), 'held');
    expect(long.pasted).toBe(false);
    expect(long.error).toContain('at most 20,000');
  });
  it('names the folder and the shape', () => {
    expect(folderOf(['config.json', 'gpt2/model.safetensors'])).toBe('gpt2');
    expect(folderOf(['config.json'])).toBeNull();
    expect(ownModelLabel(null, { n_layer: 12, n_embd: 768, n_head: 12, vocab_size: 50257 }, 124439808)).toBe('Your model (GPT-2 layout: 12 layers, n_embd 768, 12 heads, vocabulary 50,257, 124M parameters)');
  });
});
