/**
 * Seeded pseudo-random numbers, so that a widget's tensors are the same on every machine for the
 * same seed (docs/design.md rule 7). mulberry32 (Tommy Ettinger's 32-bit generator) for uniforms and
 * the Box-Muller transform for normals.
 */

/**
 * The largest seed a widget offers: mulberry32 reads its seed as an unsigned 32-bit integer
 * (seed >>> 0), so 0 … 2^32 − 1 are all the distinct streams; a seed box, a shared link and a
 * "New weights" button all stay in this range.
 */
export const SEED_MAX = 2 ** 32 - 1;

/** The seed after `seed` for a "New weights" button: seed + 1, wrapping from SEED_MAX back to 0. */
export function nextSeed(seed: number): number {
  return seed >= SEED_MAX ? 0 : seed + 1;
}

/** A function returning uniforms in [0, 1), fully determined by `seed` (any 32-bit integer). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `n` samples of N(mean, std^2) as float32, by Box-Muller: z = sqrt(-2 ln u1) cos(2 pi u2) and its
 * sine twin, with u1 taken in (0, 1] so the logarithm is finite.
 */
export function normalArray(n: number, seed: number, mean = 0, std = 1): Float32Array {
  if (!Number.isInteger(n) || n < 0) throw new RangeError('n must be a whole number >= 0');
  const rand = mulberry32(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u1 = 1 - rand();
    const u2 = rand();
    const r = Math.sqrt(-2 * Math.log(u1));
    out[i] = mean + std * r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < n) out[i + 1] = mean + std * r * Math.sin(2 * Math.PI * u2);
  }
  return out;
}
