import { describe, expect, it } from 'vitest';
import { backendLabel, chooseBackend, parseBackendParam, readBackendParam, type Availability } from './backend-choice';

const all: Availability = {
  webgpu: { available: true, detail: 'WebGPU adapter: swiftshader.' },
  webgl: { available: true, detail: 'WebGL 2 context.' },
  cpu: { available: true, detail: 'Plain JavaScript.' },
};
const noGpu: Availability = { ...all, webgpu: { available: false, detail: 'No WebGPU adapter.' } };
const nothing: Availability = { ...noGpu, webgl: { available: false, detail: 'No WebGL context.' } };

describe('parseBackendParam', () => {
  it.each([
    ['?backend=webgpu', 'webgpu'],
    ['?backend=WebGL', 'webgl'],
    ['?x=1&backend=cpu', 'cpu'],
    ['?backend=cuda', null],
    ['', null],
  ])('%s -> %s', (q, b) => expect(parseBackendParam(q)).toBe(b));
  it('names a value it cannot use instead of dropping it in silence', () => {
    expect(readBackendParam('?backend=cuda')).toEqual({ forced: null, ignored: ['backend=cuda'] });
    expect(readBackendParam('?backend=')).toEqual({ forced: null, ignored: ['backend='] });
    expect(readBackendParam('?backend=%20cpu')).toEqual({ forced: null, ignored: ['backend= cpu'] });
    expect(readBackendParam('?backend=cpu&backend=webgl')).toEqual({ forced: null, ignored: ['backend=cpu', 'backend=webgl'] });
    expect(readBackendParam('?backend=WebGL')).toEqual({ forced: 'webgl', ignored: [] });
    expect(readBackendParam('?x=1')).toEqual({ forced: null, ignored: [] });
  });
});

describe('chooseBackend', () => {
  it('prefers WebGPU, then WebGL, then CPU', () => {
    expect(chooseBackend(all, null).backend).toBe('webgpu');
    expect(chooseBackend(all, null).fallbacks).toEqual(['webgl', 'cpu']);
    const g = chooseBackend(noGpu, null);
    expect(g.backend).toBe('webgl');
    expect(g.reason).toContain('No WebGPU adapter.');
    expect(chooseBackend(nothing, null).backend).toBe('cpu');
  });
  it('honours a forced backend and says so', () => {
    const c = chooseBackend(all, 'cpu');
    expect(c.backend).toBe('cpu');
    expect(c.reason).toMatch(/Forced by \?backend=cpu/);
    expect(c.fallbacks).toEqual(['webgpu', 'webgl']);
  });
  it('falls back when the forced backend is unavailable', () => {
    const c = chooseBackend(noGpu, 'webgpu');
    expect(c.backend).toBe('webgl');
    expect(c.reason).toMatch(/asked for, but WebGPU is unavailable/);
  });
});

describe('backendLabel', () => {
  it('names the backend and marks a software adapter', () => {
    expect(backendLabel({ backend: 'webgpu', software: true })).toBe('WebGPU (software)');
    expect(backendLabel({ backend: 'webgl' })).toBe('WebGL');
    expect(backendLabel({ backend: 'cpu', software: false })).toBe('CPU');
    expect(backendLabel(null)).toBe('…');
  });
});
