import { ScrollRegion } from '@/components/ui/ScrollRegion';
import { BYTES_PER_GIB, GPU_CARDS, formatBytes } from '@/lib/memory';
import type { ShownRow } from './MemoryChart';
import styles from './ModelMemory.module.css';

/** Which GPU cards hold each row's weights (+ KV cache), with the bits per weight, and what ✓ means. */
export function FitsTable({ rows, kv, withKv, uid }: { rows: ShownRow[]; kv: number; withKv: boolean; uid: string }) {
  return (
    <>
      <ScrollRegion className="table-scroll" label="Which GPUs hold it">
        <table className={`fits-table compact-table ${styles.table}`} data-testid="fits-table" aria-describedby={`${uid}-fits-note`}>
          <thead>
            <tr>
              <th scope="col">Format</th>
              <th scope="col">Weights</th>
              {withKv && <th scope="col">Weights + KV cache</th>}
              {GPU_CARDS.map((c) => (
                <th key={c.name} scope="col">
                  <span className={styles.nowrap}>{c.gib} GB</span>
                  <span className={styles.card}>{c.name}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} data-format={r.key}>
                <th scope="row">
                  {r.label}
                  <span className={styles.card}>{Number.isInteger(r.bits) ? r.bits : r.bits.toFixed(3)} bits a weight</span>
                </th>
                <td data-testid={`bytes-${r.key}`}>{formatBytes(r.weights)}</td>
                {withKv && <td className={styles.sum} data-testid={`total-${r.key}`}>{formatBytes(r.total)}</td>}
                {GPU_CARDS.map((c, i) => (
                  <td key={c.name} className={r.fits[i] ? 'yes' : 'no'} data-gib={c.gib} data-fits={r.fits[i]}>
                    <span aria-hidden="true">{r.fits[i] ? '✓' : '✗'}</span>
                    <span className="visually-hidden">{r.fits[i] ? 'fits' : 'does not fit'}</span>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <p className="widget-caption" id={`${uid}-fits-note`}>
        {withKv
          ? `✓: the weights and ${formatBytes(kv)} of KV cache fit in the card's memory; activations and the runtime's own memory need room too. `
          : '✓: the weights alone fit; activations, the KV cache and the runtime need room too. '}
        GPU memory is sold in binary units, so a &ldquo;24 GB&rdquo; card holds 24 GiB = {formatBytes(24 * BYTES_PER_GIB)}.
      </p>
    </>
  );
}
