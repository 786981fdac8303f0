'use client';

import { useEffect, useMemo, useState } from 'react';
import { scaleLinear } from 'd3-scale';
import { Heatmap } from '@/components/charts/Heatmap';
import { LossChart } from '@/components/charts/LossChart';
import { countAxis, formatCount } from '@/lib/charts/axes';
import { barsPath } from '@/lib/charts/paths';
import { shortNumber } from '@/lib/formats/display';
import type { BitsView, CellOutput, PlotSpec, TableCell, TensorSummary } from '@/lib/notebook/outputs';

/*
 * A cell's outputs, each a data message from the kernel (lib/notebook/outputs) drawn by React and
 * the course's charts. Nothing here renders HTML from an output: text goes into text nodes.
 */

const num = (x: number | null) => (x === null ? '—' : shortNumber(x, 5));
const whole = new Intl.NumberFormat('en-US');
const COLOURS = ['var(--chart-1)', 'var(--chart-2)', 'var(--chart-3)', 'var(--chart-4)', 'var(--chart-5)'];

/** A histogram of counts over [lo, hi] in the course's bar style (one path, count axis). */
function SmallHistogram({ lo, hi, counts, title, xLabel, height = 120 }: { lo: number; hi: number; counts: readonly number[]; title: string; xLabel?: string | null; height?: number }) {
  const W = 640, M = { l: 48, r: 12, t: 8, b: xLabel ? 40 : 26 };
  const b = height - M.b;
  const x = scaleLinear().domain(hi > lo ? [lo, hi] : [lo - 0.5, lo + 0.5]).range([M.l, W - M.r]);
  const axis = countAxis(Math.max(...counts, 1), false, M.t, b);
  const n = counts.length;
  const edge = (i: number) => x(hi > lo ? lo + ((hi - lo) * i) / n : lo - 0.5 + i / n);
  const d = barsPath(counts, edge, axis.y, b);
  return (
    <figure className="chart nb-hist" style={{ margin: 0 }}>
      <svg viewBox={`0 0 ${W} ${height}`} role="img" aria-label={title}>
        <g className="axis">
          {axis.ticks.map((t) => (
            <g key={t}>
              <line x1={M.l} x2={W - M.r} y1={axis.y(t)} y2={axis.y(t)} stroke="var(--border)" strokeDasharray="2 3" />
              <text x={M.l - 6} y={axis.y(t) + 4} textAnchor="end">{formatCount(t)}</text>
            </g>
          ))}
          {x.ticks(6).map((t) => (
            <text key={t} x={x(t)} y={b + 16} textAnchor="middle">{shortNumber(t, 4)}</text>
          ))}
          {xLabel ? <text x={(M.l + W - M.r) / 2} y={height - 6} textAnchor="middle">{xLabel}</text> : null}
        </g>
        <path d={d} fill="var(--chart-1)" />
      </svg>
    </figure>
  );
}

function TensorCard({ s }: { s: TensorSummary }) {
  return (
    <div className="nb-tensor" data-testid="nb-tensor">
      <p className="nb-tensor-head">
        {s.label ? <strong>{s.label} </strong> : null}
        <code>[{s.shape.join(' × ')}]</code> {s.dtype} · {whole.format(s.size)} values
      </p>
      <dl className="nb-stats">
        <div><dt>min</dt><dd>{num(s.min)}</dd></div>
        <div><dt>max</dt><dd>{num(s.max)}</dd></div>
        <div><dt>mean</dt><dd>{num(s.mean)}</dd></div>
        <div><dt>std</dt><dd>{num(s.std)}</dd></div>
        <div><dt>NaN</dt><dd className={s.nanCount ? 'nb-bad' : undefined}>{whole.format(s.nanCount)}</dd></div>
        <div><dt>±Inf</dt><dd className={s.infCount ? 'nb-bad' : undefined}>{whole.format(s.infCount)}</dd></div>
      </dl>
      <p className="nb-head-values">
        first values: <code>{s.head.map((v) => shortNumber(v, 4)).join(', ')}{s.size > s.head.length ? ', …' : ''}</code>
      </p>
      {s.histogram ? <SmallHistogram lo={s.histogram.lo} hi={s.histogram.hi} counts={s.histogram.counts} title={`Histogram of ${s.label ?? 'the values'}: ${s.histogram.counts.length} bins from ${num(s.histogram.lo)} to ${num(s.histogram.hi)}`} /> : null}
    </div>
  );
}

