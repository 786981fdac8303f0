/**
 * The kernels a CPU-emulated WebGPU adapter (SwiftShader) runs in place of tfjs's own: BatchMatMul
 * on register-tiled vec4 kernels (./matmul-vec4) and Sum, Mean, Max and Softmax one thread per output
 * (./row-kernels). tfjs's programs lean on workgroup memory and barriers, which the emulator runs
 * slowly; on this course's software adapter they made a LoRA step of the tiny model take about
 * 6 s against 0.7 s on WebGL; `window.lowbitBench.train({ kernels: 'tfjs' | 'software' })` on /bench/
 * times a step with either set, side by side (about 7× faster with these on the course's machine).
 * Real GPUs keep tfjs's kernels. lib/compute (the page) and lib/compute/worker-compute (each
 * worker) install them when the adapter is a software one.
 */
import type { Tfjs } from './index';
import { installVec4MatMul, uninstallVec4MatMul, vec4MatMulInstalled } from './matmul-vec4';
import { installRowKernels, uninstallRowKernels } from './row-kernels';

/** Installs the software-adapter kernels in this realm (idempotent). */
export function installSoftwareKernels(tf: Tfjs): void {
  installVec4MatMul(tf);
  installRowKernels(tf);
}

/** Puts tfjs's own kernels back (the benchmark times both). */
export function uninstallSoftwareKernels(tf: Tfjs): void {
  uninstallVec4MatMul(tf);
  uninstallRowKernels(tf);
}

/** Whether the software-adapter kernels are installed in this realm now. */
export function softwareKernelsInstalled(tf: Tfjs): boolean {
  return vec4MatMulInstalled(tf);
}
