import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchFailure, fetchFile, fileLabel, importFailure } from './fetch-file';

afterEach(() => vi.unstubAllGlobals());

describe('fetch failures name the file', () => {
  it('labels a site path by its path and another origin by its URL', () => {
    expect(fileLabel('/datasets/kjv-shout/train.txt')).toBe('/datasets/kjv-shout/train.txt');
    expect(fileLabel('https://example.org/a%20b.txt')).toBe('https://example.org/a%20b.txt');
  });
  it('an offline fetch names the file and says the page may be offline', async () => {
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('Failed to fetch')));
    await expect(fetchFile('/models/kjv-char-4l/heldout.txt')).rejects.toThrow('Could not load /models/kjv-char-4l/heldout.txt: the request failed (Failed to fetch) — is the page offline?');
  });
  it('an HTTP error names the file and the status', async () => {
    vi.stubGlobal('fetch', () => Promise.resolve(new Response('', { status: 503, statusText: 'Service Unavailable' })));
    await expect(fetchFile('/datasets/index.json')).rejects.toThrow('Could not load /datasets/index.json: the server answered HTTP 503 Service Unavailable.');
    expect(fetchFailure('/x.txt', { status: 404 })).toBe('Could not load /x.txt: the site has no such file (HTTP 404).');
  });
  it('a cancelled fetch is passed through unchanged', async () => {
    const c = new AbortController();
    c.abort();
    const abort = new DOMException('aborted', 'AbortError');
    vi.stubGlobal('fetch', () => Promise.reject(abort));
    await expect(fetchFile('/x', { signal: c.signal })).rejects.toBe(abort);
  });
  it('a failed dynamic import names what it was for', () => {
    expect(importFailure('the GPU backend', new TypeError('Failed to fetch dynamically imported module: /_next/static/chunks/1.js'))).toMatch(/^Could not load the code for the GPU backend \(Failed to fetch dynamically imported module: \/_next\/static\/chunks\/1\.js\)/);
  });
});
