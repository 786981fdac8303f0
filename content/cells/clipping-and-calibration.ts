// %% one-outlier
// One weight of 4 among weights in [-0.1, 0.1]: how much coarser does the grid get?
// Try: an outlier of 1 or of 40, or bits: 4.
const bitsUsed = 8;
const tame = quant.computeQParams(-0.1, 0.1, { bits: bitsUsed, signed: true, symmetric: true });
const stretched = quant.computeQParams(-0.1, 4, { bits: bitsUsed, signed: true, symmetric: true });
print('step without the outlier', tame.scale);
print('step with it            ', stretched.scale, `(${(stretched.scale / tame.scale).toFixed(1)}× coarser)`);
export {};
