/**
 * Input checks shared by the "beyond round-to-nearest" methods (gptq.ts, awq.ts, llm-int8.ts,
 * smoothquant.ts, activation-quant.ts). Each throws a RangeError that names the bad value, so a
 * widget can show it (docs/numerics.md "General conventions": bad input is rejected, never turned
 * into a silent wrong number).
 */

/** Largest matrix these CPU references accept: 2^24 entries (64 MiB as float32). */
export const MAX_MATRIX_ENTRIES = 2 ** 24;
/** Largest reduction width (columns of W, of X): a GPTQ Hessian is this squared. */
export const MAX_REDUCTION = 4096;

/** Checks [rows, cols] against the array's length and the size bounds. */
export function checkMatrix(a: ArrayLike<number>, shape: readonly [number, number], name: string): void {
  const [rows, cols] = shape;
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1) {
    throw new RangeError(`${name} shape must be two positive whole numbers [rows, cols], got [${rows}, ${cols}]`);
  }
  if (rows * cols > MAX_MATRIX_ENTRIES) throw new RangeError(`${name} is [${rows}, ${cols}]: at most ${MAX_MATRIX_ENTRIES} entries are accepted`);
  if (cols > MAX_REDUCTION) throw new RangeError(`${name} has ${cols} columns: at most ${MAX_REDUCTION} are accepted`);
  if (a.length !== rows * cols) throw new RangeError(`${name} shape [${rows}, ${cols}] needs ${rows * cols} values, got ${a.length}`);
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (v - v !== 0) throw new RangeError(`${name}[${i}] (row ${Math.floor(i / cols)}, column ${i % cols}) is ${v}; only finite values can be quantized here`);
  }
}

/** Checks that bits is a whole number from 2 to 8. */
export function checkBits(bits: number): void {
  if (!Number.isInteger(bits) || bits < 2 || bits > 8) throw new RangeError(`bits must be a whole number from 2 to 8, got ${bits}`);
}

/** Checks a group size: −1 (one group per row) or a positive whole number dividing cols. */
export function checkGroupSize(groupSize: number, cols: number): void {
  if (groupSize === -1) return;
  if (!Number.isInteger(groupSize) || groupSize < 1) throw new RangeError(`groupSize must be −1 (whole row) or a positive whole number, got ${groupSize}`);
  if (cols % groupSize !== 0) throw new RangeError(`groupSize ${groupSize} does not divide the ${cols} columns of a row; pick a divisor of ${cols}`);
}
