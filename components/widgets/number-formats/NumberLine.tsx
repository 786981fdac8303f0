'use client';

import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';
import { WidgetError } from '@/components/widget-kit/WidgetError';
import { useId } from 'react';
import { useWidgetState } from '@/components/widget-kit/useWidgetState';
import { IgnoredLinkValues } from '@/components/widget-kit/IgnoredLinkValues';
import { allMask, chosenOf, maskOf, type StateSpec } from '@/lib/url/widget-state';
import { scaleLinear, scaleLog } from 'd3-scale';
import { FLOAT_FORMATS, floatFormatInfo, floatFormatSpec, type FloatFormat } from '@/lib/formats';
import { FLOAT_FORMAT_LABELS, exactDecimal, shortNumber } from '@/lib/formats/display';
import {
  binadeCounts,
  bytesPerValue,
  formatPowerOfTen,
  linearSpread,
  positiveFiniteCount,
  positiveFiniteValues,
  powerOfTenTicks,
  powerOfTwoExponent,
  valuesPerDoubling,
} from '@/lib/formats/number-line';
import { ScrollRegion } from '@/components/ui/ScrollRegion';

/** Formats drawn value by value (few enough codes); the others are drawn one bar per binade. */
const TICK_FORMATS: readonly FloatFormat[] = ['fp8-e4m3', 'fp8-e5m2', 'fp4-e2m1'];
/** The small formats the linear view offers. */
const LINEAR_FORMATS = ['fp4-e2m1', 'fp8-e4m3'] as const;
type LinearFormat = (typeof LINEAR_FORMATS)[number];

const COLOURS: Readonly<Record<FloatFormat, string>> = {
  fp32: 'var(--chart-1)',
  fp16: 'var(--chart-2)',
  bf16: 'var(--chart-3)',
  'fp8-e4m3': 'var(--chart-4)',
  'fp8-e5m2': 'var(--chart-5)',
  'fp4-e2m1': 'var(--fg)',
};

/** Bar heights scale with log2(values in the binade) + 1, up to the widest mantissa (fp32's 23 bits). */
const MAX_PRECISION = Math.max(...FLOAT_FORMATS.map((f) => floatFormatInfo(f).mantissaBits)) + 1;

const WIDTH = 780;
const LEFT = 164;
const RIGHT = 24;
const TOP = 8;
const ROW = 68;
const BAND_TOP = 22;
const BAND_H = 22;
const AXIS_H = 40;
/** Width of a marker label's character, in viewBox units, at .nl-marker's 11.5px (globals.css). */
const CHAR_W = 6.4;

const count = (n: number) => n.toLocaleString('en-US');

/** Where to put a label of `text` near x so that it stays inside [lo, hi]; prefers `anchor`. */
function place(x: number, text: string, anchor: 'start' | 'middle' | 'end', lo: number, hi: number): { x: number; anchor: 'start' | 'middle' | 'end' } {
  const w = text.length * CHAR_W;
  const fits = (a: 'start' | 'middle' | 'end') =>
    a === 'start' ? x + 4 + w <= hi : a === 'end' ? x - 4 - w >= lo : x - w / 2 >= lo && x + w / 2 <= hi;
  const order: ('start' | 'middle' | 'end')[] = anchor === 'middle' ? ['middle', 'start', 'end'] : anchor === 'start' ? ['start', 'end'] : ['end', 'start'];
  const a = order.find(fits) ?? anchor;
  return { x: a === 'start' ? x + 4 : a === 'end' ? x - 4 : x, anchor: a };
}

/** The hatch that marks subnormals (a pattern as well as a colour, so colour is not the only cue). */
function Hatch({ id }: { id: string }) {
  return (
    <defs>
      <pattern id={id} width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
        <line x1="0" y1="0" x2="0" y2="5" stroke="var(--fg-muted)" strokeWidth="1.6" />
      </pattern>
    </defs>
  );
}

/** "2⁻¹⁴"-style power of two, when the number is one. */
function PowerOfTwo({ value }: { value: number }) {
  const k = powerOfTwoExponent(value);
  if (k === null) return null;
  return (
    <small className="nl-pow2">
      {' '}= 2<sup>{k < 0 ? `−${-k}` : k}</sup>
    </small>
  );
}

