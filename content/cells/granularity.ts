// %% groups-vs-rows
// Per-channel (one scale per row) against groups of 64 on a matrix with outlier columns.
// Try: groupSize 32 or 128, or scale: 1 (no outliers).
const rows = 256, cols = 512;
const w = random.outlierColumns(rows, cols, { scale: 20, seed: 1 });
const opts = { bits: 4, signed: true, symmetric: true } as const;
const perRow = quant.quantizePerChannel(w, [rows, cols], { ...opts, axis: 0 });
const groups = quant.quantizeGroupwise(w, [rows, cols], { ...opts, groupSize: 64 });
table([
  { scales: 'per channel', mse: quant.mse(w, quant.dequantizePerChannel(perRow.q, [rows, cols], perRow.scale, perRow.zeroPoint, 0)) },
  { scales: 'groups of 64', mse: quant.mse(w, quant.dequantizeGroupwise(groups.q, [rows, cols], groups.scale, groups.zeroPoint, 64)) },
]);
export {};
