import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Compute } from '../compute';
import { cpuTfjs } from '../model/cpu-tfjs';
import { createFloat32Store } from '../model/float32-store';
import { readTinyLMWeights } from '../model/load';
import { TINY_MODEL_NAME } from '../model/tiny-model';
import { KvQualityComparison, type KvQualitySnapshot } from './kv-quality';

// The shipped model and held-out text, read from public/ as the site serves them.
const dir = fileURLToPath(new URL(`../../public/models/${TINY_MODEL_NAME}/`, import.meta.url));
const configJson: unknown = JSON.parse(readFileSync(`${dir}config.json`, 'utf8'));
const file = new Uint8Array(readFileSync(`${dir}model.safetensors`));
const heldout = readFileSync(`${dir}heldout.txt`, 'utf8');

function done(engine: KvQualityComparison): Promise<KvQualitySnapshot> {
  return new Promise((resolve) => {
    const check = () => {
      const s = engine.getSnapshot();
      if (s.state === 'done' || s.state === 'error' || s.state === 'stopped') resolve(s);
    };
    engine.subscribe(check);
  });
}

describe('KV-cache quantization on the shipped model', () => {
  it('FP32 is the reference; FP8, INT8 and INT4 move the next-token distributions, INT4 the most', async () => {
    const tf = await cpuTfjs();
    const compute: Compute = { tf, backend: 'cpu', webgpu: null, software: false };
    const w = await readTinyLMWeights(configJson, file);
    const engine = new KvQualityComparison(
      {
        compute: async () => compute,
        backendLabel: () => 'CPU',
        weights: async () => w,
        heldout: async () => heldout,
        makeStore: (c, weights) => createFloat32Store(c.tf, weights.values, weights.shapes),
      },
      { kinds: ['fp32', 'fp8', 'int8', 'int4'], windows: 2 },
    );
    const before = tf.memory().numTensors;
    const finished = done(engine);
    engine.start();
    const s = await finished;
    expect(s.error).toBeNull();
    expect(s.state).toBe('done');
    expect(s.scoredTokens).toBe(2 * 128);
    const [fp32, fp8, int8, int4] = s.results;
    expect(fp32.klFromFp32).toBe(0);
    expect(fp32.top1Agreement).toBe(1);
    for (const r of [fp8, int8, int4]) {
      expect(r.klFromFp32).toBeGreaterThan(0);
      expect(Number.isFinite(r.perplexity)).toBe(true);
    }
    expect(int4.klFromFp32).toBeGreaterThan(int8.klFromFp32);
    expect(int4.klFromFp32).toBeGreaterThan(fp8.klFromFp32);
    expect(tf.memory().numTensors).toBe(before);
    engine.dispose();
  }, 60_000);

  it('needs FP32 first', () => {
    const deps = {} as ConstructorParameters<typeof KvQualityComparison>[0];
    expect(() => new KvQualityComparison(deps, { kinds: ['int8'], windows: 1 })).toThrow(RangeError);
  });
});
