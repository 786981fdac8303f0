'use client';

import { useNearScreen } from '@/components/ui/useNearScreen';
import { useEngine } from '@/components/widget-kit/useEngine';
import { DeviceLostNotice, useComputeLoss } from '@/components/widget-kit/useComputeLoss';
import { isDeviceLostError } from '@/lib/compute/device-loss';
import { useWidgetState } from '@/components/widget-kit/useWidgetState';
import { IgnoredLinkValues } from '@/components/widget-kit/IgnoredLinkValues';
import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';
import { WidgetError } from '@/components/widget-kit/WidgetError';
import { sameWidgetState } from '@/lib/url/widget-state';
import { memo, Suspense, useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { ErrorHistogram } from '@/components/charts/ErrorHistogram';
import { Heatmap } from '@/components/charts/Heatmap';
import { ValueHistogram } from '@/components/charts/ValueHistogram';
import { getCompute } from '@/lib/compute';
import { INITIAL_LAB_SNAPSHOT, LabEngine, type LabSnapshot, type OwnLabMatrix } from '@/lib/lab/engine';
import type { LabRun } from '@/lib/lab/gpu';
import { shortNumber } from '@/lib/formats/display';
import { clipEdges, gridLevels, quantizeOne } from '@/lib/quant/grid';
import { DEFAULT_LAB_VIEW, LAB_VIEW_SPEC, type LabView } from '@/lib/lab/view';
import { ALL_LAB_CONTROLS, LabControls, type LabControlName } from './LabControls';
import { LabOwnModel, useLabOwnMatrix } from './LabOwnModel';

export type LabPanel = 'histogram' | 'error' | 'heatmap';

const noSubscription = () => () => {};
const initialSnapshot = () => INITIAL_LAB_SNAPSHOT;

function sci(x: number, digits = 3): string {
  return shortNumber(x, digits);
}

/** Index of the slice with the widest range: its grid is the one drawn over the histogram. */
function widestSlice(scale: Float32Array): number {
  let best = 0;
  for (let s = 1; s < scale.length; s++) if (scale[s] > scale[best]) best = s;
  return best;
}

type OkRun = Extract<LabRun, { ok: true }>;

/**
 * The lab's charts, memoised: while a new result is being computed only the header changes, and
 * the charts are not re-rendered until the new statistics arrive.
 */
const LabPanels = memo(function LabPanels({ result: ok, view, tensor, logY, panels }: {
  result: OkRun;
  view: LabView | null;
  tensor: LabSnapshot['tensor'];
  logY: boolean;
  panels: readonly LabPanel[];
}) {
  const slice = widestSlice(ok.params.scale);
  const sliceScale = ok.params.scale[slice];
  const sliceZp = ok.params.zeroPoint[slice];
  const levels = useMemo(() => gridLevels(sliceScale, sliceZp, ok.params.qmin, ok.params.qmax), [sliceScale, sliceZp, ok.params.qmin, ok.params.qmax]);
  const edges = clipEdges(sliceScale, sliceZp, ok.params.qmin, ok.params.qmax);
  const sliceName = view?.granularity === 'channel' ? `row ${slice}` : view?.granularity === 'group' ? `group ${slice}` : 'the tensor';
  const outlierCells = useMemo(
    () => [...new Set((tensor?.outlierColumns ?? []).map((c) => Math.floor(c / ok.layout.cellCols)))],
    [tensor, ok.layout.cellCols],
  );
  return (
    <>
          {panels.includes('histogram') && (
            <figure className="lab-panel">
              <ValueHistogram
                counts={ok.valueHistogram}
                lo={ok.calibration.tensorMin}
                hi={ok.calibration.tensorMax}
                levels={levels}
                clipLo={edges.lo}
                clipHi={edges.hi}
                logY={logY}
                title={`Histogram of the weights with the ${levels.length} levels of ${sliceName}`}
                describeValue={(x) => {
                  const r = quantizeOne(x, sliceScale, sliceZp, ok.params.qmin, ok.params.qmax);
                  return `x = ${sci(x, 4)} → q = ${r.q}${r.clipped ? ' (clipped)' : ''} → x̂ = ${sci(r.xhat, 4)}, error ${sci(r.error, 3)}`;
                }}
              />
              <figcaption className="widget-caption">
                The weights’ histogram with the quantization grid of {sliceName} ({levels.length} levels, one every s = {sci(sliceScale)}); hatched regions clip to the end levels.
              </figcaption>
            </figure>
          )}
          {panels.includes('error') && (
            <figure className="lab-panel">
              <ErrorHistogram counts={ok.stats.errorHistogram} range={ok.stats.errorRange} halfStep={sliceScale / 2} logY={logY} title="Histogram of the quantization error x̂ − x" />
              <figcaption className="widget-caption">Rounding error x̂ − x: within ±s/2 unless a weight was clipped.</figcaption>
            </figure>
          )}
          {panels.includes('heatmap') && tensor && (
            <figure className="lab-panel">
              <Heatmap
                values={ok.stats.cellMse}
                rows={ok.layout.rows}
                cols={ok.layout.cellsPerRow}
                rowLabel="output channel (row)"
                colLabel={`columns, ${ok.layout.cellCols} per cell`}
                valueLabel="MSE"
                formatValue={(v) => sci(v)}
                markCols={outlierCells}
                describeCell={(r, c) => `row ${r}, columns ${c * ok.layout.cellCols}–${(c + 1) * ok.layout.cellCols - 1}: MSE ${sci(ok.stats.cellMse[r * ok.layout.cellsPerRow + c])}`}
                title="Mean squared error over the weight matrix"
              />
              <figcaption className="widget-caption">
                Error over the matrix, {ok.layout.cellCols} weights a cell{outlierCells.length > 0 ? '; ticks mark the outlier columns' : ''}. Per-tensor scales let one outlier raise every cell’s error; per-channel and group-wise scales confine it.
              </figcaption>
            </figure>
          )}
    </>
  );
});

/** The lab's numbers for one result: scale, zero-point, MSE, SQNR, clipping, bits per weight. */
function LabStats({ ok, view }: { ok: OkRun; view: LabView | null }) {
  const perTensor = ok.params.scale.length === 1;
  const slice = widestSlice(ok.params.scale);
  const sliceScale = ok.params.scale[slice];
  const sliceZp = ok.params.zeroPoint[slice];
  return (
    <dl className="stat-grid" data-testid="lab-stats">
      <div className="stat">
        <dt>{perTensor ? 'Scale s' : `Scales (${ok.params.scale.length.toLocaleString('en-US')})`}</dt>
        <dd data-testid="lab-scale">{perTensor ? sci(ok.params.scale[0], 6) : `up to ${sci(sliceScale)}`}</dd>
      </div>
      <div className="stat">
        <dt>Zero-point z</dt>
        <dd data-testid="lab-zero-point">{perTensor ? ok.params.zeroPoint[0] : view?.symmetric ? (view.signed ? '0' : String(sliceZp)) : 'per slice'}</dd>
      </div>
      <div className="stat">
        <dt>MSE</dt>
        <dd data-testid="lab-mse">{sci(ok.stats.mse)}</dd>
      </div>
      <div className="stat">
        <dt>SQNR</dt>
        <dd data-testid="lab-sqnr">{Number.isFinite(ok.stats.sqnrDb) ? `${ok.stats.sqnrDb.toFixed(1)} dB` : '∞ (no error)'}</dd>
      </div>
      <div className="stat">
        <dt>Max |error|</dt>
        <dd data-testid="lab-max-error">{sci(ok.stats.maxAbsError)}</dd>
      </div>
      <div className="stat">
        <dt>Clipped</dt>
        <dd data-testid="lab-clipped">{(ok.stats.clippedFraction * 100).toPrecision(3)}%</dd>
      </div>
      <div className="stat">
        <dt>Bits per weight (with scales)</dt>
        <dd data-testid="lab-bpw">{ok.bitsPerWeight.toFixed(3)}</dd>
      </div>
      <div className="stat">
        <dt>NaN / Inf excluded</dt>
        <dd data-testid="lab-nonfinite">{ok.stats.nonFinite.toLocaleString('en-US')}</dd>
      </div>
    </dl>
  );
}

/** Notes under the numbers: a constant tensor's range, and what percentile or MSE calibration chose. */
function LabNotes({ ok, view }: { ok: OkRun; view: LabView | null }) {
  return (
    <>
      {ok.stats.count > 0 && ok.calibration.tensorMin === ok.calibration.tensorMax && (
        <p className="widget-caption" data-testid="lab-constant-note">
          Every weight is equal, so min = max and the range is just [{sci(Math.min(0, ok.calibration.tensorMin))}, {sci(Math.max(0, ok.calibration.tensorMax))}] after widening it to hold 0; had it been all zeros, the scale would fall back to ε = 2⁻²³ instead of dividing by zero.
        </p>
      )}
      {ok.calibration.method !== 'minmax' && (
        <p className="widget-caption" data-testid="lab-calibration-note">
          {ok.calibration.method === 'percentile' ? `Percentile calibration keeps ${view?.percentile}% of the weights inside` : `MSE calibration chose clip ratio ${ok.calibration.clipRatio?.toFixed(3)}:`} range [{sci(ok.calibration.lo)}, {sci(ok.calibration.hi)}] instead of [{sci(ok.calibration.tensorMin)}, {sci(ok.calibration.tensorMax)}].
        </p>
      )}
    </>
  );
}

/** The log-scale toggle, the "copy a link" button and Reset, above the charts. */
function LabActions({ logY, onLogY, onReset }: { logY: boolean; onLogY: (v: boolean) => void; onReset: () => void }) {
  const [copied, setCopied] = useState(false);
  const copyLink = async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      setCopied(false);
    }
  };
  return (
    <div className="controls">
      <label>
        <input type="checkbox" checked={logY} onChange={(e) => onLogY(e.target.checked)} /> log-scale counts
      </label>
      <button type="button" onClick={copyLink} data-testid="lab-copy-link">{copied ? 'Link copied' : 'Copy a link to this view'}</button>
      <button type="button" onClick={onReset}>Reset</button>
    </div>
  );
}

