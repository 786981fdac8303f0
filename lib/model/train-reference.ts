/**
 * Float64 twins of the fused batch kernels (lib/compute/kernels/train-fused.ts): causal attention
 * over qkv laid out as c_attn writes it, the GELU in its two forms and layer norm, each forward and
 * backward. They are the references the /gpu/ page checks the WGSL against, and are themselves
 * checked against tfjs's automatic differentiation of the model's ops (train-reference.test.ts).
 * docs/numerics.md, "Fused training kernels".
 */
import type { AttentionSizes } from '../compute/kernels/train-fused';
import { erf, gelu, geluTanh } from './reference-forward';

/** y [B·T, C] from qkv [B·T, 3C]: per head, P = softmax_{j≤i}(scale · q_i·k_j), y_i = Σ_j P_ij v_j; also P [B·H, T, T]. */
export function causalAttentionReference(qkv: ArrayLike<number>, s: AttentionSizes, scale: number): { y: Float64Array; P: Float64Array } {
  const { B, T, H, hd } = s;
  const C = H * hd;
  const P = new Float64Array(B * H * T * T);
  const y = new Float64Array(B * T * C);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      for (let i = 0; i < T; i++) {
        const row = ((b * H + h) * T + i) * T;
        const q0 = (b * T + i) * 3 * C + h * hd;
        let m = -Infinity;
        for (let j = 0; j <= i; j++) {
          const k0 = (b * T + j) * 3 * C + C + h * hd;
          let d = 0;
          for (let e = 0; e < hd; e++) d += qkv[q0 + e] * qkv[k0 + e];
          P[row + j] = d * scale;
          m = Math.max(m, P[row + j]);
        }
        let z = 0;
        for (let j = 0; j <= i; j++) {
          P[row + j] = Math.exp(P[row + j] - m);
          z += P[row + j];
        }
        const o0 = (b * T + i) * C + h * hd;
        for (let j = 0; j <= i; j++) {
          P[row + j] /= z;
          const v0 = (b * T + j) * 3 * C + 2 * C + h * hd;
          for (let e = 0; e < hd; e++) y[o0 + e] += P[row + j] * qkv[v0 + e];
        }
      }
    }
  }
  return { y, P };
}

/**
 * dqkv [B·T, 3C] of causalAttentionReference for the output gradient dy [B·T, C]:
 * dP_ij = dy_i·v_j, dS_ij = scale · P_ij (dP_ij − Σ_j' P_ij' dP_ij'), dq_i = Σ_j dS_ij k_j,
 * dk_j = Σ_i dS_ij q_i, dv_j = Σ_i P_ij dy_i (the softmax's Jacobian, diag(p) − p pᵀ).
 */
export function causalAttentionGradReference(qkv: ArrayLike<number>, dy: ArrayLike<number>, s: AttentionSizes, scale: number): Float64Array {
  const { B, T, H, hd } = s;
  const C = H * hd;
  const { P } = causalAttentionReference(qkv, s, scale);
  const d = new Float64Array(B * T * 3 * C);
  const dS = new Float64Array(T);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      for (let i = 0; i < T; i++) {
        const row = ((b * H + h) * T + i) * T;
        const g0 = (b * T + i) * C + h * hd;
        let r = 0;
        for (let j = 0; j <= i; j++) {
          const v0 = (b * T + j) * 3 * C + 2 * C + h * hd;
          let dp = 0;
          for (let e = 0; e < hd; e++) dp += dy[g0 + e] * qkv[v0 + e];
          dS[j] = dp;
          r += P[row + j] * dp;
        }
        const q0 = (b * T + i) * 3 * C + h * hd;
        for (let j = 0; j <= i; j++) {
          const ds = scale * P[row + j] * (dS[j] - r);
          const k0 = (b * T + j) * 3 * C + C + h * hd;
          const v0 = (b * T + j) * 3 * C + 2 * C + h * hd;
          for (let e = 0; e < hd; e++) {
            d[q0 + e] += ds * qkv[k0 + e];
            d[k0 + e] += ds * qkv[q0 + e];
            d[v0 + e] += P[row + j] * dy[g0 + e];
          }
        }
      }
    }
  }
  return d;
}

/** GELU: 'erf', x · ½(1 + erf(x/√2)); 'tanh', GPT-2's gelu_new — reference-forward.ts's gelu and geluTanh. */
export function geluReference(x: number, kind: 'erf' | 'tanh'): number {
  return kind === 'tanh' ? geluTanh(x) : gelu(x);
}

/**
 * GELU′(x): 'erf', Φ(x) + x φ(x) with φ the standard normal density; 'tanh', with
 * u = √(2/π)(x + 0.044715 x³) and t = tanh u, ½(1 + t) + ½ x (1 − t²) √(2/π)(1 + 3 · 0.044715 x²).
 */
export function geluGradReference(x: number, kind: 'erf' | 'tanh'): number {
  if (kind === 'tanh') {
    const k = Math.sqrt(2 / Math.PI);
    const t = Math.tanh(k * (x + 0.044715 * x ** 3));
    return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * k * (1 + 3 * 0.044715 * x * x);
  }
  return 0.5 * (1 + erf(x / Math.SQRT2)) + x * Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

/** Layer norm of x [rows, C] (torch.nn.LayerNorm, biased variance): (x − μ)/√(σ² + eps) · γ + β. */
export function layerNormReference(x: ArrayLike<number>, rows: number, C: number, gamma: ArrayLike<number>, beta: ArrayLike<number>, eps: number): Float64Array {
  const y = new Float64Array(rows * C);
  for (let r = 0; r < rows; r++) {
    const { mu, inv } = rowStats(x, r, C, eps);
    for (let c = 0; c < C; c++) y[r * C + c] = (x[r * C + c] - mu) * inv * gamma[c] + beta[c];
  }
  return y;
}

function rowStats(x: ArrayLike<number>, r: number, C: number, eps: number): { mu: number; inv: number } {
  let s = 0;
  for (let c = 0; c < C; c++) s += x[r * C + c];
  const mu = s / C;
  let v = 0;
  for (let c = 0; c < C; c++) v += (x[r * C + c] - mu) ** 2;
  return { mu, inv: 1 / Math.sqrt(v / C + eps) };
}

/**
 * Layer norm's gradients for dy [rows, C]: with x̂ = (x − μ) r and g = dy · γ,
 * dx = r (g − mean(g) − x̂ · mean(g · x̂)); dγ = Σ_rows dy · x̂; dβ = Σ_rows dy.
 */
export function layerNormGradReference(x: ArrayLike<number>, dy: ArrayLike<number>, rows: number, C: number, gamma: ArrayLike<number>, eps: number): { dx: Float64Array; dGamma: Float64Array; dBeta: Float64Array } {
  const dx = new Float64Array(rows * C);
  const dGamma = new Float64Array(C);
  const dBeta = new Float64Array(C);
  for (let r = 0; r < rows; r++) {
    const { mu, inv } = rowStats(x, r, C, eps);
    let mg = 0, mgx = 0;
    for (let c = 0; c < C; c++) {
      const xh = (x[r * C + c] - mu) * inv;
      const g = dy[r * C + c] * gamma[c];
      mg += g;
      mgx += g * xh;
      dGamma[c] += dy[r * C + c] * xh;
      dBeta[c] += dy[r * C + c];
    }
    mg /= C;
    mgx /= C;
    for (let c = 0; c < C; c++) {
      const xh = (x[r * C + c] - mu) * inv;
      dx[r * C + c] = inv * (dy[r * C + c] * gamma[c] - mg - xh * mgx);
    }
  }
  return { dx, dGamma, dBeta };
}
