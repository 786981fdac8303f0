'use client';

import { useCallback, useEffect, useLayoutEffect, useRef, useState, type HTMLAttributes, type ReactNode } from 'react';

const useIsoLayoutEffect = typeof window === 'undefined' ? useEffect : useLayoutEffect;

/**
 * A box that scrolls its content sideways (or down, with a max-height) when it does not fit: a
 * wide table, a long display formula or a long worked sum on a phone. While it scrolls it is a
 * named, keyboard-focusable group, so keyboard users can scroll it with the arrow keys and screen
 * readers say what it holds (WCAG 2.1.1; axe's scrollable-region-focusable). While its content
 * fits it is a plain element with no extra tab stop. `data-overflow` names the sides that hide
 * content ("left", "right"), for the shadow that shows there is more. The name is `label`, else the text of the
 * table's <caption>, else "Table". Other attributes (data-testid, aria-live…) pass through.
 */
export function ScrollRegion({
  as: Tag = 'div',
  className = 'table-scroll',
  label,
  children,
  ...rest
}: { as?: 'div' | 'span' | 'p'; className?: string; label?: string; children: ReactNode } & Omit<HTMLAttributes<HTMLElement>, 'role' | 'tabIndex'>) {
  const ref = useRef<HTMLElement>(null);
  const [scrollName, setScrollName] = useState<string | null>(null);
  // Which sides hide more content ("left", "right", "left right"): the visible affordance, a shadow
  // on those edges (app/styles/screens.css), since phones show no scroll bar until one scrolls.
  const [hidden, setHidden] = useState<string | undefined>(undefined);
  const measure = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    const scrolls = el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
    const caption = el.querySelector('caption')?.textContent?.replace(/\s+/g, ' ').trim();
    setScrollName(scrolls ? (label ?? (caption || 'Table')) : null);
    const sides = [el.scrollLeft > 1 ? 'left' : '', el.scrollLeft + el.clientWidth < el.scrollWidth - 1 ? 'right' : ''].filter(Boolean).join(' ');
    setHidden(sides || undefined);
  }, [label]);
  // Re-measured after every render (new rows, new numbers; an unchanged name re-renders nothing)…
  useIsoLayoutEffect(measure);
  // …and whenever the box is resized (window width, fonts loading).
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [measure]);
  return (
    <Tag
      {...rest}
      ref={ref as never}
      className={className}
      tabIndex={scrollName === null ? undefined : 0}
      role={scrollName === null ? undefined : 'group'}
      aria-label={scrollName ?? rest['aria-label']}
      data-overflow={hidden}
      onScroll={(e) => {
        measure();
        rest.onScroll?.(e);
      }}
    >
      {children}
    </Tag>
  );
}