/** What the engine says besides a result: rejected settings, a device loss, a failure, the fallback, the tensor. */
function LabStatus({ snap, lost, onRestart }: { snap: LabSnapshot; lost: boolean; onRestart: () => void }) {
  const result = lost ? null : snap.result;
  return (
    <>
      {result && !result.ok && (
        <div className="error-message" role="alert" data-testid="lab-errors">
          {result.errors.map((e) => (
            <p key={e}>{e}</p>
          ))}
        </div>
      )}
      {lost && <DeviceLostNotice onRestart={onRestart} error={snap.error} />}
      {snap.error && !lost && <WidgetError>The lab stopped: {snap.error}</WidgetError>}
      {snap.fallback && !lost && <p className="widget-caption" role="status" data-testid="lab-fallback">{snap.fallback}</p>}
      {snap.tensor && !lost && (
        <p className="widget-caption" data-testid="lab-tensor">
          Weights: {snap.view?.distribution === 'model' ? snap.tensor.description : `synthetic stand-in for a trained layer — ${snap.tensor.description}`}.
        </p>
      )}
      {!(result?.ok) && !snap.error && !lost && !(result && !result.ok) && <p className="widget-caption">Quantizing the weights on the active backend…</p>}
    </>
  );
}

/**
 * The quantization lab: a weight matrix quantized with the learner's settings on the active
 * backend (fused WebGPU kernels, else the CPU reference), with the histogram and its grid, the
 * error histogram, a heatmap of error over the matrix, and the numbers. Its state lives in the URL
 * under `?<id>.<field>=…` (useWidgetState with lib/lab/view's LAB_VIEW_SPEC) so a teacher can
 * share one exact view.
 */
