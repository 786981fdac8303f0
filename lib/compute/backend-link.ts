/**
 * The header's backend switch (components/ui/BackendSwitch.tsx): the link that reloads the page
 * on another backend, and what each backend means in plain words. The backend is chosen once per
 * page from `?backend=` (backend-choice.ts readBackendParam), so switching is a reload with that
 * parameter changed and every other one — the widgets' state (lib/url/widget-state) — kept.
 */
import type { BackendName } from './backend-choice';

/**
 * `href` (an absolute URL) with `?backend=` set to `backend`, or removed for null (the usual
 * order), every other parameter and the fragment kept; returned as path + query + fragment.
 */
export function backendHref(href: string, backend: BackendName | null): string {
  const url = new URL(href);
  url.searchParams.delete('backend');
  if (backend) url.searchParams.set('backend', backend);
  return url.pathname + url.search + url.hash;
}

/** What each backend is, for a learner choosing one (docs/design.md rules 2–4). */
export const BACKEND_MEANINGS: Readonly<Record<BackendName, string>> = {
  webgpu:
    'The graphics card through the browser’s newest GPU interface. The course’s own compute shaders run here, and packed 4- and 8-bit weights stay packed on the GPU. Fastest on a real GPU; on a software adapter it is emulated on the CPU.',
  webgl:
    'The graphics card through the older graphics interface. TensorFlow.js’s own operations only, so packed formats are held as float32 there.',
  cpu: 'Plain JavaScript on the processor: correct everywhere, but the slowest.',
};
