'use client';

import { formatCheckNumber, useSelfTest } from './useSelfTest';
import { NF4_SELF_TEST_CASES, runNF4SelfTestCase } from '@/lib/compute/nf4-selftest';

/** Runs the NF4 + double-quantization dequantize kernel against the CPU reference, bit for bit. */
export function Nf4SelfTest() {
  const { compute, results, running, error, run, done, failures } = useSelfTest(NF4_SELF_TEST_CASES, runNF4SelfTestCase);
  return (
    <section className="widget" data-testid="nf4-selftest">
      <header>
        <h3>NF4 dequantization against the CPU reference</h3>
        <span className="widget-caption">QLoRA&rsquo;s 4-bit base weights, held packed on the device</span>
      </header>
      {error && <p className="error-message" role="alert">No compute backend could start: {error}</p>}
      {compute && !compute.webgpu && (
        <p className="widget-caption">
          WebGPU is not active here, so the packed weights stay in main memory and the CPU reference dequantizes them;
          this check then compares the reference with itself.
        </p>
      )}
      <div className="controls">
        <button type="button" className="primary" onClick={run} disabled={!compute || running} data-testid="nf4-selftest-run">
          {running ? `Running ${results.length + 1} of ${NF4_SELF_TEST_CASES.length}…` : 'Run the NF4 checks'}
        </button>
      </div>
      {results.length > 0 && (
        <div className="table-scroll">
          <table data-testid="nf4-selftest-table">
            <thead>
              <tr>
                <th scope="col">Case</th>
                <th scope="col">Weights</th>
                <th scope="col">Values that differ</th>
                <th scope="col">Largest difference</th>
                <th scope="col">Bytes on the device</th>
                <th scope="col">Bytes per weight</th>
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
                  <td>{formatCheckNumber(r.mismatches, 0)}</td>
                  <td>{formatCheckNumber(r.maxAbsDifference, 3)}</td>
                  <td>{r.path === 'webgpu' ? r.deviceBytes.toLocaleString('en-US') : 'in main memory'}</td>
                  <td>{r.path === 'webgpu' ? formatCheckNumber(r.bytesPerWeight, 3) : '—'}</td>
                  <td>{formatCheckNumber(r.gpuMs, 1)}</td>
                  <td>{formatCheckNumber(r.cpuMs, 1)}</td>
                  <td>{r.passed ? '✓ identical' : `✗ ${r.error ?? 'differs'}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {done && (
        <p className="widget-caption" data-testid="nf4-selftest-summary">
          {failures === 0
            ? `✓ All ${results.length} cases are bit-identical to the CPU reference.`
            : `✗ ${failures} of ${results.length} cases differ.`}
        </p>
      )}
    </section>
  );
}
