/**
 * WGSL shared by the decode kernels (matvec.ts, decode.ts, decode-mega.ts), written once:
 * - `rowDot`: the loop that accumulates one output row of a packed Linear weight times x, per
 *   storage format, from expressions that say where each part is read (each kernel binds the parts
 *   differently: one buffer per part, or all packed in one buffer);
 * - `drawTokenFn`: the draw of the next token from the logits (sampling.ts `sampleToken`'s rule);
 * - `geluFn`: the MLP's GELU, exact (erf) or GPT-2's tanh form.
 * Formulas: docs/numerics.md, "Decoding with a KV cache"; layouts: lib/quant/weight-formats.ts.
 */
import type { WeightFormat } from '../../quant/weight-formats';

/** WGSL expressions that read one weight's parts and the input; `i` is a WGSL i32 expression. */
export interface RowReads {
  /** fp32: the weight value at flat index i. */
  float(i: string): string;
  /** The u32 code word i (0 = the weight's first word). */
  word(i: string): string;
  /** INT8: the scale of row i; INT4: the scale of group i (f32). */
  scale(i: string): string;
  /** INT4: zero-point word i (u32). */
  zeroWord(i: string): string;
  /** NF4: absmax-code word i (u32), absmax2 value i and the dynamic code's value for an 8-bit code (f32). */
  absmaxWord(i: string): string;
  absmax2(i: string): string;
  dynamic(code: string): string;
  /** NF4: the levels of a byte's two nibbles, high nibble first (vec2<f32>); `byte` is a u32. */
  levelPair(byte: string): string;
  /** The input at index i (f32). */
  x(i: string): string;
  /** i32 expressions of the layout. */
  cols: string;
  groupsPerRow: string;
  groupSize: string;
  blockSize: string;
  dqBlockSize: string;
  /** f32 expression of NF4's constant offset. */
  offset: string;
}

/**
 * Statements that add row `row` of W' · x to `acc` (declared by the caller), per format:
 *   fp32 w · x;  fp16/bf16 two codes a word;  INT8 scale_row · Σ q x;  INT4 Σ_g scale_g Σ (q − zp_g) x;
 *   NF4 Σ_b absmax_b Σ NF4[idx] x with absmax_b = dynamic[code_b] · absmax2[b / dqBlockSize] + offset.
 */
export function rowDot(format: WeightFormat, r: RowReads): string {
  switch (format) {
    case 'fp32':
      return `
    for (var c = 0; c < ${r.cols}; c = c + 1) { acc = acc + ${r.float(`row * ${r.cols} + c`)} * ${r.x('c')}; }`;
    case 'fp16':
      return `
    for (var j = 0; j < ${r.cols} / 2; j = j + 1) {
      let h = unpack2x16float(${r.word(`row * (${r.cols} / 2) + j`)});
      acc = acc + h.x * ${r.x('2 * j')} + h.y * ${r.x('2 * j + 1')};
    }`;
    case 'bf16':
      return `
    for (var j = 0; j < ${r.cols} / 2; j = j + 1) {
      let word = ${r.word(`row * (${r.cols} / 2) + j`)};
      acc = acc + bitcast<f32>(word << 16u) * ${r.x('2 * j')} + bitcast<f32>(word & 0xffff0000u) * ${r.x('2 * j + 1')};
    }`;
    case 'int8-channel':
      return `
    var qacc = 0.0;
    for (var j = 0; j < ${r.cols} / 4; j = j + 1) {
      let word = ${r.word(`row * (${r.cols} / 4) + j`)};
      // The word's four signed bytes, lowest first, against four inputs at once.
      let q = vec4<f32>(vec4<i32>(bitcast<i32>(word << 24u) >> 24u, bitcast<i32>(word << 16u) >> 24u, bitcast<i32>(word << 8u) >> 24u, bitcast<i32>(word) >> 24u));
      qacc = qacc + dot(q, vec4<f32>(${r.x('4 * j')}, ${r.x('4 * j + 1')}, ${r.x('4 * j + 2')}, ${r.x('4 * j + 3')}));
    }
    acc = acc + ${r.scale('row')} * qacc;`;
    case 'int4-group64':
      return `
    for (var g = 0; g < ${r.groupsPerRow}; g = g + 1) {
      let gi = row * ${r.groupsPerRow} + g;
      let zp = i32((${r.zeroWord('gi >> 3u')} >> (4u * u32(gi & 7))) & 0xfu);
      var gacc = 0.0;
      let first = g * ${r.groupSize};
      for (var j = first / 8; j < (first + ${r.groupSize}) / 8; j = j + 1) {
        let word = ${r.word(`row * (${r.cols} / 8) + j`)};
        for (var k = 0u; k < 8u; k = k + 1u) {
          let q = i32((word >> (4u * k)) & 0xfu);
          gacc = gacc + f32(q - zp) * ${r.x('8 * j + i32(k)')};
        }
      }
      acc = acc + ${r.scale('gi')} * gacc;
    }`;
    case 'nf4-dq':
      return `
    let blocksPerRow = ${r.cols} / ${r.blockSize};
    for (var bb = 0; bb < blocksPerRow; bb = bb + 1) {
      let block = row * blocksPerRow + bb;
      let code = (${r.absmaxWord('block >> 2u')} >> (8u * u32(block & 3))) & 0xffu;
      let absmax = ${r.dynamic('code')} * ${r.absmax2(`block / ${r.dqBlockSize}`)} + ${r.offset};
      var bacc = 0.0;
      let first = (row * ${r.cols} + bb * ${r.blockSize}) / 8;
      for (var j = 0; j < ${r.blockSize} / 8; j = j + 1) {
        let word = ${r.word('first + j')};
        let xo8 = bb * ${r.blockSize} + 8 * j;
        for (var k = 0u; k < 4u; k = k + 1u) {
          // Byte k holds elements 2k (high nibble) and 2k + 1.
          let pair = ${r.levelPair('(word >> (8u * k)) & 0xffu')};
          bacc = bacc + pair.x * ${r.x('xo8 + 2 * i32(k)')} + pair.y * ${r.x('xo8 + 2 * i32(k) + 1')};
        }
      }
      acc = acc + absmax * bacc;
    }`;
  }
}