function cellText(c: TableCell): string {
  if (c === null) return '—';
  if (typeof c === 'number') return shortNumber(c, 6);
  return String(c);
}

function TableOut({ columns, rows, truncatedRows }: { columns: string[]; rows: TableCell[][]; truncatedRows: number }) {
  return (
    <div className="table-scroll nb-table">
      <table>
        <thead><tr>{columns.map((c, i) => <th key={i} scope="col">{c}</th>)}</tr></thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>{r.map((c, j) => <td key={j} className={typeof c === 'number' ? 'num' : undefined}>{cellText(c)}</td>)}</tr>
          ))}
        </tbody>
      </table>
      {truncatedRows > 0 ? <p className="nb-notice">{whole.format(truncatedRows)} more rows not shown.</p> : null}
    </div>
  );
}

function PlotOut({ plot }: { plot: PlotSpec }) {
  if (plot.type === 'line') {
    const series = plot.series.map((s, i) => ({
      key: `${i}`,
      label: s.name,
      colour: COLOURS[i % COLOURS.length],
      dashed: i % 2 === 1 && s.y.length <= 200,
      points: Array.from(s.y, (y, k) => ({ step: s.x[k] ?? k, loss: y })),
    }));
    const xs = plot.series.flatMap((s) => Array.from(s.x));
    return (
      <div className="nb-plot">
        {plot.title ? <p className="nb-plot-title">{plot.title}</p> : null}
        <LossChart series={series} title={plot.title ?? 'Line chart'} xLabel={plot.xLabel ?? ''} yLabel={plot.yLabel ?? ''} logY={plot.logY} formatY={(t) => shortNumber(t, 3)} minStep={xs.length ? Math.min(...xs) : 0} padFloor={0} legend={plot.series.length > 1} />
      </div>
    );
  }
  if (plot.type === 'hist') {
    return (
      <div className="nb-plot">
        {plot.title ? <p className="nb-plot-title">{plot.title}</p> : null}
        <SmallHistogram lo={plot.lo} hi={plot.hi} counts={plot.counts} title={plot.title ?? 'Histogram'} xLabel={plot.xLabel} height={200} />
      </div>
    );
  }
  return <HeatmapOut plot={plot} />;
}

function HeatmapOut({ plot }: { plot: Extract<PlotSpec, { type: 'heatmap' }> }) {
  // The course's heatmap colours positive values on a log scale; signed data is shown as |value|.
  const signed = useMemo(() => plot.values.some((v) => v < 0), [plot.values]);
  const values = useMemo(() => (signed ? plot.values.map(Math.abs) : plot.values), [plot.values, signed]);
  const down = plot.sourceRows !== plot.rows || plot.sourceCols !== plot.cols;
  return (
    <div className="nb-plot">
      {plot.title ? <p className="nb-plot-title">{plot.title}</p> : null}
      <Heatmap values={values} rows={plot.rows} cols={plot.cols} maxDisplayRows={128} maxDisplayCols={128} rowLabel="row" colLabel="column" valueLabel={signed ? '|value|' : 'value'} title={plot.title ?? 'Heatmap'} />
      <p className="nb-notice">
        {whole.format(plot.sourceRows)} × {whole.format(plot.sourceCols)}{down ? `, averaged into ${plot.rows} × ${plot.cols} blocks` : ''}; colour on a log scale{signed ? ' of the absolute value' : ''}.
      </p>
    </div>
  );
}

