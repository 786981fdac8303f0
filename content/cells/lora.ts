// %% adapter-size
// LoRA trains r × (d_in + d_out) parameters per matrix: 4096 × 4096 at r = 8.
// Try: r = 64, or Llama-3-8B's k_proj (d_out 1024).
const r = 8;
print(lora.loraMatrixParams(4096, 4096, r), 'adapter parameters, against', 4096 * 4096, 'in the matrix');
print('q and v of 32 layers:', 32 * 2 * lora.loraMatrixParams(4096, 4096, r));
export {};
