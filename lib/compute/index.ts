/**
 * The compute backend: the one place that loads tfjs (DESIGN.md rule 2). It is loaded by dynamic
 * import only when a widget asks for it (`getCompute`), so tfjs never enters a page's first-load
 * bundle. `detectCompute` only probes the browser, for the header's badge.
 */
import type * as TF from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { BACKEND_LABELS, chooseBackend, readBackendParam, type BackendName } from './backend-choice';
import { probeBrowser, type Probe } from './detect';
import { createStore, INITIAL_STATUS, type ComputeStatus } from './status';

import { boundWebGLTexturePool } from './device-memory';
export type { BackendName } from './backend-choice';
export type { ComputeStatus } from './status';
export { BACKEND_LABELS } from './backend-choice';

export type Tfjs = typeof TF;

export interface Compute {
  tf: Tfjs;
  backend: BackendName;
  /** The tfjs WebGPU backend, for running custom WGSL programs; null on WebGL and CPU. */
  webgpu: WebGPUBackend | null;
  software: boolean;
}

declare global {
  interface Window {
    /** tfjs as the course uses it, for learners experimenting in the browser console (and for tests). */
    lowbit?: { tf: Tfjs; backend: BackendName };
  }
}

export const computeStatus = createStore<ComputeStatus>(INITIAL_STATUS);

let probePromise: Promise<Probe> | null = null;
let computePromise: Promise<Compute> | null = null;

function forcedBackend(): BackendName | null {
  return typeof location === 'undefined' ? null : readBackendParam(location.search).forced;
}

/** The badge reason's first sentence when the link's ?backend= could not be used, else ''. */
function ignoredParamNote(): string {
  const ignored = typeof location === 'undefined' ? [] : readBackendParam(location.search).ignored;
  return ignored.length ? `This link’s ${ignored.join(', ')} could not be used (webgpu, webgl or cpu), so the usual order applies. ` : '';
}

function probeOnce(): Promise<Probe> {
  probePromise ??= probeBrowser();
  return probePromise;
}

/** Probes the browser (no tfjs) and publishes which backend the page would use. */
export async function detectCompute(): Promise<ComputeStatus> {
  const probe = await probeOnce();
  const current = computeStatus.getSnapshot();
  if (current.initialised) return current;
  const choice = chooseBackend(probe.availability, forcedBackend());
  const status: ComputeStatus = {
    state: 'ready',
    backend: choice.backend,
    reason: ignoredParamNote() + choice.reason,
    software: choice.backend === 'webgpu' && probe.adapter?.software === true,
    initialised: false,
  };
  computeStatus.set(status);
  return status;
}

async function registerBackend(name: BackendName): Promise<void> {
  // Each backend registers itself with tfjs-core when its module is first imported.
  if (name === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
  else if (name === 'webgl') await import('@tensorflow/tfjs-backend-webgl');
  else await import('@tensorflow/tfjs-backend-cpu');
}

async function initialise(): Promise<Compute> {
  const probe = await probeOnce();
  const choice = chooseBackend(probe.availability, forcedBackend());
  const tf = await import('@tensorflow/tfjs-core');
  const failures: string[] = [];
  for (const name of [choice.backend, ...choice.fallbacks]) {
    try {
      await registerBackend(name);
      const ok = await tf.setBackend(name);
      if (!ok) throw new Error('tfjs could not initialise it');
      await tf.ready();
      boundWebGLTexturePool(tf);
      const webgpu = name === 'webgpu' ? (tf.backend() as WebGPUBackend) : null;
      const software = name === 'webgpu' && probe.adapter?.software === true;
      const reason = ignoredParamNote() + (name === choice.backend ? choice.reason : `${failures.join(' ')} ${probe.availability[name].detail}`);
      computeStatus.set({ state: 'ready', backend: name, reason: reason.trim(), software, initialised: true });
      if (typeof window !== 'undefined') window.lowbit = { tf, backend: name };
      return { tf, backend: name, webgpu, software };
    } catch (e) {
      failures.push(`${BACKEND_LABELS[name]} failed to start (${e instanceof Error ? e.message : String(e)}).`);
    }
  }
  const reason = failures.join(' ');
  computeStatus.set({ state: 'error', backend: null, reason, software: false, initialised: false });
  throw new Error(reason);
}

/** Loads tfjs and its best available backend, once per page; later calls share the result. */
export function getCompute(): Promise<Compute> {
  computePromise ??= initialise();
  return computePromise;
}
