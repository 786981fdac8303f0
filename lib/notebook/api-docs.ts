/**
 * Completion entries for the notebook editor: every name a cell can use, with a one-line doc.
 * (Minimal list, to be extended with the full typed API in api.d.ts.)
 */

export interface ApiDoc {
  /** The name as typed, dotted for members ("plot.line"). */
  label: string;
  /** CodeMirror completion type: "variable", "function", "namespace", … */
  type: string;
  /** Short signature. */
  detail: string;
  /** One line of documentation. */
  info: string;
}

export const API_DOCS: readonly ApiDoc[] = [
  { label: 'tf', type: 'namespace', detail: 'TensorFlow.js', info: 'tfjs-core on the course backend (WebGPU, WebGL or CPU), with chained ops.' },
  { label: 'quant', type: 'namespace', detail: 'lib/quant', info: 'The course quantizers (INT8, INT4, NF4, blocks, GGUF), bit-exact with the widgets.' },
  { label: 'formats', type: 'namespace', detail: 'lib/formats', info: 'Number formats: FP32, FP16, BF16, FP8 and their bits.' },
  { label: 'random', type: 'namespace', detail: 'seeded synthetic arrays', info: 'random.normal, uniform, laplace, outlierColumns — deterministic for a seed.' },
  { label: 'random.normal', type: 'function', detail: '(shape, { mean, std, seed }) → Float32Array', info: 'Seeded normal values.' },
  { label: 'random.uniform', type: 'function', detail: '(shape, { lo, hi, seed }) → Float32Array', info: 'Seeded uniform values on [lo, hi).' },
  { label: 'random.laplace', type: 'function', detail: '(shape, { scale, seed }) → Float32Array', info: 'Seeded Laplace values (heavier tails).' },
  { label: 'random.outlierColumns', type: 'function', detail: '(rows, cols, { columns, scale, seed }) → Float32Array', info: 'A weight matrix with outlier columns.' },
  { label: 'io', type: 'namespace', detail: 'safetensors, npy, gguf', info: 'Readers and writers for model files.' },
  { label: 'model', type: 'namespace', detail: 'the tiny GPT', info: 'model.load(format) loads the course model in any storage format.' },
  { label: 'model.load', type: 'function', detail: '(format = "fp32") → Promise<NotebookModel>', info: 'Loads the tiny model with its weights stored in `format`.' },
  { label: 'files', type: 'variable', detail: 'Record<string, NotebookFile>', info: 'The files you dropped on the notebook, by name.' },
  { label: 'print', type: 'function', detail: '(...values) → void', info: 'Prints values as text.' },
  { label: 'show', type: 'function', detail: '(x, label?) → Promise<void>', info: 'A tensor or typed array as a summary card with a histogram.' },
  { label: 'table', type: 'function', detail: '(rows, columns?) → void', info: 'Rows (objects or arrays) as a table.' },
  { label: 'plot', type: 'namespace', detail: 'line, hist, heatmap', info: 'Charts drawn by the course.' },
  { label: 'plot.line', type: 'function', detail: '(y, { x, title, xLabel, yLabel, logY, series }) → Promise<void>', info: 'A line chart.' },
  { label: 'plot.hist', type: 'function', detail: '(x, { bins, title, xLabel }) → Promise<void>', info: 'A histogram of values.' },
  { label: 'plot.heatmap', type: 'function', detail: '(matrix, { title, rows, cols }) → Promise<void>', info: 'A heatmap of a matrix (downsampled).' },
  { label: 'bits', type: 'function', detail: '(value, format) → void', info: 'The bit pattern of a value in a number format.' },
  { label: 'download', type: 'function', detail: '(name, bytes, mime?) → void', info: 'Offers bytes as a file to download (a button; never automatic).' },
  { label: 'tick', type: 'function', detail: '() → Promise<void>', info: 'Yields, so Stop can end a long loop.' },
];
