// %% nf4-base
// QLoRA's frozen base: NF4 codes plus double-quantized constants, in bits per weight.
// Try: blocks of 128, or no double quantization (false).
print('NF4 + DQ, blocks of 64:', quant.fourBitBitsPerParameter(64, true, 256), 'bits');
print('NF4, float32 constants:', quant.fourBitBitsPerParameter(64, false), 'bits');
print('a 65B base:', memory.formatBytes(65e9 * quant.fourBitBitsPerParameter(64, true, 256) / 8));
export {};
