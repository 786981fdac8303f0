/**
 * Probes the browser for WebGPU and WebGL without loading tfjs, so that the header's badge can
 * say which backend a page would compute on before (or without) any widget loading tfjs.
 */
import type { Availability } from './backend-choice';
import { errorMessage } from '../errors';

export interface AdapterSummary {
  /** A software adapter (SwiftShader on the CPU, or `isFallbackAdapter`): WebGPU, but not fast. */
  software: boolean;
  /** Vendor and architecture, e.g. "google swiftshader" ("unnamed adapter" when the browser gives neither). */
  name: string;
  description: string;
}

/** Describes a WebGPU adapter's info: vendor and architecture, and whether it runs in software. */
export function summarizeAdapter(info: Partial<Pick<GPUAdapterInfo, 'vendor' | 'architecture' | 'description'>> & { isFallbackAdapter?: boolean }, isFallback = false): AdapterSummary {
  const architecture = info.architecture ?? '';
  const software = isFallback || info.isFallbackAdapter === true || /swiftshader/i.test(architecture) || /swiftshader/i.test(info.description ?? '');
  const name = [info.vendor, architecture].filter((s) => s && s.length > 0).join(' ') || 'unnamed adapter';
  return {
    software,
    name,
    description: software ? `WebGPU adapter: ${name} (software, on the CPU).` : `WebGPU adapter: ${name}.`,
  };
}

export interface Probe {
  availability: Availability;
  adapter: AdapterSummary | null;
}

/** Asks the browser for a WebGPU adapter and a WebGL context. Never throws. */
export async function probeBrowser(): Promise<Probe> {
  let adapter: AdapterSummary | null = null;
  let webgpuDetail: string;
  const gpu = typeof navigator !== 'undefined' ? (navigator as Navigator & { gpu?: GPU }).gpu : undefined;
  if (!gpu) {
    webgpuDetail = typeof window !== 'undefined' && !window.isSecureContext
      ? 'No WebGPU: the page is not in a secure context (serve it over https or from localhost).'
      : 'No WebGPU: this browser does not expose navigator.gpu.';
  } else {
    try {
      const a = await gpu.requestAdapter({ powerPreference: 'high-performance' });
      if (a) {
        const info = (a as GPUAdapter & { info?: GPUAdapterInfo }).info ?? {};
        adapter = summarizeAdapter(info, (a as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter === true);
        webgpuDetail = adapter.description;
      } else {
        webgpuDetail = 'No WebGPU adapter: the browser has WebGPU but offered no adapter.';
      }
    } catch (e) {
      webgpuDetail = `No WebGPU adapter: ${errorMessage(e)}.`;
    }
  }
  let webglDetail = 'No WebGL context could be created.';
  let webgl = false;
  if (typeof document !== 'undefined') {
    try {
      const canvas = document.createElement('canvas');
      const gl2 = canvas.getContext('webgl2');
      const gl = gl2 ?? canvas.getContext('webgl');
      if (gl) {
        webgl = true;
        webglDetail = gl2 ? 'WebGL 2 context available.' : 'WebGL 1 context available.';
        gl.getExtension('WEBGL_lose_context')?.loseContext();
      }
    } catch {
      // Leave webgl false: the detail already says no context could be created.
    }
  }
  return {
    adapter,
    availability: {
      webgpu: { available: adapter !== null, detail: webgpuDetail },
      webgl: { available: webgl, detail: webglDetail },
      cpu: { available: true, detail: 'The CPU backend runs in plain JavaScript: correct, but the slowest.' },
    },
  };
}
