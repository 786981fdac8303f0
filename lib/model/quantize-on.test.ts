import { describe, expect, it } from 'vitest';
import { quantizesOnDevice } from './quantize-on';

const hardwareWebGPU = { webgpu: {} as never, software: false };
const softwareWebGPU = { webgpu: {} as never, software: true };
const webgl = { webgpu: null, software: false };

describe('quantizesOnDevice', () => {
  it('never moves round-to-nearest, and keeps everything on the CPU when asked', () => {
    for (const c of [hardwareWebGPU, softwareWebGPU, webgl]) {
      for (const on of ['auto', 'gpu', 'cpu'] as const) expect(quantizesOnDevice('rtn', on, c)).toBe(false);
      expect(quantizesOnDevice('gptq', 'cpu', c)).toBe(false);
      expect(quantizesOnDevice('awq', 'cpu', c)).toBe(false);
    }
  });

  it('automatic: the GPU when it is a hardware one, the CPU references on a software adapter', () => {
    expect(quantizesOnDevice('gptq', 'auto', hardwareWebGPU)).toBe(true);
    expect(quantizesOnDevice('awq', 'auto', hardwareWebGPU)).toBe(true);
    expect(quantizesOnDevice('gptq', 'auto', softwareWebGPU)).toBe(false);
    expect(quantizesOnDevice('awq', 'auto', softwareWebGPU)).toBe(false);
  });

  it('GPTQ needs WebGPU (its kernel is WGSL); AWQ runs on WebGL too', () => {
    expect(quantizesOnDevice('gptq', 'gpu', softwareWebGPU)).toBe(true);
    expect(quantizesOnDevice('gptq', 'gpu', webgl)).toBe(false);
    expect(quantizesOnDevice('awq', 'gpu', webgl)).toBe(true);
    expect(quantizesOnDevice('awq', 'auto', webgl)).toBe(true);
  });
});
