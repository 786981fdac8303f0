/**
 * A plain-TypeScript forward pass of the tiny GPT (nanoGPT layout, Radford et al. 2019 / Karpathy's
 * nanoGPT `model.py`), in float64: the oracle the tfjs model is tested against (docs/design.md rule 3).
 *
 *   x_t = wte[token_t] + wpe[t]
 *   per block:  x += c_proj(attn(LN1(x))),  x += mlp.c_proj(GELU(c_fc(LN2(x))))
 *   logits = LN_f(x) · wteᵀ   (lm_head tied to the token embedding)
 *
 * attn: q, k, v = split(c_attn(h)); per head, softmax(q kᵀ / √d_head) over positions s ≤ t, times v.
 * LN(x) = (x − mean) / √(var + eps) · weight + bias (biased variance). GELU is the exact erf form,
 * x · ½ (1 + erf(x / √2)), or GPT-2's tanh form when the config says activation 'gelu_new'. Linear weights are [out, in]: y = W x + b.
 */
import type { TinyLMConfig } from './config';

/** The tensors a config needs, with their shapes, in nanoGPT's names. */
export function tinyLMTensorShapes(c: TinyLMConfig): Map<string, number[]> {
  const C = c.n_embd;
  const m = new Map<string, number[]>([
    ['transformer.wte.weight', [c.vocab_size, C]],
    ['transformer.wpe.weight', [c.block_size, C]],
  ]);
  for (let l = 0; l < c.n_layer; l++) {
    const p = `transformer.h.${l}`;
    m.set(`${p}.ln_1.weight`, [C]).set(`${p}.ln_1.bias`, [C]);
    m.set(`${p}.attn.c_attn.weight`, [3 * C, C]).set(`${p}.attn.c_attn.bias`, [3 * C]);
    m.set(`${p}.attn.c_proj.weight`, [C, C]).set(`${p}.attn.c_proj.bias`, [C]);
    m.set(`${p}.ln_2.weight`, [C]).set(`${p}.ln_2.bias`, [C]);
    m.set(`${p}.mlp.c_fc.weight`, [4 * C, C]).set(`${p}.mlp.c_fc.bias`, [4 * C]);
    m.set(`${p}.mlp.c_proj.weight`, [C, 4 * C]).set(`${p}.mlp.c_proj.bias`, [C]);
  }
  m.set('transformer.ln_f.weight', [C]).set('transformer.ln_f.bias', [C]);
  return m;
}

/**
 * erf by Numerical Recipes' Chebyshev fit of erfc (fractional error below 1.2e-7 everywhere), which
 * is ample for a float32 model.
 */
export function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const erfc = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1 - erfc : erfc - 1;
}

/** Exact (erf) GELU: x · ½ (1 + erf(x / √2)). */
export function gelu(x: number): number {
  return 0.5 * x * (1 + erf(x / Math.SQRT2));
}

/** GPT-2's tanh GELU ('gelu_new'): x · ½ (1 + tanh(√(2/π) (x + 0.044715 x³))). */
export function geluTanh(x: number): number {
  return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
}

/** LayerNorm of one row in float64: (x − mean) / √(var + eps) · w + b, biased variance (torch.nn.LayerNorm). */
export function layerNorm(x: Float64Array, w: Float32Array, b: Float32Array, eps: number): Float64Array {
  let mean = 0;
  for (const v of x) mean += v;
  mean /= x.length;
  let varSum = 0;
  for (const v of x) varSum += (v - mean) ** 2;
  const inv = 1 / Math.sqrt(varSum / x.length + eps);
  return Float64Array.from(x, (v, i) => (v - mean) * inv * w[i] + b[i]);
}

/** y = W x + b in float64 for W [out, x.length] row-major (torch.nn.Linear); no bias when b is null. */
export function linear(x: Float64Array, w: Float32Array, b: Float32Array | null, out: number): Float64Array {
  const n = x.length;
  const y = new Float64Array(out);
  for (let o = 0; o < out; o++) {
    let s = b ? b[o] : 0;
    for (let i = 0; i < n; i++) s += w[o * n + i] * x[i];
    y[o] = s;
  }
  return y;
}

