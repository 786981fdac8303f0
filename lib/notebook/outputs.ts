/**
 * What a cell can show: plain data messages the kernel posts to the page, which renders them with
 * React and the course's charts. No output ever carries HTML; typed arrays travel transferred.
 */

/** A tensor or typed array, summarised for a card: shape, dtype, statistics, first values, a histogram. */
export interface TensorSummary {
  label: string | null;
  shape: number[];
  dtype: string;
  size: number;
  /** Over the finite values; null when there are none. */
  min: number | null;
  max: number | null;
  mean: number | null;
  std: number | null;
  nanCount: number;
  infCount: number;
  /** The first values in row-major order (at most SUMMARY_HEAD). */
  head: number[];
  /** Counts of the finite values in `bins` equal-width bins over [min, max]. */
  histogram: { lo: number; hi: number; counts: number[] } | null;
}

export type TableCell = string | number | boolean | null;

export type PlotSpec =
  | { type: 'line'; title: string | null; series: { name: string; x: Float64Array; y: Float64Array }[]; xLabel: string | null; yLabel: string | null; logY: boolean }
  | { type: 'hist'; title: string | null; lo: number; hi: number; counts: number[]; xLabel: string | null }
  | { type: 'heatmap'; title: string | null; rows: number; cols: number; values: Float32Array; sourceRows: number; sourceCols: number };

/** One field of a bit pattern, most significant bit first. */
export interface BitsView {
  format: string;
  value: number;
  stored: number;
  hex: string;
  bits: (0 | 1)[];
  fields: ('sign' | 'exponent' | 'mantissa')[];
  explanation: string;
}

export type CellOutput =
  | { kind: 'text'; stream: 'out' | 'err'; text: string }
  | { kind: 'value'; text: string }
  | { kind: 'tensor'; summary: TensorSummary }
  | { kind: 'table'; columns: string[]; rows: TableCell[][]; truncatedRows: number }
  | { kind: 'plot'; plot: PlotSpec }
  | { kind: 'bits'; view: BitsView }
  | { kind: 'download'; name: string; mime: string; bytes: Uint8Array }
  | { kind: 'notice'; text: string }
  | { kind: 'error'; message: string; line: number | null; column: number | null; stack: string[] };

/** The typed arrays inside an output, to transfer rather than copy across postMessage. */
export function transferablesOf(o: CellOutput): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  const add = (a: { buffer: ArrayBufferLike }) => {
    if (a.buffer instanceof ArrayBuffer && !out.includes(a.buffer)) out.push(a.buffer);
  };
  if (o.kind === 'download') add(o.bytes);
  if (o.kind === 'plot') {
    if (o.plot.type === 'line') for (const s of o.plot.series) { add(s.x); add(s.y); }
    if (o.plot.type === 'heatmap') add(o.plot.values);
  }
  return out;
}
