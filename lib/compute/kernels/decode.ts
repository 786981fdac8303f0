/**
 * WGSL kernels of one decode step besides the Linear layers (kernels/matvec.ts): the token's
 * embedding, the KV cache's append, attention for one query over the cache, and the draw of the
 * next token. CPU twins: lib/model/reference-forward.ts (embedding, attention) and
 * lib/model/sampling.ts (`sampleToken`); formulas: docs/numerics.md, "Decoding with a KV cache".
 *
 * The cache of one block is one float32 tensor [2, capacity, C]: keys, then values, position-major,
 * heads side by side within a position (the layout c_attn writes them in).
 */
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_program';
import { drawTokenFn } from './decode-wgsl';

const FLAT = 64;

/** x[c] = wte[id · C + c] + wpe[pos · C + c], with the token id read from a one-element int32 tensor on the device. */
export function embedProgram(C: number): WebGPUProgram {
  return {
    variableNames: ['wte', 'wpe', 'token'],
    outputShape: [C],
    shaderKey: 'lowbit_decode_embed',
    dispatchLayout: { x: [0] },
    dispatch: [Math.ceil(C / FLAT), 1, 1],
    workgroupSize: [FLAT, 1, 1],
    uniforms: 'C : i32, pos : i32,',
    getUserCode: () => `
      fn main(index : i32) {
        if (index >= uniforms.C) { return; }
        let id = token[0];
        setOutputAtIndex(index, wte[id * uniforms.C + index] + wpe[uniforms.pos * uniforms.C + index]);
      }
    `,
  };
}

/**
 * The cache with position `pos` written: out[w, t, c] = t == pos ? qkv[(1 + w) · C + c] : cache[w, t, c]
 * (w = 0 keys, 1 values; qkv is c_attn's output [3C], queries first).
 */
export function kvAppendProgram(capacity: number, C: number): WebGPUProgram {
  const n = 2 * capacity * C;
  return {
    variableNames: ['cache', 'qkv'],
    outputShape: [2, capacity, C],
    shaderKey: 'lowbit_decode_kv_append',
    dispatchLayout: { x: [0, 1, 2] },
    dispatch: [Math.ceil(n / FLAT), 1, 1],
    workgroupSize: [FLAT, 1, 1],
    uniforms: 'n : i32, capacity : i32, C : i32, pos : i32,',
    getUserCode: () => `
      fn main(index : i32) {
        if (index >= uniforms.n) { return; }
        let c = index % uniforms.C;
        let t = (index / uniforms.C) % uniforms.capacity;
        let w = index / (uniforms.C * uniforms.capacity);
        setOutputAtIndex(index, select(cache[index], qkv[(1 + w) * uniforms.C + c], t == uniforms.pos));
      }
    `,
  };
}

/** The longest context attendOneQueryProgram holds in workgroup memory. */
export const ATTEND_MAX_CONTEXT = 2048;

/**
 * Causal attention of the query at position pos over the cache's positions 0..pos, one workgroup
 * per head h (head dim hd = C / H):
 *   s_t = (q_h · k_{t,h}) / √hd;  p = softmax(s) (minus the max, as tf.softmax);  y_h = Σ_t p_t v_{t,h}
 * The scores sit in workgroup memory; threads take positions, then output dims, in strides.
 */
export function attendOneQueryProgram(C: number, heads: number): WebGPUProgram {
  return {
    variableNames: ['qkv', 'cache'],
    outputShape: [C],
    shaderKey: 'lowbit_decode_attend',
    dispatchLayout: { x: [0] },
    dispatch: [heads, 1, 1],
    workgroupSize: [FLAT, 1, 1],
    uniforms: 'C : i32, hd : i32, capacity : i32, pos : i32, scale : f32,',
    getUserCode: () => `
      var<workgroup> scores : array<f32, ${ATTEND_MAX_CONTEXT}>;
      var<workgroup> partial : array<f32, ${FLAT}>;
      fn main(index : i32) {
        let lid = i32(localIndex);
        let h = i32(workgroupId.x);
        let n = uniforms.pos + 1;
        let off = h * uniforms.hd;
        var localMax = -3.4e38;
        for (var t = lid; t < n; t = t + ${FLAT}) {
          var dot = 0.0;
          for (var d = 0; d < uniforms.hd; d = d + 1) { dot = dot + qkv[off + d] * cache[t * uniforms.C + off + d]; }
          let s = dot * uniforms.scale;
          scores[t] = s;
          localMax = max(localMax, s);
        }
        partial[lid] = localMax;
        workgroupBarrier();
        var m = -3.4e38;
        for (var i = 0; i < ${FLAT}; i = i + 1) { m = max(m, partial[i]); }
        workgroupBarrier();
        var localSum = 0.0;
        for (var t = lid; t < n; t = t + ${FLAT}) {
          let e = exp(scores[t] - m);
          scores[t] = e;
          localSum = localSum + e;
        }
        partial[lid] = localSum;
        workgroupBarrier();
        var total = 0.0;
        for (var i = 0; i < ${FLAT}; i = i + 1) { total = total + partial[i]; }
        let values = uniforms.capacity * uniforms.C;
        for (var d = lid; d < uniforms.hd; d = d + ${FLAT}) {
          var acc = 0.0;
          for (var t = 0; t < n; t = t + 1) { acc = acc + scores[t] * cache[values + t * uniforms.C + off + d]; }
          setOutputAtIndex(off + d, acc / total);
        }
      }
    `,
  };
}

/**
 * The next token, as sampling.ts `sampleToken` draws it given u, in one thread (int32 [1]):
 * temperature 0: the first id of the largest logit. Otherwise e_i = exp((z_i − m) / τ) for logits at
 * or above the k-th largest (all with topK 0), and the first id whose running sum of e exceeds
 * u · Σe (the last id with mass if rounding leaves none).
 */
export function sampleTokenProgram(): WebGPUProgram {
  return {
    variableNames: ['logits'],
    outputShape: [1],
    shaderKey: 'lowbit_decode_sample',
    dispatchLayout: { x: [0] },
    dispatch: [1, 1, 1],
    workgroupSize: [1, 1, 1],
    uniforms: 'V : i32, topK : i32, temperature : f32, u : f32,',
    getUserCode: () => `${drawTokenFn('drawToken', (i) => `logits[${i}]`, 'uniforms.V')}
      fn main(index : i32) {
        if (index == 0) { setOutputAtIndexI32(0, drawToken()); }
      }
    `,
  };
}
