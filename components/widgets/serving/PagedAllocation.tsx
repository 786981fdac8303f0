'use client';

import { useMemo } from 'react';
import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';
import { useWidgetState } from '@/components/widget-kit/useWidgetState';
import { IgnoredLinkValues } from '@/components/widget-kit/IgnoredLinkValues';
import { ScrollRegion } from '@/components/ui/ScrollRegion';
import { SEED_FIELD, type StateSpec } from '@/lib/url/widget-state';
import { SEED_MAX } from '@/lib/random';
import { shortNumber } from '@/lib/formats/display';
import { PAGED_DEFAULTS, requestStream, simulateAllocation } from '@/lib/serving/paged';
import { MemoryStrip, WasteOverTime } from './PagedCharts';

const BLOCKS = [4, 8, 16, 32, 64];
type State = { seed: number; block: number; step: number };
const BASE: State = { seed: PAGED_DEFAULTS.seed, block: PAGED_DEFAULTS.blockSize, step: 480 };
const SPEC: StateSpec<State> = {
  seed: SEED_FIELD,
  block: { kind: 'int', min: 4, max: 64, allowed: BLOCKS },
  step: { kind: 'int', min: 0, max: PAGED_DEFAULTS.steps - 1 },
};
const KIND_LABEL = { contiguous: 'Contiguous (reserve prompt + max_tokens)', paged: 'Paged (blocks on demand)' } as const;

/**
 * Contiguous pre-allocation against PagedAttention's blocks (lib/serving paged): the same seeded
 * requests, the memory at a chosen step, and the waste over time.
 */
export function PagedAllocation({ id = 'paged' }: { id?: string }) {
  const [state, update, ignored] = useWidgetState(id, SPEC, BASE);
  const runs = useMemo(() => {
    const requests = requestStream({ ...PAGED_DEFAULTS, seed: state.seed });
    const o = { capacity: PAGED_DEFAULTS.capacity, blockSize: state.block, maxNewTokens: PAGED_DEFAULTS.maxNewTokens, steps: PAGED_DEFAULTS.steps };
    return { requests, runs: [simulateAllocation('contiguous', requests, o), simulateAllocation('paged', requests, o)] as const };
  }, [state.seed, state.block]);
  return (
    <WidgetFrame stateId={id} title="KV memory: contiguous or paged" subtitle={`${PAGED_DEFAULTS.capacity.toLocaleString('en-US')} token slots, ${runs.requests.length} seeded requests (prompts ${PAGED_DEFAULTS.promptRange.join('–')}, max_tokens ${PAGED_DEFAULTS.maxNewTokens})`} testId="paged-widget">
      <div className="controls">
        <label className="control">
          <span>Step: {state.step}</span>
          <input type="range" min={0} max={PAGED_DEFAULTS.steps - 1} value={state.step} onChange={(e) => update({ step: Number(e.target.value) })} data-testid="paged-step" />
        </label>
        <label className="control">
          <span>Block size (tokens)</span>
          <select value={state.block} onChange={(e) => update({ block: Number(e.target.value) })} data-testid="paged-block">
            {BLOCKS.map((b) => <option key={b} value={b}>{b}</option>)}
          </select>
        </label>
        <label className="control">
          <span>Seed</span>
          <input type="number" min={0} max={SEED_MAX} value={state.seed} onChange={(e) => { const n = Number(e.target.value); if (Number.isInteger(n) && n >= 0 && n <= SEED_MAX) update({ seed: n }); }} style={{ width: '6rem' }} data-testid="paged-seed" />
        </label>
      </div>
      <IgnoredLinkValues ignored={ignored} />
      {runs.runs.map((r) => (
        <div key={r.kind}>
          <p className="widget-caption" style={{ margin: '0.5rem 0 0' }}>
            {KIND_LABEL[r.kind]}, step {state.step}: {r.steps[state.step].running} running, {r.steps[state.step].waiting} waiting
            {r.steps[state.step].externalWaste > 0 ? `, ${r.steps[state.step].externalWaste.toLocaleString('en-US')} free slots in gaps too small for the next request` : ''}
          </p>
          <MemoryStrip kind={r.kind} step={r.steps[state.step]} capacity={PAGED_DEFAULTS.capacity} blockSize={state.block} />
        </div>
      ))}
      <WasteOverTime runs={runs.runs} step={state.step} />
      <ScrollRegion label="Contiguous against paged over the whole run">
        <table className="compact-table" data-testid="paged-table">
          <thead><tr><th scope="col">Allocator</th><th scope="col">Held slots holding tokens</th><th scope="col">Requests running (mean)</th><th scope="col">Finished</th><th scope="col">Preempted</th></tr></thead>
          <tbody>
            {runs.runs.map((r) => (
              <tr key={r.kind} data-kind={r.kind}>
                <th scope="row">{r.kind}</th>
                <td data-testid={`paged-util-${r.kind}`}>{shortNumber(100 * r.meanUtilisation, 3)} %</td>
                <td data-testid={`paged-running-${r.kind}`}>{shortNumber(r.meanRunning, 3)}</td>
                <td data-testid={`paged-finished-${r.kind}`}>{r.finished}</td>
                <td>{r.preemptions}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <p className="widget-caption">
        Solid: slots holding a token&rsquo;s keys and values; pale: slots a request holds that are still empty; grey: free. Colours tell
        requests apart only. Each step, every running request writes one token; an arriving request writes its whole prompt at once.
      </p>
    </WidgetFrame>
  );
}
