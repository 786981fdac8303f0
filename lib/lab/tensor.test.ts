import { describe, expect, it } from 'vitest';
import { decodeWidgetState, encodeWidgetState } from '../url/widget-state';
import { DEFAULT_LAB_VIEW, LAB_VIEW_SPEC } from './view';
import { labTensorKey, makeLabTensor, modelLabTensor } from './tensor';

describe('model lab tensors', () => {
  const values = new Map([['transformer.h.1.mlp.c_fc.weight', Float32Array.from({ length: 6 }, (_, i) => i / 10)]]);
  const shapes = new Map([['transformer.h.1.mlp.c_fc.weight', [3, 2]]]);

  it('takes the named matrix as rows = output channels, columns = inputs, and labels it', () => {
    const t = modelLabTensor({ layer: 'h.1.mlp.c_fc', corrupt: false }, values, shapes, 'tiny');
    expect([t.rows, t.cols]).toEqual([3, 2]);
    expect(Array.from(t.data)).toEqual(Array.from(values.get('transformer.h.1.mlp.c_fc.weight')!));
    expect(t.data).not.toBe(values.get('transformer.h.1.mlp.c_fc.weight'));
    expect(t.description).toBe('tiny: Block 2 · MLP up-projection (mlp.c_fc), 3 × 2 (out × in), trained weights');
  });
  it('injects bad values into a copy, never into the model', () => {
    const t = modelLabTensor({ layer: 'h.1.mlp.c_fc', corrupt: true }, values, shapes, 'tiny');
    expect(Number.isNaN(t.data[0])).toBe(true);
    expect(values.get('transformer.h.1.mlp.c_fc.weight')![0]).toBe(0);
  });
  it('names a matrix the model does not have', () => {
    expect(() => modelLabTensor({ layer: 'h.7.mlp.c_fc', corrupt: false }, values, shapes, 'tiny')).toThrow(/no matrix "transformer.h.7.mlp.c_fc.weight"/);
  });
  it('keys model views by matrix, not by the synthetic settings', () => {
    const a = labTensorKey({ ...DEFAULT_LAB_VIEW, distribution: 'model', layer: 'wte', seed: 1 });
    expect(labTensorKey({ ...DEFAULT_LAB_VIEW, distribution: 'model', layer: 'wte', seed: 9 })).toBe(a);
    expect(labTensorKey({ ...DEFAULT_LAB_VIEW, distribution: 'model', layer: 'h.0.attn.c_attn' })).not.toBe(a);
    expect(() => makeLabTensor({ ...DEFAULT_LAB_VIEW, distribution: 'model' })).toThrow(/modelLabTensor/);
    // The learner's own model: keyed by its matrix, not by the tiny model's layer.
    const own = labTensorKey({ ...DEFAULT_LAB_VIEW, distribution: 'model', layer: 'wte' }, 'wte');
    expect(own).not.toBe(a);
    expect(labTensorKey({ ...DEFAULT_LAB_VIEW, distribution: 'model', layer: 'h.0.attn.c_attn' }, 'wte')).toBe(own);
    expect(labTensorKey({ ...DEFAULT_LAB_VIEW, distribution: 'model', layer: 'wte' }, 'h.0.mlp.c_fc')).not.toBe(own);
    expect(labTensorKey({ ...DEFAULT_LAB_VIEW, distribution: 'normal' }, 'wte')).toBe(labTensorKey({ ...DEFAULT_LAB_VIEW, distribution: 'normal' }));
  });
  it('puts the matrix in the URL and rejects unknown ones', () => {
    const view = { ...DEFAULT_LAB_VIEW, distribution: 'model' as const, layer: 'h.3.attn.c_proj' };
    expect(decodeWidgetState(encodeWidgetState(view, 'lab', DEFAULT_LAB_VIEW), 'lab', LAB_VIEW_SPEC, DEFAULT_LAB_VIEW)).toMatchObject({ state: view, ignored: [] });
    expect(decodeWidgetState(new URLSearchParams('lab.layer=h.9.x'), 'lab', LAB_VIEW_SPEC, DEFAULT_LAB_VIEW).ignored).toEqual(['layer=h.9.x']);
  });
});
