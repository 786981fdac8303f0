'use client';

import { isValidElement, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { exportFileName, fileStem } from '@/lib/export/names';
import { errorMessage } from '@/lib/errors';
import type { WidgetToolProps } from './WidgetTools';
import { findExportables, type Exportable } from './export-find';

/** The serialising and downloading code, loaded when a file is first asked for (not in a page's first load). */
const loadDom = () => import('./export-dom');

/** Plain text of a title given as a React node (a string, or elements around strings). */
function nodeText(node: ReactNode): string {
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(nodeText).join('');
  if (isValidElement<{ children?: ReactNode }>(node)) return nodeText(node.props.children);
  return '';
}

/** What the widget has to export, counted so the menu can stay hidden while there is nothing. */
function useExportCount(frame: WidgetToolProps['frame']): number {
  const [count, setCount] = useState(0);
  useEffect(() => {
    const root = frame.current;
    if (!root) return;
    let pending = 0;
    let seen = -1;
    const measure = () => {
      pending = 0;
      // Only a change in how many svg/canvas/table elements there are can change the answer: a
      // slider's redraw of a chart's marks costs one query, not a layout.
      const raw = root.querySelectorAll('svg, canvas, table').length;
      if (raw === seen) return;
      seen = raw;
      setCount(raw === 0 ? 0 : findExportables(root).length);
    };
    measure();
    // Widgets draw their charts after loading; recount (once a frame at most) when the DOM's shape changes.
    const mo = new MutationObserver(() => {
      if (!pending) pending = requestAnimationFrame(measure);
    });
    mo.observe(root, { childList: true, subtree: true });
    return () => {
      mo.disconnect();
      if (pending) cancelAnimationFrame(pending);
    };
  }, [frame]);
  return count;
}

/**
 * "Export" in a widget's header: each chart it shows as SVG (computed styles inlined) and PNG (2×),
 * each table as CSV (RFC 4180) and JSON records, named after the widget's title. Built from the
 * frame's DOM when opened, so it exports exactly what is drawn; hidden while there is nothing.
 * A disclosure button (aria-expanded) and its panel: Escape or a click elsewhere closes it, and
 * Escape returns focus to the button.
 */
export function ExportMenu({ frame, title }: WidgetToolProps) {
  const count = useExportCount(frame);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<Exportable[]>([]);
  const [status, setStatus] = useState('');

  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onDown);
    return () => document.removeEventListener('pointerdown', onDown);
  }, [open]);

  if (count === 0) return null;

  const titleText = nodeText(title);
  const stem = fileStem(titleText, 'widget');
  const charts = items.filter((i) => i.kind === 'chart');
  const tables = items.filter((i) => i.kind === 'table');
  const toggle = () => {
    if (!open && frame.current) setItems(findExportables(frame.current));
    setStatus('');
    setOpen(!open);
  };
  const run = async (what: string, job: (dom: Awaited<ReturnType<typeof loadDom>>) => Promise<void> | void) => {
    try {
      setStatus(`Preparing ${what}…`);
      await job(await loadDom());
      setStatus(`Saved ${what}.`);
    } catch (e) {
      setStatus(`Could not export ${what}: ${errorMessage(e)}`);
    }
  };

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
      <button ref={button} type="button" className="export-toggle" aria-expanded={open} aria-controls={panelId} aria-label={`Export from ${titleText || 'this widget'}`} data-testid="export-toggle" onClick={toggle}>
        Export
      </button>
      <div id={panelId} className="export-panel" hidden={!open}>
        {charts.length > 0 && (
          <ul aria-label="Charts">
            {charts.map((c, i) => {
              if (c.kind !== 'chart') return null;
              const name = (ext: string) => exportFileName(stem, 'chart', i, charts.length, ext);
              const svg = c.el instanceof SVGSVGElement ? c.el : null;
              return (
                <li key={`c${i}`}>
                  <span className="export-label">{c.label}</span>
                  {svg && (
                    <button type="button" data-testid="export-svg" aria-label={`${c.label}: SVG`} onClick={() => run(name('svg'), (d) => d.downloadText(d.serializeSvg(svg).text, name('svg'), 'image/svg+xml'))}>
                      SVG
                    </button>
                  )}
                  <button type="button" data-testid="export-png" aria-label={`${c.label}: PNG`} onClick={() => run(name('png'), async (d) => d.downloadBlob(await d.chartPng(c.el), name('png')))}>
                    PNG
                  </button>
                </li>
              );
            })}
          </ul>
        )}
        {tables.length > 0 && (
          <ul aria-label="Tables">
            {tables.map((t, i) => {
              if (t.kind !== 'table') return null;
              const name = (ext: string) => exportFileName(stem, 'table', i, tables.length, ext);
              return (
                <li key={`t${i}`}>
                  <span className="export-label">{t.label}</span>
                  <button type="button" data-testid="export-csv" aria-label={`${t.label}: CSV`} onClick={() => run(name('csv'), (d) => d.downloadText(d.tableCsv(t.el), name('csv'), 'text/csv'))}>
                    CSV
                  </button>
                  <button type="button" data-testid="export-json" aria-label={`${t.label}: JSON`} onClick={() => run(name('json'), (d) => d.downloadText(d.tableJson(t.el), name('json'), 'application/json'))}>
                    JSON
                  </button>
                </li>
              );
            })}
          </ul>
        )}
        <p className="export-status" aria-live="polite">{status}</p>
      </div>
    </div>
  );
}
