/**
 * Every lesson's cells (content/cells/<lesson>.ts) run, in order, in a fresh kernel on tfjs's CPU
 * backend with the real library and the shipped tiny model: each succeeds and shows something.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { LESSONS } from '../../content/lessons';
import type { Compute } from '../compute';
import { readTinyLMWeights, type TinyLMWeights } from '../model/load';
import { TINY_MODEL_NAME } from '../model/tiny-model';
import { parseCellFile } from './cell-file';
import { NotebookKernel } from './kernel';
import { createNotebookLibrary } from './library';
import type { CellOutput } from './outputs';

const cellsDir = fileURLToPath(new URL('../../content/cells/', import.meta.url));
const modelDir = fileURLToPath(new URL(`../../public/models/${TINY_MODEL_NAME}/`, import.meta.url));
const compute = { tf, backend: 'cpu', webgpu: null, software: false } as unknown as Compute;
let weights: TinyLMWeights;

beforeAll(async () => {
  await tf.setBackend('cpu');
  weights = await readTinyLMWeights(JSON.parse(readFileSync(`${modelDir}config.json`, 'utf8')), new Uint8Array(readFileSync(`${modelDir}model.safetensors`)));
});

const files = readdirSync(cellsDir).filter((f) => f.endsWith('.ts'));

describe('lesson cells', () => {
  it('every lesson has a cell file, and every cell file a lesson', () => {
    expect(files.map((f) => f.replace(/\.ts$/, '')).sort()).toEqual(LESSONS.map((l) => l.slug).sort());
  });

  it('every cell of a cell file is shown in its lesson, in order', () => {
    for (const file of files) {
      const slug = file.replace(/\.ts$/, '');
      const ids = parseCellFile(readFileSync(`${cellsDir}${file}`, 'utf8'), file).map((c) => c.id);
      const mdx = readFileSync(fileURLToPath(new URL(`../../content/lessons/${slug}.mdx`, import.meta.url)), 'utf8');
      const used = [...mdx.matchAll(/<CodeCell lesson="([^"]+)" cell="([^"]+)"/g)].map((m) => { expect(m[1]).toBe(slug); return m[2]; });
      expect(used, slug).toEqual(ids);
    }
  });

  for (const file of files) {
    it(`${file}: every cell runs on the CPU backend and shows an output`, async () => {
      const cells = parseCellFile(readFileSync(`${cellsDir}${file}`, 'utf8'), file);
      const outputs = new Map<string, CellOutput[]>();
      const lib = createNotebookLibrary({ compute: async () => compute, weights: async () => weights, heldout: async () => readFileSync(`${modelDir}heldout.txt`, 'utf8') });
      const kernel = new NotebookKernel(tf, lib.library, (id, o) => outputs.set(id, [...(outputs.get(id) ?? []), o]));
      const before = tf.memory().numTensors;
      const labels = Object.fromEntries(cells.map((c, i) => [c.id, `cell ${i + 1}`]));
      for (const c of cells) {
        const r = await kernel.run({ cellId: c.id, source: c.source, labels });
        const out = outputs.get(c.id) ?? [];
        expect(out.filter((o) => o.kind === 'error'), `${file} ${c.id}`).toEqual([]);
        expect(r.ok).toBe(true);
        expect(out.length).toBeGreaterThan(0);
      }
      kernel.reset();
      expect(tf.memory().numTensors).toBe(before);
    }, 60_000);
  }
});
