/**
 * Fetching the course's files (datasets, the model, held-out text) and loading its lazily imported
 * code, with failures that name what could not be had: "Failed to fetch" alone does not say which
 * file, nor that the page may simply be offline.
 */
import { errorMessage } from '../errors';

/** The file's path as the learner would recognise it: the URL's path without the site's origin. */
export function fileLabel(url: string): string {
  try {
    const u = new URL(url, 'http://site.invalid');
    return u.origin === 'http://site.invalid' || (typeof location !== 'undefined' && u.origin === location.origin) ? decodeURI(u.pathname) : u.href;
  } catch {
    return url;
  }
}

/** Why fetching `url` failed, naming the file; `status` for an HTTP error, else the network error. */
export function fetchFailure(url: string, failure: { status: number; statusText?: string } | { error: unknown }): string {
  const file = fileLabel(url);
  if ('status' in failure) {
    const text = failure.statusText ? ` ${failure.statusText}` : '';
    return failure.status === 404 ? `Could not load ${file}: the site has no such file (HTTP 404).` : `Could not load ${file}: the server answered HTTP ${failure.status}${text}.`;
  }
  return `Could not load ${file}: the request failed (${errorMessage(failure.error)}) — is the page offline?`;
}

/** fetch(url) that throws an Error naming the file when the network fails or the answer is not 2xx. */
export async function fetchFile(url: string, init?: RequestInit): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch (e) {
    if (init?.signal?.aborted) throw e; // cancelled on purpose: not a failure to report
    throw new Error(fetchFailure(url, { error: e }));
  }
  if (!res.ok) throw new Error(fetchFailure(url, { status: res.status, statusText: res.statusText }));
  return res;
}

/** Why a lazily loaded piece of the site's code (a dynamic import) could not be loaded. */
export function importFailure(what: string, e: unknown): string {
  return `Could not load the code for ${what} (${errorMessage(e)}) — is the page offline, or was the site updated since it was opened? Reloading the page usually helps.`;
}