/** A number cell: short form shown, exact decimal on hover. */
function Num({ value, pow2 = false }: { value: number; pow2?: boolean }) {
  return (
    <>
        <span title={exactDecimal(value)}>{shortNumber(value)}</span>
        {pow2 && <PowerOfTwo value={value} />}
    </>
  );
}

/** One format's row on the log axis. */
function LogRow({ format, y0, x, hatchId }: { format: FloatFormat; y0: number; x: (v: number) => number; hatchId: string }) {
  const info = floatFormatInfo(format);
  const label = FLOAT_FORMAT_LABELS[format];
  const colour = COLOURS[format];
  const bandTop = y0 + BAND_TOP;
  const bandBottom = bandTop + BAND_H;
  const binades = binadeCounts(format);
  const xs = x(info.minSubnormal);
  const xn = x(info.minNormal);
  const xm = x(info.maxFinite);
  const lo = 4;
  const hi = WIDTH - 4;
  const subText = `min subnormal ${shortNumber(info.minSubnormal, 3)}`;
  const normText = `min normal ${shortNumber(info.minNormal, 3)}`;
  const maxText = `max ${shortNumber(info.maxFinite)}`;
  const subAt = place(xs, subText, 'end', LEFT - 40, hi);
  const normAt = place(xn, normText, 'middle', LEFT - 40, hi);
  const maxAt = place(xm, maxText, 'start', lo, hi);
  const ticks = TICK_FORMATS.includes(format);
  return (
    <g data-row={format}>
      <text x={LEFT - 10} y={y0 + 28} textAnchor="end" className="nl-row-name">{label}</text>
      <text x={LEFT - 10} y={y0 + 42} textAnchor="end" className="nl-row-sub">{count(valuesPerDoubling(format))} per doubling</text>
      <text x={LEFT - 10} y={y0 + 55} textAnchor="end" className="nl-row-sub">{count(positiveFiniteCount(format))} values &gt; 0</text>
      <rect x={xs} y={bandTop} width={Math.max(1, xm - xs)} height={BAND_H} fill="var(--bg-sunken)" />
      {ticks
        ? positiveFiniteValues(format).map((v) => (
            <line
              key={v}
              x1={x(v)}
              x2={x(v)}
              y1={bandTop}
              y2={bandBottom}
              stroke={colour}
              strokeWidth={1}
              strokeDasharray={v < info.minNormal ? '3 2' : undefined}
            >
              <title>{`${label}: ${shortNumber(v)}${v < info.minNormal ? ' (subnormal)' : ''}`}</title>
            </line>
          ))
        : binades.map((b, i) => {
            const end = i === binades.length - 1 ? b.largest : b.hi;
            const h = (BAND_H * (b.log2Count + 1)) / MAX_PRECISION;
            return (
              <rect key={b.exponent} x={x(b.lo)} y={bandBottom - h} width={Math.max(0.5, x(end) - x(b.lo))} height={h} fill={colour} opacity={b.subnormal ? 0.5 : 0.85}>
                <title>{`${label}: ${count(b.count)} ${b.subnormal ? 'subnormal ' : ''}values in [${shortNumber(b.lo)}, ${shortNumber(b.hi)}), ${shortNumber(b.spacing)} apart`}</title>
              </rect>
            );
          })}
      <rect x={xs} y={bandTop} width={Math.max(1, xn - xs)} height={BAND_H} fill={`url(#${hatchId})`} stroke="var(--fg-muted)" strokeWidth={0.5}>
        <title>{`${label} subnormals: ${shortNumber(info.minSubnormal)} to ${shortNumber(info.minNormal)}, evenly ${shortNumber(info.minSubnormal)} apart`}</title>
      </rect>
      <g className="nl-marker">
        <line x1={xn} x2={xn} y1={y0 + 17} y2={bandBottom} />
        <text x={normAt.x} y={y0 + 13} textAnchor={normAt.anchor}>{normText}</text>
        <line x1={xs} x2={xs} y1={bandTop} y2={bandBottom + 6} />
        <text x={subAt.x} y={bandBottom + 16} textAnchor={subAt.anchor}>{subText}</text>
        <line x1={xm} x2={xm} y1={bandTop} y2={bandBottom + 6} />
        <text x={maxAt.x} y={bandBottom + 16} textAnchor={maxAt.anchor}>{maxText}</text>
      </g>
    </g>
  );
}

