import { formatBytes } from '@/lib/memory';
import { memoryChartScale, type MemoryLedgerRow } from '@/lib/memory/ledger';
import styles from './ModelMemory.module.css';

/** A ledger row as the widget shows it: with its choice's label and short name. */
export type ShownRow = MemoryLedgerRow & { label: string; key: string };

/** Weights (+ KV cache) bars on a linear byte scale, with a dashed marker at each GPU card's memory. */
export function MemoryChart({ rows, kv, withKv, modelName }: { rows: ShownRow[]; kv: number; withKv: boolean; modelName: string }) {
  const { domain, markers } = memoryChartScale(rows.map((r) => r.total));
  const pct = (bytes: number) => `${(100 * bytes) / domain}%`;
  return (
    <>
      <div
        className={styles.chart}
        role="img"
        aria-label={`${modelName}: ${rows.map((r) => `${r.label} weights ${formatBytes(r.weights)}${withKv ? ` plus KV cache ${formatBytes(kv)} = ${formatBytes(r.total)}` : ''}`).join('; ')}`}
        data-testid="memory-chart"
      >
        <div className={styles.markerHead} aria-hidden="true">
          {markers.map((m) =>
            m.row === -1 ? null : (
              <span key={m.name} className={styles.markerLabel} style={{ left: `${m.at}%`, top: `${m.row * 0.8}rem` }}>
                {m.gib}
              </span>
            ),
          )}
        </div>
        {rows.map((r, i) => (
          <div key={r.key} style={{ display: 'contents' }} data-bar={r.key}>
            <span className={styles.rowLabel} style={{ gridRow: i + 2 }}>{r.label}</span>
            <div className={styles.track} style={{ gridRow: i + 2 }}>
              <div className={styles.bar}>
                <span className={styles.weights} style={{ width: pct(r.weights) }} title={`${r.label} weights: ${formatBytes(r.weights)}`} />
                {withKv && <span className={styles.kv} style={{ width: pct(kv) }} title={`KV cache: ${formatBytes(kv)}`} />}
              </div>
              <div className={styles.value}>
                {withKv ? (
                  <>
                    {formatBytes(r.weights)} + {formatBytes(kv)} = <strong>{formatBytes(r.total)}</strong>
                  </>
                ) : (
                  <strong>{formatBytes(r.weights)}</strong>
                )}
                {r.fitsAnyCard ? '' : ' — more than any single GPU'}
              </div>
            </div>
          </div>
        ))}
        <div className={styles.overlay} style={{ gridRow: `2 / span ${rows.length}` }} aria-hidden="true">
          {markers.map((m) => (
            <span key={m.name} className={styles.marker} style={{ left: `${m.at}%` }} title={`${m.name}: ${m.gib} GB`} />
          ))}
        </div>
      </div>
      <p className={styles.legend}>
        <span><span className={styles.swatch} style={{ background: 'var(--chart-1)' }} />weights</span>
        {withKv && (
          <span>
            <span className={`${styles.swatch} ${styles.kv}`} />
            KV cache (hatched)
          </span>
        )}
        <span><span className={styles.swatchDash} />GPU memory, GB (linear scale)</span>
      </p>
    </>
  );
}
