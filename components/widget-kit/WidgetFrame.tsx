'use client';

import { useCallback, useId, useRef, type ReactNode, type Ref } from 'react';
import { WidgetError } from './WidgetError';
import { useHydrated } from './useHydrated';
import { WidgetTools } from './WidgetTools';

export interface WidgetFrameProps {
  /** The widget's heading (an h3). */
  title: ReactNode;
  /** A short line beside the title: what the widget shows, or on what data. */
  subtitle?: ReactNode;
  /** Where the numbers are computed, e.g. `Computed on ${backendLabel(compute)}`; shown under the body. */
  backend?: ReactNode;
  /** A failure to show in the frame's error slot (role="alert"); nothing when null or empty. */
  error?: ReactNode;
  /** data-testid of the frame: e2e specs find the widget by it. */
  testId: string;
  /** data-state of the frame (e.g. 'loading', 'ready', 'running'), for specs that wait on it. */
  state?: string;
  /** Extra class names beside "widget". */
  className?: string;
  /** Ref to the section, e.g. for useNearScreen / pausing off screen. */
  ref?: Ref<HTMLElement>;
  /** aria-busy of the section while the widget computes (specs wait for "false"); absent when undefined. */
  busy?: boolean;
  /**
   * The id the widget's settings use in the URL (useWidgetState's first argument), if it has any:
   * the frame's tools (presenter scenes, Reset) read and set the widget's state through it.
   */
  stateId?: string;
  /** Further data-* attributes of the section for specs and benchmarks, e.g. `{ 'data-lab-id': id }`. */
  data?: Readonly<Record<`data-${string}`, string | number | undefined>>;
  children?: ReactNode;
}

/**
 * The frame every widget stands in (docs/design.md, widget kit): a labelled section with a header
 * (title, subtitle), the body, a backend note and an error slot. Styling: `.widget` in globals.css.
 * `data-hydrated="true"` appears once React is live in it (useHydrated).
 */
export function WidgetFrame({ title, subtitle, backend, error, testId, state, className, ref, busy, data, stateId, children }: WidgetFrameProps) {
  const id = useId();
  const hydrated = useHydrated();
  const frame = useRef<HTMLElement | null>(null);
  const setRef = useCallback(
    (el: HTMLElement | null) => {
      frame.current = el;
      if (typeof ref === 'function') ref(el);
      else if (ref) ref.current = el;
    },
    [ref],
  );
  return (
    <section ref={setRef} className={className ? `widget ${className}` : 'widget'} data-testid={testId} data-state={state} data-hydrated={hydrated ? 'true' : undefined} {...data} aria-labelledby={`${id}-title`} aria-busy={busy}>
      <header>
        <h3 id={`${id}-title`}>{title}</h3>
        {subtitle != null && subtitle !== false && <span className="widget-caption">{subtitle}</span>}
        <WidgetTools frame={frame} stateId={stateId} title={title} />
      </header>
      <noscript>
        <p className="noscript-note">This widget computes in your browser and needs JavaScript.</p>
      </noscript>
      {children}
      {error != null && error !== false && error !== '' && <WidgetError>{error}</WidgetError>}
      {backend != null && backend !== false && <p className="widget-caption widget-backend">{backend}</p>}
    </section>
  );
}
