import { describe, expect, it } from 'vitest';
import { DEFAULT_LAB_VIEW } from './view';
import { LabEngine, type OwnLabMatrix } from './engine';

const noGpu = () => Promise.reject(new TypeError('Failed to fetch dynamically imported module: /_next/static/chunks/tfjs.js'));

/** Resolves with the snapshot once the engine is ready with the result of its `version`-th view. */
function readyAt(engine: LabEngine, version: number) {
  return new Promise<ReturnType<LabEngine['getSnapshot']>>((resolve) => {
    const check = () => { const s = engine.getSnapshot(); if (s.state === 'ready' && s.resultVersion === version) resolve(s); };
    engine.subscribe(check);
    check();
  });
}

describe('LabEngine', () => {
  it('says why it fell back to the CPU reference when the GPU code could not be loaded', async () => {
    const engine = new LabEngine(noGpu);
    const done = new Promise<void>((resolve) => engine.subscribe(() => { if (engine.getSnapshot().state === 'ready') resolve(); }));
    engine.setView({ ...DEFAULT_LAB_VIEW, distribution: 'normal' });
    await done;
    const snap = engine.getSnapshot();
    expect(snap.result?.ok && snap.result.path).toBe('cpu-reference');
    expect(snap.fallback).toBe('The lab computes on the CPU reference because the GPU backend could not be loaded: Failed to fetch dynamically imported module: /_next/static/chunks/tfjs.js');
    engine.dispose();
  });

  it('quantizes a matrix of the learner’s own model in a model view, and a new model’s when it changes', async () => {
    // A block's MLP down-projection [C, 4C] = [4, 16] of a GPT-2-layout weights map, values ±(i + 1) / 64.
    const matrix = (sign: number) => Float32Array.from({ length: 64 }, (_, i) => (sign * (i % 2 ? -1 : 1) * (i + 1)) / 64);
    const weightsOf = (sign: number) => ({
      values: new Map([['transformer.h.0.mlp.c_proj.weight', matrix(sign)], ['transformer.wte.weight', new Float32Array(8).fill(0.5)]]),
      shapes: new Map([['transformer.h.0.mlp.c_proj.weight', [4, 16]], ['transformer.wte.weight', [2, 4]]]),
    });
    const view = { ...DEFAULT_LAB_VIEW, distribution: 'model' as const, layer: 'h.1.mlp.c_fc', granularity: 'tensor' as const };
    const own: OwnLabMatrix = { label: 'mine', weights: weightsOf(1), layer: 'h.0.mlp.c_proj' };
    const engine = new LabEngine(noGpu);
    engine.setView(view, own);
    let snap = await readyAt(engine, 1);
    expect(snap.tensor?.description).toBe('mine: Block 1 · MLP down-projection (mlp.c_proj), 4 × 16 (out × in), trained weights');
    expect(snap.result?.ok && snap.result.stats.count).toBe(64);
    // Symmetric INT8: s = max|x| / 127.5 = 1 / 127.5 (lib/quant/affine).
    expect(snap.result?.ok && snap.result.params.scale[0]).toBeCloseTo(1 / 127.5, 7);

    engine.setView(view, { ...own, layer: 'wte' });
    snap = await readyAt(engine, 2);
    expect(snap.result?.ok && [snap.result.stats.count, snap.result.params.scale[0]]).toEqual([8, Math.fround(0.5 / 127.5)]);

    // Another model with the same matrix name: its own weights, not the engine's cached tensor.
    const other = weightsOf(0.5);
    engine.setView(view, { label: 'other', weights: other, layer: 'h.0.mlp.c_proj' });
    snap = await readyAt(engine, 3);
    expect(snap.tensor?.description).toMatch(/^other: /);
    expect(snap.result?.ok && snap.result.params.scale[0]).toBeCloseTo(0.5 / 127.5, 7);
    engine.dispose();
  });
});
