'use client';

import { FAKE_QUANT_SELF_TEST_CASES, FAKE_QUANT_TOLERANCE, runFakeQuantSelfTestCase, type FakeQuantSelfTestResult } from '@/lib/compute/fake-quant-selftest';
import { SelfTestPanel } from './SelfTestPanel';
import { formatCheckNumber as n } from './useSelfTest';

/** Runs QAT's fused fake-quantization kernels (forward values and the STE's gradient) against the CPU reference. */
export function FakeQuantSelfTest() {
  return (
    <SelfTestPanel<(typeof FAKE_QUANT_SELF_TEST_CASES)[number], FakeQuantSelfTestResult>
      testId="fake-quant-selftest"
      idPrefix="fake-quant-selftest"
      title="QAT’s fake quantization against the CPU reference"
      caption={() => <>Forward values and straight-through gradients, per row and per group; at most {(100 * FAKE_QUANT_TOLERANCE).toLocaleString('en-US')}% may differ</>}
      cpuNote="WebGPU is not active here, so quantization-aware training uses tfjs ops instead of these kernels, and there is nothing to compare."
      runLabel="Run the fake-quantization checks"
      passLabel="agrees"
      cases={FAKE_QUANT_SELF_TEST_CASES}
      runCase={runFakeQuantSelfTestCase}
      rowKey={(r) => r.name}
      rowHeaderLabel="Case"
      rowHeader={(r) => r.name}
      columns={[
        { header: 'Weights', cell: (r) => r.elements.toLocaleString('en-US') },
        { header: 'Values that differ', cell: (r) => n(r.valuesDiffer, 0) },
        { header: 'Gradients that differ', cell: (r) => n(r.gradientsDiffer, 0) },
        { header: 'Clamped (no gradient)', cell: (r) => n(r.clamped, 0) },
        { header: 'GPU ms', cell: (r) => n(r.gpuMs, 1) },
        { header: 'CPU ms', cell: (r) => n(r.cpuMs, 1) },
      ]}
      allPassed={(k) => `All ${k} cases agree with the CPU reference.`}
    />
  );
}
