/**
 * The deterministic case that scripts/reference/gptq_awq_check.py also builds, value for value, so
 * that the tests can assert the check values that script prints from the reference algorithms
 * (GPTQ, AWQ, LLM.int8(), SmoothQuant, W8A8). Every value is a dyadic rational, exact in float32
 * and float64, and H = 2/n XᵀX is exact in float64 on both sides. Test data only (not exported from
 * lib/quant).
 */

/** A 32-bit LCG (Numerical Recipes' constants): s ← (1664525 s + 1013904223) mod 2^32. */
function* lcg(seed: number): Generator<number> {
  let s = seed >>> 0;
  for (;;) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    yield s;
  }
}

/** W [rows, cols]: ((s >> 8) − 2^23) / 2^24, in [−0.5, 0.5). */
export function referenceWeight(rows: number, cols: number, seed: number): Float32Array {
  const g = lcg(seed);
  const w = new Float32Array(rows * cols);
  for (let i = 0; i < w.length; i++) w[i] = ((g.next().value as number >>> 8) - 8388608) / 16777216;
  return w;
}

/** X [n, cols]: ((s >> 24) − 128) · unit · 2^(j mod 4 − 2); column 5 all zero (dead); column 7 × 8. */
export function referenceInputs(n: number, cols: number, seed: number, unit: number): Float32Array {
  const g = lcg(seed);
  const x = new Float32Array(n * cols);
  for (let t = 0; t < n; t++) {
    for (let j = 0; j < cols; j++) {
      let v = ((g.next().value as number >>> 24) - 128) * unit * 2 ** ((j % 4) - 2);
      if (j === 5) v = 0;
      if (j === 7) v *= 8;
      x[t * cols + j] = v;
    }
  }
  return x;
}

export const REF_ROWS = 16;
export const REF_COLS = 32;
export const REF_N = 64;
/** The weight and the two input sets the script uses (W seed 1; X seed 2, unit 1/16; LLM.int8()'s X seed 3, unit 1/64). */
export const refW = (): Float32Array => referenceWeight(REF_ROWS, REF_COLS, 1);
export const refX = (): Float32Array => referenceInputs(REF_N, REF_COLS, 2, 1 / 16);
export const refXInt8 = (): Float32Array => referenceInputs(REF_N, REF_COLS, 3, 1 / 64);
