/**
 * Measures the learner's own device through tfjs, for the roofline (roofline.ts): bandwidth from a
 * large elementwise pass (y = x · a + b reads 4 bytes and writes 4 bytes per float32 value, so
 * bytes = 8 · n per pass) and compute from a large float32 matmul (2 · n³ FLOPs). Each figure is
 * the median of several repetitions after a warm-up; each repetition queues `passes` operations and
 * waits for the last one (reading back one value), so the read-back's fixed cost is spread over
 * them. These are the roofs tfjs reaches on this backend, not the hardware's datasheet peaks.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Compute } from '../compute';
import { median } from '../bench/stats';

export interface RooflineMeasureOptions {
  /** float32 values of the elementwise pass (default 2^23: 32 MB in, 32 MB out). */
  elements: number;
  /** Matmul sizes tried in order; the first whose repetition takes at least `minSeconds` is kept (the last otherwise). */
  matmulSizes: readonly number[];
  passes: number;
  repetitions: number;
  minSeconds: number;
  now: () => number;
  /** Called between repetitions (yield to the page; throw to stop). */
  tick: () => Promise<void>;
}

export const DEFAULT_MEASURE: Omit<RooflineMeasureOptions, 'now' | 'tick'> = {
  elements: 2 ** 23,
  matmulSizes: [256, 512, 1024, 2048],
  passes: 4,
  repetitions: 5,
  minSeconds: 0.05,
};

export interface RooflineMeasurement {
  /** Bytes per second, read + written, median. */
  bandwidth: number;
  /** FLOP/s of the float32 matmul, median. */
  peakFlops: number;
  matmulSize: number;
  elements: number;
  repetitions: number;
}

async function timed(compute: Compute, o: RooflineMeasureOptions, run: () => Tensor[]): Promise<number> {
  const t0 = o.now();
  const outs = run();
  const last = outs[outs.length - 1];
  const one = compute.tf.tidy(() => compute.tf.slice(compute.tf.reshape(last, [-1]), [0], [1]));
  await one.data();
  const seconds = (o.now() - t0) / 1000;
  one.dispose();
  outs.forEach((t) => t.dispose());
  return seconds;
}

/** Median seconds of `repetitions` runs after one warm-up run. */
async function medianSeconds(compute: Compute, o: RooflineMeasureOptions, run: () => Tensor[]): Promise<number> {
  await timed(compute, o, run);
  const times: number[] = [];
  for (let r = 0; r < o.repetitions; r++) {
    await o.tick();
    times.push(await timed(compute, o, run));
  }
  return median(times);
}

export async function measureRoofline(compute: Compute, options: Partial<RooflineMeasureOptions> & Pick<RooflineMeasureOptions, 'now' | 'tick'>): Promise<RooflineMeasurement> {
  const o: RooflineMeasureOptions = { ...DEFAULT_MEASURE, ...options };
  if (o.passes < 1 || o.repetitions < 1 || o.matmulSizes.length === 0) throw new RangeError('passes, repetitions and matmul sizes must be at least 1.');
  const { tf } = compute;
  // Bandwidth: `passes` independent elementwise passes over the same input.
  const x = tf.randomUniform([o.elements], -1, 1, 'float32', 1);
  let bandwidth: number;
  try {
    const s = await medianSeconds(compute, o, () => Array.from({ length: o.passes }, (_, i) => tf.tidy(() => tf.add(tf.mul(x, 1 + i * 1e-3), 0.5))));
    bandwidth = (8 * o.elements * o.passes) / s;
  } finally {
    x.dispose();
  }
  // Compute: the smallest matmul that keeps the device busy for minSeconds per repetition.
  let peakFlops = 0, matmulSize = 0;
  for (const n of o.matmulSizes) {
    const a = tf.randomUniform([n, n], -1, 1, 'float32', 2);
    const b = tf.randomUniform([n, n], -1, 1, 'float32', 3);
    try {
      const s = await medianSeconds(compute, o, () => Array.from({ length: o.passes }, () => tf.matMul(a, b)));
      peakFlops = (2 * n ** 3 * o.passes) / s;
      matmulSize = n;
      if (s >= o.minSeconds) break;
    } finally {
      a.dispose();
      b.dispose();
    }
    await o.tick();
  }
  return { bandwidth, peakFlops, matmulSize, elements: o.elements, repetitions: o.repetitions };
}
