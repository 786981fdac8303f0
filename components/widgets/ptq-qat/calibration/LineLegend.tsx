/** A chart legend of line samples (solid or dashed) drawn with CSS borders, so the chart's `svg { width: 100% }` rule cannot stretch them. */
export function LineLegend({ items }: { items: readonly { key: string; label: string; colour: string; dashed?: boolean }[] }) {
  return (
    <p className="bit-legend" data-testid="line-legend">
      {items.map((i) => (
        <span key={i.key}>
          <span aria-hidden="true" style={{ display: 'inline-block', width: 22, verticalAlign: 'middle', marginRight: 6, borderTop: `2px ${i.dashed ? 'dashed' : 'solid'} ${i.colour}` }} />
          {i.label}
        </span>
      ))}
    </p>
  );
}
