import { describe, expect, it } from 'vitest';
import { readBackendParam } from './backend-choice';
import { backendHref } from './backend-link';

describe('backendHref', () => {
  it('sets ?backend= and keeps the other parameters and the fragment', () => {
    const href = backendHref('http://localhost:3000/lessons/qlora/?qlora.steps=200&qlora.mode=lora#fine-tune', 'webgl');
    expect(href).toBe('/lessons/qlora/?qlora.steps=200&qlora.mode=lora&backend=webgl#fine-tune');
    expect(readBackendParam(href.slice(href.indexOf('?'), href.indexOf('#'))).forced).toBe('webgl');
  });

  it('replaces a backend given before, even twice or in another case', () => {
    expect(backendHref('https://x.org/a/?backend=CPU&x=1&backend=webgl', 'webgpu')).toBe('/a/?x=1&backend=webgpu');
  });

  it('removes it for the usual order', () => {
    expect(backendHref('https://x.org/a/?backend=cpu', null)).toBe('/a/');
    expect(backendHref('https://x.org/a/?inference.seed=3&backend=cpu', null)).toBe('/a/?inference.seed=3');
  });
});
