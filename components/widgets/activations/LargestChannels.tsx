'use client';

import { Fragment, useMemo } from 'react';
import { shortNumber } from '@/lib/formats/display';
import type { LinearInputStats } from '@/lib/model/activations';
import { layerTopChannels, recurringLargest } from '@/lib/model/activation-study';

/** Channels listed per layer. */
const TOP = 3;

/**
 * Per block, the TOP largest channels of the input of one kind of Linear (`matrix`, e.g.
 * 'mlp.c_fc'), each as its max|x| over the captured tokens and that over the median channel's, and
 * which channel is the largest most often (lib/model/activation-study.ts topChannels).
 */
export function LargestChannels({ stats, matrix }: { stats: readonly LinearInputStats[]; matrix: string }) {
  const rows = useMemo(() => layerTopChannels(stats, TOP, `.${matrix}`), [stats, matrix]);
  const most = recurringLargest(rows);
  if (rows.length === 0) return null;
  return (
    <div data-testid="act-heatmap-largest">
      <p className="widget-caption">
        The {TOP} largest of the {rows[0].features.toLocaleString('en-US')} channels of every block’s <code>{matrix}</code> input: max|x| over the {rows[0].tokens.toLocaleString('en-US')} captured tokens, and how many times the median channel’s max|x| it is.
        {most && most.of > 1 && (most.layers > 1
          ? <> Channel <strong data-testid="act-heatmap-recurring">{most.channel}</strong> is the largest in {most.layers} of the {most.of} blocks.</>
          : <> No channel is the largest in more than one block.</>)}
      </p>
      <div style={{ overflowX: 'auto' }}>
        <table className="compact-table">
          <thead>
            <tr><th scope="col">Block</th><th scope="col" style={{ textAlign: 'left' }}>Largest channels: max|x| (× median)</th></tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.name} data-testid="act-heatmap-largest-row">
                <th scope="row">{Number(/\.h\.(\d+)\./.exec(r.name)?.[1] ?? 0) + 1}</th>
                <td style={{ whiteSpace: 'normal', textAlign: 'left' }}>
                  {r.top.map((c, i) => (
                    <Fragment key={c.channel}>
                      {i > 0 && ', '}
                      <span style={{ whiteSpace: 'nowrap' }}>{i === 0 ? <strong>{c.channel}</strong> : c.channel}: {shortNumber(c.absMax, 3)} (×{shortNumber(c.timesMedian, 3)})</span>
                    </Fragment>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
