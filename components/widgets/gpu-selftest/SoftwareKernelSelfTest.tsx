'use client';

import { SOFTWARE_KERNEL_CASES, SOFTWARE_KERNEL_TOLERANCE, runSoftwareKernelCase, type SoftwareKernelCase, type SoftwareKernelResult } from '@/lib/compute/software-kernels-selftest';
import { SelfTestPanel } from './SelfTestPanel';
import { formatCheckNumber as n } from './useSelfTest';

/** Runs the software-adapter kernels (vec4 matmul, row reductions, softmax) against their CPU twins. */
export function SoftwareKernelSelfTest() {
  return (
    <SelfTestPanel<SoftwareKernelCase, SoftwareKernelResult>
      testId="software-kernels-selftest"
      idPrefix="software-kernels-selftest"
      title="Matmul, sums and softmax for emulated GPUs against the CPU reference"
      caption={() => <>Largest difference over the largest value, at most {SOFTWARE_KERNEL_TOLERANCE.toExponential(0)}</>}
      cpuNote="WebGPU is not active here, so tfjs's own kernels run instead of these, and there is nothing to compare."
      runLabel="Run the matmul and reduction checks"
      passLabel="agrees"
      cases={SOFTWARE_KERNEL_CASES}
      runCase={runSoftwareKernelCase}
      rowKey={(r) => r.name}
      rowHeaderLabel="Case"
      rowHeader={(r) => r.name}
      columns={[
        { header: 'Outputs', cell: (r) => r.elements.toLocaleString('en-US') },
        { header: 'Relative difference', cell: (r) => (Number.isFinite(r.relativeError) ? r.relativeError.toExponential(1) : '—') },
        { header: 'GPU ms', cell: (r) => n(r.gpuMs, 1) },
        { header: 'CPU ms', cell: (r) => n(r.cpuMs, 1) },
      ]}
      allPassed={(k) => `All ${k} cases agree with the CPU reference.`}
    />
  );
}
