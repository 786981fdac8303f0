import type { Metadata } from 'next';
import { GpuSelfTest } from '@/components/widgets/gpu-selftest/GpuSelfTest';

export const metadata: Metadata = {
  title: 'Check your GPU',
  description: 'Runs the course’s WebGPU quantization kernels against the plain TypeScript reference on seeded tensors.',
};

export default function GpuPage() {
  return (
    <div className="column">
      <h1>Check your GPU</h1>
      <p>
        The quantization lab computes on your GPU with hand-written WebGPU kernels, and every one of them has a plain
        TypeScript twin that follows PyTorch&rsquo;s rules to the bit. This page runs both on the same seeded tensors —
        per tensor, per channel and group-wise, with min–max, percentile and MSE calibration, and with NaN, infinities and
        a constant tensor thrown in — and compares every code and every statistic.
      </p>
      <GpuSelfTest />
    </div>
  );
}
