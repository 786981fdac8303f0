/**
 * One line of documentation per name a cell can use, for the editor's autocompletion (CodeMirror's
 * Completion: label, type, detail, info) and the notebook's help. Kept in step with the kernel's
 * scope and with api.d.ts by lib/notebook/api-docs.test.ts.
 */
export interface ApiDoc {
  /** The name as typed, dotted for members ("plot.line"). */
  label: string;
  type: 'variable' | 'function' | 'namespace';
  detail: string;
  info: string;
}

export const API_DOCS: readonly ApiDoc[] = [
  { label: 'tf', type: 'namespace', detail: 'TensorFlow.js', info: 'tfjs-core on the course backend (WebGPU → WebGL → CPU). Tensors not kept in a name are disposed when the cell ends; at most 2^24 elements each.' },
  { label: 'quant', type: 'namespace', detail: 'quantizers', info: 'quantize4bit, dequantize4bit, quantizeGGUF, computeQParams, quantizeAffine, quantizeGroupwise, quantizeMXFP4, mse, sqnrDb … bit-exact with PyTorch, bitsandbytes and ggml.' },
  { label: 'formats', type: 'namespace', detail: 'number formats', info: 'encodeFloat, decodeFloat, roundToFormat, floatFormatInfo for fp32, fp16, bf16, fp8-e4m3, fp8-e5m2, fp4-e2m1.' },
  { label: 'memory', type: 'namespace', detail: 'memory arithmetic', info: 'weightBytes(parameters, format), bitsPerParameter(format), formatBytes(bytes).' },
  { label: 'lora', type: 'namespace', detail: 'LoRA counts', info: 'loraMatrixParams(dIn, dOut, r), fineTuneMemory(method, parameters, trainable).' },
  { label: 'random', type: 'namespace', detail: 'seeded arrays', info: 'random.normal(n, { std, seed }), uniform, laplace, outlierColumns(rows, cols, { scale }) → Float32Array.' },
  { label: 'io', type: 'namespace', detail: 'file formats', info: 'io.safetensors, io.npy, io.gguf: read and write, every malformed case named.' },
  { label: 'model', type: 'namespace', detail: 'the tiny GPT', info: 'await model.load("nf4-dq") → logits(text), generate(prompt, n, { seed }), perplexity({ windows }), compare(other), dispose().' },
  { label: 'train', type: 'namespace', detail: 'LoRA / QLoRA', info: 'const t = await train.create({ text, mode: "qlora", r: 8, steps: 20 }); await t.step(); t.getSnapshot() — loss, memory; t.subscribe(fn); t.start(); await t.stop().' },
  { label: 'train.create', type: 'function', detail: '({ text, mode, r, alpha, lr, steps, seed }) → Promise<Trainer>', info: 'A trainer on the tiny model; a tenth of the text is held out.' },
  { label: 'files', type: 'variable', detail: 'your dropped files', info: 'files["w.safetensors"].safetensors(), .npy(), .gguf(), .bytes(), .text().' },
  { label: 'print', type: 'function', detail: 'print(...values)', info: 'Writes values as text in the output.' },
  { label: 'show', type: 'function', detail: 'show(x, label?)', info: 'A tensor or array as a card: shape, dtype, min/max/mean/std, NaN/Inf, first values, histogram.' },
  { label: 'table', type: 'function', detail: 'table(rows)', info: 'Rows of objects (or arrays) as a table.' },
  { label: 'plot', type: 'namespace', detail: 'charts', info: 'plot.line(y, { x, title }), plot.hist(x, { bins }), plot.heatmap(matrix).' },
  { label: 'bits', type: 'function', detail: 'bits(value, format)', info: 'The bits of a number in a float format, as the bit explorer shows them.' },
  { label: 'download', type: 'function', detail: 'download(name, bytes)', info: 'Offers bytes or text as a file to download.' },
  { label: 'tick', type: 'function', detail: 'await tick()', info: 'Yields to the kernel so that Stop can end a long loop.' },
  { label: 'random.normal', type: 'function', detail: '(shape, { mean, std, seed }) → Float32Array', info: 'Seeded normal values.' },
  { label: 'random.uniform', type: 'function', detail: '(shape, { lo, hi, seed }) → Float32Array', info: 'Seeded uniform values on [lo, hi).' },
  { label: 'random.laplace', type: 'function', detail: '(shape, { scale, seed }) → Float32Array', info: 'Seeded Laplace values (heavier tails).' },
  { label: 'random.outlierColumns', type: 'function', detail: '(rows, cols, { columns, scale, seed }) → Float32Array', info: 'A weight matrix with outlier columns.' },
  { label: 'model.load', type: 'function', detail: '(format = "fp32") → Promise<NotebookModel>', info: 'Loads the tiny model with its weights stored in `format`.' },
  { label: 'plot.line', type: 'function', detail: '(y, { x, title, xLabel, yLabel, logY, series }) → Promise<void>', info: 'A line chart.' },
  { label: 'plot.hist', type: 'function', detail: '(x, { bins, title, xLabel }) → Promise<void>', info: 'A histogram of values.' },
  { label: 'plot.heatmap', type: 'function', detail: '(matrix, { title, rows, cols }) → Promise<void>', info: 'A heatmap of a matrix (downsampled).' },
];
