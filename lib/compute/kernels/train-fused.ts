/**
 * WGSL for the model's forward and backward passes over whole batches (training, perplexity,
 * prefill) where tfjs runs many small ops: causal self-attention around its two products, the GELU
 * and layer norm. On this course's software adapter a LoRA step spent about a third of its GPU time
 * in them — transposes of the heads, the split of q, k, v and its gradient's concat, the mask, the
 * softmax and a dozen elementwise ops for each GELU and layer norm (a per-kernel profile of the
 * step). Formulas and the float64 twins: lib/model/train-reference.ts; docs/numerics.md, "Fused
 * training kernels".
 *
 * Attention reads qkv [B·T, 3C] as c_attn writes it (q, then k, then v, each C = H·hd wide, head h
 * at columns h·hd..). The layout kernels have one thread per output, neighbours on neighbouring
 * columns — measured here, that beats a thread owning a head's row (whose neighbours read rows 3C
 * apart); the products q kᵀ and P v stay tfjs's batched matmuls:
 *   heads      [B·H, T, hd] from a column block of qkv (or of dy): the split and transpose in one pass
 *   softmax    P = softmax_{j≤i}(scale · S) with 0 above the diagonal; its gradient
 *              dS = scale · P (dP − Σ_j P dP), one thread per row (as kernels/rows.ts)
 *   merge      y [B·T, C] from [B·H, T, hd]; unheads, dqkv [B·T, 3C] from dq, dk, dv
 * GELU, 'erf' (exact) or 'tanh' (GPT-2's), and its derivative, elementwise (decode-wgsl.ts's erf and tanh).
 * Layer norm over rows of C, one thread per row: forward; the rows' μ and r; dx; dγ and dβ per column.
 */
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_program';
import { geluPartsWgsl, type GeluForm } from './decode-wgsl';

export const TRAIN_WORKGROUP = 64;


/** Attention's sizes as its programs' uniforms. */
export interface AttentionSizes {
  B: number;
  T: number;
  H: number;
  hd: number;
}


/** Uniform values in declaration order: the i32s, then the f32s. */
function uniformsOf(ints: number[], floats: number[]) {
  return [...ints.map((v) => ({ type: 'int32', data: [v] })), ...floats.map((v) => ({ type: 'float32', data: [v] }))];
}

function threads(n: number): [number, number, number] {
  return [Math.ceil(n / TRAIN_WORKGROUP), 1, 1];
}

function program(name: string, variableNames: string[], outputShape: number[], nThreads: number, uniforms: string, body: string): WebGPUProgram {
  return {
    variableNames,
    variableComponents: variableNames.map(() => 1),
    outputShape,
    shaderKey: `lowbit_train_${name}`,
    dispatchLayout: { x: outputShape.map((_, i) => i) },
    dispatch: threads(nThreads),
    workgroupSize: [TRAIN_WORKGROUP, 1, 1],
    uniforms,
    getUserCode: () => body,
  };
}

/** Uniforms of the layout kernels: the sizes, and a row width and column offset where they read or write rows of qkv or y. */
export function headsUniforms(s: AttentionSizes, width: number, offset: number) {
  return uniformsOf([s.B, s.T, s.H, s.hd, width, offset], []);
}

const HEADS_UNIFORMS = 'B : i32, T : i32, H : i32, hd : i32, width : i32, offset : i32,';

/**
 * One head-major block [B·H, T, hd] read from rows of `x` [B·T, width] at columns offset.. (q, k or
 * v of qkv; or dy, offset 0): out[b·H + h, t, e] = x[b·T + t, offset + h·hd + e]. One thread per
 * output, neighbours reading neighbouring columns (the split and transpose in one pass).
 */
