'use client';

import { useState } from 'react';
import { LossChart, type LossSeries } from '@/components/charts/LossChart';
import { ptqLevel, qatStartLoss, SHOOTOUT_METHOD_LABELS, type ShootoutSnapshot } from '@/lib/train/shootout';
import { METHOD_COLOURS } from './ShootoutResults';

/**
 * QAT's held-out loss against step for one bit width (the run in progress, or a finished one the
 * learner picks), with the PTQ levels at that width drawn across: round-to-nearest (where QAT starts)
 * and GPTQ.
 */
export function QatCurve({ s }: { s: ShootoutSnapshot }) {
  const [picked, setPicked] = useState<number | null>(null);
  const runs = s.qat.filter((r) => r.snapshot);
  if (runs.length === 0) return null;
  const run = (s.stage === 'qat' ? null : runs.find((r) => r.bits === picked)) ?? runs[runs.length - 1];
  const snap = run.snapshot!;
  const max = snap.maxSteps;
  const level = (m: 'rtn' | 'mse' | 'gptq'): LossSeries[] => {
    const y = ptqLevel(s, run.bits, m);
    return y === null ? [] : [{ key: m, label: `${SHOOTOUT_METHOD_LABELS[m]} (${run.bits}-bit), its level`, points: [{ step: 0, loss: y }, { step: max, loss: y }], colour: METHOD_COLOURS[m], dashed: true, markers: false }];
  };
  const start = qatStartLoss(run);
  const series: LossSeries[] = [...level('rtn'), ...level('mse'), ...level('gptq'), { key: 'qat', label: `${SHOOTOUT_METHOD_LABELS.qat} (${run.bits}-bit)`, points: snap.heldoutLoss, colour: METHOD_COLOURS.qat }];
  return (
    <div data-testid="shootout-curve" data-bits={run.bits}>
      {runs.length > 1 && s.stage !== 'qat' && (
        <div className="controls" style={{ marginTop: '0.75rem' }}>
          <label className="control">
            <span>Loss curve of QAT at</span>
            <select value={run.bits} onChange={(e) => setPicked(Number(e.target.value))} data-testid="shootout-curve-bits">
              {runs.map((r) => <option key={r.bits} value={r.bits}>{r.bits}-bit</option>)}
            </select>
          </label>
        </div>
      )}
      <LossChart title={`QAT at ${run.bits}-bit: held-out loss against step, with the PTQ levels`} maxStep={max} series={series} formatY={(y) => y.toFixed(3)} mark={start !== null ? { x: 0, y: start, label: 'step 0 = round to nearest' } : undefined} />
    </div>
  );
}
