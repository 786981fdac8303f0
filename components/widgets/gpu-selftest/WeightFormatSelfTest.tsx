'use client';

import { WEIGHT_FORMAT_SELF_TEST_CASES, runWeightFormatSelfTestCase, type WeightFormatSelfTestResult } from '@/lib/model/weight-format-selftest';
import { FORMAT_LABELS, WEIGHT_FORMATS } from '@/lib/quant/weight-formats';
import { SelfTestPanel } from './SelfTestPanel';
import { formatCheckNumber as n } from './useSelfTest';

/** Runs the quantized weight store's unpacking kernels against the CPU reference, bit for bit, in every format. */
export function WeightFormatSelfTest() {
  return (
    <SelfTestPanel<(typeof WEIGHT_FORMAT_SELF_TEST_CASES)[number], WeightFormatSelfTestResult>
      testId="weight-format-selftest"
      idPrefix="weight-format-selftest"
      title="Weight storage formats against the CPU reference"
      caption={() => WEIGHT_FORMATS.map((f) => FORMAT_LABELS[f]).join(' · ')}
      cpuNote="WebGPU is not active here, so the store keeps each weight as the CPU reference’s float32 values (four bytes a weight) and this check compares the reference with itself."
      runLabel="Run the storage format checks"
      passLabel="identical"
      cases={WEIGHT_FORMAT_SELF_TEST_CASES}
      runCase={runWeightFormatSelfTestCase}
      rowKey={(r) => `${r.format} ${r.name}`}
      rowData={(r) => ({ 'data-format': r.format })}
      rowHeaderLabel="Format"
      rowHeader={(r) => r.format}
      columns={[
        { header: 'Weight', cell: (r) => r.name },
        { header: 'Weights', cell: (r) => r.elements.toLocaleString('en-US') },
        { header: 'Values that differ', cell: (r) => n(r.mismatches, 0) },
        { header: 'Largest difference', cell: (r) => n(r.maxAbsDifference, 3) },
        { header: 'Bytes on the device', cell: (r) => (Number.isNaN(r.weightBytes) ? '—' : `${r.weightBytes.toLocaleString('en-US')}${r.residency === 'float32' ? ' (float32)' : ''}`) },
        { header: 'Bits per weight', cell: (r) => n(r.bitsPerWeight, 3) },
        { header: 'GPU ms', cell: (r) => n(r.gpuMs, 1) },
        { header: 'CPU ms', cell: (r) => n(r.cpuMs, 1) },
      ]}
      allPassed={(k) => `All ${k} cases are bit-identical to the CPU reference.`}
    />
  );
}
