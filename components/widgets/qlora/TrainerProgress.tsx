'use client';

import { LossChart } from '@/components/charts/LossChart';
import { ScrollRegion } from '@/components/ui/ScrollRegion';
import { shortNumber } from '@/lib/formats/display';
import { formatBytes } from '@/lib/memory';
import type { TrainerSnapshot } from '@/lib/train/trainer';

/** What the run kept in memory (lib/train's MemoryLedger) and what the device holds now. */
function MemoryLedgerTable({ snap }: { snap: TrainerSnapshot }) {
  const mem = snap.memory;
  return (
    <ScrollRegion>
      <table className="compact-table" data-testid="qlora-ledger">
        <caption className="visually-hidden">Memory ledger of this run</caption>
        <tbody>
          <tr><th scope="row">Base weights as held ({mem.baseFormat === 'nf4-dq' ? 'NF4 + DQ' : 'FP32'}{mem.residency === 'float32' && mem.baseFormat !== 'fp32' ? ', kept as float32 on this backend' : ''})</th><td data-testid="qlora-base-bytes">{formatBytes(mem.baseBytes)}</td></tr>
          <tr><th scope="row">The same base in FP32</th><td>{formatBytes(mem.fp32BaseBytes)}</td></tr>
          <tr><th scope="row">Trainable parameters</th><td data-testid="qlora-trainable">{mem.trainableParams.toLocaleString('en-US')} ({shortNumber((100 * mem.trainableParams) / mem.baseParams, 3)}% of the model)</td></tr>
          {mem.adapterBytes > 0 && <tr><th scope="row">Adapters (FP32)</th><td>{formatBytes(mem.adapterBytes)}</td></tr>}
          <tr><th scope="row">Gradients (FP32)</th><td>{formatBytes(mem.gradientBytes)}</td></tr>
          <tr><th scope="row">AdamW state (m and v, FP32)</th><td>{formatBytes(mem.optimizerBytes)}</td></tr>
          <tr><th scope="row">Total, before activations</th><td data-testid="qlora-total-bytes"><strong>{formatBytes(mem.totalBytes)}</strong></td></tr>
          {snap.device.inUse !== null && (
            <tr>
              <th scope="row">Held on the device now, as tfjs counts it (activations and the backend’s pool included)</th>
              <td data-testid="qlora-device-bytes">
                {formatBytes(snap.device.inUse)} in use
                {snap.device.allocated !== null ? `, ${formatBytes(snap.device.allocated)} allocated` : ''}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

/** The run's loss curves, its held-out loss before → now, and its memory ledger. */
export function TrainerProgress({ snap, unit = 'character' }: { snap: TrainerSnapshot; /** What the model reads: the tiny model's characters or a checkpoint's tokens. */ unit?: 'character' | 'token' }) {
  const heldout = snap.heldoutLoss;
  const first = heldout[0]?.loss;
  const last = heldout[heldout.length - 1]?.loss;
  return (
    <>
      <LossChart
        title={`Training and held-out loss over ${snap.step} steps`}
        yLabel={`loss (nats per ${unit})`}
        maxStep={snap.maxSteps}
        series={[
          { key: 'train', label: 'training batches', points: snap.trainLoss, colour: 'var(--chart-1)' },
          { key: 'heldout', label: 'held-out text', points: snap.heldoutLoss, colour: 'var(--chart-2)', dashed: true },
        ]}
      />
      {first !== undefined && last !== undefined && (
        <p className="widget-caption" data-testid="qlora-heldout">
          Held-out loss {shortNumber(first, 4)} → <strong>{shortNumber(last, 4)}</strong> nats per {unit} (perplexity {shortNumber(Math.exp(first), 3)} → {shortNumber(Math.exp(last), 3)}).
        </p>
      )}
      {snap.memory && <MemoryLedgerTable snap={snap} />}
    </>
  );
}
