import { describe, expect, it } from 'vitest';
import { WEIGHT_FORMATS } from '../../quant/weight-formats';
import { drawTokenFn, geluFn, rowDot, type RowReads } from './decode-wgsl';
import { matVecProgram, matVecUnsupported } from './matvec';
import { ATTEND_MAX_CONTEXT } from './decode';

const reads: RowReads = {
  float: (i) => `F(${i})`, word: (i) => `W(${i})`, scale: (i) => `S(${i})`, zeroWord: (i) => `Z(${i})`, absmaxWord: (i) => `A(${i})`,
  absmax2: (i) => `A2(${i})`, dynamic: (c) => `D(${c})`, levelPair: (b) => `P(${b})`, x: (i) => `X(${i})`,
  cols: 'C', groupsPerRow: 'G', groupSize: 'GS', blockSize: 'BS', dqBlockSize: 'DQ', offset: 'OFF',
};

describe('the decode kernels’ shared WGSL', () => {
  it('reads each format’s parts through the kernel’s own expressions and adds into acc', () => {
    const parts = { fp32: ['F('], fp16: ['W(', 'unpack2x16float'], bf16: ['W(', '<< 16u'], 'int8-channel': ['W(', 'S(row)'], 'int4-group64': ['W(', 'S(gi)', 'Z('], 'nf4-dq': ['W(', 'A(', 'A2(', 'D(', 'P(', 'OFF'] };
    for (const f of WEIGHT_FORMATS) {
      const code = rowDot(f, reads);
      expect(code).toMatch(/acc = acc \+/);
      for (const p of parts[f]) expect(code).toContain(p);
      expect(code).not.toMatch(/\bcodes\[|\bxs\[|uniforms\./); // nothing bound by one kernel only
    }
  });

  it('draws with the sampler’s rule and no WGSL reserved word', () => {
    const code = drawTokenFn('draw', (i) => `L[${i}]`, '63');
    expect(code).toContain('fn draw() -> i32');
    expect(code).toContain('uniforms.u * total');
    expect(code).not.toMatch(/\btarget\b/);
  });

  it('writes GPT-2’s tanh GELU without WGSL’s tanh, from e^(−2|u|), which cannot overflow', () => {
    const code = geluFn('tanh');
    expect(code).toContain('fn gelu(y : f32) -> f32');
    expect(code).toContain('0.7978845608028654 * (y + 0.044715 * y * y * y)'); // √(2/π) (x + 0.044715 x³)
    expect(code).toContain('exp(-2.0 * abs(u))');
    expect(code).not.toMatch(/\btanh\(/);
    expect(geluFn('erf')).toContain('0.3275911'); // Abramowitz & Stegun 7.1.26
    expect(geluFn('erf')).not.toContain('0.044715');
  });

  it('gives the matvec a shader per GELU form, and none without one', () => {
    const o = { layerNorm: true, bias: true, residual: false } as const;
    const erf = matVecProgram('int8-channel', 8, { ...o, gelu: 'erf' });
    const tanh = matVecProgram('int8-channel', 8, { ...o, gelu: 'tanh' });
    const none = matVecProgram('int8-channel', 8, { ...o, gelu: null });
    expect(new Set([erf.shaderKey, tanh.shaderKey, none.shaderKey]).size).toBe(3);
    expect(tanh.getUserCode()).toContain(geluFn('tanh'));
    expect(tanh.getUserCode()).toContain('y = gelu(y);');
    expect(erf.getUserCode()).toContain(geluFn('erf'));
    expect(none.getUserCode()).not.toContain('gelu');
  });

  it('takes every Linear weight of GPT-2 small, and its tied output projection, in every format (lesson 7 decodes it on these kernels)', () => {
    const C = 768;
    for (const f of WEIGHT_FORMATS) for (const [rows, cols] of [[3 * C, C], [C, C], [4 * C, C], [C, 4 * C]]) expect(matVecUnsupported(f, rows, cols)).toBeNull();
    expect(matVecUnsupported('fp32', 50257, C)).toBeNull(); // wte stays float32
    expect(1024).toBeLessThanOrEqual(ATTEND_MAX_CONTEXT); // n_positions
  });
});
