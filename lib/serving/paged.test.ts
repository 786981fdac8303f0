import { describe, expect, it } from 'vitest';
import { PAGED_DEFAULTS, requestStream, simulateAllocation, type ServingRequest } from './paged';

// Kwon et al. 2023 (PagedAttention); docs/numerics.md, "Serving".
const opts = { capacity: PAGED_DEFAULTS.capacity, blockSize: 16, maxNewTokens: PAGED_DEFAULTS.maxNewTokens, steps: PAGED_DEFAULTS.steps };
const stream = requestStream(PAGED_DEFAULTS);

describe('KV cache allocation', () => {
  it('the request stream is seeded', () => {
    expect(requestStream(PAGED_DEFAULTS)).toEqual(stream);
    expect(requestStream({ ...PAGED_DEFAULTS, seed: 8 })).not.toEqual(stream);
    for (const r of stream) {
      expect(r.prompt).toBeGreaterThanOrEqual(16);
      expect(r.prompt).toBeLessThanOrEqual(256);
      expect(r.output).toBeLessThanOrEqual(512);
    }
  });

  it('one request by hand: contiguous reserves prompt + max_tokens, paged holds ⌈tokens / 16⌉ blocks', () => {
    const one: ServingRequest[] = [{ id: 0, arrival: 0, prompt: 20, output: 5 }];
    const o = { capacity: 1024, blockSize: 16, maxNewTokens: 100, steps: 8 };
    const c = simulateAllocation('contiguous', one, o);
    const p = simulateAllocation('paged', one, o);
    // Step 0: prefill writes 20 tokens; steps 1..5 write one each; it finishes after step 5.
    expect(c.steps.map((s) => s.used)).toEqual([20, 21, 22, 23, 24, 25, 0, 0]);
    expect(c.steps.map((s) => s.held)).toEqual([120, 120, 120, 120, 120, 120, 0, 0]);
    expect(p.steps.map((s) => s.held)).toEqual([32, 32, 32, 32, 32, 32, 0, 0]);
    expect(p.steps[0].holdings[0].blocks).toHaveLength(2);
    expect(c.finished).toBe(1);
    expect(p.finished).toBe(1);
  });

  it('paged wastes less than one block per running request; contiguous wastes far more', () => {
    const c = simulateAllocation('contiguous', stream, opts);
    const p = simulateAllocation('paged', stream, opts);
    for (const s of p.steps) {
      expect(s.held - s.used).toBeLessThan(16 * Math.max(1, s.running));
      expect(s.held).toBeLessThanOrEqual(opts.capacity);
      expect(s.externalWaste).toBe(0);
    }
    for (const s of c.steps) expect(s.held).toBeLessThanOrEqual(opts.capacity);
    expect(p.meanUtilisation).toBeGreaterThan(0.9);
    expect(c.meanUtilisation).toBeLessThan(0.6);
    // The memory saved holds more requests at once, so more finish.
    expect(p.meanRunning).toBeGreaterThan(c.meanRunning);
    expect(p.finished).toBeGreaterThan(c.finished);
  });

  it('contiguous reservations never overlap', () => {
    const c = simulateAllocation('contiguous', stream, opts);
    for (const s of c.steps) {
      const r = [...s.holdings].sort((a, b) => a.start - b.start);
      for (let i = 1; i < r.length; i++) expect(r[i].start).toBeGreaterThanOrEqual(r[i - 1].start + r[i - 1].size);
    }
  });

  it('paged blocks are never shared, and a full memory preempts instead of overflowing', () => {
    const tight = { ...opts, capacity: 1024 };
    const p = simulateAllocation('paged', stream, tight);
    expect(p.preemptions).toBeGreaterThan(0);
    for (const s of p.steps) {
      const all = s.holdings.flatMap((h) => h.blocks);
      expect(new Set(all).size).toBe(all.length);
      for (const h of s.holdings) expect(h.blocks.length).toBe(Math.ceil(h.tokens / 16));
    }
  });

  it('rejects requests longer than max_tokens or memory', () => {
    expect(() => simulateAllocation('paged', [{ id: 0, arrival: 0, prompt: 10, output: 200 }], { ...opts, maxNewTokens: 100 })).toThrow(RangeError);
    expect(() => simulateAllocation('paged', stream, { ...opts, blockSize: 0 })).toThrow(RangeError);
  });
});
