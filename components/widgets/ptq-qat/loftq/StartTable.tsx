import { ScrollRegion } from '@/components/ui/ScrollRegion';
import { LOFTQ_RUN_LABELS, type LoftqRun } from '@/lib/train/loftq-start';

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Held-out loss at step 0 and at the last step, and the start-up time, per run. */
export function StartTable({ runs }: { runs: readonly LoftqRun[] }) {
  return (
    <ScrollRegion label="Held-out loss at the start and the end of each run">
      <table className="compact-table" data-testid="loftq-table">
        <thead>
          <tr>
            <th scope="col">Run</th>
            <th scope="col">Held-out loss at step 0</th>
            <th scope="col">After training</th>
            <th scope="col">Start-up</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => {
            const last = r.snapshot.heldoutLoss.at(-1);
            const trained = r.key !== 'fp32' && last && last.step > 0 ? last : null;
            return (
              <tr key={r.key} data-key={r.key} data-start-loss={r.startLoss} data-final-loss={trained?.loss} data-init-ms={r.initMs}>
                <th scope="row">{LOFTQ_RUN_LABELS[r.key]}</th>
                <td>{r.startLoss.toFixed(5)}</td>
                <td>{trained ? `${trained.loss.toFixed(5)} (step ${trained.step})` : '—'}</td>
                <td>{seconds(r.initMs)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
