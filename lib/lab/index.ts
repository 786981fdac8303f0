/**
 * The quantization lab: its settings (types), the CPU reference (lab, compare), the URL view, the
 * tensors it quantizes (tensor) and the GPU engine that runs it (engine, gpu). The lab builds on
 * lib/quant, lib/compute and lib/model; none of those import it (docs/design.md, layers).
 */
export * from './types';
export * from './lab';
export * from './compare';
export * from './view';
export * from './tensor';