/**
 * `fn <name>() -> i32`: the next token from V logits read by `logit(i)`, with uniforms temperature,
 * topK (0 for all) and u: temperature 0 takes the first id of the largest logit; otherwise
 * e_i = exp((z_i − max z) / τ) for logits at or above the k-th largest, and the first id whose running
 * sum of e exceeds u · Σe (the last id with mass if rounding leaves none).
 */
export function drawTokenFn(name: string, logit: (i: string) => string, V: string): string {
  return `
      fn ${name}() -> i32 {
        var best = 0;
        for (var i = 1; i < ${V}; i = i + 1) { if (${logit('i')} > ${logit('best')}) { best = i; } }
        if (uniforms.temperature == 0.0) { return best; }
        let m = ${logit('best')};
        // The k-th largest logit: walk down the distinct values, counting ties, until k are taken.
        var threshold = -3.4e38;
        if (uniforms.topK > 0 && uniforms.topK < ${V}) {
          var prev = 3.4e38;
          var taken = 0;
          loop {
            var cur = -3.4e38;
            for (var i = 0; i < ${V}; i = i + 1) { if (${logit('i')} < prev) { cur = max(cur, ${logit('i')}); } }
            for (var i = 0; i < ${V}; i = i + 1) { if (${logit('i')} == cur) { taken = taken + 1; } }
            prev = cur;
            if (taken >= uniforms.topK || cur == -3.4e38) { break; }
          }
          threshold = prev;
        }
        var total = 0.0;
        for (var i = 0; i < ${V}; i = i + 1) {
          if (${logit('i')} >= threshold) { total = total + exp((${logit('i')} - m) / uniforms.temperature); }
        }
        let goal = uniforms.u * total;
        var running = 0.0;
        var last = best;
        for (var i = 0; i < ${V}; i = i + 1) {
          if (${logit('i')} < threshold) { continue; }
          let e = exp((${logit('i')} - m) / uniforms.temperature);
          if (e == 0.0) { continue; }
          running = running + e;
          last = i;
          if (running > goal) { return i; }
        }
        return last;
      }`;
}

/**
 * The MLP's GELU as the decode kernels compute it: 'erf', the exact x · ½ (1 + erf(x / √2)) with erf
 * by Abramowitz & Stegun 7.1.26 (as tfjs computes tf.erf); 'tanh', GPT-2's gelu_new,
 * x · ½ (1 + tanh(√(2/π) (x + 0.044715 x³))) (transformers' NewGELUActivation, torch's
 * gelu(approximate='tanh')).
 */
export type GeluForm = 'erf' | 'tanh';

/**
 * `fn gelu(y : f32) -> f32` in the given form. The tanh is written in a form that cannot overflow:
 * tanh(u) = sign(u) (1 − e^(−2|u|)) / (1 + e^(−2|u|)), as tfjs's WebGPU backend writes tf.tanh,
 * because WGSL's built-in tanh may return NaN for large |u| on some implementations (a quotient of
 * two overflowed exponentials). For large |x| the cube overflows to ±∞, e^(−∞) = 0 and the function
 * gives x or −0, as the float64 reference does.
 */
export function geluFn(form: GeluForm): string {
  return `${geluPartsWgsl(form)}
      fn gelu(y : f32) -> f32 { return ${form === 'tanh' ? '0.5 * y * (1.0 + tanhStable(0.7978845608028654 * (y + 0.044715 * y * y * y)))' : 'y * 0.5 * (1.0 + erfAS(y * 0.7071067811865476))'}; }`;
}

/**
 * The WGSL the GELU of `form` needs: `fn tanhStable(u)` = sign(u) (1 − e^(−2|u|)) / (1 + e^(−2|u|))
 * (overflow-free, as above), or `fn erfAS(x)`, erf by Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7,
 * the approximation tfjs's Erf uses). The decode kernels (geluFn) and the batch kernels
 * (train-fused.ts, with the derivative) share them.
 */
export function geluPartsWgsl(form: GeluForm): string {
  if (form === 'tanh') {
    return `
      fn tanhStable(u : f32) -> f32 {
        let e = exp(-2.0 * abs(u));
        return sign(u) * (1.0 - e) / (1.0 + e);
      }`;
  }
  return `
      fn erfAS(x : f32) -> f32 {
        let t = 1.0 / (1.0 + 0.3275911 * abs(x));
        return sign(x) * (1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * exp(-x * x));
      }`;
}
