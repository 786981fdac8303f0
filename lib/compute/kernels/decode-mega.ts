/**
 * One WGSL dispatch for a whole decode step of a small GPT: every block's LayerNorms, Linear layers
 * (read from their packed words in the store's format, as kernels/matvec.ts), the KV cache's append,
 * attention of the one query, GELU (exact or tanh, decode-wgsl.ts `geluFn`), the output projection
 * and the draw of the next token, run by a single workgroup that waits at a barrier between stages.
 * On an adapter where each dispatch costs milliseconds (a GPU emulated on the CPU) one dispatch a
 * token beats 27; on a discrete GPU a single
 * workgroup leaves most of the chip idle, so this path is for models whose working set fits in one
 * workgroup's memory (MEGA_SHARED_FLOATS). CPU twins: lib/model/decode-reference.ts and sampling.ts;
 * formulas: docs/numerics.md, "Decoding with a KV cache".
 *
 * Inputs: `model`, every tensor the step reads packed into one int32 buffer (floats by their bits),
 * at the offsets of a MegaPlan; `state`, the previous step's output. Output, the new state:
 * [KV cache: layers × 2 × capacity × C][the drawn token id, as a float][the logits, vocab].
 */
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_program';
import type { WeightFormat } from '../../quant/weight-formats';
import { drawTokenFn, geluFn, rowDot, type GeluForm, type RowReads } from './decode-wgsl';
import { NF4_TABLE_DYNAMIC_OFFSET } from './nf4';

export const MEGA_THREADS = 256;
/** Floats of workgroup memory the step may use (16 KB, WebGPU's guaranteed minimum), NF4's 256 pairs of levels included. */
export const MEGA_SHARED_FLOATS = 4096;
const NF4_PAIR_FLOATS = 512;

/** A Linear weight's parts in the model buffer (word offsets) and its shape. */
export interface MegaWeight {
  rows: number;
  cols: number;
  /** fp32: the floats; other formats: the code words. */
  codes: number;
  /** INT8: per-row scales; INT4: per-group scales. */
  scales?: number;
  /** INT4: zero-point words. */
  zeros?: number;
  groupsPerRow?: number;
  groupSize?: number;
  /** NF4: absmax code words, absmax2 floats, the constants' offset, block sizes. */
  absmaxCodes?: number;
  absmax2?: number;
  offset?: number;
  blockSize?: number;
  dqBlockSize?: number;
  bias?: number;
  /** 32-bit words of the weight's parts (what a step reads of it). */
  words: number;
}

export interface MegaLayer {
  ln1: number;
  ln2: number;
  attn: MegaWeight;
  proj: MegaWeight;
  fc: MegaWeight;
  proj2: MegaWeight;
}

/** Where everything sits in the model buffer; LayerNorms are γ then β (2 · C floats). */
export interface MegaPlan {
  format: WeightFormat;
  nLayer: number;
  nHead: number;
  C: number;
  capacity: number;
  vocab: number;
  eps: number;
  /** The MLP's GELU (decode-wgsl.ts `geluFn`). */
  gelu: GeluForm;
  wte: number;
  wpe: number;
  lnf: number;
  /** NF4's 16 levels then the 256-entry dynamic code (float bits), when the format is nf4-dq. */
  tables: number;
  layers: MegaLayer[];
}

/** Floats of the state: the cache, the token slot and the logits. */
export function megaStateSize(p: Pick<MegaPlan, 'nLayer' | 'capacity' | 'C' | 'vocab'>): number {
  return p.nLayer * 2 * p.capacity * p.C + 1 + p.vocab;
}

/** Where the token id sits in the state. */
export function megaTokenSlot(p: Pick<MegaPlan, 'nLayer' | 'capacity' | 'C'>): number {
  return p.nLayer * 2 * p.capacity * p.C;
}

/** Workgroup memory regions (floats): x, the normalised input, qkv, attention output, MLP hidden, scores, logits, scratch. */
function regions(p: MegaPlan) {
  const C = p.C;
  const X = 0, XS = X + C, QKV = XS + 4 * C, ATT = QKV + 3 * C, HID = ATT + C, SC = HID + 4 * C, LOG = SC + p.nHead * p.capacity, RED = LOG + p.vocab;
  return { X, XS, QKV, ATT, HID, SC, LOG, RED, total: RED + MEGA_THREADS };
}

/** Why a plan cannot take the one-dispatch path (null when it can). */
export function megaUnsupported(p: Pick<MegaPlan, 'nLayer' | 'nHead' | 'C' | 'capacity' | 'vocab'>): string | null {
  const r = regions({ ...p, format: 'fp32', eps: 0, gelu: 'erf', wte: 0, wpe: 0, lnf: 0, tables: 0, layers: [] });
  if (r.total + NF4_PAIR_FLOATS > MEGA_SHARED_FLOATS) return `the step needs ${r.total + NF4_PAIR_FLOATS} floats of workgroup memory, more than ${MEGA_SHARED_FLOATS}`;
  return null;
}

