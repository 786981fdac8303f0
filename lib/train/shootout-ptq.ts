/**
 * The shoot-out's PTQ side, in the page (./shootout ShootoutPtq): the calibration capture of the
 * GPTQ lesson (lib/model/methods-engine captureCalibration: every Linear input over windows of the
 * training split's calibration text, GPTQ's Hessian (2/n)XᵀX), FP32 scored on held-out windows
 * (eval.ts evalWindows at the model's block size — the windows the trainer's evaluate() reads), and
 * each method's model scored on them: loss = ln(perplexity) = the mean cross-entropy
 * (lib/model/weight-methods scoreWeights). Round-to-nearest and GPTQ share GPTQ's grid: affine
 * min/max including 0, one range per output row (docs/numerics.md, "Beyond round-to-nearest").
 */
import type { Compute } from '../compute';
import { heldoutWindows, quantizeOnDevice, scoreFp32, scoreReplaced, type Calibration } from '../model/methods-engine';
import type { EvalWindow } from '../model/eval';
import type { PtqMethod, ShootoutPtq } from './shootout';
import { quantizeHere, type QuantizeFn } from '../model/calibration-sizes';
import { quantizesOnDevice } from '../model/quantize-on';

export interface ShootoutPtqDeps {
  compute: () => Promise<Compute>;
  /** The capture (e.g. the page's shared one over SHOOTOUT_CALIBRATION_WINDOWS windows). */
  calibration: () => Promise<Calibration>;
  heldoutText: () => Promise<string>;
  /**
   * Where the methods without a GPU path run (round-to-nearest, MSE-clipped rows, and GPTQ where
   * lib/model/quantize-on.ts keeps it on the CPU), e.g. lib/quant's references in a Web Worker so the
   * page stays responsive; by default in the page.
   */
  cpuQuantize?: QuantizeFn;
  /** Milliseconds; performance.now by default. */
  now?: () => number;
}

/** A ShootoutPtq over the page's backend. GPTQ's column loop runs on a hardware WebGPU (lib/model/quantize-on.ts, automatic), everything else through `cpuQuantize`. */
export function createShootoutPtq(deps: ShootoutPtqDeps): ShootoutPtq {
  const now = deps.now ?? (() => performance.now());
  let state: { compute: Compute; c: Calibration; windows: EvalWindow[]; fp32Logits: Float32Array } | null = null;
  // The capture is made once per page and then cached: its first measured time is kept as GPTQ's cost.
  let calibrationMs: number | null = null;
  return {
    async prepare(windows) {
      const t0 = now();
      const captured = deps.calibration().then((c) => {
        calibrationMs ??= now() - t0;
        return c;
      });
      const [compute, c, text] = await Promise.all([deps.compute(), captured, deps.heldoutText()]);
      const ws = heldoutWindows(c.config, text, windows);
      const fp32 = await scoreFp32(compute, c, ws);
      state = { compute, c, windows: ws, fp32Logits: fp32.logits };
      const bytes = 4 * [...c.values.values()].reduce((s, v) => s + v.length, 0);
      const hessianBytes = c.stats.reduce((s, x) => s + (x.hessian?.byteLength ?? 0), 0);
      return { fp32Loss: Math.log(fp32.perplexity), bytes, hessianBytes, calibrationMs: calibrationMs ?? 0 };
    },
    async quantize(method: PtqMethod, bits: number) {
      if (!state) throw new Error('The PTQ scorer is not prepared: call prepare() first.');
      const { compute, c, windows, fp32Logits } = state;
      const t0 = now();
      const setting = { bits, groupSize: -1 };
      const values = quantizesOnDevice(method, 'auto', compute)
        ? (await quantizeOnDevice(compute, c, method, setting)).values
        : await (deps.cpuQuantize ?? quantizeHere)(c, c.stats, method, setting);
      const ms = now() - t0;
      const s = await scoreReplaced(compute, c, values, windows, fp32Logits);
      return { loss: Math.log(s.perplexity), ms };
    },
  };
}
