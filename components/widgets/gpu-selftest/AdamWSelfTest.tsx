'use client';

import type { Compute } from '@/lib/compute';
import { ADAMW_SELF_TEST_CASES, ADAMW_TOLERANCE, type AdamWSelfTestCase, type AdamWSelfTestResult } from '@/lib/train/adamw-selftest-cases';
import { SelfTestPanel } from './SelfTestPanel';
import { formatCheckNumber as n } from './useSelfTest';

/** The runner loads on the first check: the optimizer's code stays off the page's first load. */
const runCase = async (compute: Compute, c: AdamWSelfTestCase) => (await import('@/lib/train/adamw-selftest')).runAdamWSelfTestCase(compute, c);

/** Runs the optimizer's fused WebGPU step against the float64 AdamW of lib/train. */
export function AdamWSelfTest() {
  return (
    <SelfTestPanel<AdamWSelfTestCase, AdamWSelfTestResult>
      testId="adamw-selftest"
      idPrefix="adamw-selftest"
      title="The optimizer's step in three kernels against the CPU reference"
      caption={() => <>Largest difference of the parameters and gradient norms over the largest value, at most {ADAMW_TOLERANCE.toExponential(0)}</>}
      cpuNote="WebGPU is not active here, so the optimizer runs as tfjs ops, which the unit tests check against PyTorch."
      runLabel="Run the optimizer checks"
      passLabel="agrees"
      cases={ADAMW_SELF_TEST_CASES}
      runCase={runCase}
      rowKey={(r) => r.name}
      rowHeaderLabel="Case"
      rowHeader={(r) => r.name}
      columns={[
        { header: 'Parameters', cell: (r) => r.elements.toLocaleString('en-US') },
        { header: 'Relative difference', cell: (r) => (Number.isFinite(r.relativeError) ? r.relativeError.toExponential(1) : '—') },
        { header: 'GPU ms', cell: (r) => n(r.gpuMs, 1) },
        { header: 'CPU ms', cell: (r) => n(r.cpuMs, 1) },
      ]}
      allPassed={(k) => `All ${k} cases agree with the CPU reference.`}
    />
  );
}
