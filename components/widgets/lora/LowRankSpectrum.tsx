'use client';

import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';
import { WidgetError } from '@/components/widget-kit/WidgetError';
import { scaleLinear, scaleLog } from 'd3-scale';
import { line } from 'd3-shape';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useNearScreen } from '@/components/ui/useNearScreen';
import { useEngine } from '@/components/widget-kit/useEngine';
import { useWidgetState } from '@/components/widget-kit/useWidgetState';
import { IgnoredLinkValues } from '@/components/widget-kit/IgnoredLinkValues';
import { shortNumber } from '@/lib/formats/display';
import { capturedEnergy, lowRankError, lowRankErrorCurve, singularValues } from '@/lib/linalg/svd';
import { BLOCK_MATRICES, TINY_MODEL_URL, matrixLabel } from '@/lib/model/tiny-model';
import { normalArray } from '@/lib/random';
import type { StateSpec } from '@/lib/url/widget-state';
import { errorMessage } from '@/lib/errors';
import { ScrollRegion } from '@/components/ui/ScrollRegion';

/** The update of a real full fine-tuning of the tiny model: ΔW = W_after − W_before, F32, [out, in]. */
export const DELTA_URL = `${TINY_MODEL_URL}/full-finetune-delta.safetensors`;

type Matrix = (typeof BLOCK_MATRICES)[number];
type State = { layer: number; matrix: Matrix; r: number; random: boolean };
const BASE: State = { layer: 0, matrix: 'attn.c_attn', r: 8, random: true };
const SPEC: StateSpec<State> = {
  layer: { kind: 'int', min: 0, max: 63 },
  matrix: { kind: 'oneOf', options: BLOCK_MATRICES },
  r: { kind: 'int', min: 1, max: 4096 },
  random: { kind: 'bool' },
};
const MARKED_RANKS = [8, 16];

type Delta = { rows: number; cols: number; data: Float32Array };
type Load =
  | { state: 'idle' | 'loading' }
  | { state: 'missing'; message: string }
  | { state: 'error'; message: string }
  | { state: 'ready'; deltas: Map<string, Delta>; layers: number[]; metadata: Record<string, string> };

const NAME = /^transformer\.h\.(\d+)\.(attn\.c_attn|attn\.c_proj|mlp\.c_fc|mlp\.c_proj)\.weight$/;

async function loadDeltas(url: string, signal?: AbortSignal): Promise<Load> {
  let res: Response;
  try {
    res = await fetch(url, { signal });
  } catch (e) {
    return { state: 'error', message: `Could not fetch ${url} (${errorMessage(e)}).` };
  }
  if (res.status === 404) {
    return { state: 'missing', message: `The fine-tuning update ${url} is not on this site yet (HTTP 404): it is made by the offline fine-tuning script, and this widget needs it.` };
  }
  if (!res.ok) return { state: 'error', message: `Could not fetch ${url}: HTTP ${res.status}.` };
  // The reader loads with the file, keeping it out of the lesson's first load.
  const [{ readSafetensorsBlob, tensorToFloat32 }, blob] = await Promise.all([import('@/lib/io/safetensors'), res.blob()]);
  const file = await readSafetensorsBlob(blob);
  const deltas = new Map<string, Delta>();
  const layers = new Set<number>();
  for (const [name, t] of file.tensors) {
    const m = NAME.exec(name);
    if (!m || t.shape.length !== 2) continue;
    deltas.set(`${m[1]}.${m[2]}`, { rows: t.shape[0], cols: t.shape[1], data: tensorToFloat32(t) });
    layers.add(Number(m[1]));
  }
  if (deltas.size === 0) {
    return { state: 'error', message: `${url} holds no tensors named like transformer.h.0.attn.c_attn.weight: it is not the update this widget expects.` };
  }
  return { state: 'ready', deltas, layers: [...layers].sort((a, b) => a - b), metadata: file.metadata };
}

