'use client';

import { methodPathLabel } from '@/lib/compute/gptq-gpu';
import { METHODS_SELF_TEST_CASES, METHODS_TOLERANCE, runMethodsSelfTestCase, type MethodsSelfTestResult } from '@/lib/compute/methods-selftest';
import { SelfTestPanel } from './SelfTestPanel';
import { formatCheckNumber as n } from './useSelfTest';

const percent = (x: number) => `${(100 * x).toLocaleString('en-US')}%`;

/** Runs GPTQ's column loop and AWQ's α search on the GPU against lib/quant's CPU references. */
export function MethodsSelfTest() {
  return (
    <SelfTestPanel<(typeof METHODS_SELF_TEST_CASES)[number], MethodsSelfTestResult>
      testId="methods-selftest"
      idPrefix="methods-selftest"
      title="GPTQ and AWQ against the CPU reference"
      caption={() => <>float32 on the GPU, float64 in the reference: at most {percent(METHODS_TOLERANCE.codeShare)} of codes may differ, GPTQ&rsquo;s proxy loss within {percent(METHODS_TOLERANCE.lossRatio)}, AWQ&rsquo;s α the same</>}
      cpuNote="WebGPU is not active here, so GPTQ’s column loop runs the CPU reference (compared with itself); AWQ’s search still runs on the active tfjs backend."
      runLabel="Run the GPTQ and AWQ checks"
      passLabel="agrees"
      cases={METHODS_SELF_TEST_CASES}
      runCase={runMethodsSelfTestCase}
      rowKey={(r) => r.name}
      rowHeaderLabel="Case"
      rowHeader={(r) => r.name}
      rowData={(r) => ({ 'data-method': r.method })}
      columns={[
        { header: 'Weights', cell: (r) => r.elements.toLocaleString('en-US') },
        { header: 'Ran on', cell: (r) => methodPathLabel(r.path) },
        { header: 'Codes that differ', cell: (r) => n(r.codesDiffer, 0) },
        { header: 'Loss, GPU ÷ CPU', cell: (r) => n(r.lossRatio, 5) },
        { header: 'α, GPU / CPU', cell: (r) => r.alphas || '—' },
        { header: 'GPU ms', cell: (r) => n(r.gpuMs, 1) },
        { header: 'CPU ms', cell: (r) => n(r.cpuMs, 1) },
      ]}
      allPassed={(k) => `All ${k} cases agree with the CPU reference within the stated tolerances.`}
    />
  );
}
