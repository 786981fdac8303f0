import { describe, expect, it } from 'vitest';
import { summarizeAdapter } from './detect';

describe('summarizeAdapter', () => {
  it('marks SwiftShader and fallback adapters as software', () => {
    expect(summarizeAdapter({ vendor: 'google', architecture: 'swiftshader' }).software).toBe(true);
    expect(summarizeAdapter({ vendor: 'google', architecture: 'swiftshader' }).description).toBe('WebGPU adapter: google swiftshader (software, on the CPU).');
    expect(summarizeAdapter({ vendor: 'x', architecture: 'y', isFallbackAdapter: true }).software).toBe(true);
    expect(summarizeAdapter({}, true).software).toBe(true);
  });
  it('names a hardware adapter', () => {
    const s = summarizeAdapter({ vendor: 'nvidia', architecture: 'ampere' });
    expect(s.software).toBe(false);
    expect(s.description).toBe('WebGPU adapter: nvidia ampere.');
    expect(s.name).toBe('nvidia ampere');
    expect(summarizeAdapter({}).description).toBe('WebGPU adapter: unnamed adapter.');
  });
});