type Spectrum =
  | { ok: true; sigma: Float64Array; curve: Float64Array; ms: number; zero: boolean }
  | { ok: false; message: string };

function spectrumOf(d: Delta): Spectrum {
  for (let i = 0; i < d.data.length; i++) {
    if (!Number.isFinite(d.data[i])) return { ok: false, message: `This ΔW holds ${d.data[i]} at entry ${i}: the update is broken, so there is no spectrum to show.` };
  }
  const t0 = performance.now();
  const sigma = singularValues(d.data, d.rows, d.cols);
  return { ok: true, sigma, curve: lowRankErrorCurve(sigma), ms: performance.now() - t0, zero: sigma[0] === 0 };
}

/** A Gaussian matrix of the same shape and Frobenius norm: what an update with no structure would look like. */
function randomLike(d: Delta, seed: number): Delta {
  const x = normalArray(d.rows * d.cols, seed);
  let target = 0, have = 0;
  for (let i = 0; i < x.length; i++) {
    target += d.data[i] * d.data[i];
    have += x[i] * x[i];
  }
  const scale = have > 0 ? Math.sqrt(target / have) : 0;
  for (let i = 0; i < x.length; i++) x[i] *= scale;
  return { rows: d.rows, cols: d.cols, data: x };
}

const W = 640;
const H = 220;
const M = { left: 64, right: 20, top: 14, bottom: 40 };
const pct = (x: number) => `${shortNumber(100 * x, 3)}%`;

type OkSpectrum = Extract<Spectrum, { ok: true }>;

/** The chart scales shared by the spectrum and the error chart. */
function spectrumScales(s: OkSpectrum['sigma'], base: OkSpectrum | null) {
  const k = s.length;
  const positive = Array.from(s).filter((v) => v > 0);
  const all = [...positive, ...(base ? Array.from(base.sigma).filter((v) => v > 0) : [])];
  const lo = Math.max(Math.min(...all), s[0] * 1e-8);
  const sx = scaleLinear().domain([1, k]).range([M.left, W - M.right]);
  const sy = scaleLog().domain([lo / 1.3, Math.max(...all) * 1.3]).range([H - M.bottom, M.top]).clamp(true);
  return { k, lo, sx, sy };
}