/** Where the step reads a weight's parts: all in the model buffer at offsets passed to dot_w, x in workgroup memory. */
const MEGA_READS: RowReads = {
  float: (i) => `bitcast<f32>(model[w + ${i}])`,
  word: (i) => `bitcast<u32>(model[w + ${i}])`,
  scale: (i) => `bitcast<f32>(model[s + ${i}])`,
  zeroWord: (i) => `bitcast<u32>(model[z + (${i})])`,
  absmaxWord: (i) => `bitcast<u32>(model[a + (${i})])`,
  absmax2: (i) => `bitcast<f32>(model[a2 + ${i}])`,
  dynamic: (code) => `bitcast<f32>(model[TABLES + ${NF4_TABLE_DYNAMIC_OFFSET} + i32(${code})])`,
  levelPair: (byte) => `nf4pair[${byte}]`,
  x: (i) => `buf[xo + ${i}]`,
  cols: 'cols',
  groupsPerRow: 'gpr',
  groupSize: 'gs',
  blockSize: 'bs',
  dqBlockSize: 'dqb',
  offset: 'off',
};

/** WGSL: Σ_c W'[row, c] · buf[xo + c] for a weight of `format` read from the model buffer. */
function dotFn(format: WeightFormat): string {
  return `
    fn dot_w(w : i32, s : i32, z : i32, a : i32, a2 : i32, off : f32, cols : i32, gpr : i32, gs : i32, bs : i32, dqb : i32, row : i32, xo : i32) -> f32 {
      var acc = 0.0;${rowDot(format, MEGA_READS)}
      return acc;
    }`;
}

/** The Linear weights of a block, in the order of their offsets in the layer table. */
const BLOCK_WEIGHTS = ['attn', 'proj', 'fc', 'proj2'] as const;
/** A weight's offsets in the layer table: code words, scales, zero points, absmax codes, absmax2, bias. */
const WEIGHT_FIELDS = ['codes', 'scales', 'zeros', 'absmaxCodes', 'absmax2', 'bias'] as const;
/** Integers per layer in the layer table: ln1, ln2, then each weight's fields. */
export const MEGA_LAYER_INTS = 2 + BLOCK_WEIGHTS.length * WEIGHT_FIELDS.length;

/** The layer table: per layer, the model-buffer offsets of ln1, ln2 and each weight's parts (0 for parts a format lacks). */
export function megaLayerTable(layers: readonly MegaLayer[]): number[] {
  return layers.flatMap((l) => [l.ln1, l.ln2, ...BLOCK_WEIGHTS.flatMap((k) => WEIGHT_FIELDS.map((f) => l[k][f] ?? 0))]);
}

/** Where field `f` of block weight `k` sits in the layer table, for layer base `lb` (a WGSL expression). */
function at(k: (typeof BLOCK_WEIGHTS)[number], f: (typeof WEIGHT_FIELDS)[number]): string {
  return `LT[lb + ${2 + BLOCK_WEIGHTS.indexOf(k) * WEIGHT_FIELDS.length + WEIGHT_FIELDS.indexOf(f)}]`;
}

/**
 * A call of dot_w for block weight `k` of layer l (offsets from the layer table, NF4's constant
 * offset from LOFF; sizes, the same in every block, from `w`), row `row`, input at buf offset `xo`.
 */
function dot(k: (typeof BLOCK_WEIGHTS)[number], w: MegaWeight, row: string, xo: number | string): string {
  const f = (v: number | undefined) => `${v ?? 0}`;
  return `dot_w(${at(k, 'codes')}, ${at(k, 'scales')}, ${at(k, 'zeros')}, ${at(k, 'absmaxCodes')}, ${at(k, 'absmax2')}, LOFF[l * ${BLOCK_WEIGHTS.length} + ${BLOCK_WEIGHTS.indexOf(k)}], ${w.cols}, ${f(w.groupsPerRow)}, ${f(w.groupSize)}, ${f(w.blockSize)}, ${f(w.dqBlockSize)}, ${row}, ${xo})`;
}

/** Why the blocks of a plan cannot share one loop body: a weight's shape or layout differs from block 0's (null when they can). */
export function megaBlocksDiffer(p: Pick<MegaPlan, 'layers'>): string | null {
  const first = p.layers[0];
  for (const [l, layer] of p.layers.entries()) {
    for (const k of BLOCK_WEIGHTS) {
      const a = layer[k], b = first[k];
      if (a.rows !== b.rows || a.cols !== b.cols || a.groupsPerRow !== b.groupsPerRow || a.groupSize !== b.groupSize || a.blockSize !== b.blockSize || a.dqBlockSize !== b.dqBlockSize) {
        return `block ${l}'s ${k} weight is laid out unlike block 0's`;
      }
    }
  }
  return null;
}