export function QuantLab({ id, initial, controls = ALL_LAB_CONTROLS, panels = ['histogram', 'error', 'heatmap'], title = 'Quantization lab' }: {
  /** Names this lab's URL parameters; unique on a page. */
  id: string;
  initial?: Partial<LabView>;
  controls?: readonly LabControlName[];
  panels?: readonly LabPanel[];
  title?: string;
}) {
  const uid = useId();
  const base = useMemo<LabView>(() => ({ ...DEFAULT_LAB_VIEW, ...initial }), [initial]);
  const [view, update, ignored] = useWidgetState(id, LAB_VIEW_SPEC, base);
  // Created in an effect and disposed in its cleanup (StrictMode-safe): null until mounted.
  // A new engine after a WebGPU device loss, when the learner presses Restart (useComputeLoss).
  const loss = useComputeLoss();
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the key is the restart: a new one makes a new engine
  const { engine } = useEngine(() => new LabEngine(getCompute), [loss.key]);
  const snap = useSyncExternalStore(engine?.subscribe ?? noSubscription, engine?.getSnapshot ?? initialSnapshot, initialSnapshot);
  const rootRef = useRef<HTMLElement>(null);
  const [logY, setLogY] = useState(false);

  // Compute only once the lab is near the screen: a lesson with three labs must not quantize
  // three million-weight tensors before the learner scrolls to them.
  const visible = useNearScreen(rootRef);

  // The learner's own checkpoint, in a lab whose Weights control is on 'model': its matrix is not in the view.
  const modelPicker = controls.includes('tensor') && view.distribution === 'model';
  const tinyLayer = useCallback((layer: string) => update({ layer }), [update]);
  const { own, matrices, source, matrixChoice, resetChoice } = useLabOwnMatrix(modelPicker, view.layer, tinyLayer);

  // Slider changes reach the engine from the event handler itself (see `change`); this effect
  // covers the first view, the view read from the URL, resets, a new engine and the learner's matrix.
  const sent = useRef<{ engine: LabEngine; view: LabView; source: OwnLabMatrix | null } | null>(null);
  useEffect(() => {
    // A learner's matrix that goes away (unloaded) is let go even off screen: the engine must not keep the model alive.
    const dropped = source === null && !!sent.current?.source;
    if ((visible || dropped) && engine && (sent.current?.engine !== engine || sent.current.source !== source || !sameWidgetState(sent.current.view, view))) {
      sent.current = { engine, view, source };
      engine.setView(view, source);
    }
  }, [engine, view, visible, source]);

  // Benchmarks and tests read these: the settings asked for, and the settings drawn.
  useLayoutEffect(() => {
    rootRef.current?.setAttribute('data-rendered-version', String(snap.resultVersion));
  }, [snap.resultVersion]);

  // One `change` for the component's lifetime, so the memoised controls are not re-rendered (nor
  // their inputs rewritten) when only a result arrives; it reads the latest view, engine and visibility.
  const latest = useRef({ view, visible, engine, source });
  useLayoutEffect(() => {
    latest.current = { view, visible, engine, source };
  });
  const change = useCallback((next: Partial<LabView>) => {
    const { view: current, visible: near, engine: live, source: own } = latest.current;
    const updated = { ...current, ...next };
    if (near && live) {
      sent.current = { engine: live, view: updated, source: own };
      live.setView(updated, own);
    }
    update(next);
  }, [update]);
  // After a device loss the charts of the previous setting are stale: show only the notice.
  const lost = loss.lost || (snap.error !== null && isDeviceLostError(snap.error));
  const result = lost ? null : snap.result;
  const ok = result?.ok === true ? result : null;
  const path = (
    <span data-testid="lab-path">
      {ok ? (ok.path === 'fused-webgpu' ? 'fused WebGPU kernels' : 'CPU reference') : 'starting…'}
      {ok ? ` · ${snap.ms.toFixed(1)} ms` : ''}
    </span>
  );

  return (
    <WidgetFrame stateId={id}
      ref={rootRef}
      title={title}
      subtitle={path}
      className="quant-lab"
      testId="quant-lab"
      data={{ 'data-lab-id': id, 'data-settings-version': snap.settingsVersion }}
      busy={snap.state === 'loading' || snap.state === 'computing'}
    >
      <LabControls view={view} onChange={change} controls={controls} idPrefix={uid} matrix={matrixChoice} />
      {modelPicker && <Suspense fallback={null}><LabOwnModel own={own} matrices={matrices} /></Suspense>}
      <IgnoredLinkValues ignored={ignored} testId="lab-ignored">
        {(list) => <>The link asked for {list}, which the lab cannot show (bits must be 2 to 8; the other values have fixed choices). Showing the lesson’s defaults for those.</>}
      </IgnoredLinkValues>
      <LabStatus snap={snap} lost={lost} onRestart={loss.restart} />
      {ok && (
        <>
          <LabStats ok={ok} view={snap.view} />
          <LabNotes ok={ok} view={snap.view} />
          <LabActions logY={logY} onLogY={setLogY} onReset={() => { update(base); resetChoice(); }} />
          <LabPanels result={ok} view={snap.view} tensor={snap.tensor} logY={logY} panels={panels} />
        </>
      )}
    </WidgetFrame>
  );
}
