'use client';

import { useMemo } from 'react';
import { WidgetError } from '@/components/widget-kit/WidgetError';
import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';
import { IgnoredLinkValues } from '@/components/widget-kit/IgnoredLinkValues';
import { useWidgetState } from '@/components/widget-kit/useWidgetState';
import { shortNumber } from '@/lib/formats/display';
import { decompositionErrors, floatProduct, layerOperands } from '@/lib/model/activation-study';
import { SYNTHETIC_CHANNELS } from './ActivationHeatmap';
import { LayerSelect, LAYER_OPTIONS, layerPath, useStudy, SyntheticToggle, CaptureNote } from './useStudy';

const SPEC = { layer: { kind: 'oneOf', options: LAYER_OPTIONS }, threshold: { kind: 'int', min: 1, max: 20 }, synthetic: { kind: 'bool' } } as const;
const BASE = { layer: 'h.0.mlp.c_fc', threshold: 6, synthetic: true };
const ROWS = 128;
const FACTOR = 40;

const pct = (v: number) => `${shortNumber(100 * v, 3)}%`;

/** Widget (b): LLM.int8()'s mixed-precision decomposition on a real layer, threshold slider, error against all-int8. */
export function Int8Decomposition() {
  const [state, update, ignored] = useWidgetState('act-int8', SPEC, BASE);
  const loaded = useStudy(true);
  const op = useMemo(() => (loaded.engine ? layerOperands(loaded.engine.study, layerPath(state.layer), ROWS, state.synthetic ? { count: SYNTHETIC_CHANNELS, factor: FACTOR } : null) : null), [loaded.engine, state.layer, state.synthetic]);
  const reference = useMemo(() => (op ? floatProduct(op) : null), [op]);
  const r = useMemo(() => (op && reference ? decompositionErrors(op, state.threshold, reference) : null), [op, reference, state.threshold]);

  return (
    <WidgetFrame stateId="act-int8"
      title="LLM.int8(): keep the outlier columns in float"
      subtitle={`Y = X Wᵀ on ${ROWS} calibration tokens of one layer${state.synthetic ? `, with ${SYNTHETIC_CHANNELS} SYNTHETIC outlier channels (×${FACTOR})` : ''}`}
      backend={loaded.engine ? `Inputs captured on ${loaded.engine.backend}; the int8 products are lib/quant’s CPU reference (float64).` : undefined}
      error={loaded.status === 'failed' ? <WidgetError>{loaded.error}</WidgetError> : undefined}
      testId="act-int8"
      state={loaded.status === 'failed' ? 'error' : r ? 'done' : 'loading'}
    >
      <div className="controls">
        <LayerSelect value={state.layer} onChange={(layer) => update({ layer })} testId="act-int8-layer" />
        <label className="control">
          <span>Threshold: |x| ≥ {state.threshold} stays in float</span>
          <input type="range" min={1} max={20} step={1} value={state.threshold} onChange={(e) => update({ threshold: Number(e.target.value) })} data-testid="act-int8-threshold" />
        </label>
        <SyntheticToggle checked={state.synthetic} onChange={(synthetic) => update({ synthetic })} testId="act-int8-synthetic" />
        <button type="button" onClick={() => update(BASE)}>Reset</button>
      </div>
      <IgnoredLinkValues ignored={ignored} />
      <CaptureNote shown={!r && loaded.status !== 'failed'} />
      {r && op && (
        <>
          <table className="compact-table" data-testid="act-int8-table">
            <tbody>
              <tr>
                <th scope="row">Columns kept in float</th>
                <td data-testid="act-int8-columns">{r.outlierColumns.length} of {op.xShape[1]}</td>
              </tr>
              <tr>
                <th scope="row">Error of all-int8 (vector-wise) vs float</th>
                <td data-testid="act-int8-pure">{pct(r.int8Error)}</td>
              </tr>
              <tr>
                <th scope="row">Error of the decomposition vs float</th>
                <td data-testid="act-int8-mixed">{pct(r.decompositionError)}</td>
              </tr>
            </tbody>
          </table>
          <p className="widget-caption" aria-live="polite">
            Error is ‖Ŷ − Y‖ / ‖Y‖ over the {op.xShape[0]} × {op.wShape[0]} outputs.
            {r.outlierColumns.length > 0 ? ` Float columns: ${r.outlierColumns.slice(0, 12).join(', ')}${r.outlierColumns.length > 12 ? ', …' : ''}.` : ' No column reaches the threshold: the decomposition is the all-int8 product.'}
            {state.synthetic && op.synthetic.length > 0 && ` The synthetic channels are ${op.synthetic.join(', ')}.`}
          </p>
        </>
      )}
    </WidgetFrame>
  );
}
