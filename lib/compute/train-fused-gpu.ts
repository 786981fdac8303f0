/**
 * The model's batched attention, GELU and layer norm as differentiable WebGPU ops, each a few
 * dispatches forward and backward (kernels/train-fused.ts) instead of tens of tfjs ops. The model
 * (lib/model/tiny-lm.ts) takes them on WebGPU for every forward over whole windows — training,
 * perplexity, the prompt's prefill without a cache. Formulas and float64 twins:
 * lib/model/train-reference.ts; docs/numerics.md, "Fused training kernels".
 */
import type { Tensor, Tensor2D, Tensor3D } from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_program';
import type { Tfjs } from './index';
import {
  causalSoftmaxGradProgram,
  causalSoftmaxProgram,
  causalSoftmaxUniforms,
  headsProgram,
  headsUniforms,
  mergeHeadsProgram,
  unheadsProgram,
  geluGradProgram,
  geluProgram,
  layerNormGradProgram,
  layerNormParamGradProgram,
  layerNormProgram,
  layerNormStatsProgram,
  layerNormUniforms,
  type AttentionSizes,
} from './kernels/train-fused';
import type { GeluForm } from './kernels/decode-wgsl';

type Uniforms = { type: string; data: number[] }[];

function run(tf: Tfjs, webgpu: WebGPUBackend, p: WebGPUProgram, inputs: Tensor[], uniforms: Uniforms): Tensor {
  return tf.engine().makeTensorFromTensorInfo(webgpu.runWebGPUProgram(p, inputs, 'float32', uniforms));
}

/** Why attention with these sizes cannot take the fused kernels (null when it can). */
export function fusedAttentionUnsupported(s: AttentionSizes): string | null {
  if (![s.B, s.T, s.H, s.hd].every((v) => Number.isInteger(v) && v > 0)) return 'the sizes must be positive whole numbers';
  return null;
}

/**
 * Causal self-attention of qkv [B·T, 3C] (q, k, v side by side as c_attn writes them, C = H·hd) to
 * y [B·T, C] with heads merged: per head P = softmax_{j≤i}(scale · q_i·k_j), y_i = Σ_j P_ij v_j.
 * The products are tfjs's batched matmuls; the split into heads, the scale, mask and softmax, and
 * the merge are one pass each (and their gradients likewise), where tfjs runs a split, transposes,
 * a mask, a softmax and, backward, their gradients and a concat.
 */
export function fusedCausalAttention(tf: Tfjs, webgpu: WebGPUBackend, qkv: Tensor2D, s: AttentionSizes, scale: number): Tensor2D {
  const why = fusedAttentionUnsupported(s);
  if (why) throw new RangeError(`Fused attention cannot take these sizes: ${why}.`);
  const C = s.H * s.hd;
  if (qkv.rank !== 2 || qkv.shape[0] !== s.B * s.T || qkv.shape[1] !== 3 * C) throw new RangeError(`qkv must be [${s.B * s.T}, ${3 * C}], got [${qkv.shape.join(', ')}].`);
  const rows = s.B * s.H * s.T;
  const headsOf = (x: Tensor, width: number, offset: number) => run(tf, webgpu, headsProgram(s), [x], headsUniforms(s, width, offset)) as Tensor3D;
  const su = causalSoftmaxUniforms(rows, s.T, scale);
  const op = tf.customGrad((...args: unknown[]) => {
    const x = args[0] as Tensor;
    const save = args[1] as (t: Tensor[]) => void;
    const q = headsOf(x, 3 * C, 0), k = headsOf(x, 3 * C, C), v = headsOf(x, 3 * C, 2 * C);
    const S = tf.matMul(q, k, false, true);
    const P = run(tf, webgpu, causalSoftmaxProgram([rows / s.T, s.T, s.T], rows), [S], su) as Tensor3D;
    S.dispose(); // [B·H, T, T]: freed at once, not when the caller's tidy ends
    const pv = tf.matMul(P, v);
    const y = run(tf, webgpu, mergeHeadsProgram(s), [pv], headsUniforms(s, C, 0));
    save([q, k, v, P]); // kept (as clones) only while a gradient is being recorded
    tf.dispose([q, k, v, P, pv]);
    return {
      value: y,
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [q1, k1, v1, P1] = saved as Tensor3D[];
        const g = headsOf(dy, C, 0);
        const dP = tf.matMul(g, v1, false, true);
        const dv = tf.matMul(P1, g, true, false);
        const dS = run(tf, webgpu, causalSoftmaxGradProgram([rows / s.T, s.T, s.T], rows), [P1, dP], su) as Tensor3D;
        const dq = tf.matMul(dS, k1);
        const dk = tf.matMul(dS, q1, true, false);
        const dqkv = run(tf, webgpu, unheadsProgram(s), [dq, dk, dv], headsUniforms(s, 3 * C, 0));
        tf.dispose([g, dP, dv, dS, dq, dk]);
        return dqkv;
      },
    };
  });
  return op(qkv) as Tensor2D;
}