/** Singular values of ΔW, largest first, on a log scale (dashed: the random baseline). */
function SigmaChart({ s, base, r, matrixName }: { s: OkSpectrum['sigma']; base: OkSpectrum | null; r: number; matrixName: string }) {
  const { k, lo, sx, sy } = spectrumScales(s, base);
  const specLine = line<number>().x((_, i) => sx(i + 1)).y((v) => sy(Math.max(v, lo)));
  const decades = sy.ticks().filter((t) => Math.abs(Math.log10(t) - Math.round(Math.log10(t))) < 1e-9);
  return (
    <>
      <h4 className="nl-subtitle">Singular values of ΔW, largest first (log scale)</h4>
      <figure className="chart" style={{ margin: 0 }} data-testid="spectrum-chart">
        <ScrollRegion className="chart-scroll chart-full" label="Chart, scrolls sideways">
        <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Singular values of ΔW for ${matrixName}: largest ${shortNumber(s[0], 3)}, at index 8 ${shortNumber(s[Math.min(7, k - 1)], 3)}, smallest ${shortNumber(s[k - 1], 3)}`}>
          <g className="axis">
            {decades.map((t) => (
              <g key={t}>
                <line x1={M.left} x2={W - M.right} y1={sy(t)} y2={sy(t)} stroke="var(--border)" strokeDasharray="2 3" />
                <text x={M.left - 6} y={sy(t) + 4} textAnchor="end">{t.toExponential(0)}</text>
              </g>
            ))}
            {sx.ticks(8).map((t) => <text key={t} x={sx(t)} y={H - M.bottom + 16} textAnchor="middle">{t}</text>)}
            <text x={(M.left + W - M.right) / 2} y={H - 4} textAnchor="middle">index i of the singular value σᵢ</text>
          </g>
          {MARKED_RANKS.filter((m) => m <= k).map((m) => (
            <g key={m}>
              <line x1={sx(m)} x2={sx(m)} y1={M.top} y2={H - M.bottom} stroke="var(--fg-muted)" strokeDasharray="4 3" />
              <text x={sx(m) + 4} y={M.top + 10} style={{ fill: 'var(--fg)' }}>r = {m}</text>
            </g>
          ))}
          {base && <path d={specLine(Array.from(base.sigma)) ?? ''} fill="none" stroke="var(--chart-2)" strokeWidth={1.5} strokeDasharray="6 4" data-testid="spectrum-random-line" />}
          <path d={specLine(Array.from(s)) ?? ''} fill="none" stroke="var(--chart-1)" strokeWidth={2} data-testid="spectrum-line" />
          {Array.from(s, (v, i) => (i < r ? <circle key={i} cx={sx(i + 1)} cy={sy(Math.max(v, lo))} r={2.5} fill="var(--chart-1)" /> : null))}
        </svg>
        </ScrollRegion>
      </figure>

    </>
  );
}

/** Relative error of the best rank-r approximation against r, the marked ranks and the chosen one. */
function ErrorChart({ spectrum, base, r }: { spectrum: OkSpectrum; base: OkSpectrum | null; r: number }) {
  const s = spectrum.sigma;
  const k = s.length;
  const ex = scaleLinear().domain([0, k]).range([M.left, W - M.right]);
  const ey = scaleLinear().domain([0, 1]).range([H - M.bottom, M.top]);
  const errLine = line<number>().x((_, i) => ex(i)).y((v) => ey(v));
  return (
    <>
      <h4 className="nl-subtitle">Relative error of the best rank-r approximation, ‖ΔW − ΔW<sub>r</sub>‖<sub>F</sub> / ‖ΔW‖<sub>F</sub></h4>
      <figure className="chart" style={{ margin: 0 }} data-testid="spectrum-error-chart">
        <ScrollRegion className="chart-scroll chart-full" label="Chart, scrolls sideways">
        <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Relative error against rank: ${MARKED_RANKS.filter((m) => m <= k).map((m) => `rank ${m}: ${pct(lowRankError(s, m))}`).join('; ')}`}>
          <g className="axis">
            {ey.ticks(5).map((t) => (
              <g key={t}>
                <line x1={M.left} x2={W - M.right} y1={ey(t)} y2={ey(t)} stroke="var(--border)" strokeDasharray="2 3" />
                <text x={M.left - 6} y={ey(t) + 4} textAnchor="end">{pct(t)}</text>
              </g>
            ))}
            {ex.ticks(8).map((t) => <text key={t} x={ex(t)} y={H - M.bottom + 16} textAnchor="middle">{t}</text>)}
            <text x={(M.left + W - M.right) / 2} y={H - 4} textAnchor="middle">rank r</text>
          </g>
          {base && <path d={errLine(Array.from(base.curve)) ?? ''} fill="none" stroke="var(--chart-2)" strokeWidth={1.5} strokeDasharray="6 4" />}
          <path d={errLine(Array.from(spectrum.curve)) ?? ''} fill="none" stroke="var(--chart-1)" strokeWidth={2} />
          {MARKED_RANKS.filter((m) => m <= k).map((m) => (
            <g key={m} data-rank={m}>
              <line x1={ex(m)} x2={ex(m)} y1={M.top} y2={H - M.bottom} stroke="var(--fg-muted)" strokeDasharray="4 3" />
              <circle cx={ex(m)} cy={ey(spectrum.curve[m])} r={4} fill="var(--chart-1)" />
              <text x={ex(m) + 6} y={ey(spectrum.curve[m]) - 6} style={{ fill: 'var(--fg)' }}>r = {m}: {pct(spectrum.curve[m])}</text>
            </g>
          ))}
          <rect x={ex(r) - 5} y={ey(spectrum.curve[r]) - 5} width={10} height={10} fill="none" stroke="var(--fg)" strokeWidth={2} />
        </svg>
        </ScrollRegion>
      </figure>
    </>
  );
}

