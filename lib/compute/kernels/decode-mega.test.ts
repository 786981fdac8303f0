import { describe, expect, it } from 'vitest';
import { megaDecodeProgram, megaStateSize, megaTokenSlot, megaUnsupported, type MegaPlan } from './decode-mega';

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

  it('bakes the plan into a shader named for it, one workgroup, with every block', () => {
    const w = { rows: 1, cols: 128, codes: 0, bias: 0, words: 1 };
    const plan: MegaPlan = { ...tiny, nLayer: 2, format: 'int8-channel', eps: 1e-5, wte: 0, wpe: 0, lnf: 0, tables: 0, layers: [0, 1].map(() => ({ ln1: 0, ln2: 0, attn: w, proj: w, fc: w, proj2: w })) };
    const p = megaDecodeProgram(plan, '7');
    expect(p.shaderKey).toBe('lowbit_decode_mega_int8-channel_7');
    expect(p.dispatch).toEqual([1, 1, 1]);
    const code = p.getUserCode();
    expect(code.match(/\/\/ Block \d: attention/g)).toHaveLength(2);
    expect(code).not.toMatch(/\btarget\b/); // a WGSL reserved word
  });
});
