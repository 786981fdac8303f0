'use client';

import { DECODE_SELF_TEST_CASES, DECODE_TOLERANCE, runDecodeSelfTestCase, SAMPLE_DRAWS, type DecodeSelfTestResult } from '@/lib/model/decode-selftest';
import { SelfTestPanel } from './SelfTestPanel';
import { formatCheckNumber as n } from './useSelfTest';

/** The measured error of a result: mismatched draws for the sampling case, else the relative error. */
function measured(r: DecodeSelfTestResult): string {
  if (Number.isNaN(r.measured)) return '—';
  return r.kind === 'sample' ? `${r.measured} of ${SAMPLE_DRAWS} draws` : r.measured.toExponential(1);
}

/** Runs the fused decode kernels (dequantize-and-multiply per format, attention over the KV cache, the draw) and the tiled dequantizing matmul against their CPU twins. */
export function DecodeSelfTest() {
  return (
    <SelfTestPanel<(typeof DECODE_SELF_TEST_CASES)[number], DecodeSelfTestResult>
      testId="decode-selftest"
      idPrefix="decode-selftest"
      title="Fused decode and dequantizing matmul kernels against the CPU references"
      caption={() => <>Largest error over the reference&rsquo;s largest value; a case passes at {DECODE_TOLERANCE.toExponential(0)} or less</>}
      cpuNote="WebGPU is not active here, so decoding runs as tfjs ops with the KV cache instead of these kernels, and there is nothing to compare."
      runLabel="Run the decode checks"
      passLabel="agrees"
      cases={DECODE_SELF_TEST_CASES}
      runCase={runDecodeSelfTestCase}
      rowKey={(r) => r.name}
      rowHeaderLabel="Case"
      rowHeader={(r) => r.name}
      rowData={(r) => ({ 'data-kind': r.kind })}
      columns={[
        { header: 'Error', cell: measured },
        { header: 'GPU ms', cell: (r) => n(r.gpuMs, 2) },
        { header: 'CPU ms', cell: (r) => n(r.cpuMs, 2) },
      ]}
      allPassed={(k) => `All ${k} cases agree with the CPU references.`}
    />
  );
}
