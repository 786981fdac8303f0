import { describe, expect, it } from 'vitest';
import { nativeSummary, servingRatios, servingResult, trainRows } from './bench-serving.mjs';

const native = {
  torch: '1.13.0',
  threads: 2,
  decode: { noCache: { tokensPerSecond: 40 }, kvCache: { tokensPerSecond: 400 } },
  train: { lora: { medianMs: 500 }, qlora: { medianMs: 550 } },
};

describe('scripts/bench-serving.mjs', () => {
  it('reduces the native script’s JSON to the contract: the cached decode, the uncached one beside it, the steps', () => {
    expect(nativeSummary(native)).toEqual({ decodeTokensPerSecond: 400, decodeTokensPerSecondNoCache: 40, loraStepMs: 500, qloraStepMs: 550, torch: '1.13.0', threads: 2 });
    expect(nativeSummary({ skipped: 'PyTorch is not installed' })).toBeNull();
    expect(nativeSummary(null)).toBeNull();
    expect(nativeSummary({ decode: {}, train: {} })).toBeNull();
  });

  it('keeps the LoRA and QLoRA rows of the training reports, per backend', () => {
    const reports = [
      { backend: 'webgpu (software)', rows: [{ mode: 'lora', medianMs: 700 }, { mode: 'qlora', medianMs: 800 }, { mode: 'full', medianMs: 900 }] },
      { backend: 'cpu', rows: [{ mode: 'lora', medianMs: 2000 }] },
    ];
    expect(trainRows(reports)).toEqual([
      { backend: 'webgpu (software)', mode: 'lora', stepMs: 700 },
      { backend: 'webgpu (software)', mode: 'qlora', stepMs: 800 },
      { backend: 'cpu', mode: 'lora', stepMs: 2000 },
    ]);
  });

  it('writes the contract’s fields, rounded, with null for what was not measured', () => {
    const r = servingResult({
      adapter: 'WebGPU adapter: google swiftshader (software)',
      native: nativeSummary(native),
      decode: [{ format: 'FP32', tokensPerSecond: 12.3456, bytesPerToken: 3276216 }],
      train: [{ backend: 'webgl', mode: 'lora', stepMs: 701.234 }],
      comparisonSeconds: 61.239,
      firstStepSeconds: undefined,
    });
    expect(Object.keys(r)).toEqual(['adapter', 'native', 'decode', 'train', 'comparisonSeconds', 'firstStepSeconds']);
    expect(r.decode).toEqual([{ format: 'FP32', tokensPerSecond: 12.35, bytesPerToken: 3276216 }]);
    // lowbitBench.decode's rows: lib's format id and lesson 7's label; the label is the contract's format.
    const page = servingResult({ adapter: 'x', native: null, decode: [{ format: 'int8-channel', label: 'INT8', tokensPerSecond: 80, bytesPerToken: 837120, decodePath: 'one-dispatch', dispatchesPerToken: 2 }], train: [], comparisonSeconds: null, firstStepSeconds: null });
    expect(page.decode).toEqual([{ format: 'INT8', tokensPerSecond: 80, bytesPerToken: 837120, decodePath: 'one-dispatch', dispatchesPerToken: 2 }]);
    expect(r.train).toEqual([{ backend: 'webgl', mode: 'lora', stepMs: 701.23 }]);
    expect(r.comparisonSeconds).toBe(61.24);
    expect(r.firstStepSeconds).toBeNull();
    expect(r.native.decodeTokensPerSecond).toBe(400);
    expect(servingResult({ adapter: 'x', native: null, decode: [], train: [], comparisonSeconds: null, firstStepSeconds: 3 }).native).toBeNull();
  });

  it('sets each browser figure against native: steps as multiples, decode as fractions of the cached and uncached decode', () => {
    const r = servingResult({ adapter: 'x', native: nativeSummary(native), decode: [{ format: 'FP16', tokensPerSecond: 20, bytesPerToken: 1 }], train: [{ backend: 'webgl', mode: 'lora', stepMs: 1000 }, { backend: 'webgl', mode: 'qlora', stepMs: 1100 }], comparisonSeconds: 1, firstStepSeconds: 1 });
    const rows = servingRatios(r);
    expect(rows[0]).toMatchObject({ what: 'lora step on webgl', native: 500, ratio: 2 });
    expect(rows[1]).toMatchObject({ what: 'qlora step on webgl', native: 550, ratio: 2 });
    expect(rows[2]).toMatchObject({ what: 'decode FP16', ratio: 0.05, ratioNoCache: 0.5 });
    expect(servingRatios({ ...r, native: null })[0].ratio).toBeNull();
  });
});
