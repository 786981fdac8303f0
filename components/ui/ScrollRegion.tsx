'use client';

import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';

const useIsoLayoutEffect = typeof window === 'undefined' ? useEffect : useLayoutEffect;

/**
 * A box that scrolls its content sideways (or down, with a max-height) when it does not fit, e.g. a
 * wide table on a phone. While it scrolls it is a named, keyboard-focusable group, so keyboard users
 * can scroll it with the arrow keys and screen readers say what it holds (WCAG 2.1.1; axe's
 * scrollable-region-focusable). While its content fits it is a plain div with no extra tab stop.
 * The name is `label`, else the text of the table's <caption>, else "Table".
 */
export function ScrollRegion({ label, className, children }: { label?: string; className?: string; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollName, setScrollName] = useState<string | null>(null);
  // Re-measured after every render (new rows, new numbers) and whenever the box is resized.
  useIsoLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      const scrolls = el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
      const caption = el.querySelector('caption')?.textContent?.replace(/\s+/g, ' ').trim();
      setScrollName(scrolls ? (label ?? (caption || 'Table')) : null);
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  });
  return (
    <div
      ref={ref}
      className={className ? `table-scroll ${className}` : 'table-scroll'}
      tabIndex={scrollName === null ? undefined : 0}
      role={scrollName === null ? undefined : 'group'}
      aria-label={scrollName ?? undefined}
    >
      {children}
    </div>
  );
}
