/**
 * The output functions a cell calls — print, show, table, plot, bits, download, tick — turning
 * values into CellOutput data messages (never HTML). Each checks the running cell's limits and its
 * Stop flag. Framework-free; `tf` is injected.
 */
import type { Tfjs } from '../compute';
import { encodeFloat, FLOAT_FORMATS, type FloatFormat } from '../formats';
import { bitArray, hexCode } from '../formats/display';
import { bitField, explainFloat } from '../formats/explain';
import { floatFormatInfo, roundToFormat } from '../formats/float';
import type { CellOutput, TableCell } from './outputs';
import { downsampleMatrix, summarize, SUMMARY_BINS, type NumericArray } from './summary';

export interface HelperLimits {
  /** Outputs one cell may show. */
  maxOutputs: number;
  /** Characters of text (print and values) one cell may show. */
  maxTextChars: number;
  /** Rows of one table. */
  maxTableRows: number;
}


const MAX_DOWNLOAD_BYTES = 256 * 1024 * 1024;
const MAX_PLOT_POINTS = 100_000;

/** A value as short text for print and for a cell's last expression. */
export function formatValue(v: unknown, depth = 0): string {
  if (typeof v === 'string') return depth === 0 ? v : JSON.stringify(v.length > 200 ? `${v.slice(0, 200)}…` : v);
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (v === undefined) return 'undefined';
  if (v === null || typeof v === 'boolean') return String(v);
  if (typeof v === 'function') return `[function ${v.name || 'anonymous'}]`;
  if (typeof v === 'symbol') return v.toString();
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    const a = v as unknown as ArrayLike<number> & { constructor: { name: string } };
    const head = Array.from({ length: Math.min(8, a.length) }, (_, i) => formatValue(a[i], depth + 1));
    return `${a.constructor.name}(${a.length}) [${head.join(', ')}${a.length > 8 ? ', …' : ''}]`;
  }
  if (depth > 2) return Array.isArray(v) ? '[…]' : '{…}';
  if (v instanceof Map) return `Map(${v.size}) {${[...v].slice(0, 8).map(([k, x]) => `${formatValue(k, depth + 1)} => ${formatValue(x, depth + 1)}`).join(', ')}${v.size > 8 ? ', …' : ''}}`;
  if (Array.isArray(v)) return `[${v.slice(0, 20).map((x) => formatValue(x, depth + 1)).join(', ')}${v.length > 20 ? `, … ${v.length - 20} more` : ''}]`;
  if (v instanceof Error) return `${v.name}: ${v.message}`;
  const o = v as Record<string, unknown>;
  if (typeof (o as { shape?: unknown }).shape !== 'undefined' && typeof (o as { dtype?: unknown }).dtype === 'string') {
    return `Tensor ${(o as { dtype: string }).dtype} [${String((o as { shape: number[] }).shape)}]`;
  }
  const keys = Object.keys(o);
  return `{ ${keys.slice(0, 12).map((k) => `${k}: ${formatValue(o[k], depth + 1)}`).join(', ')}${keys.length > 12 ? ', …' : ''} }`;
}

function isNumericArray(x: unknown): x is NumericArray {
  return (ArrayBuffer.isView(x) && !(x instanceof DataView) && !(x instanceof BigInt64Array) && !(x instanceof BigUint64Array)) || (Array.isArray(x) && x.every((v) => typeof v === 'number'));
}

function toFloat64(x: NumericArray): Float64Array {
  return Float64Array.from(x as ArrayLike<number>);
}

function checkLabel(name: string, value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new TypeError(`${name} must be text.`);
  return value.slice(0, 200);
}

export interface CellHelpers {
  print: (...values: unknown[]) => void;
  show: (x: unknown, label?: string) => Promise<void>;
  table: (rows: readonly Record<string, unknown>[] | readonly unknown[][], columns?: readonly string[]) => void;
  plot: {
    line: (y: unknown, o?: { x?: unknown; name?: string; title?: string; xLabel?: string; yLabel?: string; logY?: boolean; series?: { name: string; y: unknown; x?: unknown }[] }) => Promise<void>;
    hist: (x: unknown, o?: { bins?: number; title?: string; xLabel?: string }) => Promise<void>;
    heatmap: (m: unknown, o?: { title?: string; rows?: number; cols?: number }) => Promise<void>;
  };
  bits: (value: number, format: FloatFormat) => void;
  download: (name: string, bytes: Uint8Array | ArrayBuffer | string, mime?: string) => void;
  tick: () => Promise<void>;
}

