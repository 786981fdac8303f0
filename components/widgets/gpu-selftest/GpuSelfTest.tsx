'use client';

import { backendLabel } from '@/lib/compute';
import { SELF_TEST_CASES, STAT_TOLERANCE, runSelfTestCase, type SelfTestResult } from '@/lib/lab/selftest';
import { SelfTestPanel } from './SelfTestPanel';
import { formatCheckNumber as n } from './useSelfTest';

/** Runs the lab's WebGPU kernels against the CPU reference and shows every comparison. */
export function GpuSelfTest() {
  return (
    <SelfTestPanel<(typeof SELF_TEST_CASES)[number], SelfTestResult>
      testId="gpu-selftest"
      idPrefix="selftest"
      title="Fused kernels against the CPU reference"
      caption={(c) => <>Backend: <strong>{backendLabel(c)}</strong></>}
      cpuNote="WebGPU is not active here, so the lab runs the CPU reference itself and this check compares the reference with itself. Open the page in a browser with WebGPU to test the kernels."
      runLabel="Run the checks"
      passLabel="agrees"
      cases={SELF_TEST_CASES}
      runCase={runSelfTestCase}
      rowKey={(r) => r.name}
      rowHeaderLabel="Case"
      rowHeader={(r) => r.name}
      columns={[
        { header: 'Elements', cell: (r) => r.elements.toLocaleString('en-US') },
        { header: 'Codes that differ', cell: (r) => n(r.codeMismatches, 0) },
        { header: 'Worst statistic (relative)', cell: (r) => `${n(r.maxStatDifference)} ${r.worstStat !== 'none' && r.worstStat !== 'error' ? `(${r.worstStat})` : ''}` },
        { header: 'Worst cell MSE (relative)', cell: (r) => n(r.maxCellDifference) },
        { header: 'Histogram moves', cell: (r) => n(r.histogramMoves, 0) },
        { header: 'GPU ms', cell: (r) => n(r.gpuMs, 1) },
        { header: 'CPU ms', cell: (r) => n(r.cpuMs, 1) },
      ]}
      allPassed={(k) => `All ${k} cases agree: identical codes, statistics within ${STAT_TOLERANCE} relative.`}
    />
  );
}
