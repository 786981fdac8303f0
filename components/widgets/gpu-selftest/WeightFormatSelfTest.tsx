'use client';

import { formatCheckNumber, useSelfTest } from './useSelfTest';
import { WEIGHT_FORMAT_SELF_TEST_CASES, runWeightFormatSelfTestCase } from '@/lib/compute/weight-format-selftest';

/** Runs the quantized weight store's unpacking kernels against the CPU reference, bit for bit, in every format. */
export function WeightFormatSelfTest() {
  const { compute, results, running, error, run, done, failures } = useSelfTest(WEIGHT_FORMAT_SELF_TEST_CASES, runWeightFormatSelfTestCase);
  const total = WEIGHT_FORMAT_SELF_TEST_CASES.length;
  return (
    <section className="widget" data-testid="weight-format-selftest">
      <header>
        <h3>Weight storage formats against the CPU reference</h3>
        <span className="widget-caption">fp32, fp16, bf16, int8 per channel, int4 per group of 64, NF4 + DQ</span>
      </header>
      {error && <p className="error-message" role="alert">No compute backend could start: {error}</p>}
      {compute && !compute.webgpu && (
        <p className="widget-caption">
          WebGPU is not active here, so the store keeps each weight as the CPU reference&rsquo;s float32 values (four bytes a
          weight) and this check compares the reference with itself.
        </p>
      )}
      <div className="controls">
        <button type="button" className="primary" onClick={run} disabled={!compute || running} data-testid="weight-format-selftest-run">
          {running ? `Running ${results.length + 1} of ${total}…` : 'Run the storage format checks'}
        </button>
      </div>
      {results.length > 0 && (
        <div className="table-scroll">
          <table data-testid="weight-format-selftest-table">
            <thead>
              <tr>
                <th scope="col">Format</th>
                <th scope="col">Weight</th>
                <th scope="col">Weights</th>
                <th scope="col">Values that differ</th>
                <th scope="col">Largest difference</th>
                <th scope="col">Bytes on the device</th>
                <th scope="col">Bits per weight</th>
                <th scope="col">GPU ms</th>
                <th scope="col">CPU ms</th>
                <th scope="col">Verdict</th>
              </tr>
            </thead>
            <tbody>
              {results.map((r) => (
                <tr key={`${r.format} ${r.name}`} data-passed={r.passed} data-format={r.format}>
                  <th scope="row">{r.format}</th>
                  <td>{r.name}</td>
                  <td>{r.elements.toLocaleString('en-US')}</td>
                  <td>{formatCheckNumber(r.mismatches, 0)}</td>
                  <td>{formatCheckNumber(r.maxAbsDifference, 3)}</td>
                  <td>{Number.isNaN(r.weightBytes) ? '—' : `${r.weightBytes.toLocaleString('en-US')}${r.residency === 'float32' ? ' (float32)' : ''}`}</td>
                  <td>{formatCheckNumber(r.bitsPerWeight, 3)}</td>
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
        <p className="widget-caption" data-testid="weight-format-selftest-summary">
          {failures === 0
            ? `✓ All ${results.length} cases are bit-identical to the CPU reference.`
            : `✗ ${failures} of ${results.length} cases differ.`}
        </p>
      )}
    </section>
  );
}
