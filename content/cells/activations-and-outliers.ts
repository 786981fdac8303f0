// %% int8-decomposition
// LLM.int8() on activations with 4 outlier features (channels scaled ×40), against the pure int8 product.
// Try: threshold 20 or 100, scale 1 (no outliers), or quant.smoothQuant(x, xShape, w, wShape, 0.5) first.
const n = 64, k = 256, m = 128;
const x = random.outlierColumns(n, k, { columns: [10, 70, 130, 200], scale: 40, seed: 3 }).map((v) => v * 50);
const w = random.normal(m * k, { std: 0.05, seed: 4 });
const exact = new Float64Array(n * m);
for (let i = 0; i < n; i++) for (let c = 0; c < m; c++) for (let j = 0; j < k; j++) exact[i * m + c] += x[i * k + j] * w[c * k + j];
const rel = (y: ArrayLike<number>) => Math.sqrt(Array.from(exact).reduce((s, v, i) => s + (y[i] - v) ** 2, 0) / Array.from(exact).reduce((s, v) => s + v * v, 0));
const mixed = quant.llmInt8Matmul(x, [n, k], w, [m, k], { threshold: 6 });
const pure = quant.llmInt8Matmul(x, [n, k], w, [m, k], { threshold: Infinity });
const w8a8 = quant.w8a8Matmul(x, [n, k], w, [m, k], { activations: { granularity: 'per-token' } });
table([
  { method: 'LLM.int8(), threshold 6', floatColumns: mixed.outlierColumns.length, relError: rel(mixed.y) },
  { method: 'all int8 (vector-wise)', floatColumns: 0, relError: rel(pure.y) },
  { method: 'W8A8 per token', floatColumns: 0, relError: rel(w8a8.y) },
]);
export {};