export function headsProgram(s: AttentionSizes): WebGPUProgram {
  const n = s.B * s.H * s.T * s.hd;
  return program('attn_heads', ['x'], [s.B * s.H, s.T, s.hd], n, HEADS_UNIFORMS, `
    fn main(index : i32) {
      let T = uniforms.T; let H = uniforms.H; let hd = uniforms.hd;
      if (index >= uniforms.B * H * T * hd) { return; }
      let e = index % hd;
      let t = (index / hd) % T;
      let bh = index / (hd * T);
      let h = bh % H;
      let b = bh / H;
      setOutputAtIndex(index, x[(b * T + t) * uniforms.width + uniforms.offset + h * hd + e]);
    }
  `);
}

/** Heads merged back: out [B·T, H·hd] with out[b·T + t, h·hd + e] = y[b·H + h, t, e]. */
export function mergeHeadsProgram(s: AttentionSizes): WebGPUProgram {
  const n = s.B * s.T * s.H * s.hd;
  return program('attn_merge', ['y'], [s.B * s.T, s.H * s.hd], n, HEADS_UNIFORMS, `
    fn main(index : i32) {
      let T = uniforms.T; let H = uniforms.H; let hd = uniforms.hd;
      let C = H * hd;
      if (index >= uniforms.B * T * C) { return; }
      let c = index % C;
      let bt = index / C;
      let t = bt % T;
      let b = bt / T;
      let h = c / hd;
      setOutputAtIndex(index, y[((b * H + h) * T + t) * hd + c - h * hd]);
    }
  `);
}

/** dqkv [B·T, 3C] from the head-major dq, dk, dv [B·H, T, hd]: the gradient of the three headsProgram reads. */
export function unheadsProgram(s: AttentionSizes): WebGPUProgram {
  const n = s.B * s.T * 3 * s.H * s.hd;
  return program('attn_unheads', ['dq', 'dk', 'dv'], [s.B * s.T, 3 * s.H * s.hd], n, HEADS_UNIFORMS, `
    fn main(index : i32) {
      let T = uniforms.T; let H = uniforms.H; let hd = uniforms.hd;
      let C = H * hd;
      if (index >= uniforms.B * T * 3 * C) { return; }
      let col = index % (3 * C);
      let bt = index / (3 * C);
      let t = bt % T;
      let b = bt / T;
      let part = col / C;
      let c = col - part * C;
      let h = c / hd;
      let at = ((b * H + h) * T + t) * hd + c - h * hd;
      if (part == 0) { setOutputAtIndex(index, dq[at]); }
      else if (part == 1) { setOutputAtIndex(index, dk[at]); }
      else { setOutputAtIndex(index, dv[at]); }
    }
  `);
}

const SOFTMAX_UNIFORMS = 'rows : i32, T : i32, scale : f32,';

/** The softmax programs' uniforms, in declaration order: rows, T, scale. */
export function causalSoftmaxUniforms(rows: number, T: number, scale: number) {
  return uniformsOf([rows, T], [scale]);
}

/**
 * P [rows, T] (rows = B·H·T query rows, row r is query i = r mod T) from scores S = q kᵀ:
 * P[i, j] = exp(scale·S[i, j] − m) / Σ_{j'≤i} exp(scale·S[i, j'] − m) for j ≤ i, m the row's max,
 * and 0 for j > i — the scale, the causal mask and the softmax in one pass; one thread per row.
 */
export function causalSoftmaxProgram(shape: number[], rows: number): WebGPUProgram {
  return program('attn_softmax', ['S'], shape, rows, SOFTMAX_UNIFORMS, `
    fn main(index : i32) {
      let T = uniforms.T;
      if (index >= uniforms.rows) { return; }
      let i = index % T;
      let r0 = index * T;
      var m = -3.402823e38;
      for (var j = 0; j <= i; j = j + 1) { m = max(m, S[r0 + j] * uniforms.scale); }
      var z = 0.0;
      for (var j = 0; j <= i; j = j + 1) { z = z + exp(S[r0 + j] * uniforms.scale - m); }
      let inv = 1.0 / z;
      for (var j = 0; j < T; j = j + 1) {
        if (j <= i) { setOutputAtIndex(r0 + j, exp(S[r0 + j] * uniforms.scale - m) * inv); }
        else { setOutputAtIndex(r0 + j, 0.0); }
      }
    }
  `);
}

