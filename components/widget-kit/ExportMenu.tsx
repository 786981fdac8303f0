'use client';

import { isValidElement, lazy, Suspense, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import type { WidgetToolProps } from './WidgetTools';

/** The list and the exporting code, loaded when a menu first opens (not in a page's first load). */
const ExportPanel = lazy(() => import('./ExportPanel'));

/** What the menu offers: charts (svg drawings, canvases) and tables. Legend swatches are aria-hidden svgs. */
const CANDIDATES = 'svg[role="img"], canvas, table';

/** Plain text of a title given as a React node (a string, or elements around strings). */
function nodeText(node: ReactNode): string {
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(nodeText).join('');
  if (isValidElement<{ children?: ReactNode }>(node)) return nodeText(node.props.children);
  return '';
}

/** Whether the widget shows anything to export, so the menu can stay hidden while it does not. */
function useHasExports(frame: WidgetToolProps['frame']): boolean {
  const [has, setHas] = useState(false);
  useEffect(() => {
    const root = frame.current;
    if (!root) return;
    let pending = 0;
    const measure = () => {
      pending = 0;
      setHas(root.querySelector(CANDIDATES) !== null);
    };
    measure();
    // Widgets draw their charts after loading; look again (once a frame at most) when the DOM changes.
    const mo = new MutationObserver(() => {
      if (!pending) pending = requestAnimationFrame(measure);
    });
    mo.observe(root, { childList: true, subtree: true });
    return () => {
      mo.disconnect();
      if (pending) cancelAnimationFrame(pending);
    };
  }, [frame]);
  return has;
}

/**
 * "Export" in a widget's header: each chart it shows as SVG (computed styles inlined) and PNG (2×),
 * each table as CSV (RFC 4180) and JSON records, named after the widget's title (ExportPanel,
 * export-dom.ts, lib/export). The list is built from the frame's DOM when the menu opens, so it
 * exports exactly what is drawn; the menu is hidden while there is nothing. A disclosure button
 * (aria-expanded) and its panel: Escape or a click elsewhere closes it, Escape returns focus to it.
 */
export function ExportMenu({ frame, title }: WidgetToolProps) {
  const has = useHasExports(frame);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  const [open, setOpen] = useState(false);
  // Each opening reads the widget afresh: the panel is remounted with a new key.
  const [opening, setOpening] = useState(0);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onDown);
    return () => document.removeEventListener('pointerdown', onDown);
  }, [open]);

  if (!has) return null;
  const titleText = nodeText(title);
  return (
    <div
      ref={root}
      className="export-menu"
      data-testid="export-menu"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          setOpen(false);
          button.current?.focus();
        }
      }}
    >
      <button
        ref={button}
        type="button"
        className="export-toggle"
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={`Export from ${titleText || 'this widget'}`}
        data-testid="export-toggle"
        onClick={() => {
          if (!open) setOpening((n) => n + 1);
          setOpen(!open);
        }}
      >
        Export
      </button>
      <div id={panelId} className="export-panel" hidden={!open}>
        {open && frame.current && (
          <Suspense fallback={<p className="export-status">Loading…</p>}>
            <ExportPanel key={opening} frame={frame.current} title={titleText} />
          </Suspense>
        )}
      </div>
    </div>
  );
}
