import { describe, expect, it } from 'vitest';
import { deviceLostReason, explainComputeError, isDeviceLostError } from './device-loss';

describe('device loss messages', () => {
  it('names a destroyed device and keeps the browser message', () => {
    const r = deviceLostReason({ reason: 'destroyed', message: 'Device was destroyed.' });
    expect(r).toMatch(/WebGPU device was lost/);
    expect(r).toMatch(/destroyed/);
    expect(r).toContain('(Device was destroyed.)');
  });
  it('an unknown reason is a reset by the browser or driver', () => {
    expect(deviceLostReason({ reason: 'unknown', message: '' })).toMatch(/reset the GPU/);
  });
  it('recognises tfjs and Dawn symptoms of a lost device, not other errors', () => {
    expect(isDeviceLostError('Failed to execute \'mapAsync\' on \'GPUBuffer\': Device was lost.')).toBe(true);
    expect(isDeviceLostError('[Device] is lost.')).toBe(true);
    expect(isDeviceLostError('Instance dropped in popErrorScope')).toBe(true);
    expect(isDeviceLostError('bits must be 2 to 8')).toBe(false);
  });
  it('replaces the raw message with what happened and what to do', () => {
    const m = explainComputeError('mapAsync: Device was lost');
    expect(m).not.toMatch(/mapAsync/);
    expect(m).toMatch(/Restart/);
    expect(explainComputeError('other')).toBe('other');
  });
});