/**
 * Logits [T × vocab] (row-major, float32) for token ids of length 1..block_size. Throws a RangeError
 * for a missing tensor, a wrong size, a token id outside the vocabulary or too long a sequence.
 * `observe`, if given, sees the input of every Linear layer for every position, in float64
 * (prefix as nanoGPT names the module, e.g. 'transformer.h.0.mlp.c_fc'): the oracle for the
 * activations the model captures on the GPU (activations.ts).
 */
export function referenceLogits(
  c: TinyLMConfig,
  weights: ReadonlyMap<string, Float32Array>,
  tokens: readonly number[],
  observe?: (prefix: string, position: number, x: Float64Array) => void,
): Float32Array {
  for (const [name, shape] of tinyLMTensorShapes(c)) {
    const t = weights.get(name);
    const n = shape.reduce((a, b) => a * b, 1);
    if (!t) throw new RangeError(`The weights have no tensor "${name}".`);
    if (t.length !== n) throw new RangeError(`"${name}" has ${t.length} values; [${shape.join(', ')}] needs ${n}.`);
  }
  const T = tokens.length;
  if (T < 1 || T > c.block_size) throw new RangeError(`The model reads 1 to ${c.block_size} tokens, got ${T}.`);
  tokens.forEach((id, t) => {
    if (!Number.isInteger(id) || id < 0 || id >= c.vocab_size) throw new RangeError(`Token ${t} is ${id}, outside the vocabulary 0..${c.vocab_size - 1}.`);
  });
  const W = (name: string) => weights.get(name)!;
  const seen = (prefix: string, t: number, x: Float64Array) => {
    observe?.(prefix, t, x);
    return x;
  };
  const C = c.n_embd, H = c.n_head, hd = C / H, eps = c.layer_norm_eps;
  const wte = W('transformer.wte.weight'), wpe = W('transformer.wpe.weight');
  let xs = tokens.map((id, t) => Float64Array.from({ length: C }, (_, i) => wte[id * C + i] + wpe[t * C + i]));
  for (let l = 0; l < c.n_layer; l++) {
    const p = `transformer.h.${l}`;
    const qkv = xs.map((x, t) => linear(seen(`${p}.attn.c_attn`, t, layerNorm(x, W(`${p}.ln_1.weight`), W(`${p}.ln_1.bias`), eps)), W(`${p}.attn.c_attn.weight`), W(`${p}.attn.c_attn.bias`), 3 * C));
    const ys = xs.map(() => new Float64Array(C));
    for (let h = 0; h < H; h++) {
      for (let t = 0; t < T; t++) {
        const scores = new Float64Array(t + 1);
        let max = -Infinity;
        for (let s = 0; s <= t; s++) {
          let dot = 0;
          for (let d = 0; d < hd; d++) dot += qkv[t][h * hd + d] * qkv[s][C + h * hd + d];
          scores[s] = dot / Math.sqrt(hd);
          max = Math.max(max, scores[s]);
        }
        let sum = 0;
        for (let s = 0; s <= t; s++) { scores[s] = Math.exp(scores[s] - max); sum += scores[s]; }
        for (let s = 0; s <= t; s++) {
          const a = scores[s] / sum;
          for (let d = 0; d < hd; d++) ys[t][h * hd + d] += a * qkv[s][2 * C + h * hd + d];
        }
      }
    }
    xs = xs.map((x, t) => {
      const attn = linear(seen(`${p}.attn.c_proj`, t, ys[t]), W(`${p}.attn.c_proj.weight`), W(`${p}.attn.c_proj.bias`), C);
      const x1 = Float64Array.from(x, (v, i) => v + attn[i]);
      const hidden = linear(seen(`${p}.mlp.c_fc`, t, layerNorm(x1, W(`${p}.ln_2.weight`), W(`${p}.ln_2.bias`), eps)), W(`${p}.mlp.c_fc.weight`), W(`${p}.mlp.c_fc.bias`), 4 * C).map(c.activation === 'gelu_new' ? geluTanh : gelu);
      const mlp = linear(seen(`${p}.mlp.c_proj`, t, hidden), W(`${p}.mlp.c_proj.weight`), W(`${p}.mlp.c_proj.bias`), C);
      return Float64Array.from(x1, (v, i) => v + mlp[i]);
    });
  }
  const out = new Float32Array(T * c.vocab_size);
  xs.forEach((x, t) => out.set(linear(layerNorm(x, W('transformer.ln_f.weight'), W('transformer.ln_f.bias'), eps), wte, null, c.vocab_size), t * c.vocab_size));
  return out;
}
