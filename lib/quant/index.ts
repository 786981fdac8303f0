/**
 * lib/quant — quantization numerics, framework-free (docs/design.md rule 1). Formulas and their sources:
 * docs/numerics.md. One import point for widgets and lessons:
 * - affine.ts: PyTorch affine/symmetric integer quantization (observer, quantize, dequantize);
 * - per-channel.ts: per-channel and group-wise affine quantization;
 * - fake-quantize.ts, grid.ts, calibration.ts, metrics.ts: QAT, level grids, range calibration, error metrics;
 * - four-bit.ts: bitsandbytes NF4/FP4 blockwise quantization and QLoRA double quantization;
 * - gguf.ts: ggml Q8_0 / Q4_0 / Q4_1 blocks;
 * - microscaling.ts: OCP MXFP4 and NVIDIA NVFP4;
 * - four-bit-compare.ts: level sets, block-size sweeps and the format shoot-out for the lessons;
 * - qlora-weight.ts: an NF4 + double-quantization weight and its device layout (CPU reference of the GPU kernel);
 * - weight-formats.ts: the storage-format registry (WeightFormat, WEIGHT_FORMAT_TABLE; one file per format in formats/):
 *   a Linear weight stored in fp32/fp16/bf16/int8/int4/NF4, packed in words (CPU reference of the unpacking kernels);
 * - gguf-block.ts, level-usage.ts, four-bit-samples.ts: what the 4-bit lesson's widgets show;
 * - lab*.ts: the quantization lab's CPU reference, settings and view state;
 * - gptq.ts, awq.ts, llm-int8.ts, smoothquant.ts, activation-quant.ts: beyond round-to-nearest (GPTQ, AWQ,
 *   LLM.int8(), SmoothQuant, W8A8), as their reference code computes them;
 * - qat.ts, ste.ts: quantization-aware training's quantizers (min/max fake quantization with the STE, LSQ)
 *   and the straight-through estimator on one weight.
 */
export * from './affine';
export * from './per-channel';
export * from './fake-quantize';
export * from './grid';
export * from './calibration';
export * from './metrics';
export * from './four-bit';
export * from './gguf';
export * from './microscaling';
export * from './four-bit-compare';
export * from './qlora-weight';
export * from './weight-formats';
export * from './gguf-block';
export * from './level-usage';
export * from './four-bit-samples';
export * from './gptq';
export * from './awq';
export * from './llm-int8';
export * from './smoothquant';
export * from './activation-quant';
export * from './qat';
export * from './ste';
