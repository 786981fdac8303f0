/**
 * Which tfjs backend a page computes on, and why. Pure: the probing of the browser is in
 * detect.ts, the loading of tfjs in index.ts (docs/design.md rule 2: WebGPU, then WebGL, then CPU;
 * `?backend=` forces one).
 */

import { ignoredEntry, singleParam } from '../url/widget-state';

export type BackendName = 'webgpu' | 'webgl' | 'cpu';

export const BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'cpu'];

/** The badge's text for each backend: exactly these words. */
export const BACKEND_LABELS: Readonly<Record<BackendName, string>> = {
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  cpu: 'CPU',
};

/**
 * The backend as a learner reads it: its label, with " (software)" for a software WebGPU adapter
 * (SwiftShader on the CPU), e.g. "WebGPU (software)". null (no backend yet) gives "…".
 */
export function backendLabel(c: { backend: BackendName; software?: boolean } | null | undefined): string {
  if (!c) return '…';
  return BACKEND_LABELS[c.backend] + (c.software ? ' (software)' : '');
}

/**
 * Reads `?backend=webgpu|webgl|cpu` (any case) from a query string. `forced` is null when it is
 * absent or unusable; an unusable value — unknown, blank, padded, or `backend` given twice — is
 * listed in `ignored` as `backend=value`, like a widget's bad link values (lib/url/widget-state),
 * so the page can say it did not obey it.
 */
export function readBackendParam(search: string): { forced: BackendName | null; ignored: string[] } {
  const { raw, duplicates } = singleParam(new URLSearchParams(search), 'backend', 'backend');
  if (duplicates) return { forced: null, ignored: duplicates };
  if (raw === null) return { forced: null, ignored: [] };
  const value = raw.toLowerCase();
  if (value === 'webgpu' || value === 'webgl' || value === 'cpu') return { forced: value, ignored: [] };
  return { forced: null, ignored: [ignoredEntry('backend', raw)] };
}

/** The backend `?backend=` forces (readBackendParam(search).forced); null when absent or unusable. */
export function parseBackendParam(search: string): BackendName | null {
  return readBackendParam(search).forced;
}

/** What probing the browser found, per backend: available, and a sentence saying why or why not. */
export type Availability = Record<BackendName, { available: boolean; detail: string }>;

export interface BackendChoice {
  backend: BackendName;
  /** One or two sentences for the badge's tooltip. */
  reason: string;
  /** Backends to try after `backend` if tfjs fails to initialise it, in order. */
  fallbacks: BackendName[];
}

/**
 * Picks the first available backend in WebGPU, WebGL, CPU order, or the forced one when it is
 * available; a forced backend that is unavailable falls through to the usual order and the reason
 * says so. CPU is always available.
 */
export function chooseBackend(availability: Availability, forced: BackendName | null): BackendChoice {
  const usable = BACKEND_ORDER.filter((b) => b === 'cpu' || availability[b].available);
  if (forced && usable.includes(forced)) {
    return {
      backend: forced,
      reason: `Forced by ?backend=${forced}. ${availability[forced].detail}`,
      fallbacks: usable.filter((b) => b !== forced),
    };
  }
  const [backend, ...fallbacks] = usable;
  const skipped = BACKEND_ORDER.slice(0, BACKEND_ORDER.indexOf(backend)).map((b) => availability[b].detail);
  const parts: string[] = [];
  if (forced) parts.push(`?backend=${forced} was asked for, but ${BACKEND_LABELS[forced]} is unavailable.`);
  parts.push(...skipped, availability[backend].detail);
  return { backend, reason: parts.join(' '), fallbacks };
}
