import type { Metadata } from 'next';
import { BenchRunner } from '@/components/widgets/bench/BenchRunner';

export const metadata: Metadata = {
  title: 'Benchmarks',
  description: 'Times the quantization lab’s fused WebGPU kernels against a chain of tfjs ops and the CPU reference, side by side.',
  robots: { index: false, follow: false },
};

export default function BenchPage() {
  return (
    <div className="column">
      <h1>Benchmarks</h1>
      <p>
        The quantization lab redraws its charts from one pass over the weights: quantize every weight to INT8, dequantize
        it, and measure the error — mean squared error, signal-to-noise ratio, the largest error, how many codes were
        clipped, the error per heatmap cell and an error histogram. This page times that pass three ways on the same
        seeded normal weights (1M elements, and 16M if you ask): the lab&rsquo;s fused WebGPU kernels, which read each
        weight once; the same computation written as a chain of ordinary TensorFlow.js ops on WebGPU, each of which
        reads and writes the whole tensor; and the plain TypeScript reference on the CPU. Each time includes reading the
        statistics back; each figure is the median of several runs after a warm-up.
      </p>
      <p>
        Figures depend on your machine. On a software WebGPU adapter (SwiftShader, which emulates the GPU on the CPU)
        the GPU numbers say little about a real graphics card; the ratios between the GPU rows are the interesting part.
        The command-line version, <code>npm run bench</code>, runs this page in Chromium and also measures how long the
        lab takes to redraw after a slider moves.
      </p>
      <h2>Run it</h2>
      <BenchRunner />
    </div>
  );
}
