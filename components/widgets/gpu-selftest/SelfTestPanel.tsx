'use client';

import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';
import { WidgetError } from '@/components/widget-kit/WidgetError';
import type { ReactNode } from 'react';
import type { Compute } from '@/lib/compute';
import { useSelfTest } from './useSelfTest';
import { ScrollRegion } from '@/components/ui/ScrollRegion';

export interface SelfTestColumn<R> {
  header: string;
  cell: (r: R) => ReactNode;
}

/**
 * One "Check your GPU" section: a button that runs every case of a self-test in turn
 * (useSelfTest), a table with one row per result, and a one-line verdict. The case row's first
 * cell is `rowHeader`; the last column is always the verdict.
 */
export function SelfTestPanel<C, R extends { passed: boolean; error?: string }>({
  testId, idPrefix, title, caption, cpuNote, runLabel, passLabel, cases, runCase, rowKey, rowHeader, rowHeaderLabel, columns, allPassed, rowData,
}: {
  testId: string;
  /** Prefix of the run button's, table's and summary's test ids. */
  idPrefix: string;
  title: string;
  caption: (compute: Compute | null) => ReactNode;
  /** Shown when WebGPU is not active: what the check then compares. */
  cpuNote: string;
  runLabel: string;
  passLabel: string;
  cases: readonly C[];
  runCase: (compute: Compute, c: C) => Promise<R>;
  rowKey: (r: R) => string;
  rowHeader: (r: R) => ReactNode;
  rowHeaderLabel: string;
  columns: readonly SelfTestColumn<R>[];
  allPassed: (n: number) => string;
  /** Extra data-* attributes of a result's row (for tests), e.g. { 'data-format': 'fp16' }. */
  rowData?: (r: R) => Record<`data-${string}`, string>;
}) {
  const { compute, results, running, error, run, done, failures } = useSelfTest(cases, runCase);
  return (
    <WidgetFrame title={title} subtitle={caption(compute)} testId={testId}>
      {error && <WidgetError>No compute backend could start: {error}</WidgetError>}
      {compute && !compute.webgpu && <p className="widget-caption">{cpuNote}</p>}
      <div className="controls">
        <button type="button" className="primary" onClick={run} disabled={!compute || running} data-testid={`${idPrefix}-run`}>
          {running ? `Running ${results.length + 1} of ${cases.length}…` : runLabel}
        </button>
      </div>
      {results.length > 0 && (
        <ScrollRegion label={`${title}: results`}>
          <table data-testid={`${idPrefix}-table`}>
            <thead>
              <tr>
                <th scope="col">{rowHeaderLabel}</th>
                {columns.map((c) => <th scope="col" key={c.header}>{c.header}</th>)}
                <th scope="col">Verdict</th>
              </tr>
            </thead>
            <tbody>
              {results.map((r) => (
                <tr key={rowKey(r)} data-passed={r.passed} {...rowData?.(r)}>
                  <th scope="row">{rowHeader(r)}</th>
                  {columns.map((c) => <td key={c.header}>{c.cell(r)}</td>)}
                  <td>{r.passed ? `✓ ${passLabel}` : `✗ ${r.error ?? 'differs'}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      {done && (
        <p className="widget-caption" data-testid={`${idPrefix}-summary`}>
          {failures === 0 ? `✓ ${allPassed(results.length)}` : `✗ ${failures} of ${results.length} cases differ.`}
        </p>
      )}
    </WidgetFrame>
  );
}
