/**
 * The course's lessons, in order. Each entry's slug names `content/lessons/<slug>.mdx` and the
 * route `/lessons/<slug>/` (app/lessons/[slug]/page.tsx makes one page per entry). Add a lesson
 * by writing its MDX file and adding an entry here; the size of its quiz is read from the MDX
 * (components/lesson/source.ts).
 */
export interface LessonMeta {
  slug: string;
  title: string;
  summary: string;
  /** Estimated reading-and-playing time. */
  minutes: number;
}

export const LESSONS: readonly LessonMeta[] = [
  {
    slug: 'why-quantize',
    title: 'Why quantize?',
    summary:
      'A large model is mostly its weights. See how many bytes they take in each number format, and which GPUs they fit on.',
    minutes: 12,
  },
  {
    slug: 'number-formats',
    title: 'Number formats: sign, exponent, mantissa',
    summary:
      'Open FP32, FP16, BF16, FP8 and FP4 bit by bit: why BF16 keeps FP32’s range, why E4M3 stops at 448, and how integers store negatives.',
    minutes: 20,
  },
  {
    slug: 'scale-and-zero-point',
    title: 'Scale and zero-point',
    summary:
      'Build the affine quantizer by hand: where the scale and zero-point come from, why 0.5 lands on code 127, and what each bit does to the step.',
    minutes: 20,
  },
  {
    slug: 'clipping-and-calibration',
    title: 'Symmetric vs asymmetric, clipping and calibration',
    summary:
      'One outlier stretches the grid for every weight. Compare symmetric and asymmetric grids, clip on purpose, and calibrate with min–max, percentile and MSE.',
    minutes: 22,
  },
  {
    slug: 'granularity',
    title: 'Granularity: per-tensor, per-channel, group-wise',
    summary:
      'Give rows or small groups their own scales: why groups contain outlier columns that per-row scales cannot, and what the scales cost in bits per weight.',
    minutes: 18,
  },
  {
    slug: 'four-bit',
    title: '4-bit: NF4, blocks and double quantization',
    summary:
      'Take QLoRA’s NF4 apart: levels placed by the normal distribution, one absmax per block of 64, constants quantized again — and how GGUF, MXFP4 and NVFP4 blocks compare.',
    minutes: 25,
  },
  {
    slug: 'quantized-inference',
    title: 'Quantized inference: speed, memory and quality',
    summary:
      'Run a real tiny language model with its weights in FP32, FP16, BF16, INT8, INT4 and NF4, and measure what each costs in memory, speed and quality.',
    minutes: 20,
  },
  {
    slug: 'serving',
    title: 'Serving: KV cache, batching and the roofline',
    summary:
      'What a model holds while it serves: the KV cache and when it outgrows the weights, the cache quantized on the tiny model, the roofline of your own device (when bytes saved are time saved), PagedAttention’s blocks, and many LoRA adapters over one base.',
    minutes: 30,
  },
  {
    slug: 'activations-and-outliers',
    title: 'Activations and outliers: LLM.int8(), SmoothQuant and W8A8',
    summary:
      'Quantize the other operand: per-token and per-tensor scales, static and dynamic ranges, LLM.int8()’s float outlier columns and SmoothQuant’s migration, on the tiny model’s real layer inputs, and W8A8 against weight-only on the whole model.',
    minutes: 25,
  },
  {
    slug: 'gptq-and-awq',
    title: 'GPTQ and AWQ: smarter rounding',
    summary:
      'Round a weight and push its error onto the weights not yet rounded; or scale the channels that matter before rounding. Watch GPTQ and AWQ work on the tiny model’s real layers and compare them with round-to-nearest.',
    minutes: 30,
  },
  {
    slug: 'lora',
    title: 'LoRA: fine-tuning through a low-rank door',
    summary:
      'Freeze the model and train two thin matrices: count LoRA’s parameters for real architectures, compare the memory of full fine-tuning, LoRA and QLoRA, and measure how low-rank a real fine-tuning update is.',
    minutes: 25,
  },
  {
    slug: 'qlora',
    title: 'QLoRA: fine-tune a 4-bit model',
    summary:
      'Train LoRA adapters on top of the tiny model frozen in NF4, in your browser: live loss curves, the memory ledger, samples before and after, and export, import and merge of the adapter.',
    minutes: 25,
  },
  {
    slug: 'ptq-vs-qat',
    title: 'PTQ vs QAT: training with quantization in the loop',
    summary:
      'Round after training, or train with the rounding in the forward pass: the straight-through estimator, LSQ’s learned step, PTQ against QAT on the tiny model from 8 down to 2 bits, how much calibration text PTQ needs, and LoftQ’s start for QLoRA.',
    minutes: 30,
  },
];
