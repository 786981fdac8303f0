/**
 * The course's glossary: each term with a short definition in the course's own words and the
 * lesson section that teaches it (a lesson slug of content/lessons/index.ts and a heading id as
 * lib/lessons/headings extractHeadings gives it). A term the course names but does not teach says
 * so and links to where it is mentioned, or to nothing when no lesson mentions it. The glossary
 * page (app/glossary/), the lessons' `<Term>` links and the search index read this list; the unit
 * test checks that every linked lesson and heading exists and that the term (or an alias) is
 * mentioned in that section. Definitions state no computed numbers (docs/design.md rule 7).
 */

/** Where a term is taught: `/lessons/<slug>/#<heading>`. */
export interface TermLocation {
  slug: string;
  heading: string;
}

export interface GlossaryTerm {
  /** The anchor on /glossary/ and the id a lesson's `<Term id="…">` names. */
  id: string;
  /** The term as the glossary lists it. */
  term: string;
  /** Other names and spellings: searched, and accepted by the mention check. */
  aliases?: readonly string[];
  /** One or two sentences, agreeing with the lesson that teaches it. */
  definition: string;
  /** The section that teaches (or, with `taught: false`, mentions) it; null when no lesson does. */
  where: TermLocation | null;
  /** False for a term the course only mentions: the glossary says it is not taught here. */
  taught?: boolean;
  /** Ids of related terms. */
  seeAlso?: readonly string[];
}