/** dS = scale · P (dP − Σ_j P dP) per row: the gradient of causalSoftmaxProgram's output P back to S; one thread per row. */
export function causalSoftmaxGradProgram(shape: number[], rows: number): WebGPUProgram {
  return program('attn_softmax_grad', ['P', 'dP'], shape, rows, SOFTMAX_UNIFORMS, `
    fn main(index : i32) {
      let T = uniforms.T;
      if (index >= uniforms.rows) { return; }
      let i = index % T;
      let r0 = index * T;
      var r = 0.0;
      for (var j = 0; j <= i; j = j + 1) { r = r + P[r0 + j] * dP[r0 + j]; }
      for (var j = 0; j < T; j = j + 1) {
        if (j <= i) { setOutputAtIndex(r0 + j, uniforms.scale * P[r0 + j] * (dP[r0 + j] - r)); }
        else { setOutputAtIndex(r0 + j, 0.0); }
      }
    }
  `);
}

/** GELU of `form` and its derivative in WGSL, on decode-wgsl.ts's overflow-free tanh and A&S erf. */
function geluWgsl(kind: GeluForm): string {
  if (kind === 'tanh') {
    return `${geluPartsWgsl('tanh')}
      fn lowbitGelu(x : f32) -> f32 { return 0.5 * x * (1.0 + tanhStable(0.7978845608028654 * (x + 0.044715 * x * x * x))); }
      fn lowbitGeluGrad(x : f32) -> f32 {
        let t = tanhStable(0.7978845608028654 * (x + 0.044715 * x * x * x));
        return 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * 0.7978845608028654 * (1.0 + 0.134145 * x * x);
      }`;
  }
  return `${geluPartsWgsl('erf')}
    fn lowbitGelu(x : f32) -> f32 { return 0.5 * x * (1.0 + erfAS(x * 0.7071067811865476)); }
    fn lowbitGeluGrad(x : f32) -> f32 {
      return 0.5 * (1.0 + erfAS(x * 0.7071067811865476)) + x * 0.3989422804014327 * exp(-0.5 * x * x);
    }`;
}

/** y = GELU(x), one thread per element; uniform n. */
export function geluProgram(kind: GeluForm, shape: number[]): WebGPUProgram {
  const n = shape.reduce((a, b) => a * b, 1);
  return program(`gelu_${kind}`, ['x'], shape, n, 'n : i32,', `
    ${geluWgsl(kind)}
    fn main(index : i32) {
      if (index >= uniforms.n) { return; }
      setOutputAtIndex(index, lowbitGelu(x[index]));
    }
  `);
}

/** dx = dy · GELU′(x), one thread per element; uniform n. */
export function geluGradProgram(kind: GeluForm, shape: number[]): WebGPUProgram {
  const n = shape.reduce((a, b) => a * b, 1);
  return program(`gelu_grad_${kind}`, ['dy', 'x'], shape, n, 'n : i32,', `
    ${geluWgsl(kind)}
    fn main(index : i32) {
      if (index >= uniforms.n) { return; }
      setOutputAtIndex(index, dy[index] * lowbitGeluGrad(x[index]));
    }
  `);
}

const LN_UNIFORMS = 'rows : i32, C : i32, eps : f32,';

/** A row's mean μ and r = 1/√(σ² + eps) (σ² biased), the mean and the variance in two passes as tf.moments takes them. */
const ROW_STATS_WGSL = `
    fn rowStats(x0 : i32, C : i32) -> vec2<f32> {
      var s = 0.0;
      for (var c = 0; c < C; c = c + 1) { s = s + x[x0 + c]; }
      let mu = s / f32(C);
      var v = 0.0;
      for (var c = 0; c < C; c = c + 1) { let d = x[x0 + c] - mu; v = v + d * d; }
      return vec2<f32>(mu, inverseSqrt(v / f32(C) + uniforms.eps));
    }`;

