'use client';

import { LossChart } from '@/components/charts/LossChart';
import { ScrollRegion } from '@/components/ui/ScrollRegion';
import { shortNumber } from '@/lib/formats/display';
import { formatBytes } from '@/lib/memory';
import { TRAIN_MODE_LABELS, type TrainMode } from '@/lib/train/modes';
import type { TrainerSnapshot } from '@/lib/train/trainer';

const COLOURS: Record<TrainMode, string> = { full: 'var(--chart-3)', lora: 'var(--chart-2)', qlora: 'var(--chart-1)', qat: 'var(--chart-4)' };
const finalLoss = (s: TrainerSnapshot) => s.heldoutLoss[s.heldoutLoss.length - 1]?.loss ?? NaN;
const floatBase = (s: TrainerSnapshot) => s.memory.residency === 'float32' && s.memory.baseFormat !== 'fp32';

/** The comparison's runs: their held-out loss curves and a table of loss and memory. */
export function ComparisonResults({ shown, steps }: { shown: readonly TrainerSnapshot[]; steps: number }) {
  return (
    <>
      <LossChart
        title="Held-out loss of each run against step"
        maxStep={steps}
        series={shown.map((s) => ({ key: s.mode, label: TRAIN_MODE_LABELS[s.mode], points: s.heldoutLoss, colour: COLOURS[s.mode], dashed: s.mode !== 'qlora' }))}
      />
      <ScrollRegion label="The runs compared">
        <table className="compact-table" data-testid="compare-table">
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Held-out loss, before → after</th>
              <th scope="col">Trainable parameters</th>
              <th scope="col">Base as held</th>
              <th scope="col">Total, before activations</th>
              <th scope="col">Held on the device (tfjs)</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((s) => (
              <tr key={s.mode} data-mode={s.mode}>
                <th scope="row">{TRAIN_MODE_LABELS[s.mode]}{s.state !== 'done' ? ' (running)' : ''}</th>
                <td data-testid={`compare-loss-${s.mode}`}>{shortNumber(s.heldoutLoss[0]?.loss ?? NaN, 4)} → {shortNumber(finalLoss(s), 4)}</td>
                <td>{s.memory.trainableParams.toLocaleString('en-US')}</td>
                <td data-testid={`compare-base-${s.mode}`}>{formatBytes(s.memory.baseBytes)}{floatBase(s) ? ' *' : ''}</td>
                <td data-testid={`compare-total-${s.mode}`}>{formatBytes(s.memory.totalBytes)}</td>
                <td data-testid={`compare-device-${s.mode}`} data-bytes={s.device.allocated ?? s.device.inUse ?? ''}>
                  {s.device.allocated !== null ? `${formatBytes(s.device.allocated)} allocated` : s.device.inUse !== null ? formatBytes(s.device.inUse) : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      {shown.some(floatBase) && (
        <p className="widget-caption">* Without WebGPU the NF4 base is kept as float32: the numbers are NF4’s, the memory is not.</p>
      )}
    </>
  );
}