function BitsOut({ view }: { view: BitsView }) {
  const letter = { sign: 'S', exponent: 'E', mantissa: 'M' } as const;
  return (
    <div className="nb-bits">
      <p>
        {shortNumber(view.value, 8)} in {view.format} → stored {shortNumber(view.stored, 8)} · <code>{view.hex}</code>
      </p>
      <div className="bit-cells" role="img" aria-label={`${view.format} bits of ${view.value}: ${view.bits.join('')}`}>
        {view.bits.map((b, i) => (
          <span key={i} className={`bit bit-${view.fields[i]}${i > 0 && view.fields[i - 1] !== view.fields[i] ? ' field-start' : ''}`} aria-hidden="true">
            <span className="bit-field">{letter[view.fields[i]]}</span>
            <span className="bit-value">{b}</span>
          </span>
        ))}
      </div>
      <p className="nb-notice">{view.explanation}</p>
    </div>
  );
}

function DownloadOut({ name, mime, bytes }: { name: string; mime: string; bytes: Uint8Array }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => () => {
    if (url) URL.revokeObjectURL(url);
  }, [url]);
  const save = () => {
    const u = url ?? URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mime }));
    if (!url) setUrl(u);
    const a = document.createElement('a');
    a.href = u;
    a.download = name;
    a.click();
  };
  return (
    <p className="nb-download">
      <button type="button" onClick={save} data-testid="nb-download">Download {name}</button> <span className="nb-muted">{whole.format(bytes.length)} bytes</span>
    </p>
  );
}

function ErrorOut({ o, label }: { o: Extract<CellOutput, { kind: 'error' }>; label: string }) {
  return (
    <div className="nb-error" role="alert" data-testid="cell-error">
      <p>
        <strong>{o.line !== null ? `Error in ${label}, line ${o.line}${o.column !== null ? `, column ${o.column}` : ''}:` : `Error in ${label}:`}</strong> {o.message}
      </p>
      {o.stack.length > 0 ? <pre className="nb-stack">{o.stack.join('\n')}</pre> : null}
    </div>
  );
}

/** Consecutive text outputs of one stream are shown as one block. */
function group(outputs: readonly CellOutput[]): (CellOutput | { kind: 'texts'; stream: 'out' | 'err'; text: string })[] {
  const out: (CellOutput | { kind: 'texts'; stream: 'out' | 'err'; text: string })[] = [];
  for (const o of outputs) {
    const last = out[out.length - 1];
    if (o.kind === 'text' && last?.kind === 'texts' && last.stream === o.stream) last.text += o.text;
    else if (o.kind === 'text') out.push({ kind: 'texts', stream: o.stream, text: o.text });
    else out.push(o);
  }
  return out;
}

export function CellOutputs({ outputs, label }: { outputs: readonly CellOutput[]; label: string }) {
  const items = useMemo(() => group(outputs), [outputs]);
  return (
    <>
      {items.map((o, i) => {
        switch (o.kind) {
          case 'texts': return <pre key={i} className={`nb-text${o.stream === 'err' ? ' nb-err' : ''}`}>{o.text.replace(/\n$/, '')}</pre>;
          case 'value': return <pre key={i} className="nb-text nb-value">{o.text}</pre>;
          case 'tensor': return <TensorCard key={i} s={o.summary} />;
          case 'table': return <TableOut key={i} columns={o.columns} rows={o.rows} truncatedRows={o.truncatedRows} />;
          case 'plot': return <PlotOut key={i} plot={o.plot} />;
          case 'bits': return <BitsOut key={i} view={o.view} />;
          case 'download': return <DownloadOut key={i} name={o.name} mime={o.mime} bytes={o.bytes} />;
          case 'notice': return <p key={i} className="nb-notice" role="status">{o.text}</p>;
          case 'error': return <ErrorOut key={i} o={o} label={label} />;
          case 'text': return null;
        }
      })}
    </>
  );
}
