import { describe, expect, it } from 'vitest';
import { chooseModelMatrix, LAB_MAX_ELEMENTS, labMatrixLabel, labRowsThatFit, modelMatrices, modelMatrixSlice } from './model-matrix';
import { modelLabTensor } from './tensor';

/**
 * A tiny GPT-2-layout weights map in the course's layout (what readOwnWeights gives): vocabulary V,
 * positions P, width C, L blocks, with biases, LayerNorm gains and the final LayerNorm, inserted
 * in a shuffled order. Every value is its tensor's index i / 1000 plus the tensor's number.
 */
function gpt2Weights(V = 10, P = 6, C = 4, L = 2) {
  const shapes = new Map<string, number[]>();
  shapes.set('transformer.ln_f.weight', [C]);
  for (let l = L - 1; l >= 0; l--) {
    const p = `transformer.h.${l}`;
    shapes.set(`${p}.mlp.c_proj.weight`, [C, 4 * C]).set(`${p}.mlp.c_proj.bias`, [C]);
    shapes.set(`${p}.ln_1.weight`, [C]).set(`${p}.attn.c_attn.weight`, [3 * C, C]).set(`${p}.attn.c_attn.bias`, [3 * C]);
    shapes.set(`${p}.mlp.c_fc.weight`, [4 * C, C]).set(`${p}.attn.c_proj.weight`, [C, C]);
  }
  shapes.set('transformer.wpe.weight', [P, C]).set('transformer.wte.weight', [V, C]);
  const values = new Map<string, Float32Array>();
  [...shapes].forEach(([name, shape], t) => values.set(name, Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => t + i / 1000)));
  return { values, shapes };
}

describe('a checkpoint’s matrices in the lab', () => {
  it('lists the 2-D weights in the order a token meets them, with their shapes, and nothing else', () => {
    const { shapes } = gpt2Weights();
    const m = modelMatrices(shapes);
    expect(m.map((x) => x.name)).toEqual([
      'wte', 'wpe',
      'h.0.attn.c_attn', 'h.0.attn.c_proj', 'h.0.mlp.c_fc', 'h.0.mlp.c_proj',
      'h.1.attn.c_attn', 'h.1.attn.c_proj', 'h.1.mlp.c_fc', 'h.1.mlp.c_proj',
    ]);
    expect(m[0]).toEqual({ name: 'wte', rows: 10, cols: 4, label: 'Token embedding / output head (wte), 10 × 4' });
    expect(m[1].label).toBe('Position embedding (wpe), 6 × 4');
    expect(m[2]).toMatchObject({ rows: 12, cols: 4, label: 'Block 1 · attention q, k, v projection (attn.c_attn), 12 × 4' });
    expect(m[9]).toMatchObject({ rows: 4, cols: 16 });
    expect(labMatrixLabel('h.1.mlp.c_fc')).toBe('Block 2 · MLP up-projection (mlp.c_fc)');
  });
  it('orders block 10 after block 9, and labels large shapes with separators', () => {
    const shapes = new Map([['transformer.h.10.mlp.c_fc.weight', [3072, 768]], ['transformer.h.9.mlp.c_fc.weight', [3072, 768]], ['transformer.h.2.attn.bias', [1, 1, 8, 8]]]);
    const m = modelMatrices(shapes);
    expect(m.map((x) => x.name)).toEqual(['h.9.mlp.c_fc', 'h.10.mlp.c_fc']);
    expect(m[0].label).toBe('Block 10 · MLP up-projection (mlp.c_fc), 3,072 × 768');
  });
  it('chooses the learner’s matrix, else the lab’s layer, else the first block matrix', () => {
    const m = modelMatrices(gpt2Weights().shapes);
    expect(chooseModelMatrix(m, 'h.1.mlp.c_fc', 'h.0.attn.c_attn')).toBe('h.1.mlp.c_fc');
    expect(chooseModelMatrix(m, null, 'h.0.mlp.c_proj')).toBe('h.0.mlp.c_proj');
    expect(chooseModelMatrix(m, 'h.7.mlp.c_fc', 'h.5.attn.c_attn')).toBe('h.0.attn.c_attn');
    expect(chooseModelMatrix(m.slice(0, 2))).toBe('wte');
    expect(chooseModelMatrix([])).toBeNull();
  });
  it('takes a matrix whole up to the lab’s largest size and otherwise the first rows that fit', () => {
    expect(LAB_MAX_ELEMENTS).toBe(2048 * 2048);
    expect(labRowsThatFit(3072, 768)).toEqual({ rows: 3072, whole: true }); // GPT-2 small's c_fc: 2.4M weights
    expect(labRowsThatFit(50257, 768)).toEqual({ rows: Math.floor((2048 * 2048) / 768), whole: false }); // its wte: 38.6M
    expect(labRowsThatFit(10, 4, 40)).toEqual({ rows: 10, whole: true });
    expect(labRowsThatFit(10, 4, 39)).toEqual({ rows: 9, whole: false });
    expect(labRowsThatFit(2, 50, 40)).toEqual({ rows: 0, whole: false });
  });
  it('slices the first rows as a view of the weights, and names a matrix that is missing or too wide', () => {
    const { values, shapes } = gpt2Weights();
    const s = modelMatrixSlice('wte', values, shapes, 30);
    expect([s.rows, s.cols, s.fullRows]).toEqual([7, 4, 10]);
    expect(Array.from(s.data)).toEqual(Array.from(values.get('transformer.wte.weight')!.subarray(0, 28)));
    expect(s.data.buffer).toBe(values.get('transformer.wte.weight')!.buffer);
    expect(modelMatrixSlice('h.1.mlp.c_proj', values, shapes).rows).toBe(4);
    expect(() => modelMatrixSlice('h.2.mlp.c_fc', values, shapes)).toThrow(/no matrix "transformer.h.2.mlp.c_fc.weight"/);
    expect(() => modelMatrixSlice('h.0.mlp.c_proj', values, shapes, 15)).toThrow(/One row of "transformer.h.0.mlp.c_proj.weight" has 16 weights, more than the lab's 15/);
  });
  it('makes a lab tensor of the slice, copied, and says how much of the matrix it took', () => {
    const { values, shapes } = gpt2Weights();
    const whole = modelLabTensor({ layer: 'h.0.attn.c_attn', corrupt: false }, values, shapes, 'mine');
    expect([whole.rows, whole.cols]).toEqual([12, 4]);
    expect(whole.description).toBe('mine: Block 1 · attention q, k, v projection (attn.c_attn), 12 × 4 (out × in), trained weights');
    const cut = modelLabTensor({ layer: 'wte', corrupt: true }, values, shapes, 'mine', 30);
    expect([cut.rows, cut.cols, cut.data.length]).toEqual([7, 4, 28]);
    expect(cut.description).toBe('mine: Token embedding / output head (wte), its first 7 of 10 rows × 4 (out × in): 28 of its 40 weights, as the lab takes at most 30, trained weights, 1 NaN/±Inf injected');
    expect(Number.isNaN(cut.data[0])).toBe(true);
    expect(cut.data[1]).toBe(values.get('transformer.wte.weight')![1]);
    expect(Number.isNaN(values.get('transformer.wte.weight')![0])).toBe(false); // the model is untouched
  });
});
