import { describe, expect, it } from 'vitest';
import { DEFAULT_LAB_VIEW } from './view';
import { LabEngine } from './engine';

describe('LabEngine', () => {
  it('says why it fell back to the CPU reference when the GPU code could not be loaded', async () => {
    const engine = new LabEngine(() => Promise.reject(new TypeError('Failed to fetch dynamically imported module: /_next/static/chunks/tfjs.js')));
    const done = new Promise<void>((resolve) => engine.subscribe(() => { if (engine.getSnapshot().state === 'ready') resolve(); }));
    engine.setView({ ...DEFAULT_LAB_VIEW, distribution: 'normal' });
    await done;
    const snap = engine.getSnapshot();
    expect(snap.result?.ok && snap.result.path).toBe('cpu-reference');
    expect(snap.fallback).toBe('The lab computes on the CPU reference because the GPU backend could not be loaded: Failed to fetch dynamically imported module: /_next/static/chunks/tfjs.js');
    engine.dispose();
  });
});
