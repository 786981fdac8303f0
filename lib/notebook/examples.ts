/**
 * Example notebooks for /notebook/: one per lesson, made from that lesson's cells (so an example
 * never drifts from the lesson it reproduces), and "Quantize your own model file".
 */
import type { CellFileEntry } from './cell-file';
import { checkNotebook, type NotebookDoc } from './document';

export interface ExampleNotebook {
  id: string;
  title: string;
  doc: NotebookDoc;
}

/** A lesson's cells as a notebook, with a first markdown cell naming the lesson. */
export function lessonNotebook(slug: string, title: string, cells: readonly CellFileEntry[]): ExampleNotebook {
  const doc = checkNotebook({
    title,
    cells: [{ id: 'about', kind: 'markdown', source: `From the lesson "${title}" (/lessons/${slug}/). Run the cells in order, then change them.` }, ...cells.map((c) => ({ id: c.id, kind: 'code', source: c.source }))],
  });
  return { id: slug, title, doc };
}

/** A first notebook: a normal weight vector, its summary card and a histogram. */
export const FIRST_STEPS: ExampleNotebook = {
  id: 'first-steps',
  title: 'First steps: a tensor and its summary',
  doc: checkNotebook({
    title: 'First steps',
    cells: [
      { id: 'intro', kind: 'markdown', source: 'A normal weight vector, its summary and a histogram. Change the std and run again.' },
      { id: 'w', kind: 'code', source: 'const w = random.normal(4096, { std: 0.02, seed: 1 });\nshow(w, "weights")' },
      { id: 'hist', kind: 'code', source: 'plot.hist(w, { bins: 64, title: "weights", xLabel: "value" })' },
    ],
  }),
};

/**
 * Drop a .safetensors or .gguf file, see each tensor's error in INT8 (per channel), INT4 (groups
 * of 64) and NF4 (blocks of 64), and download the NF4 version as safetensors.
 */
export const OWN_MODEL_FILE: ExampleNotebook = {
  id: 'own-model-file',
  title: 'Quantize your own model file',
  doc: checkNotebook({
    title: 'Quantize your own model file',
    cells: [
      {
        id: 'about',
        kind: 'markdown',
        source: 'Drop a .safetensors or .gguf file on the notebook (or pick one with "Add files"), then run the cells. Tensors are read one at a time; 2-D float tensors are quantized, the rest are skipped.',
      },
      {
        id: 'load',
        kind: 'code',
        source: [
          'const names = Object.keys(files);',
          'if (names.length === 0) throw new Error("Drop a .safetensors or .gguf file on the notebook first.");',
          'const file = files[names[0]];',
          'const tensors = new Map<string, { shape: number[]; values: Float32Array }>();',
          'if (file.name.endsWith(".gguf")) {',
          '  const g = await file.gguf();',
          '  for (const t of g.header.tensors.slice(0, 64)) {',
          '    if (t.shape.length !== 2 || t.elements > 2 ** 22) continue;',
          '    try { tensors.set(t.name, { shape: t.shape, values: await g.tensorToFloat32(t) }); } catch (e) { print(`skipped ${t.name}: ${(e as Error).message}`); }',
          '  }',
          '} else {',
          '  for (const [name, t] of await file.safetensors()) {',
          '    if (t.shape.length !== 2 || t.data.length > 2 ** 22 || tensors.size >= 64) continue;',
          '    tensors.set(name, { shape: t.shape, values: io.safetensors.tensorToFloat32(t) });',
          '  }',
          '}',
          'print(`${file.name}: ${tensors.size} two-dimensional tensors to quantize`);',
        ].join('\n'),
      },
      {
        id: 'errors',
        kind: 'code',
        source: [
          'const rows = [];',
          'for (const [name, { shape, values }] of tensors) {',
          '  const [r, c] = shape;',
          '  const int8 = quant.quantizePerChannel(values, [r, c], { bits: 8, signed: true, symmetric: true, axis: 0 });',
          '  const int8Back = quant.dequantizePerChannel(int8.q, [r, c], int8.scale, int8.zeroPoint, 0);',
          '  const g = c % 64 === 0 ? 64 : c;',
          '  const int4 = quant.quantizeGroupwise(values, [r, c], { bits: 4, signed: false, symmetric: false, groupSize: g });',
          '  const int4Back = quant.dequantizeGroupwise(int4.q, [r, c], int4.scale, int4.zeroPoint, g);',
          '  const nf4 = quant.quantize4bit(values, { type: "nf4", blockSize: 64 });',
          '  const nf4Back = quant.dequantize4bit(nf4.packed, nf4.absmax, { type: "nf4", blockSize: 64, length: values.length });',
          '  rows.push({ tensor: name, shape: `${r} × ${c}`, "SQNR INT8 (dB)": quant.sqnrDb(values, int8Back).toFixed(1), "SQNR INT4 g64 (dB)": quant.sqnrDb(values, int4Back).toFixed(1), "SQNR NF4 (dB)": quant.sqnrDb(values, nf4Back).toFixed(1) });',
          '  await tick();',
          '}',
          'table(rows);',
        ].join('\n'),
      },
      {
        id: 'save',
        kind: 'code',
        source: [
          '// The quantized tensors as a safetensors file: for each weight, its NF4 codes packed two to a byte',
          '// (the first in the high nibble, as bitsandbytes packs them) and one float32 absmax per block of 64.',
          'const out: [string, { dtype: "U8" | "F32"; shape: number[]; data: Uint8Array | Float32Array }][] = [];',
          'for (const [name, { shape, values }] of tensors) {',
          '  const nf4 = quant.quantize4bit(values, { type: "nf4", blockSize: 64 });',
          '  out.push([`${name}.nf4`, { dtype: "U8", shape: [nf4.packed.length], data: nf4.packed }]);',
          '  out.push([`${name}.absmax`, { dtype: "F32", shape: [nf4.absmax.length], data: nf4.absmax }]);',
          '  out.push([`${name}.shape`, { dtype: "F32", shape: [shape.length], data: Float32Array.from(shape) }]);',
          '}',
          'download("nf4.safetensors", io.safetensors.writeSafetensors(out, { format: "nf4", block_size: "64", packing: "high nibble first" }));',
        ].join('\n'),
      },
    ],
  }),
};
