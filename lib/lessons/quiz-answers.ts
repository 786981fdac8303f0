import { floatFormatInfo } from '../formats';
import { bitsPerWeight, cellLayout } from '../lab/lab';
import { presetArchitecture } from '../lora/architectures';
import { QLORA_RECIPE, fineTuneMemory, loraTrainableParams } from '../lora/params';
import { loraScaling } from '../lora/scale';
import { kvCacheBytesPerToken, weightBytes } from '../memory';
import { perplexity } from '../model/eval';
import { computeQParams, type QuantOptions } from '../quant/affine';
import { fourBitBitsPerParameter, quantize4bit } from '../quant/four-bit';
import { gptqHessian, gptqProxyLoss } from '../quant/gptq';
import { lsqGradScale, lsqInitialStep, lsqRange } from '../quant/qat';
import { smoothQuantScales } from '../quant/smoothquant';
import { arithmeticIntensity } from '../serving/roofline';
import type { ComputedAnswers } from '../quiz/computed';
import type { LabSettings } from '../lab/types';

/**
 * The expected values of the lessons' numeric quiz questions, computed by lib/ rather than typed
 * in the MDX (docs/design.md rule 7), by lesson slug and question id; the formulas are those the
 * questions' explanations state (docs/numerics.md). components/mdx/Quiz.tsx fills them in
 * (lib/quiz/computed withComputedAnswers); the question in the MDX leaves `answer` out. Read at
 * build time, on the server: none of this reaches a page's JavaScript.
 */

const unsigned4: QuantOptions = { bits: 4, signed: false, symmetric: false };
const G128_ASYMMETRIC: LabSettings = { bits: 4, signed: false, symmetric: false, granularity: 'group', groupSize: 128, calibration: 'minmax', percentile: 100 };
/** The NF4 worked example of the 4-bit lesson: one block of eight values. */
const NF4_EXAMPLE = [0.8, -0.3, 0.05, -1.6, 1.2, 0.0, -0.04, 0.4];

export const QUIZ_ANSWERS: Readonly<Record<string, ComputedAnswers>> = {
  'why-quantize': {
    'seven-b-fp16': { answer: weightBytes(7e9, 'fp16') / 1e9 },
  },
  'number-formats': {
    'e4m3-max': { answer: floatFormatInfo('fp8-e4m3').maxFinite },
  },
  'scale-and-zero-point': {
    'predict-scale': { answer: computeQParams(-0.5, 1.5, unsigned4).scale },
    'predict-zero-point': { answer: computeQParams(-0.5, 1.5, unsigned4).zeroPoint },
    'bits-step': { answer: computeQParams(-1, 2, unsigned4).scale / computeQParams(-1, 2, { ...unsigned4, bits: 8 }).scale },
  },
  'clipping-and-calibration': {
    'outlier-scale': { answer: computeQParams(-0.1, 4, { bits: 8, signed: true, symmetric: true }).scale },
  },
  granularity: {
    'group-scale': {
      answer: computeQParams(-0.12, 0.09, { bits: 4, signed: true, symmetric: true }).scale,
      // absmax / 7 (levels k/7, restricted range) and absmax / 8 (ggml Q4_0), as the question's notes name them.
      alsoAccept: [0.12 / 7, 0.12 / 8],
    },
    'bpw-g128-asym': { answer: bitsPerWeight(G128_ASYMMETRIC, cellLayout(4096, 4096, G128_ASYMMETRIC)) },
  },
  'four-bit': {
    'packed-byte': { answer: quantize4bit(Float32Array.from(NF4_EXAMPLE), { type: 'nf4' }).packed[0] },
    'nf4-dq-bits': { answer: fourBitBitsPerParameter(64, true, 256) },
  },
  'quantized-inference': {
    ppl: { answer: perplexity(1) },
    'bytes-per-token': { answer: weightBytes(7e9, 'nf4-dq') / 1e9 },
  },
  lora: {
    'qv-r8': { answer: loraTrainableParams(presetArchitecture('llama-2-7b'), ['q', 'v'], 8) },
    'alpha-over-r': { answer: loraScaling(QLORA_RECIPE.alpha, QLORA_RECIPE.r) },
    'qlora-65b': { answer: fineTuneMemory('qlora', 65e9, 0).baseBytes / 1e9 },
  },
  qlora: {
    'base-bits': { answer: fourBitBitsPerParameter(64, true, 256) },
  },
  'activations-and-outliers': {
    // max|X_j| = 16, max|W_j| = 1 (a one-column weight), α = 0.5.
    'smooth-scale': { answer: smoothQuantScales([16], [{ w: [1], shape: [1, 1] }], 0.5)[0] },
  },
  'gptq-and-awq': {
    // The Hessian of a layer with 512 inputs: (2/n) XᵀX is 512 × 512 whatever X holds.
    'hessian-size': { answer: gptqHessian(new Float32Array(512), [1, 512]).length },
    // One weight w = 0.3 rounded to q = 0.25 with H = [2]: (w − q) H (w − q).
    'one-weight-loss': { answer: gptqProxyLoss([0.3], [0.25], [1, 1], [2]) },
  },
  'ptq-vs-qat': {
    // LSQ's first step for weights with mean |w| = 0.02 on a signed 4-bit grid (Qp = 7): 2 · 0.02 / √7.
    'lsq-init': { answer: lsqInitialStep([0.02], lsqRange(4, true)) },
    // LSQ's gradient scale for a step shared by a row of 512 weights at 4 bits: 1/√(512 · 7).
    'lsq-grad-scale': { answer: lsqGradScale(512, lsqRange(4, true)) },
  },
  serving: {
    // 2 × 32 layers × 32 KV heads × 128 × 2 bytes = 524,288 bytes = 0.5 MiB.
    'kv-mib-per-token': { answer: kvCacheBytesPerToken(presetArchitecture('llama-2-7b'), 'fp16') / 2 ** 20 },
    // 2 · 4096² FLOPs over 4096² · 0.5 + 8192 · 2 bytes ≈ 3.99.
    'decode-intensity-int4': { answer: arithmeticIntensity({ in: 4096, out: 4096, tokens: 1, weightBytes: 0.5, activationBytes: 2 }) },
  },
};
