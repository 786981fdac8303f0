'use client';

import { useState } from 'react';
import { WidgetError } from '@/components/widget-kit/WidgetError';
import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';
import { IgnoredLinkValues } from '@/components/widget-kit/IgnoredLinkValues';
import { useWidgetState } from '@/components/widget-kit/useWidgetState';
import { getCompute } from '@/lib/compute';
import { errorMessage } from '@/lib/errors';
import { shortNumber } from '@/lib/formats/display';
import { fetchFile, importFailure } from '@/lib/io/fetch-file';
import { ACTIVATION_SCHEMES, ACTIVATION_SCHEME_LABELS, type ActivationScheme } from '@/lib/model/activation-quant-forward';
import { TINY_MODEL_URL } from '@/lib/model/tiny-model';
import { loadSharedStudy } from './useStudy';

const SPEC = { windows: { kind: 'int', min: 1, max: 16 } } as const;
const BASE = { windows: 4 };

interface Row {
  scheme: ActivationScheme;
  perplexity: number;
  kl: number;
  top1: number;
}

/** Widget (d): W8A8 (per token, static per tensor) against weight-only W8A16 and W4A16 on the whole model, scored live. */
export function SchemeComparison() {
  const [state, update, ignored] = useWidgetState('act-schemes', SPEC, BASE);
  const [rows, setRows] = useState<Row[]>([]);
  const [status, setStatus] = useState<'idle' | 'running' | 'done' | 'error'>('idle');
  const [error, setError] = useState<string | null>(null);
  const [backend, setBackend] = useState<string | null>(null);

  const run = async () => {
    setStatus('running');
    setRows([]);
    setError(null);
    try {
      const [{ scoreActivationScheme }, { evalWindows }, { encodeText }] = await Promise.all([import('@/lib/model/activation-quant-forward'), import('@/lib/model/eval'), import('@/lib/model/config')]).catch((e: unknown) => {
        throw new Error(importFailure('the model code', e));
      });
      const [{ study, backend: label }, compute, heldout] = await Promise.all([loadSharedStudy(), getCompute(), fetchFile(`${TINY_MODEL_URL}/heldout.txt`).then((r) => r.text())]);
      setBackend(label);
      const { config, values, shapes, stats } = study;
      const windows = evalWindows(encodeText(config, heldout).ids, config.block_size, state.windows);
      let reference: Float32Array | null = null;
      const out: Row[] = [];
      for (const scheme of ACTIVATION_SCHEMES) {
        await new Promise((r) => setTimeout(r, 0)); // let the page paint between schemes
        const s = await scoreActivationScheme(compute.tf, config, values, shapes, stats, scheme, windows, reference);
        if (scheme === 'fp32') reference = s.logits;
        out.push({ scheme, perplexity: s.perplexity, kl: s.klFromFp32, top1: s.top1Agreement });
        setRows([...out]);
      }
      setStatus('done');
    } catch (e) {
      setError(errorMessage(e));
      setStatus('error');
    }
  };

  return (
    <WidgetFrame stateId="act-schemes"
      title="W8A8 against weight-only quantization, on the whole model"
      subtitle={`Held-out perplexity, KL from FP32 and top-1 agreement over ${state.windows} held-out window${state.windows === 1 ? '' : 's'} of 128 characters`}
      backend={backend ? `Forward passes on ${backend}; activation quantization runs inside each Linear on the device.` : undefined}
      error={error ? <WidgetError>{error}</WidgetError> : undefined}
      testId="act-schemes"
      state={status}
    >
      <div className="controls">
        <label className="control">
          <span>Held-out windows</span>
          <input type="number" min={1} max={16} step={1} value={state.windows} onChange={(e) => { const n = Number(e.target.value); if (Number.isInteger(n) && n >= 1 && n <= 16) update({ windows: n }); }} style={{ width: '5rem' }} data-testid="act-schemes-windows" />
        </label>
        <button type="button" className="primary" onClick={() => void run()} disabled={status === 'running'} data-testid="act-schemes-run">
          {status === 'done' ? 'Run again' : 'Run the comparison'}
        </button>
        <button type="button" onClick={() => { update(BASE); setRows([]); setStatus('idle'); setError(null); }} disabled={status === 'running'}>Reset</button>
      </div>
      <IgnoredLinkValues ignored={ignored} />
      <p className="widget-caption" aria-live="polite">
        {status === 'idle' && 'Builds the model five ways and scores each one on held-out text it never saw in training. The static W8A8 ranges come from the calibration capture.'}
        {status === 'running' && `Scoring ${rows.length + 1} of ${ACTIVATION_SCHEMES.length}…`}
        {status === 'done' && 'Done.'}
      </p>
      {rows.length > 0 && (
        <div className="table-scroll">
          <table className="compact-table" data-testid="act-schemes-table">
            <thead>
              <tr>
                <th scope="col">Scheme</th>
                <th scope="col">Perplexity</th>
                <th scope="col">KL from FP32 (nats)</th>
                <th scope="col">Top-1 agreement</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.scheme} data-scheme={r.scheme}>
                  <th scope="row">{ACTIVATION_SCHEME_LABELS[r.scheme]}</th>
                  <td data-testid={`act-schemes-ppl-${r.scheme}`}>{shortNumber(r.perplexity, 5)}</td>
                  <td data-testid={`act-schemes-kl-${r.scheme}`}>{r.scheme === 'fp32' ? '0' : r.kl.toExponential(2)}</td>
                  <td>{shortNumber(100 * r.top1, 4)}%</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </WidgetFrame>
  );
}