/** The chosen small format's values on a linear axis from 0 to its max. */
function LinearChart({ format, hatchId }: { format: LinearFormat; hatchId: string }) {
  const spread = linearSpread(format);
  const binades = binadeCounts(format);
  const info = floatFormatInfo(format);
  const label = FLOAT_FORMAT_LABELS[format];
  const left = 24;
  const height = 132;
  const bandTop = 40;
  const bandH = 34;
  const x = scaleLinear().domain([0, spread.max]).range([left, WIDTH - RIGHT]);
  const ticks = x.ticks(8);
  return (
    <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={`${label} on a linear axis from 0 to ${shortNumber(spread.max)}: ${spread.positiveCount} positive values, ${spread.belowTenth} of them in the first tenth; neighbours are ${shortNumber(spread.smallestGap)} apart near zero and ${shortNumber(spread.largestGap)} apart at the top.`} data-testid="linear-view">
      <Hatch id={hatchId} />
      <rect x={x(0)} y={bandTop} width={x(info.minNormal) - x(0)} height={bandH} fill={`url(#${hatchId})`}>
        <title>{`subnormals: 0 to ${shortNumber(info.minNormal)}`}</title>
      </rect>
      {binades.map((b, i) => {
        const x0 = x(b.lo);
        const x1 = x(Math.min(b.hi, spread.max));
        const w = x1 - x0;
        return (
          <g key={b.exponent}>
            {!b.subnormal && i % 2 === 1 && <rect x={x0} y={bandTop} width={w} height={bandH} fill="var(--bg-sunken)" />}
            <line x1={x0} x2={x0} y1={bandTop - 14} y2={bandTop + bandH} stroke="var(--border)" strokeDasharray="2 2" />
            {w >= 46 && (
              <text x={(x0 + x1) / 2} y={bandTop - 6} textAnchor="middle">
                {`step ${shortNumber(b.spacing)}`}
              </text>
            )}
          </g>
        );
      })}
      {spread.values.map((v) => (
        <line key={v} x1={x(v)} x2={x(v)} y1={bandTop + 4} y2={bandTop + bandH - 4} stroke={COLOURS[format]} strokeWidth={1.25} strokeDasharray={v > 0 && v < info.minNormal ? '3 2' : undefined}>
          <title>{shortNumber(v)}</title>
        </line>
      ))}
      <g className="axis">
        <line x1={left} x2={WIDTH - RIGHT} y1={bandTop + bandH + 4} y2={bandTop + bandH + 4} />
        {ticks.map((t) => (
          <g key={t} transform={`translate(${x(t)},${bandTop + bandH + 4})`}>
            <line y2={5} />
            <text y={18} textAnchor="middle">{shortNumber(t)}</text>
          </g>
        ))}
        <text x={(left + WIDTH - RIGHT) / 2} y={height - 6} textAnchor="middle">
          {`${label} value, linear scale from 0 to ${shortNumber(spread.max)} (“step”: gap between neighbours in that doubling)`}
        </text>
      </g>
      <text x={left} y={14} className="nl-row-name">{label}</text>
    </svg>
  );
}

