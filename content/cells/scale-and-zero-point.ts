// %% worked-example
// The lesson's worked example: x = [-1, 0, 0.5, 2] on an unsigned 8-bit affine grid.
// Try: bits: 4, or symmetric: true with signed: true.
const x = new Float32Array([-1, 0, 0.5, 2]);
const { scale, zeroPoint, qmin, qmax } = quant.computeQParams(-1, 2, { bits: 8, signed: false, symmetric: false });
const q = quant.quantizeAffine(x, scale, zeroPoint, qmin, qmax);
print('scale', scale, 'zero-point', zeroPoint);
print('codes', Array.from(q));
print('back  ', Array.from(quant.dequantizeAffine(q, scale, zeroPoint)));
export {};
