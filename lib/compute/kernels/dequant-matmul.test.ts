import { describe, expect, it } from 'vitest';
import { WEIGHT_FORMATS } from '../../quant/weight-formats';
import {
  DQMM_TILE_M,
  DQMM_TILE_N,
  DQMM_WORKGROUP,
  dequantMatMulGradProgram,
  dequantMatMulGradThreads,
  dequantMatMulInputs,
  dequantMatMulProgram,
  dequantMatMulThreads,
  dequantMatMulUniforms,
  dequantMatMulUnsupported,
} from './dequant-matmul';
import { MATVEC_WEIGHT_INPUTS } from './matvec';

describe('dequantMatMulProgram', () => {
  it.each(WEIGHT_FORMATS)('%s: binds x as vec4, then the weight parts as the store uploads them, then the bias', (format) => {
    const p = dequantMatMulProgram(format, 37, 130, true);
    expect(p.variableNames).toEqual(['x', ...MATVEC_WEIGHT_INPUTS[format], 'bias']);
    expect(p.variableComponents).toEqual(p.variableNames.map((n) => (n === 'x' ? 4 : 1)));
    expect(p.outputShape).toEqual([37, 130]);
    expect(p.dispatch[0] * DQMM_WORKGROUP).toBeGreaterThanOrEqual(dequantMatMulThreads(37, 130));
    expect(p.getUserCode()).toContain('fn chunk(n : i32, c : i32) -> mat2x4<f32>');
  });

  it('has one shader per format and bias, whatever the sizes (they travel as uniforms)', () => {
    const keys = new Set(WEIGHT_FORMATS.flatMap((f) => [true, false].map((b) => dequantMatMulProgram(f, 8, 8, b).shaderKey)));
    expect(keys.size).toBe(2 * WEIGHT_FORMATS.length);
    expect(dequantMatMulProgram('nf4-dq', 8, 8, false).shaderKey).toBe(dequantMatMulProgram('nf4-dq', 512, 384, false).shaderKey);
    expect(dequantMatMulInputs('int8-channel', false)).toEqual(['x', 'codes', 'scales']);
  });

  it('adds the bias only when asked', () => {
    expect(dequantMatMulProgram('fp16', 4, 4, true).getUserCode()).toContain('bias[n0');
    expect(dequantMatMulProgram('fp16', 4, 4, false).getUserCode()).not.toContain('bias[');
  });
});

describe('dequantMatMulGradProgram', () => {
  it.each(WEIGHT_FORMATS)('%s: reads dy and the packed parts, writes dX as vec4', (format) => {
    const p = dequantMatMulGradProgram(format, 37, 192);
    expect(p.variableNames).toEqual(['dy', ...MATVEC_WEIGHT_INPUTS[format]]);
    expect(p.outputShape).toEqual([37, 192]);
    expect(p.outputComponent).toBe(4);
    expect(p.dispatch[0] * DQMM_WORKGROUP).toBeGreaterThanOrEqual(dequantMatMulGradThreads(37, 192));
  });
});

describe('thread counts', () => {
  it('cover every tile of the output', () => {
    expect(dequantMatMulThreads(37, 130)).toBe(Math.ceil(37 / DQMM_TILE_M) * Math.ceil(130 / DQMM_TILE_N));
    expect(dequantMatMulGradThreads(37, 192)).toBe(Math.ceil(37 / DQMM_TILE_M) * 24);
  });
});

describe('dequantMatMulUnsupported', () => {
  it('takes the tiny model\'s shapes in every format', () => {
    for (const f of WEIGHT_FORMATS) for (const [N, K] of [[384, 128], [512, 128], [128, 512]]) expect(dequantMatMulUnsupported(f, 1024, N, K)).toBeNull();
  });
  it('names what it cannot take', () => {
    expect(dequantMatMulUnsupported('fp16', 0, 4, 8)).toMatch(/empty/);
    expect(dequantMatMulUnsupported('fp16', 4, 4, 12)).toMatch(/chunks of 8/);
    expect(dequantMatMulUnsupported('int4-group64', 4, 4, 72)).toMatch(/groups of 64/);
    expect(dequantMatMulUnsupported('nf4-dq', 4, 4, 64, 64, 12)).toMatch(/blocks of 12/);
    expect(dequantMatMulUnsupported('fp32', 2_000_000, 64, 64)).toMatch(/workgroups/);
  });
});

describe('dequantMatMulUniforms', () => {
  it('lists sizes and layout in the declared order, zeros for what a format lacks', () => {
    expect(dequantMatMulUniforms(3, 4, 64, { blockSize: 64, dqBlockSize: 256, offset: 0.5 }).map((u) => u.data[0])).toEqual([3, 4, 64, 0, 0, 64, 256, 0.5]);
  });
});

describe('bindings', () => {
  it('states one component for every input of the gradient program (tfjs would give them the output\'s four)', () => {
    const p = dequantMatMulGradProgram('fp32', 4, 8);
    expect(p.variableComponents).toEqual([1, 1]);
  });
});
