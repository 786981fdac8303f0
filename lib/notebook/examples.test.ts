import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSafetensors, writeSafetensors } from '../io/safetensors';
import { normalArray } from '../random';
import { quantize4bit } from '../quant/four-bit';
import { lessonNotebook, OWN_MODEL_FILE } from './examples';
import { NotebookKernel } from './kernel';
import { createNotebookLibrary } from './library';
import type { CellOutput } from './outputs';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('example notebooks', () => {
  it('"Quantize your own model file": a dropped safetensors file gives an error table and a download', async () => {
    const file = writeSafetensors([
      ['layer.weight', { dtype: 'F32', shape: [32, 128], data: normalArray(32 * 128, 1, 0, 0.02) }],
      ['layer.bias', { dtype: 'F32', shape: [32], data: new Float32Array(32) }],
    ]);
    const lib = createNotebookLibrary({ compute: async () => { throw new Error('unused'); }, weights: async () => { throw new Error('unused'); }, heldout: async () => '' });
    lib.setFiles([{ name: 'mine.safetensors', blob: new Blob([file]) }]);
    const out: CellOutput[] = [];
    const kernel = new NotebookKernel(tf, lib.library, (_id, o) => out.push(o));
    const labels = {};
    for (const c of OWN_MODEL_FILE.doc.cells.filter((c) => c.kind === 'code')) {
      const r = await kernel.run({ cellId: c.id, source: c.source, labels });
      expect(out.filter((o) => o.kind === 'error'), c.id).toEqual([]);
      expect(r.ok).toBe(true);
    }
    expect(out[0]).toMatchObject({ kind: 'text', text: 'mine.safetensors: 1 two-dimensional tensors to quantize\n' });
    const table = out.find((o) => o.kind === 'table');
    expect(table).toMatchObject({ kind: 'table', rows: [['layer.weight', '32 × 128', expect.any(String), expect.any(String), expect.any(String)]] });
    const download = out.find((o) => o.kind === 'download');
    // The file holds the quantized weight: 4,096 codes packed into 2,048 bytes and 64 block absmaxes,
    // which dequantize to what lib/quant gives for the same weights.
    if (download?.kind !== 'download') throw new Error('no download');
    const saved = readSafetensors(download.bytes);
    expect(saved.metadata).toMatchObject({ format: 'nf4', block_size: '64' });
    const codes = saved.tensors.get('layer.weight.nf4');
    const absmax = saved.tensors.get('layer.weight.absmax');
    expect(codes?.dtype).toBe('U8');
    expect(codes?.shape).toEqual([2048]);
    expect(absmax?.shape).toEqual([64]);
    const weight = normalArray(32 * 128, 1, 0, 0.02);
    const ref = quantize4bit(weight, { type: 'nf4', blockSize: 64 });
    expect(Array.from(codes!.data as Uint8Array)).toEqual(Array.from(ref.packed));
    expect(Array.from(saved.tensors.get('layer.weight.shape')!.data as Float32Array)).toEqual([32, 128]);
  });
  it('a lesson notebook starts with a note naming its lesson', () => {
    const nb = lessonNotebook('four-bit', '4-bit', [{ id: 'a', source: 'print(1)' }]);
    expect(nb.doc.cells.map((c) => c.kind)).toEqual(['markdown', 'code']);
    expect(nb.doc.cells[0].source).toMatch('/lessons/four-bit/');
  });
});
