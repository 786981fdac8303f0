/**
 * Axes of the charts (components/charts): count axes for histograms, a padded value domain for line
 * charts, the x domain of a value histogram, and the count wording of hover lines. d3-scale
 * supplies the scales and ticks; React draws them (docs/design.md rule 5). Pure, unit-tested.
 */
import { scaleLinear, scaleLog } from 'd3-scale';
import { shortNumber } from '../formats/display';

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumSignificantDigits: 3 });
const whole = new Intl.NumberFormat('en-US');

/** "12.3K": a count on an axis (Intl compact notation, 3 significant digits). */
export function formatCount(n: number): string {
  return compact.format(n);
}

/** "1,234": a whole count with thousands separators. */
export function formatWhole(n: number): string {
  return whole.format(n);
}

/**
 * "1,234 weights (0.12%)": a bin's count and its share of `total` (3 significant digits; "<0.01%"
 * below that; the noun loses its final "s" for a count of 1).
 */
export function countPhrase(count: number, total: number, noun = 'weights'): string {
  const pct = total > 0 ? (100 * count) / total : 0;
  const share = pct === 0 ? '0%' : pct < 0.01 ? '<0.01%' : `${shortNumber(pct, 3)}%`;
  return `${whole.format(count)} ${count === 1 ? noun.replace(/s$/, '') : noun} (${share})`;
}

export interface CountAxis {
  /** y position (viewBox units) of the top of a bar holding `count`. */
  y: (count: number) => number;
  ticks: number[];
}

/**
 * The count axis from `bottom` (count 0) up to `top`: linear and niced (about 4 whole ticks), or
 * logarithmic in count + 1, so that empty bins sit on the baseline and a single weight still
 * shows (ticks 0 and up to four powers of ten).
 */
export function countAxis(max: number, logY: boolean, top: number, bottom: number): CountAxis {
  const m = Math.max(1, max);
  if (logY) {
    const s = scaleLog().domain([1, m + 1]).range([bottom, top]);
    const decades: number[] = [];
    for (let p = m >= 10 ? 10 : 1; p <= m; p *= 10) decades.push(p);
    const step = Math.ceil(decades.length / 4);
    const ticks = [0, ...decades.filter((_, i) => (decades.length - 1 - i) % step === 0)];
    return { y: (c) => s(c + 1), ticks };
  }
  const s = scaleLinear().domain([0, m]).nice(4).range([bottom, top]);
  return { y: (c) => s(c), ticks: s.ticks(4).filter((t) => Number.isInteger(t)) };
}

/**
 * The y domain of a line chart over values in [lo, hi]: padded by max(8% of the span, padFloor)
 * on each side; a flat series (span 0, padFloor 0) is padded by 5% of |hi|, or by 1 at zero.
 */
export function paddedDomain(lo: number, hi: number, padFloor: number): [number, number] {
  const pad = Math.max((hi - lo) * 0.08, padFloor) || Math.abs(hi) * 0.05 || 1;
  return [lo - pad, hi + pad];
}

/**
 * The x domain of a value histogram over the data range [lo, hi] with a clipping range
 * [clipLo, clipHi]: the data range (padded by 5% of |lo|, or 1e-3, when it is a point; [−1, 1]
 * when not finite), widened towards a clip bound outside it by at most half the data span per
 * side, so grid range the data does not use (the empty side of a symmetric grid) shows.
 * Returns the drawn domain [d0, d1] and the data range [dataLo, dataHi].
 */
export function histogramDomain(lo: number, hi: number, clipLo: number, clipHi: number): { d0: number; d1: number; dataLo: number; dataHi: number } {
  const ok = Number.isFinite(lo) && Number.isFinite(hi);
  let a = ok ? Math.min(lo, hi) : -1;
  let b = ok ? Math.max(lo, hi) : 1;
  if (!(b > a)) {
    const pad = Math.abs(a) * 0.05 || 1e-3;
    a -= pad;
    b += pad;
  }
  const span = b - a;
  const d0 = Number.isFinite(clipLo) && clipLo < a ? Math.max(clipLo, a - span / 2) : a;
  const d1 = Number.isFinite(clipHi) && clipHi > b ? Math.min(clipHi, b + span / 2) : b;
  return { d0, d1, dataLo: ok ? Math.min(lo, hi) : a, dataHi: ok ? Math.max(lo, hi) : b };
}
