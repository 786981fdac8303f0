import { describe, expect, it } from 'vitest';
import { evalWindows } from '../model/eval';
import { mulberry32 } from '../random';
import { heldoutBatch, randomWindowStarts, WindowSampler, windowAt } from './batches';

const ids = Array.from({ length: 100 }, (_, i) => i);

describe('training batches', () => {
  it('draws starts uniformly from 0 … n − T − 1 (torch.randint(len(data) − block_size))', () => {
    const r = mulberry32(1);
    const starts = Array.from({ length: 200 }, () => randomWindowStarts(ids.length, 10, 5, r)).flat();
    expect(Math.min(...starts)).toBe(0);
    expect(Math.max(...starts)).toBe(89);
    expect(starts.every((s) => Number.isInteger(s))).toBe(true);
  });

  it('gives inputs and the targets shifted by one, reproducibly for a seed', () => {
    const a = new WindowSampler(ids, 8, 4, 7);
    const b = new WindowSampler(ids, 8, 4, 7);
    const first = a.next();
    expect(first.inputs).toHaveLength(4);
    for (let k = 0; k < 4; k++) {
      expect(first.inputs[k]).toHaveLength(8);
      expect(first.targets[k]).toEqual(first.inputs[k].map((x) => x + 1)); // ids[i] = i
    }
    expect(b.next()).toEqual(first);
    expect(a.next()).not.toEqual(first);
    expect(new WindowSampler(ids, 8, 4, 8).next()).not.toEqual(first);
    expect(windowAt(ids, 3, 4)).toEqual({ inputs: [3, 4, 5, 6], targets: [4, 5, 6, 7] });
  });

  it('uses evalWindows for the held-out batch and names bad sizes', () => {
    const h = heldoutBatch(ids, 10, 3);
    const w = evalWindows(ids, 10, 3);
    expect(h.inputs).toEqual(w.map((x) => x.inputs));
    expect(h.targets).toEqual(w.map((x) => x.targets));
    expect(heldoutBatch(ids, 10, 3)).toEqual(h);
    expect(() => new WindowSampler(ids.slice(0, 8), 8, 1, 1)).toThrow(/8 tokens; a training window needs 9/);
    expect(() => new WindowSampler(ids, 0, 1, 1)).toThrow(/window length/);
    expect(() => new WindowSampler(ids, 4, 0, 1)).toThrow(/batch size/);
  });
});