/** A loaded spectrum: what rank r captures, the marked ranks' shares, and the two charts. */
function SpectrumView({ spectrum, baseline: base, delta, r, matrixName }: { spectrum: OkSpectrum; baseline: OkSpectrum | null; delta: Delta; r: number; matrixName: string }) {
  const s = spectrum.sigma;
  const k = s.length;
  const err = lowRankError(s, r);
  return (
    <>
    <>
      <p className="widget-caption" aria-live="polite" data-testid="spectrum-readout">
        Rank {r} captures <strong data-testid="spectrum-captured">{pct(capturedEnergy(s, r))}</strong> of the update (of ‖ΔW‖²<sub>F</sub>); the best
        rank-{r} approximation is off by {pct(err)} of ‖ΔW‖<sub>F</sub>.
        {base && <> A random matrix of the same shape and size keeps {pct(capturedEnergy(base.sigma, r))} at rank {r}.</>}
      </p>
      <dl className="stat-grid">
        {MARKED_RANKS.filter((m) => m <= k).map((m) => (
          <div className="stat" key={m}>
            <dt>Rank {m} captures</dt>
            <dd data-testid={`spectrum-captured-${m}`}>{pct(capturedEnergy(s, m))}</dd>
          </div>
        ))}
        <div className="stat">
          <dt>Rank for 90% of the update</dt>
          <dd data-testid="spectrum-rank90">{spectrum.curve.findIndex((e) => 1 - e * e >= 0.9)} of {k}</dd>
        </div>
        <div className="stat">
          <dt>ΔW, shape and SVD time</dt>
          <dd>{delta.rows} × {delta.cols}, {Math.max(1, Math.round(spectrum.ms))} ms</dd>
        </div>
      </dl>

        <SigmaChart s={s} base={base} r={r} matrixName={matrixName} />
        <ErrorChart spectrum={spectrum} base={base} r={r} />
      <p className="bit-legend">
        <span>solid line: this ΔW</span>
        {base && <span>dashed line: a random Gaussian matrix of the same shape and Frobenius norm</span>}
        <span>square: the rank chosen above</span>
      </p>
    </>
    </>
  );
}

/**
 * How low-rank is a real fine-tuning update? Loads ΔW = W_after − W_before of a full fine-tuning of
 * the tiny model, computes the singular values of one matrix in the browser (lib/linalg/svd,
 * one-sided Jacobi), and draws the spectrum (log scale) and the relative Frobenius error of the best
 * rank-r approximation (Eckart–Young, `lowRankError`) as r grows.
 */
