import { describe, expect, it } from 'vitest';
import { geluFn } from './decode-wgsl';
import { MEGA_LAYER_INTS, megaBlocksDiffer, megaDecodeProgram, megaLayerTable, megaStateSize, megaTokenSlot, megaUnsupported, type MegaPlan } from './decode-mega';

const tiny = { nLayer: 4, nHead: 4, C: 128, capacity: 128, vocab: 63 };

describe('the one-dispatch decode step', () => {
  it('lays the state out as the cache, the token and the logits', () => {
    expect(megaTokenSlot(tiny)).toBe(4 * 2 * 128 * 128);
    expect(megaStateSize(tiny)).toBe(4 * 2 * 128 * 128 + 1 + 63);
  });

  it('takes the tiny model and names why GPT-2 small does not fit one workgroup', () => {
    expect(megaUnsupported(tiny)).toBeNull();
    expect(megaUnsupported({ nLayer: 12, nHead: 12, C: 768, capacity: 1024, vocab: 50257 })).toMatch(/workgroup memory/);
  });

  it('bakes the plan into a shader named for it, one workgroup, one loop body for every block', () => {
    const w = { rows: 1, cols: 128, codes: 0, bias: 0, words: 1 };
    const plan: MegaPlan = { ...tiny, nLayer: 2, format: 'int8-channel', eps: 1e-5, gelu: 'erf', wte: 0, wpe: 0, lnf: 0, tables: 0, layers: [0, 1].map(() => ({ ln1: 0, ln2: 0, attn: w, proj: w, fc: w, proj2: w })) };
    const p = megaDecodeProgram(plan, '7');
    expect(p.shaderKey).toBe('lowbit_decode_mega_int8-channel_7');
    expect(p.dispatch).toEqual([1, 1, 1]);
    const code = p.getUserCode();
    expect(code.match(/\/\/ A block: attention/g)).toHaveLength(1);
    expect(code).toContain('for (var l = 0; l < 2; l = l + 1)');
    expect(code).toContain(`var<private> LT : array<i32, ${2 * MEGA_LAYER_INTS}>`);
    expect(code).not.toMatch(/\btarget\b/); // a WGSL reserved word
  });

  it('lists each block\'s offsets in the layer table, in a fixed order', () => {
    const w = (o: number) => ({ rows: 4, cols: 8, codes: o, scales: o + 1, bias: o + 2, words: 3 });
    const layers = [10, 100].map((b) => ({ ln1: b, ln2: b + 1, attn: w(b + 2), proj: w(b + 20), fc: w(b + 40), proj2: w(b + 60) }));
    const t = megaLayerTable(layers);
    expect(t).toHaveLength(2 * MEGA_LAYER_INTS);
    // ln1, ln2, then attn's codes, scales, zeros, absmaxCodes, absmax2, bias.
    expect(t.slice(0, 8)).toEqual([10, 11, 12, 13, 0, 0, 0, 14]);
    expect(t.slice(MEGA_LAYER_INTS, MEGA_LAYER_INTS + 2)).toEqual([100, 101]);
  });

  it('refuses blocks laid out unlike the first', () => {
    const w = { rows: 4, cols: 8, codes: 0, bias: 0, words: 1 };
    const layers = [{ ln1: 0, ln2: 0, attn: w, proj: w, fc: w, proj2: w }, { ln1: 0, ln2: 0, attn: { ...w, cols: 16 }, proj: w, fc: w, proj2: w }];
    expect(megaBlocksDiffer({ layers })).toMatch(/block 1's attn/);
    const plan: MegaPlan = { ...tiny, nLayer: 2, format: 'fp32', eps: 1e-5, gelu: 'erf', wte: 0, wpe: 0, lnf: 0, tables: 0, layers };
    expect(() => megaDecodeProgram(plan, 'x')).toThrow(/laid out unlike/);
  });

  it('computes the plan\'s GELU: exact, or GPT-2\'s tanh form', () => {
    const w = { rows: 1, cols: 128, codes: 0, bias: 0, words: 1 };
    const plan = (gelu: MegaPlan['gelu']): MegaPlan => ({ ...tiny, nLayer: 1, format: 'fp32', eps: 1e-5, gelu, wte: 0, wpe: 0, lnf: 0, tables: 0, layers: [{ ln1: 0, ln2: 0, attn: w, proj: w, fc: w, proj2: w }] });
    const tanh = megaDecodeProgram(plan('tanh'), 't').getUserCode();
    expect(tanh).toContain(geluFn('tanh'));
    expect(tanh).not.toContain(geluFn('erf'));
    expect(tanh).toContain(`= gelu(y);`);
    expect(megaDecodeProgram(plan('erf'), 'e').getUserCode()).toContain(geluFn('erf'));
  });
});
