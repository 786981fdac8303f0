// %% weight-bytes
// Weight memory = parameters × bits ÷ 8, for a 65-billion-parameter model.
// Try: change 65e9 to 7e9 or 405e9, or add 'nf4-dq' to the list.
const parameters = 65e9;
table((['fp32', 'bf16', 'int8', 'int4'] as const).map((format) => ({
  format,
  bits: memory.bitsPerParameter(format),
  weights: memory.formatBytes(memory.weightBytes(parameters, format)),
})));
export {};