export function LowRankSpectrum({ id = 'spectrum', url = DELTA_URL }: { id?: string; url?: string }) {
  const rootRef = useRef<HTMLElement>(null);
  const near = useNearScreen(rootRef);
  const [state, update, ignored, reject] = useWidgetState(id, SPEC, BASE);
  const [attempt, setAttempt] = useState(0);
  // Fetched once the widget is near the screen, again on "Try again" (a new attempt); a stale
  // fetch is aborted and its result dropped (useEngine).
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `attempt` is the retry: a new one fetches again
  const fetched = useEngine((signal) => (near ? loadDeltas(url, signal) : null), [near, url, attempt]);
  const load: Load =
    fetched.status === 'ready' ? fetched.engine
    : fetched.status === 'failed' ? { state: 'error', message: `The file could not be read: ${fetched.error}` }
    : { state: fetched.status === 'starting' ? 'loading' : 'idle' };

  const ready = load.state === 'ready' ? load : null;
  const layer = ready && ready.layers.includes(state.layer) ? state.layer : (ready?.layers[0] ?? 0);
  const delta = ready?.deltas.get(`${layer}.${state.matrix}`) ?? null;
  const spectrum = useMemo(() => (delta ? spectrumOf(delta) : null), [delta]);
  const baseline = useMemo(() => (delta && state.random ? spectrumOf(randomLike(delta, 1000 + layer)) : null), [delta, state.random, layer]);

  const k = spectrum?.ok ? spectrum.sigma.length : 0;
  const r = Math.min(state.r, Math.max(1, k));
  // A link's block or rank that this file's matrices do not have is named, not clamped in silence.
  useEffect(() => {
    if (ready && !ready.layers.includes(state.layer)) reject('layer');
  }, [ready, state.layer, reject]);
  useEffect(() => {
    if (k > 0 && state.r > k) reject('r');
  }, [k, state.r, reject]);

  let body: ReactNode;
  if (load.state === 'idle' || load.state === 'loading') {
    body = <p className="widget-caption" role="status" data-testid="spectrum-status" data-state={load.state}>Loading the fine-tuning update…</p>;
  } else if (load.state === 'missing' || load.state === 'error') {
    body = (
      <div className="error-message" role="alert" data-testid="spectrum-status" data-state={load.state}>
        <p>{load.message}</p>
        <button type="button" onClick={() => setAttempt((a) => a + 1)}>Try again</button>
      </div>
    );
  } else if (!delta) {
    body = <WidgetError testId="spectrum-status" state="error">The file has no {state.matrix} for block {layer + 1}.</WidgetError>;
  } else if (spectrum && !spectrum.ok) {
    body = <WidgetError testId="spectrum-status" state="error">{spectrum.message}</WidgetError>;
  } else if (spectrum?.ok && spectrum.zero) {
    body = <p className="error-message" role="status" data-testid="spectrum-status" data-state="zero">This ΔW is all zeros: the fine-tuning did not change this matrix, so every rank captures it exactly.</p>;
  } else if (spectrum?.ok && delta) {
    body = <SpectrumView spectrum={spectrum} baseline={baseline?.ok ? baseline : null} delta={delta} r={r} matrixName={matrixLabel(`h.${layer}.${state.matrix}`)} />;
  }

  const meta = ready?.metadata;
  return (
    <WidgetFrame stateId={id}
      title="How low-rank is a real fine-tuning update?"
      subtitle={<>ΔW = W<sub>after</sub> − W<sub>before</sub> of the tiny model{meta?.steps ? `, fully fine-tuned for ${meta.steps} steps` : ''}</>}
      testId="spectrum-widget"
      ref={rootRef}
    >
      <div className="controls">
        <label className="control">
          <span>Block</span>
          <select value={layer} onChange={(e) => update({ layer: Number(e.target.value) })} disabled={!ready} data-testid="spectrum-layer">
            {(ready?.layers ?? [0]).map((l) => <option key={l} value={l}>Block {l + 1}</option>)}
          </select>
        </label>
        <label className="control">
          <span>Matrix</span>
          <select value={state.matrix} onChange={(e) => update({ matrix: e.target.value as Matrix })} disabled={!ready} data-testid="spectrum-matrix">
            {BLOCK_MATRICES.map((m) => <option key={m} value={m}>{matrixLabel(`h.0.${m}`).replace(/^Block 1 · /, '')}</option>)}
          </select>
        </label>
        <label className="control">
          <span>Rank r: {r}</span>
          <input type="range" min={1} max={Math.max(1, k)} step={1} value={r} onChange={(e) => update({ r: Number(e.target.value) })}
            disabled={k === 0} aria-valuetext={`rank ${r}`} data-testid="spectrum-r" />
        </label>
        <label className="control">
          <span>Compare</span>
          <span><input type="checkbox" checked={state.random} onChange={(e) => update({ random: e.target.checked })} data-testid="spectrum-random" /> random matrix</span>
        </label>
      </div>
      <IgnoredLinkValues ignored={ignored} />
      {body}
    </WidgetFrame>
  );
}