export const GLOSSARY: readonly GlossaryTerm[] = [
  {
    id: 'inference',
    term: 'Inference',
    definition:
      'Running a trained model to produce outputs; for a language model, reading a prompt and generating tokens. Quantization is mostly applied after training, to make inference need fewer bytes: each new token reads every weight once.',
    where: { slug: 'why-quantize', heading: 'smaller-is-also-faster' },
    seeAlso: ['ptq', 'prefill-decode'],
  },
  {
    id: 'fp16',
    term: 'FP16',
    aliases: ['half precision'],
    definition:
      'The 16-bit float with 5 exponent and 10 mantissa bits: more precise than BF16 but with a narrow range at both ends, so large values overflow to infinity and small gradients underflow to zero.',
    where: { slug: 'number-formats', heading: 'fp16-and-bf16-the-same-16-bits-split-differently' },
    seeAlso: ['bf16', 'mixed-precision'],
  },
  {
    id: 'bf16',
    term: 'BF16',
    aliases: ['bfloat16', 'brain float'],
    definition:
      'The 16-bit "brain float": FP32’s sign and 8 exponent bits with only 7 mantissa bits, so it has FP32’s range with less precision. Its bits are FP32’s top half after rounding to nearest, not cut off; it trains without loss scaling.',
    where: { slug: 'number-formats', heading: 'fp16-and-bf16-the-same-16-bits-split-differently' },
    seeAlso: ['fp16', 'mixed-precision'],
  },
  {
    id: 'mixed-precision',
    term: 'Mixed precision',
    aliases: ['mixed-precision', 'loss scaling'],
    definition:
      'Training with 16-bit weights, activations and gradients while keeping FP32 master weights (and the optimizer’s state) for the update. In FP16 it needs loss scaling so that small gradients do not underflow; BF16 does not. The word is also used for a matrix that keeps a few columns in 16 bits, as LLM.int8() does.',
    where: { slug: 'number-formats', heading: 'fp16-and-bf16-the-same-16-bits-split-differently' },
    seeAlso: ['bf16', 'fp16', 'llm-int8'],
  },
  {
    id: 'fp8',
    term: 'FP8 (E4M3, E5M2)',
    aliases: ['FP8', 'E4M3', 'E5M2'],
    definition:
      '8-bit floats. E4M3 (4 exponent, 3 mantissa bits, no infinity) keeps precision and is the usual choice for weights and activations; E5M2 has FP16’s exponent range and is used for gradients.',
    where: { slug: 'number-formats', heading: 'fp8-e4m3-and-e5m2' },
    seeAlso: ['fp16', 'nvfp4'],
  },
  {
    id: 'scale-zero-point',
    term: 'Scale and zero-point',
    aliases: ['zero-point', 'affine quantization'],
    definition:
      'Affine quantization stores a number x as an integer code q = clamp(round(x/s) + z); the scale s is the float step between neighbouring values of the grid and the zero-point z the integer code that stands for 0.0, so that x ≈ s(q − z).',
    where: { slug: 'scale-and-zero-point', heading: 'from-a-float-to-a-code-and-back' },
    seeAlso: ['symmetric', 'calibration'],
  },
  {
    id: 'symmetric',
    term: 'Symmetric and asymmetric quantization',
    aliases: ['symmetric', 'asymmetric'],
    definition:
      'Symmetric quantization fixes the zero-point at 0 and makes the grid reach as far below zero as above; asymmetric quantization fits the grid to the range [min, max] with a zero-point of its own.',
    where: { slug: 'scale-and-zero-point', heading: 'the-symmetric-variant' },
    seeAlso: ['scale-zero-point'],
  },
  {
    id: 'clipping',
    term: 'Clipping',
    definition:
      'Choosing a range smaller than the extremes of the data and letting the values beyond it clamp to the end codes: a few large errors in exchange for a finer step for all the other values.',
    where: { slug: 'clipping-and-calibration', heading: 'clipping' },
    seeAlso: ['calibration'],
  },
  {
    id: 'calibration',
    term: 'Calibration',
    aliases: ['calibration set'],
    definition:
      'Choosing a quantization range from data: the min–max, a percentile, or the range whose quantization error (MSE) is smallest. Activations are known only when the model runs, so their ranges come from running a small calibration set through it.',
    where: { slug: 'clipping-and-calibration', heading: 'calibration-choosing-the-range' },
    seeAlso: ['clipping', 'ptq'],
  },
  {
    id: 'ptq',
    term: 'Post-training quantization (PTQ)',
    aliases: ['PTQ', 'post-training quantization'],
    definition:
      'Quantizing a trained model without retraining it: choose each tensor’s range, quantize, and use it, with no gradient step. GPTQ and AWQ are PTQ methods that use calibration data more cleverly than choosing a range.',
    where: { slug: 'clipping-and-calibration', heading: 'post-training-quantization' },
    seeAlso: ['qat', 'gptq', 'awq'],
  },
  {
    id: 'granularity',
    term: 'Per-tensor, per-channel and group-wise',
    aliases: ['granularity', 'per-channel', 'per-tensor', 'group-wise', 'group size'],
    definition:
      'Which weights share a scale (and zero-point): the whole tensor; one row, per-channel, one scale per output channel; or groups of g consecutive weights along a row (32, 64 or 128), group-wise. Smaller groups contain outliers better and cost more bits for their scales.',
    where: { slug: 'granularity', heading: 'three-granularities' },
    seeAlso: ['scale-zero-point', 'absmax'],
  },
  {
    id: 'nf4',
    term: 'NF4',
    aliases: ['NormalFloat', '4-bit NormalFloat'],
    definition:
      'QLoRA’s 4-bit NormalFloat code: sixteen levels in [−1, 1] placed by the quantiles of the normal distribution, with an exact zero, so they are dense where normally distributed weights are. Each block of weights is divided by its absmax and each value rounded to the nearest level.',
    where: { slug: 'four-bit', heading: 'why-a-normal-float' },
    seeAlso: ['absmax', 'double-quantization', 'qlora'],
  },
  {
    id: 'absmax',
    term: 'Absmax (block scaling)',
    aliases: ['absmax', 'blockwise quantization'],
    definition:
      'The largest magnitude in a block of values, stored as the block’s constant: dividing by it puts every value of the block in [−1, 1]. bitsandbytes’ NF4 uses blocks of 64 consecutive weights, each with a float32 absmax, which QLoRA’s double quantization stores again in 8 bits.',
    where: { slug: 'four-bit', heading: 'blocks-and-absmax' },
    seeAlso: ['nf4', 'double-quantization', 'granularity'],
  },
  {
    id: 'double-quantization',
    term: 'Double quantization',
    aliases: ['DQ'],
    definition:
      'QLoRA’s quantization of the quantization constants: the blocks’ absmax values, centred by their mean, are quantized again to 8 bits in blocks of 256, each with one float32 constant of its own, which lowers what the constants cost per weight.',
    where: { slug: 'four-bit', heading: 'double-quantization' },
    seeAlso: ['absmax', 'nf4'],
  },
  {
    id: 'gguf',
    term: 'GGUF',
    aliases: ['Q4_0', 'Q4_1', 'Q8_0', 'ggml', 'llama.cpp'],
    definition:
      'llama.cpp’s model file format. It stores ggml’s block types, such as Q8_0, Q4_0 and Q4_1: 32 values per block with an FP16 scale (and, in Q4_1, a minimum).',
    where: { slug: 'four-bit', heading: 'gguf-blocks' },
    seeAlso: ['absmax', 'mxfp4'],
  },
  {
    id: 'mxfp4',
    term: 'MXFP4',
    aliases: ['microscaling', 'MX', 'E8M0'],
    definition:
      'A block format of the Open Compute Project’s Microscaling (MX) specification: 32 FP4 (E2M1) elements share one 8-bit E8M0 scale, which is always a power of two.',
    where: { slug: 'four-bit', heading: 'mxfp4' },
    seeAlso: ['nvfp4', 'gguf'],
  },
  {
    id: 'nvfp4',
    term: 'NVFP4',
    definition:
      'NVIDIA’s 4-bit format: blocks of 16 FP4 (E2M1) elements, each block with an FP8 E4M3 scale, and one FP32 scale per tensor that brings the block scales into E4M3’s range.',
    where: { slug: 'four-bit', heading: 'nvfp4' },
    seeAlso: ['mxfp4', 'fp8'],
  },
  {
    id: 'perplexity',
    term: 'Perplexity',
    definition:
      'The exponential of the average negative log-likelihood a model gives the actual next token of held-out text: the number of tokens it is, on average, as unsure as if it were choosing uniformly among them. Lower is better.',
    where: { slug: 'quantized-inference', heading: 'memory-speed-and-quality' },
    seeAlso: ['kl-divergence'],
  },
  {
    id: 'kl-divergence',
    term: 'KL divergence',
    aliases: ['Kullback–Leibler divergence'],
    definition:
      'Here, how far a quantized model’s next-token distribution moves from the full-precision model’s, averaged over positions. It is never negative and zero only when the distributions are identical, so, unlike perplexity, it can never make the quantized model look better than the original.',
    where: { slug: 'quantized-inference', heading: 'memory-speed-and-quality' },
    seeAlso: ['perplexity'],
  },
  {
    id: 'kv-cache',
    term: 'KV cache',
    aliases: ['key-value cache'],
    definition:
      'The keys and values of all earlier positions, kept for every layer and KV head while a model generates, so that each new token does not recompute them. It grows with the context and the batch and can outgrow the weights.',
    where: { slug: 'serving', heading: 'the-kv-cache' },
    seeAlso: ['prefill-decode', 'gqa', 'paged-attention'],
  },
  {
    id: 'prefill-decode',
    term: 'Prefill and decode',
    aliases: ['prefill', 'decode'],
    definition:
      'The two phases of generation: the prefill reads the prompt in one pass and writes its keys and values; the decode loop then produces one token per sequence per step and reads the whole KV cache back.',
    where: { slug: 'serving', heading: 'the-kv-cache' },
    seeAlso: ['kv-cache', 'roofline'],
  },
  {
    id: 'gqa',
    term: 'Grouped-query attention (GQA)',
    aliases: ['GQA', 'grouped-query attention'],
    definition: 'Attention in which several query heads share one key/value head, so the KV cache holds fewer heads.',
    where: { slug: 'serving', heading: 'the-kv-cache' },
    seeAlso: ['kv-cache'],
  },
  {
    id: 'roofline',
    term: 'Roofline',
    aliases: ['arithmetic intensity', 'memory-bound', 'compute-bound', 'ridge point'],
    definition:
      'A model of speed: attainable FLOP/s = min(peak, bandwidth × arithmetic intensity), where intensity is FLOPs per byte moved. Below the ridge point a computation waits for memory (memory-bound), above it for arithmetic (compute-bound).',
    where: { slug: 'serving', heading: 'the-roofline-bytes-or-flops' },
    seeAlso: ['prefill-decode', 'w8a8'],
  },
  {
    id: 'continuous-batching',
    term: 'Continuous batching',
    definition:
      'Scheduling a batch one step at a time: a finished sequence leaves at once and a waiting request joins at the next step, so the batch stays full although requests have different lengths.',
    where: { slug: 'serving', heading: 'batching-and-pagedattention' },
    seeAlso: ['paged-attention'],
  },
  {
    id: 'paged-attention',
    term: 'PagedAttention',
    definition:
      'Stores the KV cache in fixed-size blocks, like virtual memory’s pages: a block table maps each request’s logical blocks to physical ones anywhere in memory, a request takes a new block only when its last one is full, and blocks can be shared.',
    where: { slug: 'serving', heading: 'batching-and-pagedattention' },
    seeAlso: ['vllm', 'kv-cache', 'continuous-batching'],
  },
  {
    id: 'vllm',
    term: 'vLLM',
    definition:
      'An open-source serving engine for language models, whose core is PagedAttention. The course names it where it teaches PagedAttention and the FP8 KV cache, but does not teach vLLM itself.',
    where: { slug: 'serving', heading: 'batching-and-pagedattention' },
    taught: false,
    seeAlso: ['paged-attention'],
  },
  {
    id: 'llm-int8',
    term: 'LLM.int8()',
    aliases: ['LLM.int8'],
    definition:
      'An int8 matrix product with the outliers split off: input columns holding any value of magnitude 6.0 or more (the threshold) are multiplied with their weight columns in 16 bits, and the rest in int8 with one scale per token and one per output channel.',
    where: { slug: 'activations-and-outliers', heading: 'llmint8-decompose-the-product' },
    seeAlso: ['smoothquant', 'w8a8'],
  },
  {
    id: 'smoothquant',
    term: 'SmoothQuant',
    definition:
      'Moves part of the activations’ range into the weights: input channel j of the activations is divided by s_j and the matching weight column multiplied by it, which leaves the product unchanged; α sets how much of the difficulty moves.',
    where: { slug: 'activations-and-outliers', heading: 'smoothquant-move-the-difficulty-into-the-weights' },
    seeAlso: ['llm-int8', 'w8a8', 'awq'],
  },
  {
    id: 'w8a8',
    term: 'W8A8 and weight-only (W4A16)',
    aliases: ['W8A8', 'W4A16', 'W8A16', 'weight-only'],
    definition:
      'W8A8 quantizes weights and activations to 8 bits and multiplies int8 by int8, which pays when a layer is compute-bound. Weight-only schemes (W8A16, W4A16) keep 16-bit activations and dequantize the weights inside the kernel, which pays when decoding is memory-bound.',
    where: { slug: 'activations-and-outliers', heading: 'w8a8-or-weight-only' },
    seeAlso: ['roofline', 'smoothquant'],
  },
  {
    id: 'gptq',
    term: 'GPTQ',
    definition:
      'Post-training quantization that rounds a layer’s weights one column at a time, in the same order for every row, and pushes each column’s rounding error onto the columns not yet rounded, weighted through the inverse Hessian of the layer’s calibration inputs (from one Cholesky factor).',
    where: { slug: 'gptq-and-awq', heading: 'gptq-quantize-a-column-push-its-error-onward' },
    seeAlso: ['awq', 'ptq', 'calibration'],
  },
  {
    id: 'awq',
    term: 'AWQ',
    aliases: ['activation-aware weight quantization'],
    definition:
      'Activation-aware weight quantization: before rounding, scales up the weight columns whose input channels carry large activations (and divides those inputs by the same factor), with scales from the mean activation size raised to a power α chosen by a search on calibration data.',
    where: { slug: 'gptq-and-awq', heading: 'awq-protect-the-channels-that-matter' },
    seeAlso: ['gptq', 'smoothquant', 'ptq'],
  },
  {
    id: 'lora',
    term: 'LoRA',
    aliases: ['low-rank adaptation', 'adapter'],
    definition:
      'Low-rank adaptation: the weight W₀ stays frozen and two thin matrices B (d_out × r) and A (r × d_in) are trained, adding (α/r)·BA. B starts at zero, so training begins from exactly the pretrained model.',
    where: { slug: 'lora', heading: 'the-low-rank-update' },
    seeAlso: ['qlora', 'loftq'],
  },
  {
    id: 'qlora',
    term: 'QLoRA',
    definition:
      'LoRA on a base frozen in NF4 with double quantization: each step dequantizes the base on the fly, adds the adapter, and backpropagates into the adapters only. The paper adds paged optimizers and BF16 compute.',
    where: { slug: 'qlora', heading: 'the-recipe-in-one-step' },
    seeAlso: ['lora', 'nf4', 'double-quantization', 'loftq'],
  },
  {
    id: 'qat',
    term: 'Quantization-aware training (QAT)',
    aliases: ['QAT', 'quantization-aware training', 'fake quantization'],
    definition:
      'Training with the quantization in the loop: every forward pass quantizes and dequantizes the weights (fake quantization), so the network computes with the values the stored model will have, while the optimizer updates a full-precision copy.',
    where: { slug: 'ptq-vs-qat', heading: 'rounding-has-no-gradient' },
    seeAlso: ['ste', 'lsq', 'ptq'],
  },
  {
    id: 'ste',
    term: 'Straight-through estimator (STE)',
    aliases: ['STE', 'straight-through estimator'],
    definition:
      'Rounding has a zero gradient almost everywhere, so QAT’s backward pass treats the rounded weight as the weight itself and passes the gradient through unchanged, except where a value was clamped at the grid’s end, where it passes 0.',
    where: { slug: 'ptq-vs-qat', heading: 'rounding-has-no-gradient' },
    seeAlso: ['qat', 'lsq'],
  },
  {
    id: 'lsq',
    term: 'LSQ',
    aliases: ['Learned Step Size Quantization'],
    definition:
      'Learned Step Size Quantization: QAT that trains the grid’s step s as one more parameter with the weights (one step per layer in the paper; per row or per group in this course’s trainer).',
    where: { slug: 'ptq-vs-qat', heading: 'learning-the-step-lsq' },
    seeAlso: ['qat', 'ste'],
  },
  {
    id: 'loftq',
    term: 'LoftQ',
    definition:
      'A start for QLoRA’s adapters: it alternates quantizing to NF4 what the adapters do not cover and setting the adapters to the best rank-r approximation of what quantization lost, so fine-tuning begins closer to the full-precision model with the same memory.',
    where: { slug: 'ptq-vs-qat', heading: 'qloras-starting-point-loftq' },
    seeAlso: ['qlora', 'lora', 'nf4'],
  },
  {
    id: 'distillation',
    term: 'Distillation',
    aliases: ['knowledge distillation'],
    definition:
      'Training a smaller model to imitate a larger one’s outputs: another way to make a model smaller and cheaper, which this course does not cover.',
    where: null,
    taught: false,
  },
];
