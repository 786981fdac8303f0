/**
 * The roofline model (Williams, Waterman & Patterson 2009, "Roofline: an insightful visual
 * performance model for multicore architectures") for a Linear layer of a language model:
 * arithmetic intensity from the layer's shapes, attainable FLOP/s from a device's peak and
 * bandwidth. Rules and check values: docs/numerics.md, "Serving".
 */

/** One Linear y = x Wᵀ, W [out, in], applied to `tokens` rows at once (batch × new tokens per sequence). */
export interface LinearWork {
  in: number;
  out: number;
  /** Rows processed per read of the weights: 1 for decode at batch 1, B for decode at batch B, T·B for a prefill. */
  tokens: number;
  /** Bytes per stored weight: 2 (FP16), 1 (INT8), 0.5 (INT4), codes only. */
  weightBytes: number;
  /** Bytes per activation value read and written (2 for FP16). */
  activationBytes: number;
}

function checkPositive(name: string, v: number): void {
  if (!Number.isFinite(v) || v <= 0) throw new RangeError(`${name} must be a positive number, got ${v}`);
}

function checkWork(w: LinearWork): void {
  checkPositive('in', w.in);
  checkPositive('out', w.out);
  checkPositive('tokens', w.tokens);
  checkPositive('weightBytes', w.weightBytes);
  if (!Number.isFinite(w.activationBytes) || w.activationBytes < 0) throw new RangeError(`activationBytes must be ≥ 0, got ${w.activationBytes}`);
}

/** FLOPs of the Linear: 2 · tokens · in · out (one multiply and one add per weight per row). */
export function linearFlops(w: LinearWork): number {
  checkWork(w);
  return 2 * w.tokens * w.in * w.out;
}

/** Bytes moved: the weights once, in · out · weightBytes, plus the activations, tokens · (in + out) · activationBytes. */
export function linearBytes(w: LinearWork): number {
  checkWork(w);
  return w.in * w.out * w.weightBytes + w.tokens * (w.in + w.out) * w.activationBytes;
}

/**
 * Arithmetic intensity, FLOPs per byte moved: linearFlops / linearBytes. Check: 4096 × 4096 in
 * FP16 at one token = 2·4096² / (2·4096² + 2·8192) = 0.99951 — about 1 FLOP per byte; INT4 codes ≈ 4.
 */
export function arithmeticIntensity(w: LinearWork): number {
  return linearFlops(w) / linearBytes(w);
}

/** Attainable FLOP/s at intensity I: min(peak, bandwidth · I) — the roofline. */
export function attainableFlops(peakFlops: number, bandwidth: number, intensity: number): number {
  checkPositive('peak FLOP/s', peakFlops);
  checkPositive('bandwidth', bandwidth);
  checkPositive('intensity', intensity);
  return Math.min(peakFlops, bandwidth * intensity);
}

/** The ridge point: peak / bandwidth, the intensity where the slanted roof meets the flat one. */
export function ridgeIntensity(peakFlops: number, bandwidth: number): number {
  checkPositive('peak FLOP/s', peakFlops);
  checkPositive('bandwidth', bandwidth);
  return peakFlops / bandwidth;
}

/** 'memory' below the ridge (time = bytes / bandwidth), 'compute' at or above it (time = FLOPs / peak). */
export function boundBy(peakFlops: number, bandwidth: number, intensity: number): 'memory' | 'compute' {
  return intensity < ridgeIntensity(peakFlops, bandwidth) ? 'memory' : 'compute';
}

/** The roofline's time for the work: max(bytes / bandwidth, FLOPs / peak), in seconds. */
export function rooflineSeconds(w: LinearWork, peakFlops: number, bandwidth: number): number {
  checkPositive('peak FLOP/s', peakFlops);
  checkPositive('bandwidth', bandwidth);
  return Math.max(linearBytes(w) / bandwidth, linearFlops(w) / peakFlops);
}

/** Weight storage the roofline widget places: bytes per weight (codes only). */
export type RooflineWeight = 'fp16' | 'int8' | 'int4';
export const ROOFLINE_WEIGHTS: readonly RooflineWeight[] = ['fp16', 'int8', 'int4'];
export const ROOFLINE_WEIGHT_BYTES: Readonly<Record<RooflineWeight, number>> = { fp16: 2, int8: 1, int4: 0.5 };
export const ROOFLINE_WEIGHT_LABELS: Readonly<Record<RooflineWeight, string>> = { fp16: 'FP16', int8: 'INT8', int4: 'INT4' };

export interface RooflinePoint {
  weight: RooflineWeight;
  phase: 'decode' | 'batch';
  tokens: number;
  intensity: number;
  /** Attainable FLOP/s on the given roof. */
  attainable: number;
  bound: 'memory' | 'compute';
}

/**
 * The points the widget draws for one Linear (in × out, FP16 activations): decode at batch 1 and
 * `tokens` rows per weight read (a batch or a prefill), for each weight storage.
 */
export function rooflinePoints(shape: { in: number; out: number }, tokens: number, peakFlops: number, bandwidth: number): RooflinePoint[] {
  return ROOFLINE_WEIGHTS.flatMap((weight) =>
    ([['decode', 1], ['batch', tokens]] as const).map(([phase, n]) => {
      const intensity = arithmeticIntensity({ ...shape, tokens: n, weightBytes: ROOFLINE_WEIGHT_BYTES[weight], activationBytes: 2 });
      return { weight, phase, tokens: n, intensity, attainable: attainableFlops(peakFlops, bandwidth, intensity), bound: boundBy(peakFlops, bandwidth, intensity) };
    }),
  );
}

/**
 * A static roof for the widget's preview before the learner measures: an H100 SXM's dense FP16
 * tensor-core peak (989 TFLOP/s) and HBM3 bandwidth (3.35 TB/s), from NVIDIA's H100 datasheet.
 */
export const PREVIEW_ROOF = { label: 'H100 SXM (datasheet: 989 TFLOP/s FP16 dense, 3.35 TB/s)', peakFlops: 989e12, bandwidth: 3.35e12 } as const;