/** The layer-norm programs' uniforms, in declaration order: rows, C, eps. */
export function layerNormUniforms(rows: number, C: number, eps: number) {
  return uniformsOf([rows, C], [eps]);
}

/**
 * y = (x − μ) / √(σ² + eps) · γ + β over each row of C (σ² biased), one thread per row; the mean
 * and the variance are taken in two passes, as tf.moments does.
 */
export function layerNormProgram(rows: number, C: number): WebGPUProgram {
  return program('layer_norm', ['x', 'gamma', 'beta'], [rows, C], rows, LN_UNIFORMS, `
    ${ROW_STATS_WGSL}
    fn main(index : i32) {
      let C = uniforms.C;
      if (index >= uniforms.rows) { return; }
      let x0 = index * C;
      let st = rowStats(x0, C);
      for (var c = 0; c < C; c = c + 1) { setOutputAtIndex(x0 + c, (x[x0 + c] - st.x) * st.y * gamma[c] + beta[c]); }
    }
  `);
}

/** Each row's mean μ and r = 1/√(σ² + eps) as [rows, 2], one thread per row (the backward's first pass). */
export function layerNormStatsProgram(rows: number): WebGPUProgram {
  return program('layer_norm_stats', ['x'], [rows, 2], rows, LN_UNIFORMS, `
    ${ROW_STATS_WGSL}
    fn main(index : i32) {
      if (index >= uniforms.rows) { return; }
      let st = rowStats(index * uniforms.C, uniforms.C);
      setOutputAtIndex(2 * index, st.x);
      setOutputAtIndex(2 * index + 1, st.y);
    }
  `);
}

/**
 * dx of layer norm, one thread per row: with x̂ = (x − μ) r and g = dy · γ,
 * dx = r (g − mean(g) − x̂ · mean(g · x̂)).
 */
export function layerNormGradProgram(rows: number, C: number): WebGPUProgram {
  return program('layer_norm_dx', ['dy', 'x', 'gamma', 'stats'], [rows, C], rows, LN_UNIFORMS, `
    fn main(index : i32) {
      let C = uniforms.C;
      if (index >= uniforms.rows) { return; }
      let x0 = index * C;
      let mu = stats[2 * index];
      let r = stats[2 * index + 1];
      var mg = 0.0;
      var mgx = 0.0;
      for (var c = 0; c < C; c = c + 1) {
        let g = dy[x0 + c] * gamma[c];
        mg = mg + g;
        mgx = mgx + g * (x[x0 + c] - mu) * r;
      }
      mg = mg / f32(C);
      mgx = mgx / f32(C);
      for (var c = 0; c < C; c = c + 1) {
        let g = dy[x0 + c] * gamma[c];
        setOutputAtIndex(x0 + c, r * (g - mg - (x[x0 + c] - mu) * r * mgx));
      }
    }
  `);
}

/** dγ and dβ of layer norm as one [2, C] tensor: dγ_c = Σ_rows dy · x̂, dβ_c = Σ_rows dy; one thread per output. */
export function layerNormParamGradProgram(rows: number, C: number): WebGPUProgram {
  return program('layer_norm_dparams', ['dy', 'x', 'stats'], [2, C], 2 * C, LN_UNIFORMS, `
    fn main(index : i32) {
      let C = uniforms.C;
      if (index >= 2 * C) { return; }
      let c = index % C;
      var acc = 0.0;
      if (index >= C) {
        for (var row = 0; row < uniforms.rows; row = row + 1) { acc = acc + dy[row * C + c]; }
      } else {
        for (var row = 0; row < uniforms.rows; row = row + 1) {
          acc = acc + dy[row * C + c] * (x[row * C + c] - stats[2 * row]) * stats[2 * row + 1];
        }
      }
      setOutputAtIndex(index, acc);
    }
  `);
}
