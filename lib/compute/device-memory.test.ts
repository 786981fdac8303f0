import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { boundWebGLTexturePool, deviceMemory, WEBGL_TEXTURE_POOL_BYTES } from './device-memory';

describe('deviceMemory', () => {
  it('reads the WebGL, WebGPU and CPU shapes of tf.memory()', () => {
    const base = { numTensors: 1, numDataBuffers: 1, numBytes: 4, unreliable: false, reasons: [] as string[] };
    expect(deviceMemory({ ...base, numBytesInGPU: 100, numBytesInGPUAllocated: 500, numBytesInGPUFree: 400 } as unknown as tf.MemoryInfo)).toEqual({ inUse: 100, allocated: 500 });
    expect(deviceMemory({ ...base, numBytesInGPU: 100, numBytesAllocatedInGPU: 300 } as unknown as tf.MemoryInfo)).toEqual({ inUse: 100, allocated: 300 });
    expect(deviceMemory(base)).toEqual({ inUse: null, allocated: null });
  });
  it('bounds the texture pool only on WebGL', async () => {
    await tf.setBackend('cpu');
    const before = tf.env().getFlags().WEBGL_DELETE_TEXTURE_THRESHOLD;
    boundWebGLTexturePool(tf);
    expect(tf.env().getFlags().WEBGL_DELETE_TEXTURE_THRESHOLD).toBe(before);
    expect(WEBGL_TEXTURE_POOL_BYTES).toBe(67_108_864);
  });
});
