// %% gptq-vs-rtn
// GPTQ against round-to-nearest on a synthetic layer whose inputs are correlated (x_j + 0.8·x_j+1).
// Try: nbits 4 or 2, groupSize 32, actOrder: true.
const rows = 64, cols = 128, n = 512, nbits = 3;
const w = random.normal([rows, cols], { std: 0.02, seed: 1 });
const z = random.normal([n, cols + 1], { seed: 2 });
const x = new Float32Array(n * cols).map((_, i) => z[i + Math.floor(i / cols)] + 0.8 * z[i + Math.floor(i / cols) + 1]);
const h = quant.gptqHessian(x, [n, cols]);
const rtn = quant.gptqRoundToNearest(w, [rows, cols], { bits: nbits });
const g = quant.gptq(w, [rows, cols], h, { bits: nbits, actOrder: false });
print('proxy loss  RTN', quant.gptqProxyLoss(w, rtn.weight, [rows, cols], h), '  GPTQ', quant.gptqProxyLoss(w, g.weight, [rows, cols], h));
// %% awq-alpha
// AWQ's α search on the same layer, with three input channels made 10× larger (salient).
const xs = x.map((v, i) => ([5, 40, 99].includes(i % cols) ? 10 * v : v));
const a = quant.awq(w, [rows, cols], xs, [n, cols], { bits: 3, groupSize: 64 });
print('chosen α', a.alpha, ' error', a.error, ' at α = 0', a.losses[0]);
plot.line(a.losses, { x: Array.from(a.losses, (_, k) => k / a.losses.length), title: 'AWQ error against α', xLabel: 'α', yLabel: 'output MSE' });
export {};