/** Every chosen format's positive values on one logarithmic axis, with its legend and a caption. */
function LogChart({ rows, hatchId }: { rows: readonly FloatFormat[]; hatchId: string }) {
  const infos = rows.map(floatFormatInfo);
  const lo = infos.length ? Math.min(...infos.map((i) => i.minSubnormal)) / 4 : 1e-3;
  const hi = infos.length ? Math.max(...infos.map((i) => i.maxFinite)) * 4 : 1e3;
  const x = scaleLog().domain([lo, hi]).range([LEFT, WIDTH - RIGHT]);
  const ticks = powerOfTenTicks(lo, hi);
  const height = TOP + rows.length * ROW + AXIS_H;
  const axisY = TOP + rows.length * ROW;
  return (
    <>
      <figure className="chart nl-chart">
        <ScrollRegion className="chart-scroll nl-scroll" label="Number line, scrolls sideways">
        <svg
          viewBox={`0 0 ${WIDTH} ${height}`}
          role="img"
          aria-label={`Positive values of ${rows.map((f) => FLOAT_FORMAT_LABELS[f]).join(', ')} on a logarithmic axis from ${formatPowerOfTen(ticks[0] ?? lo)} to ${formatPowerOfTen(ticks[ticks.length - 1] ?? hi)}. ${rows
            .map((f) => {
              const i = floatFormatInfo(f);
              return `${FLOAT_FORMAT_LABELS[f]}: ${count(valuesPerDoubling(f))} values per doubling, subnormals from ${shortNumber(i.minSubnormal)}, normals from ${shortNumber(i.minNormal)} to ${shortNumber(i.maxFinite)}.`;
            })
            .join(' ')}`}
        >
          <Hatch id={`${hatchId}-log`} />
          <g className="axis">
            {ticks.map((t) => (
              <g key={t} transform={`translate(${x(t)},0)`}>
                <line y1={TOP} y2={axisY + 4} strokeDasharray="2 3" />
                <text y={axisY + 18} textAnchor="middle">{formatPowerOfTen(t)}</text>
              </g>
            ))}
            <text x={(LEFT + WIDTH - RIGHT) / 2} y={height - 4} textAnchor="middle">
              positive values, logarithmic scale (each grid line is a power of ten)
            </text>
          </g>
          {rows.map((f, i) => (
            <LogRow key={f} format={f} y0={TOP + i * ROW} x={x} hatchId={`${hatchId}-log`} />
          ))}
        </svg>
        </ScrollRegion>
        <figcaption className="nl-legend">
          <span><span className="nl-swatch nl-swatch-ticks" aria-hidden="true" /> one line per value (FP8, FP4)</span>
          <span><span className="nl-swatch nl-swatch-bar" aria-hidden="true" /> one bar per doubling; taller = more values in it (FP32, FP16, BF16)</span>
          <span><span className="nl-swatch nl-swatch-hatch" aria-hidden="true" /> subnormals (dashed lines, hatched)</span>
        </figcaption>
      </figure>
      <p className="widget-caption">
        Each doubling holds the same number of values, so on a log axis a format is an even comb from its smallest
        to its largest number. More exponent bits reach further left and right; more mantissa bits pack each
        doubling more densely. Untick FP32 and BF16 to zoom in on the small formats and see their values one by one.
      </p>
    </>
  );
}

/** The small format chosen for the linear axis, its chart and what it shows. */
function LinearView({ linear, onLinear, name, hatchId }: { linear: LinearFormat; onLinear: (f: LinearFormat) => void; name: string; hatchId: string }) {
  const spread = linearSpread(linear);
  const linearInfo = floatFormatInfo(linear);
  return (
    <>
      <h4 className="nl-subtitle">Linear view</h4>
      <div className="controls">
        <fieldset className="control">
          <legend>Format on the linear axis</legend>
          <div className="checks">
            {LINEAR_FORMATS.map((f) => (
              <label key={f}>
                <input type="radio" name={name} value={f} checked={linear === f} onChange={() => onLinear(f)} data-testid={`nl-linear-${f}`} /> {FLOAT_FORMAT_LABELS[f]}
              </label>
            ))}
          </div>
        </fieldset>
      </div>
      <figure className="chart nl-chart">
        <ScrollRegion className="chart-scroll nl-scroll" label="Linear axis, scrolls sideways">
          <LinearChart format={linear} hatchId={`${hatchId}-lin`} />
        </ScrollRegion>
      </figure>
      <p className="widget-caption" data-testid="linear-caption">
        {FLOAT_FORMAT_LABELS[linear]} has {spread.positiveCount} positive values; {spread.belowTenth} of them (
        {Math.round((100 * spread.belowTenth) / spread.positiveCount)}%) {spread.belowTenth === 1 ? 'lies' : 'lie'} in the first tenth of the axis, below{' '}
        {shortNumber(spread.tenth)}. Neighbours are {shortNumber(spread.smallestGap)} apart near zero and{' '}
        {shortNumber(spread.largestGap)} apart at the top: the gap doubles with each doubling of the value, so the
        relative gap stays near 2<sup>−{linearInfo.mantissaBits}</sup> = {shortNumber(linearInfo.epsilon)}.
      </p>

    </>
  );
}