/** GELU(x) of the given kind, elementwise, with its derivative in one dispatch backward. */
export function fusedGelu(tf: Tfjs, webgpu: WebGPUBackend, x: Tensor2D, kind: GeluForm): Tensor2D {
  const n = [{ type: 'int32', data: [x.size] }];
  const op = tf.customGrad((...args: unknown[]) => {
    const xi = args[0] as Tensor;
    const save = args[1] as (t: Tensor[]) => void;
    save([xi]);
    return {
      value: run(tf, webgpu, geluProgram(kind, xi.shape), [xi], n),
      gradFunc: (dy: Tensor, saved: Tensor[]) => run(tf, webgpu, geluGradProgram(kind, saved[0].shape), [dy, saved[0]], n),
    };
  });
  return op(x) as Tensor2D;
}

/**
 * Layer norm of x [rows, C] with γ and β [C] (torch.nn.LayerNorm: biased variance): one dispatch
 * forward; backward, the rows' μ and r, then dx, and — when `trainParams` — dγ and dβ. With
 * `trainParams` false γ and β are constants of the op (no gradient flows to them: a frozen base).
 */
export function fusedLayerNorm(tf: Tfjs, webgpu: WebGPUBackend, x: Tensor2D, gamma: Tensor, beta: Tensor, eps: number, trainParams: boolean): Tensor2D {
  const [rows, C] = x.shape;
  if (gamma.size !== C || beta.size !== C) throw new RangeError(`γ and β must have ${C} values, got ${gamma.size} and ${beta.size}.`);
  const u = layerNormUniforms(rows, C, eps);
  const forward = (xi: Tensor, g: Tensor, b: Tensor) => run(tf, webgpu, layerNormProgram(rows, C), [xi, g, b], u);
  const backward = (dy: Tensor, xi: Tensor, g: Tensor): Tensor[] => {
    const stats = run(tf, webgpu, layerNormStatsProgram(rows), [xi], u);
    const dx = run(tf, webgpu, layerNormGradProgram(rows, C), [dy, xi, g, stats], u);
    if (!trainParams) {
      stats.dispose();
      return [dx];
    }
    const dp = run(tf, webgpu, layerNormParamGradProgram(rows, C), [dy, xi, stats], u);
    stats.dispose();
    const [dg, db] = tf.split(dp, 2, 0);
    const out = [dx, tf.reshape(dg, gamma.shape), tf.reshape(db, beta.shape)];
    dp.dispose();
    return out;
  };
  if (trainParams) {
    const op = tf.customGrad((...args: unknown[]) => {
      const [xi, g, b] = args as Tensor[];
      const save = args[3] as (t: Tensor[]) => void;
      save([xi, g]);
      return { value: forward(xi, g, b), gradFunc: (dy: Tensor, saved: Tensor[]) => backward(dy, saved[0], saved[1]) };
    });
    return op(x, gamma, beta) as Tensor2D;
  }
  const op = tf.customGrad((...args: unknown[]) => {
    const xi = args[0] as Tensor;
    const save = args[1] as (t: Tensor[]) => void;
    save([xi, gamma]); // kept for the backward pass, which may run after the forward's tidy has ended
    return { value: forward(xi, gamma, beta), gradFunc: (dy: Tensor, saved: Tensor[]) => backward(dy, saved[0], saved[1])[0] };
  });
  return op(x) as Tensor2D;
}