/** The fp32 dot for the tied output projection (wte is float32 whatever the format). */
const DOT_F32 = `
    fn dot_f32(w : i32, cols : i32, row : i32, xo : i32) -> f32 {
      var acc = 0.0;${rowDot('fp32', MEGA_READS)}
      return acc;
    }`;

/**
 * The step's program for a plan (the offsets are baked into the shader, so the shaderKey names the
 * plan). Uniforms: pos (the new token's position), topK (0 for all), temperature, u (the draw).
 */
export function megaDecodeProgram(p: MegaPlan, key: string): WebGPUProgram {
  const differ = p.layers.length !== p.nLayer ? `the plan has ${p.layers.length} blocks, not ${p.nLayer}` : megaBlocksDiffer(p);
  if (differ) throw new RangeError(`The one-dispatch step cannot take this plan: ${differ}.`);
  const table = megaLayerTable(p.layers);
  const offsets = p.layers.flatMap((l) => BLOCK_WEIGHTS.map((k) => l[k].offset ?? 0));
  const r = regions(p);
  const { C, nHead: H, capacity: P, vocab: V } = p;
  const hd = C / H;
  const T = MEGA_THREADS;
  const cacheAt = (kv: number, t: string, c: string) => `l * ${2 * P * C} + ${kv * P * C} + (${t}) * ${C} + (${c})`;
  const layerNorm = (ln: number | string) => `
        layerNorm(${ln}, lid);
        workgroupBarrier();`;
  const w0 = p.layers[0];
  // One loop body for every block, reading its offsets from the layer table LT: a shader a quarter
  // the size of one unrolled per block for the tiny model, which an emulated GPU compiles in a
  // fraction of the time.
  const block = `
        // A block: attention.${layerNorm('LT[lb]')}
        for (var r = lid; r < ${3 * C}; r = r + ${T}) { buf[${r.QKV} + r] = ${dot('attn', w0.attn, 'r', r.XS)} + bitcast<f32>(model[${at('attn', 'bias')} + r]); }
        workgroupBarrier();
        for (var c = lid; c < ${C}; c = c + ${T}) {
          setOutputAtIndex(${cacheAt(0, 'pos', 'c')}, buf[${r.QKV + C} + c]);
          setOutputAtIndex(${cacheAt(1, 'pos', 'c')}, buf[${r.QKV + 2 * C} + c]);
        }
        for (var i = lid; i < ${H} * (pos + 1); i = i + ${T}) {
          let h = i / (pos + 1);
          let t = i - h * (pos + 1);
          var s = 0.0;
          for (var d = 0; d < ${hd}; d = d + 1) {
            let k = select(state[${cacheAt(0, 't', `h * ${hd} + d`)}], buf[${r.QKV + C} + h * ${hd} + d], t == pos);
            s = s + buf[${r.QKV} + h * ${hd} + d] * k;
          }
          buf[${r.SC} + h * ${P} + t] = s * ${(1 / Math.sqrt(hd)).toPrecision(9)};
        }
        workgroupBarrier();
        if (lid < ${H}) {
          var m = -3.4e38;
          for (var t = 0; t <= pos; t = t + 1) { m = max(m, buf[${r.SC} + lid * ${P} + t]); }
          var total = 0.0;
          for (var t = 0; t <= pos; t = t + 1) {
            let e = exp(buf[${r.SC} + lid * ${P} + t] - m);
            buf[${r.SC} + lid * ${P} + t] = e;
            total = total + e;
          }
          buf[${r.RED} + lid] = total;
        }
        workgroupBarrier();
        for (var c = lid; c < ${C}; c = c + ${T}) {
          let h = c / ${hd};
          var acc = 0.0;
          for (var t = 0; t <= pos; t = t + 1) {
            let v = select(state[${cacheAt(1, 't', 'c')}], buf[${r.QKV + 2 * C} + c], t == pos);
            acc = acc + buf[${r.SC} + h * ${P} + t] * v;
          }
          buf[${r.ATT} + c] = acc / buf[${r.RED} + h];
        }
        workgroupBarrier();
        for (var r = lid; r < ${C}; r = r + ${T}) { buf[${r.X} + r] = buf[${r.X} + r] + ${dot('proj', w0.proj, 'r', r.ATT)} + bitcast<f32>(model[${at('proj', 'bias')} + r]); }
        workgroupBarrier();
        // The block's MLP.${layerNorm('LT[lb + 1]')}
        for (var r = lid; r < ${4 * C}; r = r + ${T}) {
          let y = ${dot('fc', w0.fc, 'r', r.XS)} + bitcast<f32>(model[${at('fc', 'bias')} + r]);
          buf[${r.HID} + r] = gelu(y);
        }
        workgroupBarrier();
        for (var r = lid; r < ${C}; r = r + ${T}) { buf[${r.X} + r] = buf[${r.X} + r] + ${dot('proj2', w0.proj2, 'r', r.HID)} + bitcast<f32>(model[${at('proj2', 'bias')} + r]); }
        workgroupBarrier();`;
  return {
    variableNames: ['model', 'state'],
    outputShape: [megaStateSize(p)],
    shaderKey: `lowbit_decode_mega_${p.format}_${key}`,
    dispatchLayout: { x: [0] },
    dispatch: [1, 1, 1],
    workgroupSize: [T, 1, 1],
    uniforms: 'pos : i32, topK : i32, temperature : f32, u : f32,',
    getUserCode: () => `
      const TABLES = ${p.tables};
      var<private> LT : array<i32, ${table.length}> = array<i32, ${table.length}>(${table.join(', ')});
      var<private> LOFF : array<f32, ${offsets.length}> = array<f32, ${offsets.length}>(${offsets.map((o) => o.toPrecision(9)).join(', ')});
      var<workgroup> buf : array<f32, ${r.total}>;
      var<workgroup> nf4pair : array<vec2<f32>, 256>;
      ${dotFn(p.format)}
      ${DOT_F32}
      ${geluFn(p.gelu)}
      // LayerNorm of x (buf[X..]) into buf[XS..] with γ, β at model[ln..]: mean, then the biased variance of x − mean.
      fn layerNorm(ln : i32, lid : i32) {
        var s = 0.0;
        for (var c = lid; c < ${C}; c = c + ${T}) { s = s + buf[${r.X} + c]; }
        buf[${r.RED} + lid] = s;
        workgroupBarrier();
        var total = 0.0;
        for (var i = 0; i < ${T}; i = i + 1) { total = total + buf[${r.RED} + i]; }
        let mean = total / ${C}.0;
        workgroupBarrier();
        var s2 = 0.0;
        for (var c = lid; c < ${C}; c = c + ${T}) { let d = buf[${r.X} + c] - mean; s2 = s2 + d * d; }
        buf[${r.RED} + lid] = s2;
        workgroupBarrier();
        var total2 = 0.0;
        for (var i = 0; i < ${T}; i = i + 1) { total2 = total2 + buf[${r.RED} + i]; }
        let rstd = inverseSqrt(total2 / ${C}.0 + ${p.eps.toPrecision(9)});
        for (var c = lid; c < ${C}; c = c + ${T}) {
          buf[${r.XS} + c] = (buf[${r.X} + c] - mean) * rstd * bitcast<f32>(model[ln + c]) + bitcast<f32>(model[ln + ${C} + c]);
        }
      }
      fn main(index : i32) {
        let lid = i32(localIndex);
        let pos = uniforms.pos;
        // NF4: the levels of both nibbles of every byte value, high nibble first.
        ${p.format === 'nf4-dq' ? 'nf4pair[lid] = vec2<f32>(bitcast<f32>(model[TABLES + (lid >> 4)]), bitcast<f32>(model[TABLES + (lid & 15)]));' : ''}
        // The cache carries over; this step's keys and values are written at pos below.
        // (Position pos is left to the threads that write it, so no two threads write one value.)
        for (var i = lid; i < ${megaTokenSlot(p)}; i = i + ${T}) {
          if ((i / ${C}) % ${P} != pos) { setOutputAtIndex(i, state[i]); }
        }
        let token = i32(state[${megaTokenSlot(p)}]);
        for (var c = lid; c < ${C}; c = c + ${T}) {
          buf[${r.X} + c] = bitcast<f32>(model[${p.wte} + token * ${C} + c]) + bitcast<f32>(model[${p.wpe} + pos * ${C} + c]);
        }
        workgroupBarrier();
        for (var l = 0; l < ${p.nLayer}; l = l + 1) {
          let lb = l * ${MEGA_LAYER_INTS};
          ${block}
        }
        ${layerNorm(p.lnf)}
        for (var r = lid; r < ${V}; r = r + ${T}) {
          let z = dot_f32(${p.wte}, ${C}, r, ${r.XS});
          buf[${r.LOG} + r] = z;
          setOutputAtIndex(${megaTokenSlot(p) + 1} + r, z);
        }
        workgroupBarrier();
        if (lid == 0) { setOutputAtIndex(${megaTokenSlot(p)}, f32(drawToken())); }
      }
      ${drawTokenFn('drawToken', (i) => `buf[${r.LOG} + ${i}]`, `${V}`)}
    `,
  };
}
