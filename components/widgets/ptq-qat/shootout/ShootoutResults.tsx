'use client';

import { LossChart, type LossSeries } from '@/components/charts/LossChart';
import { ScrollRegion } from '@/components/ui/ScrollRegion';
import { shortNumber } from '@/lib/formats/display';
import { formatBytes } from '@/lib/memory';
import { costLines, lossByBits, shootoutRows, SHOOTOUT_METHOD_LABELS, SHOOTOUT_METHOD_SHORT, startChecks, type ShootoutRow, type ShootoutSnapshot } from '@/lib/train/shootout';

export const METHOD_COLOURS = { fp32: 'var(--fg-muted)', rtn: 'var(--chart-2)', mse: 'var(--chart-5)', gptq: 'var(--chart-3)', qat: 'var(--chart-1)' } as const;
const seconds = (ms: number) => `${shortNumber(ms / 1000, 3)} s`;

function rowCost(r: ShootoutRow, s: ShootoutSnapshot): string {
  if (r.ms === null) return '—';
  if (r.method === 'gptq' && s.fp32) return `${seconds(r.ms)} + ${seconds(s.fp32.calibrationMs)} capture`;
  if (r.method === 'qat') return `${seconds(r.ms)} (${s.settings?.steps} steps)`;
  return seconds(r.ms);
}

/** Held-out loss against bits per weight, one series per method, FP32 as a level line. */
function LossByBits({ s, rows }: { s: ShootoutSnapshot; rows: ShootoutRow[] }) {
  const by = lossByBits(s);
  const fp32 = rows[0].loss;
  const series: LossSeries[] = [
    { key: 'fp32', label: SHOOTOUT_METHOD_LABELS.fp32, points: [{ step: 2, loss: fp32 }, { step: 8, loss: fp32 }], colour: METHOD_COLOURS.fp32 },
    ...(['rtn', 'mse', 'gptq', 'qat'] as const).map((m) => ({ key: m, label: SHOOTOUT_METHOD_LABELS[m], points: by[m], colour: METHOD_COLOURS[m], dashed: true })),
  ];
  return (
    <>
      <LossChart title="Held-out loss against bits per weight, by method" series={series} minStep={2} maxStep={8} xLabel="bits per weight" />
    </>
  );
}

/** The results table, the loss-against-bits chart, the step-0 cross-check and the cost of each. */
export function ShootoutResults({ s }: { s: ShootoutSnapshot }) {
  const rows = shootoutRows(s);
  const checks = startChecks(s);
  const costs = costLines(s);
  return (
    <>
      <ScrollRegion label="Held-out loss by method and bit width">
        <table className="compact-table" data-testid="shootout-table">
          <thead>
            <tr>
              <th scope="col">Bits</th>
              <th scope="col">Method</th>
              <th scope="col">Held-out loss (nats/char)</th>
              <th scope="col">Perplexity</th>
              <th scope="col">Time</th>
              <th scope="col">Memory held</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} data-method={r.method} data-bits={r.bits ?? ''} data-loss={r.loss}>
                <td>{r.bits ?? 32}</td>
                <th scope="row" title={SHOOTOUT_METHOD_LABELS[r.method]}>{SHOOTOUT_METHOD_SHORT[r.method]}</th>
                <td>{r.loss.toFixed(4)}</td>
                <td>{r.perplexity.toFixed(3)}</td>
                <td>{rowCost(r, s)}</td>
                <td>{formatBytes(r.bytes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <p className="widget-caption">
        RTN: round to nearest; QAT: quantization-aware training, started from the pretrained weights. Memory held: the float32 weights for round-to-nearest; plus GPTQ’s calibration Hessians; for QAT the trainer’s ledger —
        weights, one gradient each and AdamW’s two moments (activations not counted). QAT’s time is its wall time from the first step to the last held-out check.
      </p>
      {rows.length > 1 && <LossByBits s={s} rows={rows} />}
      {checks.map((c) => (
        <p key={c.bits} className="widget-caption" data-testid={`shootout-check-${c.bits}`} data-qat-start={c.qatStart} data-rtn={c.rtn}>
          Check at {c.bits}-bit: QAT before its first step scores {c.qatStart.toFixed(5)}; round-to-nearest scored {c.rtn.toFixed(5)} (gap {c.gap.toExponential(1)}).
          {c.gap < 1e-3 ? ' They match: at step 0 the QAT model is the round-to-nearest model.' : ' They differ by more than float32 noise.'}
        </p>
      ))}
      {costs.map((c) => (
        <p key={c.bits} className="widget-caption" data-testid={`shootout-cost-${c.bits}`}>
          Cost at {c.bits}-bit: QAT took {seconds(c.qatMs)}, {shortNumber(c.timesGptq, 3)}× as long as GPTQ ({seconds(c.gptqMs)} with its calibration capture) — round-to-nearest took {seconds(c.rtnMs)}.
          QAT held {formatBytes(c.qatBytes)} before activations{c.deviceBytes !== null ? `, and its backend had ${formatBytes(c.deviceBytes)} allocated` : ''}.
        </p>
      ))}
    </>
  );
}
