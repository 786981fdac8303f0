/**
 * The weight matrices of a loaded GPT-2-family checkpoint as the quantization lab offers them: which
 * 2-D tensors a weights map holds (in the course's layout, lib/model/gpt2-checkpoint: names
 * 'transformer.<short>.weight', Linear weights [out, in]), how the lab labels them, and how much of
 * one it quantizes. A real checkpoint's matrices are far larger than the lab's sizes (GPT-2 small's
 * wte is 50,257 × 768 = 38.6M weights), so the lab takes a matrix whole up to its largest size
 * (LAB_MAX_ELEMENTS, 2048 × 2048 of view.ts's LAB_SIZES) and otherwise its first rows that fit.
 */
import { BLOCK_MATRICES, matrixLabel, matrixTensorName } from '../model/tiny-model';
import { LAB_SIZES, labSizeShape } from './view';

/** The most weights the lab quantizes at once: its largest size option's rows × cols (2048 × 2048 = 4,194,304). */
export const LAB_MAX_ELEMENTS = Math.max(...LAB_SIZES.map((s) => {
  const { rows, cols } = labSizeShape(s);
  return rows * cols;
}));

/** One matrix of a checkpoint: its short name ('wte', 'h.0.attn.c_attn'), its shape [rows, cols] and its label with the shape. */
export interface ModelMatrix {
  name: string;
  rows: number;
  cols: number;
  label: string;
}

/**
 * A learner-facing label for a short matrix name: tiny-model's matrixLabel ("Block 1 · MLP
 * up-projection (mlp.c_fc)"), with the position embedding named too ("Position embedding (wpe)").
 */
export function labMatrixLabel(short: string): string {
  return short === 'wpe' ? 'Position embedding (wpe)' : matrixLabel(short);
}

/**
 * The 2-D weight matrices of a weights map, in the order a token meets them: wte, wpe, then each
 * block's attn.c_attn, attn.c_proj, mlp.c_fc, mlp.c_proj (BLOCK_MATRICES) by block number. Only
 * names of that form with a 2-D shape are listed (biases, LayerNorm gains and mask buffers are not
 * matrices); the label ends with the shape, "…, 2304 × 768".
 */
export function modelMatrices(shapes: ReadonlyMap<string, readonly number[]>): ModelMatrix[] {
  const found: { name: string; order: [number, number]; shape: readonly number[] }[] = [];
  for (const [tensor, shape] of shapes) {
    const m = /^transformer\.(wte|wpe|h\.(\d+)\.([a-z_.]+))\.weight$/.exec(tensor);
    if (!m || shape.length !== 2) continue;
    let order: [number, number];
    if (m[1] === 'wte') order = [-2, 0];
    else if (m[1] === 'wpe') order = [-1, 0];
    else {
      const k = (BLOCK_MATRICES as readonly string[]).indexOf(m[3]);
      if (k < 0) continue;
      order = [Number(m[2]), k];
    }
    found.push({ name: m[1], order, shape });
  }
  found.sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1]);
  return found.map(({ name, shape: [rows, cols] }) => ({
    name, rows, cols, label: `${labMatrixLabel(name)}, ${rows.toLocaleString('en-US')} × ${cols.toLocaleString('en-US')}`,
  }));
}

/**
 * The matrix to show: the first of `wanted` that `matrices` lists (the learner's last choice, then
 * the lab's tiny-model layer), else the first block matrix, else the first matrix; null for none.
 */
export function chooseModelMatrix(matrices: readonly ModelMatrix[], ...wanted: (string | null | undefined)[]): string | null {
  for (const w of wanted) if (w && matrices.some((m) => m.name === w)) return w;
  return (matrices.find((m) => m.name.startsWith('h.')) ?? matrices[0])?.name ?? null;
}

/**
 * How much of a rows × cols matrix the lab takes: all of it when rows · cols ≤ maxElements, else the
 * first floor(maxElements / cols) rows (whole rows, so every output channel kept is complete and the
 * groups along a row are unchanged). `rows` is 0 when a single row is over the bound.
 */
export function labRowsThatFit(rows: number, cols: number, maxElements = LAB_MAX_ELEMENTS): { rows: number; whole: boolean } {
  if (rows * cols <= maxElements) return { rows, whole: true };
  return { rows: Math.min(rows, Math.floor(maxElements / cols)), whole: false };
}

/** A matrix of a weights map, cut to what the lab takes: the first `rows` rows of it, a view into `values` (not a copy). */
export function modelMatrixSlice(short: string, values: ReadonlyMap<string, Float32Array>, shapes: ReadonlyMap<string, readonly number[]>, maxElements = LAB_MAX_ELEMENTS): {
  data: Float32Array; rows: number; cols: number; fullRows: number;
} {
  const name = matrixTensorName(short);
  const v = values.get(name), shape = shapes.get(name);
  if (!v || !shape || shape.length !== 2) throw new RangeError(`The model has no matrix "${name}".`);
  const [fullRows, cols] = shape;
  if (v.length !== fullRows * cols) throw new RangeError(`"${name}" has ${v.length} values; [${fullRows}, ${cols}] needs ${fullRows * cols}.`);
  const { rows } = labRowsThatFit(fullRows, cols, maxElements);
  if (rows === 0) throw new RangeError(`One row of "${name}" has ${cols.toLocaleString('en-US')} weights, more than the lab's ${maxElements.toLocaleString('en-US')}.`);
  return { data: v.subarray(0, rows * cols), rows, cols, fullRows };
}
