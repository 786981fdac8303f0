/**
 * WGSL matrix products for CPU-emulated WebGPU adapters (SwiftShader), where tfjs's tiled matmul
 * — workgroup memory and a barrier per tile — runs several times slower than WebGL's on the same
 * CPU. These keep everything in registers instead: each thread owns a small block of the output
 * and streams its rows of A and B with 16-byte (vec4) loads, no workgroup memory and no barriers,
 * which is the access pattern the emulator runs fastest (docs/design.md rule 4; the same lesson as
 * lib/compute/kernels/cells.ts). CPU reference: lib/compute/matmul-vec4.ts `matMulReference`.
 *
 * Both compute, for each batch b (A's batch stride `aBatch`, B's `bBatch`, 0 to broadcast):
 *   C[b, m, n] = Σ_k A[b, m, k] · B[b, k, n]      (as tf.matMul with the given transposes)
 *
 * 'nt'  (transposeB, A not transposed; K % 4 == 0): A [M, K] and B [N, K] both contiguous in k,
 *       read as vec4; a thread computes MATMUL_NT_TILE × MATMUL_NT_TILE outputs, each as four
 *       partial sums over k ≡ 0, 1, 2, 3 (mod 4) added at the end.
 * 'nn'  (B not transposed; N % 4 == 0; A [M, K], or [K, M] with transposeA): B [K, N] read as vec4
 *       along n; a thread computes MATMUL_NN_ROWS rows × MATMUL_NN_COLS vec4 columns, accumulating
 *       over k in order (as tfjs's kernels do).
 *
 * The shader text depends only on the variant (its shaderKey); sizes travel as uniforms
 * M, N, K, batch, aBatch, bBatch, so one pipeline serves every shape.
 */
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_program';

export const MATMUL_WORKGROUP = 64;
export const MATMUL_NT_TILE = 4;
export const MATMUL_NN_ROWS = 4;
export const MATMUL_NN_COLS = 2;

export type MatMulVec4Variant = 'nt' | 'nn' | 'tn';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Threads the product needs: one per output tile, over every batch. */
export function matMulVec4Threads(variant: MatMulVec4Variant, batch: number, M: number, N: number): number {
  if (variant === 'nt') return batch * Math.ceil(M / MATMUL_NT_TILE) * Math.ceil(N / MATMUL_NT_TILE);
  return batch * Math.ceil(M / MATMUL_NN_ROWS) * Math.ceil(N / 4 / MATMUL_NN_COLS);
}

/** The program for `variant` with output shape `outShape` ([...batch, M, N]) and `threads` threads (matMulVec4Threads). */
export function matMulVec4Program(variant: MatMulVec4Variant, outShape: number[], threads: number): WebGPUProgram {
  const base = {
    variableNames: ['A', 'B'],
    outputShape: outShape,
    dispatchLayout: { x: range(outShape.length) },
    dispatch: [Math.ceil(threads / MATMUL_WORKGROUP), 1, 1] as [number, number, number],
    workgroupSize: [MATMUL_WORKGROUP, 1, 1] as [number, number, number],
    uniforms: 'M : i32, N : i32, K : i32, batch : i32, aBatch : i32, bBatch : i32,',
  };
  return variant === 'nt' ? { ...base, ...ntProgram() } : { ...base, ...nnProgram(variant === 'tn') };
}

