'use client';

import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';
import { WidgetError } from '@/components/widget-kit/WidgetError';
import { useState } from 'react';
import { useEngine } from '@/components/widget-kit/useEngine';
import { BACKEND_LABELS, backendLabel, getCompute } from '@/lib/compute';
import { useWidgetState } from '@/components/widget-kit/useWidgetState';
import { IgnoredLinkValues } from '@/components/widget-kit/IgnoredLinkValues';
import type { StateSpec } from '@/lib/url/widget-state';
import { runInt8Check, type Int8CheckResult } from '@/lib/lab/int8-check';
import { normalArray } from '@/lib/random';
import { errorMessage } from '@/lib/errors';

const SIZES = [
  { n: 2 ** 16, label: '65,536 (2¹⁶)' },
  { n: 2 ** 18, label: '262,144 (2¹⁸)' },
  { n: 2 ** 20, label: '1,048,576 (2²⁰)' },
  { n: 2 ** 22, label: '4,194,304 (2²²)' },
];

/** In the URL: the tensor size, one of SIZES. */
const SPEC: StateSpec<{ size: number }> = { size: { kind: 'int', min: 1, max: 2 ** 22, allowed: SIZES.map((s) => s.n) } };

type Phase =
  | { kind: 'loading' }
  | { kind: 'idle' }
  | { kind: 'running' }
  | { kind: 'done'; result: Int8CheckResult; backend: string }
  | { kind: 'error'; message: string };

function ms(t: number): string {
  return t < 10 ? `${t.toFixed(2)} ms` : `${t.toFixed(1)} ms`;
}

/**
 * Proves the GPU path: quantizes a seeded random tensor to INT8 on the active backend and checks
 * every code against the CPU reference. The numbers are lib/lab/int8-check's.
 */
export function GpuInt8Check({ id = 'int8check', defaultSize = 2 ** 20, seed = 1 }: { id?: string; defaultSize?: number; seed?: number }) {
  // The page's shared compute backend (getCompute), loaded when the widget mounts.
  const backend = useEngine(() => getCompute(), []);
  const compute = backend.engine;
  const [job, setJob] = useState<Phase>({ kind: 'idle' });
  const [{ size }, update, ignored] = useWidgetState(id, SPEC, { size: defaultSize });
  const phase: Phase =
    backend.status === 'failed' ? { kind: 'error', message: `No compute backend could start: ${backend.error}` }
    : !compute ? { kind: 'loading' }
    : job;

  const run = async () => {
    if (!compute) return;
    setJob({ kind: 'running' });
    // Let the "Running…" state paint before the work starts.
    await new Promise((r) => setTimeout(r, 0));
    try {
      const data = normalArray(size, seed, 0, 0.02);
      const result = await runInt8Check(compute, data);
      setJob({ kind: 'done', result, backend: BACKEND_LABELS[compute.backend] });
    } catch (e) {
      setJob({ kind: 'error', message: `The check failed: ${errorMessage(e)}` });
    }
  };

  const backendName = backendLabel(compute);
  return (
    <WidgetFrame stateId={id} title="INT8 on your GPU, checked against the CPU" subtitle={<>Backend: <strong data-testid="check-backend">{backendName}</strong></>} testId="gpu-int8-check">
      <div className="controls">
        <label className="control">
          <span>Tensor size (normal weights, σ = 0.02, seed {seed})</span>
          <select value={size} onChange={(e) => update({ size: Number(e.target.value) })} data-testid="check-size">
            {SIZES.map((s) => (
              <option key={s.n} value={s.n}>{s.label}</option>
            ))}
          </select>
        </label>
        <button type="button" className="primary" onClick={run} disabled={phase.kind === 'loading' || phase.kind === 'running'} data-testid="check-run">
          {phase.kind === 'loading' ? 'Loading TensorFlow.js…' : phase.kind === 'running' ? 'Running…' : 'Quantize to INT8'}
        </button>
      </div>
      <IgnoredLinkValues ignored={ignored} />
      <div aria-live="polite">
        {phase.kind === 'error' && <WidgetError>{phase.message}</WidgetError>}
        {phase.kind === 'done' && (
          <dl className="stat-grid" data-testid="check-result">
            <div className="stat">
              <dt>Elements</dt>
              <dd data-testid="check-elements">{phase.result.elements.toLocaleString('en-US')}</dd>
            </div>
            <div className="stat">
              <dt>Scale (symmetric, signed)</dt>
              <dd>{phase.result.params.scale.toPrecision(6)}</dd>
            </div>
            <div className="stat">
              <dt>{phase.backend} time (median of {phase.result.runs})</dt>
              <dd data-testid="check-backend-ms">{ms(phase.result.backendMs)}</dd>
            </div>
            <div className="stat">
              <dt>CPU reference time</dt>
              <dd data-testid="check-reference-ms">{ms(phase.result.referenceMs)}</dd>
            </div>
            <div className="stat">
              <dt>Max difference from the CPU codes</dt>
              <dd data-testid="check-max-diff">{phase.result.maxCodeDifference}</dd>
            </div>
            <div className="stat">
              <dt>Codes that differ</dt>
              <dd data-testid="check-mismatches">
                {phase.result.mismatches.toLocaleString('en-US')} of {phase.result.elements.toLocaleString('en-US')}
              </dd>
            </div>
          </dl>
        )}
        {phase.kind === 'done' && (
          <p className="widget-caption" data-testid="check-verdict">
            {phase.result.mismatches === 0
              ? `✓ Every code matches the CPU reference: the ${phase.backend} path computes exactly the same function.`
              : `✗ ${phase.result.mismatches.toLocaleString('en-US')} codes differ from the CPU reference (by up to ${phase.result.maxCodeDifference}).`}{' '}
            Times are wall-clock from the tensor on the device to the codes back in JavaScript, after one warm-up run that compiles the shaders.
          </p>
        )}
        {(phase.kind === 'idle' || phase.kind === 'loading') && (
          <p className="widget-caption">
            Press the button to quantize the tensor on {backendName === '…' ? 'the active backend' : backendName} and compare
            every code with the plain-TypeScript reference.
          </p>
        )}
      </div>
    </WidgetFrame>
  );
}
