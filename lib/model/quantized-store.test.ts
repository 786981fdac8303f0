import { describe, expect, it } from 'vitest';
import { getCompute } from '../compute';
import { dequantizeWeight, quantizeWeight, WEIGHT_FORMATS, weightLayout } from '../quant/weight-formats';
import { syntheticMatrix } from '../tensors/synthetic';
import { createQuantizedStore, isQuantizedWeightName } from './quantized-store';

// In Node getCompute() picks tfjs's CPU backend: the store keeps the CPU reference's float32 values.
// The /gpu/ page's self-test (lib/model/weight-format-selftest.ts) checks the WebGPU kernels.

const bitsOf = (x: Float32Array) => Array.from(new Uint32Array(x.buffer, x.byteOffset, x.length));

function tinyModel() {
  const C = 64;
  const tensors = new Map<string, Float32Array>();
  const shapes = new Map<string, number[]>();
  const add = (name: string, shape: number[], seed: number) => {
    tensors.set(name, syntheticMatrix({ distribution: 'normal', rows: shape[0], cols: shape.length > 1 ? shape[1] : 1, seed }));
    shapes.set(name, shape);
  };
  add('transformer.wte.weight', [40, C], 1);
  add('transformer.wpe.weight', [16, C], 2);
  add('transformer.h.0.ln_1.weight', [C], 3);
  add('transformer.h.0.attn.c_attn.weight', [3 * C, C], 4);
  add('transformer.h.0.attn.c_attn.bias', [3 * C], 5);
  add('transformer.h.0.attn.c_proj.weight', [C, C], 6);
  add('transformer.h.0.mlp.c_fc.weight', [4 * C, C], 7);
  add('transformer.h.0.mlp.c_proj.weight', [C, 4 * C + 3], 8); // a row that 64 does not divide
  return { tensors, shapes };
}

describe('createQuantizedStore', () => {
  it("stores every format of lib/quant's registry, in the lesson's order", () => {
    expect([...WEIGHT_FORMATS]).toEqual(['fp32', 'fp16', 'bf16', 'int8-channel', 'int4-group64', 'nf4-dq']);
  });

  it('selects the Linear weights by name', () => {
    expect(isQuantizedWeightName('transformer.h.3.attn.c_attn.weight')).toBe(true);
    expect(isQuantizedWeightName('transformer.h.3.mlp.c_proj.weight')).toBe(true);
    expect(isQuantizedWeightName('transformer.h.3.mlp.c_fc.bias')).toBe(false);
    expect(isQuantizedWeightName('transformer.wte.weight')).toBe(false);
    expect(isQuantizedWeightName('lm_head.weight')).toBe(false);
  });

  it.each(WEIGHT_FORMATS)('%s: hands out the reference values, float32 elsewhere, and counts its bytes and bits', async (format) => {
    const compute = await getCompute();
    const { tf } = compute;
    const { tensors, shapes } = tinyModel();
    const before = tf.memory().numTensors;
    const store = createQuantizedStore(compute, tensors, shapes, format);
    expect(store.format).toBe(format);
    expect(store.residency).toBe(format === 'fp32' ? 'packed' : 'float32');
    expect(store.quantizedNames).toEqual([...tensors.keys()].filter(isQuantizedWeightName));
    let all = 0, stored = 0, linear = 0;
    for (const [name, x] of tensors) {
      const shape = shapes.get(name) as number[];
      all += x.length;
      expect(store.shape(name)).toEqual(shape);
      const t = store.get(name);
      expect(t.shape).toEqual(shape);
      expect(t.dtype).toBe('float32');
      const y = t.dataSync() as Float32Array;
      t.dispose();
      if (isQuantizedWeightName(name)) {
        expect(bitsOf(y), name).toEqual(bitsOf(dequantizeWeight(quantizeWeight(format, x, shape))));
        stored += weightLayout(format, shape).total;
        linear += x.length;
      } else {
        expect(bitsOf(y), name).toEqual(bitsOf(x));
      }
    }
    // Off WebGPU every tensor is held as float32.
    expect(store.bytesHeld()).toBe(4 * all);
    expect(store.bitsPerWeight()).toBe((8 * stored) / linear);
    store.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => store.get('transformer.wte.weight')).toThrow(/disposed/);
  });

  it('names a missing tensor, a mismatched shape and a non-finite weight, and frees what it uploaded', async () => {
    const compute = await getCompute();
    const { tf } = compute;
    const before = tf.memory().numTensors;
    const { tensors, shapes } = tinyModel();
    const store = createQuantizedStore(compute, tensors, shapes, 'int8-channel');
    expect(() => store.get('lm_head.weight')).toThrow(/No tensor named "lm_head.weight"/);
    store.dispose();

    const noShape = tinyModel();
    noShape.shapes.delete('transformer.wpe.weight');
    expect(() => createQuantizedStore(compute, noShape.tensors, noShape.shapes, 'fp16')).toThrow(/"transformer.wpe.weight" has no shape/);
    const badShape = tinyModel();
    badShape.shapes.set('transformer.h.0.attn.c_proj.weight', [64, 63]);
    expect(() => createQuantizedStore(compute, badShape.tensors, badShape.shapes, 'fp16')).toThrow(/has 4096 values but shape \[64, 63\]/);
    const flat = tinyModel();
    flat.shapes.set('transformer.h.0.mlp.c_fc.weight', [256 * 64]);
    expect(() => createQuantizedStore(compute, flat.tensors, flat.shapes, 'nf4-dq')).toThrow(/must be 2-D/);
    const nan = tinyModel();
    (nan.tensors.get('transformer.h.0.mlp.c_fc.weight') as Float32Array)[5] = NaN;
    expect(() => createQuantizedStore(compute, nan.tensors, nan.shapes, 'int4-group64')).toThrow(/"transformer.h.0.mlp.c_fc.weight": value 5 of the weight is NaN/);
    const big = tinyModel();
    (big.tensors.get('transformer.h.0.attn.c_attn.weight') as Float32Array)[0] = 1e5;
    expect(() => createQuantizedStore(compute, big.tensors, big.shapes, 'fp16')).toThrow(/c_attn.weight": value 0 .*fp16/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reports NaN bits per weight when no tensor is a Linear weight', async () => {
    const compute = await getCompute();
    const store = createQuantizedStore(compute, new Map([['ln_f.weight', new Float32Array(4)]]), new Map([['ln_f.weight', [4]]]), 'nf4-dq');
    expect(store.bitsPerWeight()).toBeNaN();
    expect(store.bytesHeld()).toBe(16);
    store.dispose();
  });
});