/**
 * The helpers for one run. `emit` shows an output (it throws when the cell was stopped);
 * `checkInterrupt` throws when Stop was pressed; `track` registers a promise the kernel awaits
 * before the cell ends (show() of a tensor reads its data asynchronously).
 */
export function createCellHelpers(
  tf: Tfjs,
  emit: (o: CellOutput) => void,
  limits: HelperLimits,
  checkInterrupt: () => void,
  track: (p: Promise<unknown>) => void = () => undefined,
): CellHelpers {
  let textChars = 0;
  let textCapped = false;
  const text = (t: string, stream: 'out' | 'err') => {
    if (textCapped) return;
    const room = limits.maxTextChars - textChars;
    if (t.length > room) {
      textCapped = true;
      emit({ kind: 'text', stream, text: t.slice(0, Math.max(0, room)) });
      emit({ kind: 'notice', text: `This cell printed more than ${limits.maxTextChars.toLocaleString('en-US')} characters, the notebook's limit; the rest is left out.` });
      return;
    }
    textChars += t.length;
    emit({ kind: 'text', stream, text: t });
  };

  /** Values and shape of a tensor, typed array or nested number array. */
  const numbers = async (x: unknown, what: string): Promise<{ values: NumericArray; shape: number[]; dtype: string }> => {
    if (x instanceof tf.Tensor) {
      if (x.isDisposed) throw new Error(`${what}: the tensor was disposed.`);
      return { values: (await x.data()) as NumericArray, shape: x.shape, dtype: x.dtype };
    }
    if (isNumericArray(x)) return { values: x, shape: [x.length], dtype: ArrayBuffer.isView(x) ? (x as { constructor: { name: string } }).constructor.name : 'number[]' };
    if (Array.isArray(x) && x.length > 0 && x.every((r) => isNumericArray(r) && r.length === (x[0] as NumericArray).length)) {
      const rows = x as NumericArray[];
      const flat = new Float64Array(rows.length * rows[0].length);
      rows.forEach((r, i) => flat.set(r as ArrayLike<number>, i * rows[0].length));
      return { values: flat, shape: [rows.length, rows[0].length], dtype: 'number[][]' };
    }
    throw new TypeError(`${what} takes a tensor, a typed array or an array of numbers; got ${formatValue(x).slice(0, 60)}.`);
  };

  const later = <T>(p: Promise<T>): Promise<T> => {
    track(p);
    return p;
  };

  const helpers: CellHelpers = {
    print: (...values) => {
      checkInterrupt();
      text(`${values.map((v) => formatValue(v)).join(' ')}\n`, 'out');
    },
    show: (x, label) =>
      later((async () => {
        checkInterrupt();
        const l = checkLabel('show’s label', label);
        const { values, shape, dtype } = await numbers(x, 'show');
        emit({ kind: 'tensor', summary: summarize(values, shape, dtype, l) });
      })()),
    table: (rows, columns) => {
      checkInterrupt();
      if (!Array.isArray(rows)) throw new TypeError('table takes an array of rows: objects ({ name: value }) or arrays.');
      const cell = (v: unknown): TableCell => (typeof v === 'number' || typeof v === 'boolean' || v === null ? v : typeof v === 'string' ? v.slice(0, 500) : formatValue(v).slice(0, 500));
      let cols: string[];
      let body: TableCell[][];
      if (rows.every((r) => Array.isArray(r))) {
        const width = Math.max(0, ...rows.map((r) => (r as unknown[]).length));
        cols = columns ? [...columns] : Array.from({ length: width }, (_, i) => String(i));
        body = rows.slice(0, limits.maxTableRows).map((r) => cols.map((_, i) => cell((r as unknown[])[i])));
      } else if (rows.every((r) => typeof r === 'object' && r !== null)) {
        cols = columns ? [...columns] : [...new Set(rows.flatMap((r) => Object.keys(r as object)))];
        body = rows.slice(0, limits.maxTableRows).map((r) => cols.map((c) => cell((r as Record<string, unknown>)[c])));
      } else throw new TypeError('table takes an array of rows: objects ({ name: value }) or arrays.');
      emit({ kind: 'table', columns: cols.slice(0, 50), rows: body.map((r) => r.slice(0, 50)), truncatedRows: Math.max(0, rows.length - limits.maxTableRows) });
    },
    plot: {
      line: (y, o = {}) =>
        later((async () => {
          checkInterrupt();
          const specs = o.series ?? [{ name: o.name ?? 'y', y, x: o.x }];
          const series = [];
          for (const s of specs.slice(0, 12)) {
            const ys = toFloat64((await numbers(s.y, 'plot.line')).values);
            const xs = s.x === undefined ? Float64Array.from(ys, (_, i) => i) : toFloat64((await numbers(s.x, 'plot.line’s x')).values);
            if (xs.length !== ys.length) throw new RangeError(`plot.line: x has ${xs.length} values and y has ${ys.length}; they must match.`);
            if (ys.length > MAX_PLOT_POINTS) throw new RangeError(`plot.line draws at most ${MAX_PLOT_POINTS.toLocaleString('en-US')} points; got ${ys.length.toLocaleString('en-US')}.`);
            series.push({ name: String(s.name).slice(0, 80), x: xs, y: ys });
          }
          emit({ kind: 'plot', plot: { type: 'line', title: checkLabel('title', o.title), series, xLabel: checkLabel('xLabel', o.xLabel), yLabel: checkLabel('yLabel', o.yLabel), logY: o.logY === true } });
        })()),
      hist: (x, o = {}) =>
        later((async () => {
          checkInterrupt();
          const bins = o.bins ?? SUMMARY_BINS * 2;
          if (!Number.isInteger(bins) || bins < 1 || bins > 1000) throw new RangeError(`plot.hist: bins must be a whole number from 1 to 1000, got ${bins}.`);
          const { values } = await numbers(x, 'plot.hist');
          let lo = Infinity, hi = -Infinity;
          for (let i = 0; i < values.length; i++) { const v = values[i]; if (Number.isFinite(v)) { if (v < lo) lo = v; if (v > hi) hi = v; } }
          if (lo > hi) throw new RangeError('plot.hist: there are no finite values to count.');
          const counts = new Array<number>(bins).fill(0);
          const w = (hi - lo) / bins;
          for (let i = 0; i < values.length; i++) { const v = values[i]; if (Number.isFinite(v)) counts[w > 0 ? Math.min(bins - 1, Math.floor((v - lo) / w)) : bins - 1]++; }
          emit({ kind: 'plot', plot: { type: 'hist', title: checkLabel('title', o.title), lo, hi, counts, xLabel: checkLabel('xLabel', o.xLabel) } });
        })()),
      heatmap: (m, o = {}) =>
        later((async () => {
          checkInterrupt();
          const { values, shape } = await numbers(m, 'plot.heatmap');
          const rows = o.rows ?? (shape.length === 2 ? shape[0] : 1);
          const cols = o.cols ?? (shape.length === 2 ? shape[1] : values.length);
          if (rows * cols !== values.length) throw new RangeError(`plot.heatmap: ${rows} × ${cols} is not the ${values.length} values given; pass a 2-D tensor or { rows, cols }.`);
          const d = downsampleMatrix(values, rows, cols);
          emit({ kind: 'plot', plot: { type: 'heatmap', title: checkLabel('title', o.title), rows: d.rows, cols: d.cols, values: d.values, sourceRows: rows, sourceCols: cols } });
        })()),
    },
    bits: (value, format) => {
      checkInterrupt();
      if (!FLOAT_FORMATS.includes(format)) throw new RangeError(`bits: the format is one of ${FLOAT_FORMATS.join(', ')}; got ${formatValue(format).slice(0, 40)}.`);
      if (typeof value !== 'number') throw new TypeError('bits takes a number and a format, e.g. bits(0.1, "bf16").');
      const width = floatFormatInfo(format).bits;
      const code = encodeFloat(format, value);
      const b = bitArray(code, width);
      const ex = explainFloat(format, code);
      emit({
        kind: 'bits',
        view: { format, value, stored: roundToFormat(format, value), hex: hexCode(code, width), bits: b, fields: b.map((_, i) => bitField(format, width - 1 - i)), explanation: `${ex.name}: ${ex.formula}${ex.evaluation ? ` = ${ex.evaluation}` : ''}` },
      });
    },
    download: (name, bytes, mime = 'application/octet-stream') => {
      checkInterrupt();
      if (typeof name !== 'string' || !/^[^/\\:*?"<>|\u0000-\u001f]{1,120}$/.test(name)) throw new RangeError('download: the file name must be 1 to 120 characters, without / \\ : * ? " < > |.');
      const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes instanceof ArrayBuffer ? new Uint8Array(bytes.slice(0)) : new Uint8Array(bytes);
      if (data.byteLength > MAX_DOWNLOAD_BYTES) throw new RangeError(`download: at most ${MAX_DOWNLOAD_BYTES / 2 ** 20} MiB; got ${(data.byteLength / 2 ** 20).toFixed(1)} MiB.`);
      emit({ kind: 'download', name, mime: typeof mime === 'string' ? mime.slice(0, 100) : 'application/octet-stream', bytes: data.slice() });
    },
    tick: async () => {
      checkInterrupt();
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      checkInterrupt();
    },
  };
  return helpers;
}
