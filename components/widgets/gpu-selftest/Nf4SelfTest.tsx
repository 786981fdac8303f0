'use client';

import { NF4_SELF_TEST_CASES, runNF4SelfTestCase, type NF4SelfTestResult } from '@/lib/compute/nf4-selftest';
import { SelfTestPanel } from './SelfTestPanel';
import { formatCheckNumber as n } from './useSelfTest';

/** Runs the NF4 + double-quantization dequantize kernel against the CPU reference, bit for bit. */
export function Nf4SelfTest() {
  return (
    <SelfTestPanel<(typeof NF4_SELF_TEST_CASES)[number], NF4SelfTestResult>
      testId="nf4-selftest"
      idPrefix="nf4-selftest"
      title="NF4 dequantization against the CPU reference"
      caption={() => <>QLoRA&rsquo;s 4-bit base weights, held packed on the device</>}
      cpuNote="WebGPU is not active here, so the packed weights stay in main memory and the CPU reference dequantizes them; this check then compares the reference with itself."
      runLabel="Run the NF4 checks"
      passLabel="identical"
      cases={NF4_SELF_TEST_CASES}
      runCase={runNF4SelfTestCase}
      rowKey={(r) => r.name}
      rowHeaderLabel="Case"
      rowHeader={(r) => r.name}
      columns={[
        { header: 'Weights', cell: (r) => r.elements.toLocaleString('en-US') },
        { header: 'Values that differ', cell: (r) => n(r.mismatches, 0) },
        { header: 'Largest difference', cell: (r) => n(r.maxAbsDifference, 3) },
        { header: 'Bytes on the device', cell: (r) => (r.path === 'webgpu' ? r.deviceBytes.toLocaleString('en-US') : 'in main memory') },
        { header: 'Bytes per weight', cell: (r) => (r.path === 'webgpu' ? n(r.bytesPerWeight, 3) : '—') },
        { header: 'GPU ms', cell: (r) => n(r.gpuMs, 1) },
        { header: 'CPU ms', cell: (r) => n(r.cpuMs, 1) },
      ]}
      allPassed={(k) => `All ${k} cases are bit-identical to the CPU reference.`}
    />
  );
}
