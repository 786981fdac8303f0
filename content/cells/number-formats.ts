// %% bf16-bits
// 0.1 in BF16: the top 16 bits of FP32 after rounding, not cut off.
// Try: 65504 and 65520 in "fp16", or 448 and 500 in "fp8-e4m3".
bits(0.1, 'fp32');
bits(0.1, 'bf16');
print('BF16 stores', formats.roundToFormat('bf16', 0.1));
print('FP16 stores 65520 as', formats.roundToFormat('fp16', 65520));
export {};
