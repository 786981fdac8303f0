// %% ste-descent
// Gradient descent on one weight through a 2-bit fake quantizer (codes −2 … 1, step 0.5), loss (ŵ − target)².
// The true gradient of the staircase is 0; the straight-through estimator's is not. ŵ reaches 0.5, the level nearest
// the target, and w then drifts back and forth across the decision point 0.25. Try target 2 (beyond the grid).
const r = quant.lsqRange(2, true);
let w = 0.1;
const trace: number[] = [];
for (let t = 0; t < 12; t++) {
  const s = quant.steDescentStep(w, 0.5, r, 0.45, 0.2);
  trace.push(s.quantized);
  w = s.w;
}
print('ŵ after each step', trace, ' final w', w);
// %% lsq-step
// LSQ learning a 3-bit step for 512 normal weights by minimising Σ(ŵ − w)², from its initial step 2·mean|w|/√Qp.
// Try 2 or 4 bits, or a learning rate 10× smaller.
const weights = random.normal(512, { std: 0.02, seed: 1 });
const r3 = quant.lsqRange(3, true);
const g = quant.lsqGradScale(weights.length, r3);
let step = quant.lsqInitialStep(weights, r3);
const errors: number[] = [];
for (let t = 0; t < 80; t++) {
  const forward = quant.lsq(weights, step, r3, new Float64Array(weights.length), g);
  const dy = forward.y.map((y, i) => 2 * (y - weights[i]));
  errors.push(dy.reduce((a, d) => a + (d / 2) ** 2, 0) / weights.length);
  step -= 1e-2 * quant.lsq(weights, step, r3, dy, g).ds;
}
print('initial step', quant.lsqInitialStep(weights, r3), ' learned step', step, ' MSE', errors[0], '→', errors[errors.length - 1]);
plot.line(errors, { title: 'LSQ: the squared error as the step trains', xLabel: 'step', yLabel: 'MSE' });
export {};