/** Bits, bias, range and epsilon of each chosen format. */
function RangeTable({ rows }: { rows: readonly FloatFormat[] }) {
  return (
    <>
      <h4 className="nl-subtitle">Range and precision</h4>
      <ScrollRegion label="Range and precision">
        <table className="nl-table" data-testid="range-table">
          <caption className="widget-caption" style={{ captionSide: 'bottom', textAlign: 'left' }}>
            Hover a number for its exact decimal value. Epsilon is the gap from 1 to the next value, 2<sup>−M</sup>:
            the relative precision of every normal number.
          </caption>
          <thead>
            <tr>
              <th scope="col">Format</th>
              <th scope="col">Bits</th>
              <th scope="col">Bytes</th>
              <th scope="col">Exponent bits</th>
              <th scope="col">Mantissa bits</th>
              <th scope="col">Bias</th>
              <th scope="col">Max finite</th>
              <th scope="col">Min normal</th>
              <th scope="col">Min subnormal</th>
              <th scope="col">Epsilon</th>
              <th scope="col">Infinity</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((f) => {
              const info = floatFormatInfo(f);
              const saturates = floatFormatSpec(f).overflow === 'saturate';
              return (
                <tr key={f} data-format={f}>
                  <th scope="row">{FLOAT_FORMAT_LABELS[f]}</th>
                  <td>{info.bits}</td>
                  <td>{bytesPerValue(f)}</td>
                  <td>{info.exponentBits}</td>
                  <td>{info.mantissaBits}</td>
                  <td>{info.bias}</td>
                  <td><Num value={info.maxFinite} /></td>
                  <td><Num value={info.minNormal} pow2 /></td>
                  <td><Num value={info.minSubnormal} pow2 /></td>
                  <td><Num value={info.epsilon} pow2 /></td>
                  <td>{info.hasInfinity ? 'yes' : saturates ? `no (saturates at ±${shortNumber(info.maxFinite)})` : 'no'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </ScrollRegion>
    </>
  );
}

/** In the URL: the formats drawn (a bit mask over FLOAT_FORMATS) and the format on the linear axis. */
type State = { formats: number; linear: LinearFormat };
const SPEC: StateSpec<State> = {
  formats: { kind: 'int', min: 0, max: allMask(FLOAT_FORMATS) },
  linear: { kind: 'oneOf', options: LINEAR_FORMATS },
};

/**
 * "Where the numbers are": each float format's positive values on one logarithmic axis (every
 * value for the 4- and 8-bit formats, one bar per doubling for the 16- and 32-bit ones), a small
 * format on a linear axis, and the range/precision table. All numbers come from lib/formats. The
 * formats chosen are shared by link (`?<id>.formats=…&<id>.linear=…`).
 */
export function NumberLine({ id = 'numberline', initialFormats = [...FLOAT_FORMATS], initialLinearFormat = 'fp4-e2m1' }: { id?: string; initialFormats?: FloatFormat[]; initialLinearFormat?: LinearFormat }) {
  const uid = useId();
  const hatchId = `nl-hatch-${uid.replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const [state, update, ignored] = useWidgetState(id, SPEC, {
    formats: maskOf(FLOAT_FORMATS, initialFormats),
    linear: LINEAR_FORMATS.includes(initialLinearFormat) ? initialLinearFormat : 'fp4-e2m1',
  });
  const rows = chosenOf(FLOAT_FORMATS, state.formats);
  const toggle = (f: FloatFormat) => update({ formats: state.formats ^ (1 << FLOAT_FORMATS.indexOf(f)) });

  return (
    <WidgetFrame stateId={id} title="Where the numbers are" testId="number-line">
      <div className="controls">
        <fieldset className="control">
          <legend>Formats</legend>
          <div className="checks">
            {FLOAT_FORMATS.map((f) => (
              <label key={f}>
                <input type="checkbox" checked={rows.includes(f)} onChange={() => toggle(f)} data-testid={`nl-format-${f}`} /> {FLOAT_FORMAT_LABELS[f]}
              </label>
            ))}
          </div>
        </fieldset>
      </div>
      <IgnoredLinkValues ignored={ignored} />
      {rows.length === 0 ? (
        <WidgetError>Pick at least one format to see where its numbers are.</WidgetError>
      ) : (
        <LogChart rows={rows} hatchId={hatchId} />
      )}
      <LinearView linear={state.linear} onLinear={(f) => update({ linear: f })} name={`${uid}-linear`} hatchId={hatchId} />
      <RangeTable rows={rows} />
    </WidgetFrame>
  );
}
