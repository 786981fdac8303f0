'use client';

import type { Compute } from '@/lib/compute';
import { BATCH_OPS_SELF_TEST_CASES, BATCH_OPS_TOLERANCE, type BatchOpsSelfTestCase, type BatchOpsSelfTestResult } from '@/lib/model/batch-ops-selftest-cases';
import { SelfTestPanel } from './SelfTestPanel';
import { formatCheckNumber as n } from './useSelfTest';

/** The runner loads on the first check: the kernels' code stays off the page's first load. */
const runCase = async (compute: Compute, c: BatchOpsSelfTestCase) => (await import('@/lib/model/batch-ops-selftest')).runBatchOpsSelfTestCase(compute, c);

/** Runs the model's fused attention, GELU and layer norm (forward and gradients) against their float64 twins. */
export function BatchOpsSelfTest() {
  return (
    <SelfTestPanel<BatchOpsSelfTestCase, BatchOpsSelfTestResult>
      testId="batch-ops-selftest"
      idPrefix="batch-ops-selftest"
      title="Training kernels: attention, GELU and layer norm with their gradients"
      caption={() => <>Largest difference of each output and gradient over its largest value, at most {BATCH_OPS_TOLERANCE.toExponential(0)}. The reference is the float64 twin on the CPU, or for the whole model the same model on tfjs ops.</>}
      cpuNote="WebGPU is not active here, so the model computes these with tfjs ops, which the unit tests check against the same float64 twins."
      runLabel="Run the training-kernel checks"
      passLabel="agrees"
      cases={BATCH_OPS_SELF_TEST_CASES}
      runCase={runCase}
      rowKey={(r) => r.name}
      rowHeaderLabel="Case"
      rowHeader={(r) => r.name}
      columns={[
        { header: 'Inputs', cell: (r) => r.elements.toLocaleString('en-US') },
        { header: 'Relative difference', cell: (r) => (Number.isFinite(r.relativeError) ? r.relativeError.toExponential(1) : '—') },
        { header: 'Dispatches in the check', cell: (r) => (r.dispatches === null ? '—' : String(r.dispatches)) },
        { header: 'Fused ms', cell: (r) => n(r.gpuMs, 1) },
        { header: 'Reference ms', cell: (r) => n(r.cpuMs, 1) },
      ]}
      allPassed={(k) => `All ${k} cases agree with the CPU reference.`}
    />
  );
}
