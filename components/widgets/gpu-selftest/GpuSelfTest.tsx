'use client';

import { formatCheckNumber, useSelfTest } from './useSelfTest';
import { BACKEND_LABELS } from '@/lib/compute';
import { SELF_TEST_CASES, STAT_TOLERANCE, runSelfTestCase } from '@/lib/compute/lab-selftest';

/** Runs the lab's WebGPU kernels against the CPU reference and shows every comparison. */
export function GpuSelfTest() {
  const { compute, results, running, error, run, done, failures } = useSelfTest(SELF_TEST_CASES, runSelfTestCase);
  const gpu = compute?.webgpu != null;
  return (
    <section className="widget" data-testid="gpu-selftest">
      <header>
        <h3>Fused kernels against the CPU reference</h3>
        <span className="widget-caption">
          Backend: <strong>{compute ? BACKEND_LABELS[compute.backend] + (compute.software ? ' (software)' : '') : '…'}</strong>
        </span>
      </header>
      {error && <p className="error-message" role="alert">No compute backend could start: {error}</p>}
      {compute && !gpu && (
        <p className="widget-caption">
          WebGPU is not active here, so the lab runs the CPU reference itself and this check compares the reference with
          itself. Open the page in a browser with WebGPU to test the kernels.
        </p>
      )}
      <div className="controls">
        <button type="button" className="primary" onClick={run} disabled={!compute || running} data-testid="selftest-run">
          {running ? `Running ${results.length + 1} of ${SELF_TEST_CASES.length}…` : 'Run the checks'}
        </button>
      </div>
      {results.length > 0 && (
        <div className="table-scroll">
          <table data-testid="selftest-table">
            <thead>
              <tr>
                <th scope="col">Case</th>
                <th scope="col">Elements</th>
                <th scope="col">Codes that differ</th>
                <th scope="col">Worst statistic (relative)</th>
                <th scope="col">Worst cell MSE (relative)</th>
                <th scope="col">Histogram moves</th>
                <th scope="col">GPU ms</th>
                <th scope="col">CPU ms</th>
                <th scope="col">Verdict</th>
              </tr>
            </thead>
            <tbody>
              {results.map((r) => (
                <tr key={r.name} data-passed={r.passed}>
                  <th scope="row">{r.name}</th>
                  <td>{r.elements.toLocaleString('en-US')}</td>
                  <td>{formatCheckNumber(r.codeMismatches, 0)}</td>
                  <td>{formatCheckNumber(r.maxStatDifference)} {r.worstStat !== 'none' && r.worstStat !== 'error' ? `(${r.worstStat})` : ''}</td>
                  <td>{formatCheckNumber(r.maxCellDifference)}</td>
                  <td>{formatCheckNumber(r.histogramMoves, 0)}</td>
                  <td>{formatCheckNumber(r.gpuMs, 1)}</td>
                  <td>{formatCheckNumber(r.cpuMs, 1)}</td>
                  <td>{r.passed ? '✓ agrees' : `✗ ${r.error ?? 'differs'}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {done && (
        <p className="widget-caption" data-testid="selftest-summary">
          {failures === 0
            ? `✓ All ${results.length} cases agree: identical codes, statistics within ${STAT_TOLERANCE} relative.`
            : `✗ ${failures} of ${results.length} cases differ.`}
        </p>
      )}
    </section>
  );
}
