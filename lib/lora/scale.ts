/**
 * The factor LoRA multiplies its update B·A by. Source: docs/numerics.md, "LoRA and QLoRA".
 */

/**
 * LoRA's scale: α / r (Hu et al. 2021, §4.1; Hugging Face PEFT's `scaling = lora_alpha / r` in
 * `peft/tuners/lora/layer.py`, `update_layer`), or α / √r with rank-stabilised LoRA
 * (Kalajdzievski 2023; PEFT `use_rslora=True`). Checks (docs/numerics.md): α = 16, r = 64 →
 * 0.25; rsLoRA → 16 / 8 = 2. Throws a RangeError for a rank that is not a whole number ≥ 1 or
 * an α that is not a finite number > 0.
 */
export function loraScaling(alpha: number, r: number, rsLoRA = false): number {
  if (!Number.isInteger(r) || r < 1) throw new RangeError(`The LoRA rank r must be a whole number ≥ 1, got ${r}`);
  if (!Number.isFinite(alpha) || alpha <= 0) throw new RangeError(`lora_alpha must be a finite number > 0, got ${alpha}`);
  return rsLoRA ? alpha / Math.sqrt(r) : alpha / r;
}
