'use client';

import { useEffect, useState } from 'react';
import { BACKEND_LABELS, getCompute, type Compute } from '@/lib/compute';
import { SELF_TEST_CASES, STAT_TOLERANCE, runSelfTestCase, type SelfTestResult } from '@/lib/compute/lab-selftest';

function fmt(x: number, digits = 2): string {
  if (Number.isNaN(x)) return '—';
  if (x === 0) return '0';
  return x < 1e-3 ? x.toExponential(1) : x.toFixed(digits);
}

/** Runs the lab's WebGPU kernels against the CPU reference and shows every comparison. */
export function GpuSelfTest() {
  const [compute, setCompute] = useState<Compute | null>(null);
  const [results, setResults] = useState<SelfTestResult[]>([]);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    getCompute().then(setCompute, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, []);

  const run = async () => {
    if (!compute) return;
    setRunning(true);
    setResults([]);
    for (const c of SELF_TEST_CASES) {
      const r = await runSelfTestCase(compute, c);
      setResults((rs) => [...rs, r]);
    }
    setRunning(false);
  };

  const done = !running && results.length === SELF_TEST_CASES.length;
  const failures = results.filter((r) => !r.passed).length;
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
                  <td>{fmt(r.codeMismatches, 0)}</td>
                  <td>{fmt(r.maxStatDifference)} {r.worstStat !== 'none' && r.worstStat !== 'error' ? `(${r.worstStat})` : ''}</td>
                  <td>{fmt(r.maxCellDifference)}</td>
                  <td>{fmt(r.histogramMoves, 0)}</td>
                  <td>{fmt(r.gpuMs, 1)}</td>
                  <td>{fmt(r.cpuMs, 1)}</td>
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
