import type { ReactNode, SVGProps } from 'react';
import { ScrollRegion } from '@/components/ui/ScrollRegion';

export interface ChartFrameProps {
  /** viewBox size: the chart scales to its container without measuring it. */
  width: number;
  height: number;
  /** The svg's accessible name (role="img"). */
  title: string;
  /** Class names beside "chart". */
  className?: string;
  testId?: string;
  /** <defs> content (patterns, gradients). */
  defs?: ReactNode;
  /** Shown above the svg (e.g. a hover line) and below it (legend, captions, live regions). */
  before?: ReactNode;
  after?: ReactNode;
  /** Extra svg attributes: tabIndex, key and pointer handlers, aria-describedby. */
  svgProps?: Omit<SVGProps<SVGSVGElement>, 'viewBox' | 'role' | 'aria-label' | 'children'>;
  children: ReactNode;
}

/**
 * The frame of every SVG chart: a <figure class="chart"> holding an <svg role="img"> sized by its
 * viewBox, with slots above and below. d3 computes scales and ticks (lib/charts); React draws the
 * marks inside (docs/design.md rule 5). On a phone the svg keeps a least width and scrolls sideways
 * in its ScrollRegion, and `--chart-vbw` (the viewBox width) lets the style sheet set its text in
 * screen pixels (app/styles/screens.css), so axis labels stay readable.
 */
export function ChartFrame({ width, height, title, className, testId, defs, before, after, svgProps, children }: ChartFrameProps) {
  return (
    <figure className={className ? `chart ${className}` : 'chart'} data-testid={testId} style={{ margin: 0, ['--chart-vbw' as string]: `${width}px` }}>
      {before}
      <ScrollRegion className="chart-scroll" label={`Chart: ${title.length > 60 ? 'scrolls sideways' : title}`}>
        <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title} {...svgProps}>
          {defs ? <defs>{defs}</defs> : null}
          {children}
        </svg>
      </ScrollRegion>
      {after}
    </figure>
  );
}
