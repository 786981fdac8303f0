import type { LossSeries } from '@/components/charts/LossChart';

/**
 * A chart's series legend drawn outside the chart's figure (LossChart's own legend sits inside
 * `.chart`, whose CSS stretches every svg to the full width, swatches included).
 */
export function SeriesLegend({ series }: { series: readonly LossSeries[] }) {
  return (
    <p className="bit-legend">
      {series.map((s) => (
        <span key={s.key}>
          <svg width="22" height="10" aria-hidden="true" style={{ verticalAlign: 'middle' }}>
            <line x1="0" x2="22" y1="5" y2="5" stroke={s.colour} strokeWidth="2" strokeDasharray={s.dashed ? '6 4' : undefined} />
          </svg>{' '}
          {s.label}
        </span>
      ))}
    </p>
  );
}
