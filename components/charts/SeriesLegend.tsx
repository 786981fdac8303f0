/** A chart's legend: a short line sample per series (dashed where the series is), then its label. */
export function SeriesLegend({ series }: { series: readonly { key: string; label: string; colour: string; dashed?: boolean }[] }) {
  return (
    <figcaption className="bit-legend">
      {series.map((s) => (
        <span key={s.key}>
          <svg width="22" height="10" aria-hidden="true"><line x1="0" x2="22" y1="5" y2="5" stroke={s.colour} strokeWidth="2" strokeDasharray={s.dashed ? '6 4' : undefined} /></svg> {s.label}
        </span>
      ))}
    </figcaption>
  );
}
