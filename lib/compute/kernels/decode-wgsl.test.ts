import { describe, expect, it } from 'vitest';
import { WEIGHT_FORMATS } from '../../quant/weight-formats';
import { drawTokenFn, rowDot, type RowReads } from './decode-wgsl';

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
});
