import { beforeAll, describe, expect, it } from 'vitest';
import type { Compute, Tfjs } from '../compute';
import { cpuTfjs } from '../model/cpu-tfjs';
import { seededGptWeights } from '../model/decode-selftest';
import { WEIGHT_FORMATS } from '../quant/weight-formats';
import { runDecodeBench, shortDecodeLabel } from './decode-bench';

let tf: Tfjs;
beforeAll(async () => {
  tf = await cpuTfjs();
});

describe('runDecodeBench', () => {
  it('measures every format on the tfjs-op path of the CPU backend and names them as lesson 7 does', async () => {
    const config = { vocab_size: 63, n_layer: 1, n_head: 2, n_embd: 64, block_size: 64, layer_norm_eps: 1e-5, tokenizer: { type: 'char' as const, chars: "\n !'(),-.:;?ABCDEFGHIJKLMNOPQRSTUVWYZabcdefghijklmnopqrstuvwxyz" } };
    const { tensors, shapes } = seededGptWeights(config, 3);
    const compute = { tf, backend: 'cpu', webgpu: null, software: false } as unknown as Compute;
    const before = tf.memory().numTensors;
    const r = await runDecodeBench(compute, { config, values: tensors, shapes }, { tokens: 4, rounds: 2 });
    expect(r.decode.map((d) => d.label)).toEqual(['FP32', 'FP16', 'BF16', 'INT8', 'INT4', 'NF4']);
    expect(r.decode.map((d) => d.format)).toEqual(WEIGHT_FORMATS);
    for (const d of r.decode) {
      expect(d.decodePath).toBe('ops');
      expect(d.runs).toHaveLength(2);
      expect(d.tokensPerSecond).toBeGreaterThan(0);
      expect(d.dispatchesPerToken).toBeNull();
      expect(d.ops).toBeNull(); // no fused path to compare with
    }
    expect(r.adapter).toBe('CPU');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('shortens lib/quant’s labels', () => {
    expect(WEIGHT_FORMATS.map(shortDecodeLabel)).toEqual(['FP32', 'FP16', 'BF16', 'INT8', 'INT4', 'NF4']);
  });
});
