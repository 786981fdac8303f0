'use client';

import { useState } from 'react';
import { errorMessage } from '@/lib/errors';
import { exportFileName, fileStem } from '@/lib/export/names';
import { chartPng, downloadBlob, downloadText, serializeSvg, tableCsv, tableJson } from './export-dom';
import { findExportables } from './export-find';

/**
 * The Export menu's list (loaded when the menu first opens, so no page's first load carries it):
 * each chart the widget shows with SVG and PNG buttons, each table with CSV and JSON, found in the
 * frame's DOM as it is now, and a status line for screen readers.
 */
export default function ExportPanel({ frame, title }: { frame: HTMLElement; title: string }) {
  const [items] = useState(() => findExportables(frame));
  const stem = fileStem(title, 'widget');
  const [status, setStatus] = useState('');
  const charts = items.filter((i) => i.kind === 'chart');
  const tables = items.filter((i) => i.kind === 'table');
  const run = async (what: string, job: () => Promise<void> | void) => {
    try {
      setStatus(`Preparing ${what}…`);
      await job();
      setStatus(`Saved ${what}.`);
    } catch (e) {
      setStatus(`Could not export ${what}: ${errorMessage(e)}`);
    }
  };
  return (
    <>
      {items.length === 0 && <p className="export-status">Nothing to export yet.</p>}
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
                  <button type="button" data-testid="export-svg" aria-label={`${c.label}: SVG`} onClick={() => run(name('svg'), () => downloadText(serializeSvg(svg).text, name('svg'), 'image/svg+xml'))}>
                    SVG
                  </button>
                )}
                <button type="button" data-testid="export-png" aria-label={`${c.label}: PNG`} onClick={() => run(name('png'), async () => downloadBlob(await chartPng(c.el), name('png')))}>
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
                <button type="button" data-testid="export-csv" aria-label={`${t.label}: CSV`} onClick={() => run(name('csv'), () => downloadText(tableCsv(t.el), name('csv'), 'text/csv'))}>
                  CSV
                </button>
                <button type="button" data-testid="export-json" aria-label={`${t.label}: JSON`} onClick={() => run(name('json'), () => downloadText(tableJson(t.el), name('json'), 'application/json'))}>
                  JSON
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <p className="export-status" aria-live="polite">{status}</p>
    </>
  );
}
