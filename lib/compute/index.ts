/**
 * The compute backend: the one place that loads tfjs (docs/design.md rule 2). It is loaded by dynamic
 * import only when a widget asks for it (`getCompute`), so tfjs never enters a page's first-load
 * bundle. `detectCompute` only probes the browser, for the header's badge.
 */
import type * as TF from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { BACKEND_LABELS, chooseBackend, readBackendParam, type BackendName } from './backend-choice';
import { probeBrowser, type Probe } from './detect';
import { createStore } from '../store';
import { INITIAL_STATUS, type ComputeStatus } from './status';
import { deviceLostReason, type DeviceLostInfo } from './device-loss';

import { boundWebGLTexturePool } from './device-memory';
import { errorMessage } from '../errors';
export type { BackendName } from './backend-choice';
export type { ComputeStatus } from './status';
export { BACKEND_LABELS, backendLabel } from './backend-choice';

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

/** What probing the browser found (once per page, without tfjs): each backend's availability and the WebGPU adapter. */
export function probeCompute(): Promise<Probe> {
  return probeOnce();
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
    losses: 0,
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
      // tfjs's matmul and reductions are slow on CPU-emulated adapters (./software-kernels); their
      // replacements load with tfjs, not with every page's first load (the header imports this module).
      if (software) (await import('./software-kernels')).installSoftwareKernels(tf);
      const losses = computeStatus.getSnapshot().losses;
      const lostNote = lastLoss ? `${lastLoss} Restarted on ${BACKEND_LABELS[name]}. ` : '';
      const reason = lostNote + ignoredParamNote() + (name === choice.backend ? choice.reason : `${failures.join(' ')} ${probe.availability[name].detail}`);
      computeStatus.set({ state: 'ready', backend: name, reason: reason.trim(), software, initialised: true, losses });
      if (webgpu) watchDevice(tf, webgpu);
      if (typeof window !== 'undefined') window.lowbit = { tf, backend: name };
      return { tf, backend: name, webgpu, software };
    } catch (e) {
      failures.push(`${BACKEND_LABELS[name]} failed to start (${errorMessage(e)}).`);
    }
  }
  const reason = failures.join(' ');
  computeStatus.set({ state: 'error', backend: null, reason, software: false, initialised: false, losses: computeStatus.getSnapshot().losses });
  throw new Error(reason);
}

/** The last device loss's sentence, kept for the badge after the restart ('' before any loss). */
let lastLoss = '';

/**
 * Watches the WebGPU device for loss (`device.lost`, WebGPU spec §3.4). On loss: the status says so
 * (state 'lost', `losses` + 1), the dead tfjs backend is removed and its factory registered again so
 * that the next getCompute() requests a new adapter and device (or falls back to WebGL, then CPU, if
 * that fails). Widgets see `losses` grow and restart their engines (components/widget-kit/useComputeLoss).
 */
function watchDevice(tf: Tfjs, backend: WebGPUBackend): void {
  const device = (backend as unknown as { device?: GPUDevice }).device;
  if (!device?.lost) return;
  void device.lost.then((info: DeviceLostInfo) => {
    if (tf.findBackend('webgpu') !== backend) return; // an older device, already replaced
    const factory = tf.findBackendFactory('webgpu');
    try {
      tf.removeBackend('webgpu'); // disposes what tfjs can of the dead backend
    } catch {
      // its buffers died with the device; nothing more to free
    }
    if (factory) tf.registerBackend('webgpu', factory, 3);
    computePromise = null;
    lastLoss = deviceLostReason(info);
    const prev = computeStatus.getSnapshot();
    computeStatus.set({ ...prev, state: 'lost', reason: `${lastLoss} The next computation restarts on a fresh device.`, initialised: false, losses: prev.losses + 1 });
  });
}

/** Loads tfjs and its best available backend, once per page (again after a device loss); later calls share the result. */
export function getCompute(): Promise<Compute> {
  computePromise ??= initialise();
  return computePromise;
}