function ntProgram(): Pick<WebGPUProgram, 'shaderKey' | 'variableComponents' | 'outputComponent' | 'getUserCode'> {
  const T = MATMUL_NT_TILE;
  const I = range(T);
  return {
    shaderKey: `lowbit_matmul_vec4_nt_${T}`,
    variableComponents: [4, 4],
    outputComponent: 1,
    getUserCode: () => `
      fn main(index : i32) {
        let K4 = uniforms.K / 4;
        let tilesN = (uniforms.N + ${T - 1}) / ${T};
        let tilesM = (uniforms.M + ${T - 1}) / ${T};
        let b = index / (tilesM * tilesN);
        if (b >= uniforms.batch) { return; }
        let t = index - b * tilesM * tilesN;
        let tm = t / tilesN;
        let m0 = tm * ${T};
        let n0 = (t - tm * tilesN) * ${T};
        let aOff = b * (uniforms.aBatch / 4);
        let bOff = b * (uniforms.bBatch / 4);
        ${I.map((i) => `let ar${i} = aOff + min(m0 + ${i}, uniforms.M - 1) * K4;`).join('\n        ')}
        ${I.map((j) => `let br${j} = bOff + min(n0 + ${j}, uniforms.N - 1) * K4;`).join('\n        ')}
        ${I.map((i) => I.map((j) => `var c${i}_${j} = vec4<f32>(0.0);`).join(' ')).join('\n        ')}
        for (var k = 0; k < K4; k = k + 1) {
          ${I.map((j) => `let b${j} = B[br${j} + k];`).join('\n          ')}
          ${I.map((i) => `let a${i} = A[ar${i} + k];`).join('\n          ')}
          ${I.map((i) => I.map((j) => `c${i}_${j} = fma(a${i}, b${j}, c${i}_${j});`).join(' ')).join('\n          ')}
        }
        let cOff = b * uniforms.M * uniforms.N;
        ${I.map((i) => I.map((j) => `if (m0 + ${i} < uniforms.M && n0 + ${j} < uniforms.N) { result[cOff + (m0 + ${i}) * uniforms.N + n0 + ${j}] = (c${i}_${j}.x + c${i}_${j}.y) + (c${i}_${j}.z + c${i}_${j}.w); }`).join('\n        ')).join('\n        ')}
      }
    `,
  };
}

function nnProgram(transposeA: boolean): Pick<WebGPUProgram, 'shaderKey' | 'variableComponents' | 'outputComponent' | 'getUserCode'> {
  const R = MATMUL_NN_ROWS, C = MATMUL_NN_COLS;
  const I = range(R), J = range(C);
  // A[b, m, k] lives at aOff + m·K + k, or aOff + k·M + m when A is stored transposed ([K, M]).
  const aAt = (i: number) => (transposeA ? `A[aOff + k * uniforms.M + ar${i}]` : `A[aOff + ar${i} * uniforms.K + k]`);
  return {
    shaderKey: `lowbit_matmul_vec4_${transposeA ? 'tn' : 'nn'}_${R}_${C}`,
    variableComponents: [1, 4],
    outputComponent: 4,
    getUserCode: () => `
      fn main(index : i32) {
        let N4 = uniforms.N / 4;
        let tilesN = (N4 + ${C - 1}) / ${C};
        let tilesM = (uniforms.M + ${R - 1}) / ${R};
        let b = index / (tilesM * tilesN);
        if (b >= uniforms.batch) { return; }
        let t = index - b * tilesM * tilesN;
        let tm = t / tilesN;
        let m0 = tm * ${R};
        let n0 = (t - tm * tilesN) * ${C};
        let aOff = b * uniforms.aBatch;
        let bOff = b * (uniforms.bBatch / 4);
        ${I.map((i) => `let ar${i} = min(m0 + ${i}, uniforms.M - 1);`).join('\n        ')}
        ${J.map((j) => `let bc${j} = bOff + min(n0 + ${j}, N4 - 1);`).join('\n        ')}
        ${I.map((i) => J.map((j) => `var c${i}_${j} = vec4<f32>(0.0);`).join(' ')).join('\n        ')}
        for (var k = 0; k < uniforms.K; k = k + 1) {
          ${J.map((j) => `let b${j} = B[bc${j} + k * N4];`).join('\n          ')}
          ${I.map((i) => `let a${i} = vec4<f32>(${aAt(i)});`).join('\n          ')}
          ${I.map((i) => J.map((j) => `c${i}_${j} = fma(a${i}, b${j}, c${i}_${j});`).join(' ')).join('\n          ')}
        }
        let cOff = b * uniforms.M * N4;
        ${I.map((i) => J.map((j) => `if (m0 + ${i} < uniforms.M && n0 + ${j} < N4) { result[cOff + (m0 + ${i}) * N4 + n0 + ${j}] = c${i}_${j}; }`).join('\n        ')).join('\n        ')}
      }
    `,
  };
}
