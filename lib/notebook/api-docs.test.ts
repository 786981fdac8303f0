import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { API_DOCS } from './api-docs';
import { NotebookKernel } from './kernel';
import { createNotebookLibrary } from './library';

describe('the documented API is the API', () => {
  it('names exactly what the kernel puts in scope, and api.d.ts declares each', () => {
    const lib = createNotebookLibrary({ compute: async () => { throw new Error('unused'); }, weights: async () => { throw new Error('unused'); }, heldout: async () => '' });
    const kernel = new NotebookKernel(tf, lib.library, () => undefined);
    expect(API_DOCS.filter((d) => !d.label.includes('.')).map((d) => d.label).sort()).toEqual(kernel.reservedNames().sort());
    const dts = readFileSync(fileURLToPath(new URL('./api.d.ts', import.meta.url)), 'utf8');
    for (const d of API_DOCS.filter((x) => !x.label.includes('.'))) expect(dts, d.label).toMatch(new RegExp(`(const|function) ${d.label}\\b`));
    // A member entry names a member that exists.
    const scope = { ...lib.library, ...Object.fromEntries(kernel.reservedNames().map((n) => [n, (lib.library as Record<string, unknown>)[n]])) } as Record<string, unknown>;
    for (const d of API_DOCS.filter((x) => x.label.includes('.') && !x.label.startsWith('plot.'))) {
      const [head, member] = d.label.split('.');
      expect(typeof (scope[head] as Record<string, unknown>)[member], d.label).toBe('function');
    }
  });
});
