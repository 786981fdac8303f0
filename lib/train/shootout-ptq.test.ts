import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Compute } from '../compute';
import { readTinyLMWeights, type TinyLMWeights } from '../model/load';
import { captureCalibration } from '../model/methods-engine';
import { TINY_MODEL_NAME } from '../model/tiny-model';
import { shootoutTrainerOptions } from './shootout';
import { createShootoutPtq } from './shootout-ptq';
import { Trainer } from './trainer';

const dir = fileURLToPath(new URL(`../../public/models/${TINY_MODEL_NAME}/`, import.meta.url));
const compute = { tf, backend: 'cpu', webgpu: null, software: false } as unknown as Compute;
const calibrationText = readFileSync(`${dir}calibration.txt`, 'utf8');
const heldout = readFileSync(`${dir}heldout.txt`, 'utf8');
let weights: TinyLMWeights;

beforeAll(async () => {
  await tf.setBackend('cpu');
  weights = await readTinyLMWeights(JSON.parse(readFileSync(`${dir}config.json`, 'utf8')), new Uint8Array(readFileSync(`${dir}model.safetensors`)));
});

describe('createShootoutPtq on the shipped model', () => {
  it('scores RTN on the windows QAT evaluates: QAT’s step-0 loss equals RTN’s; GPTQ beats RTN at 3 bits', async () => {
    let t = 0;
    let captures = 0;
    const c = captureCalibration({ compute: async () => compute, weights: async () => weights, calibrationText: async () => calibrationText }, 4);
    const ptq = createShootoutPtq({
      compute: async () => compute,
      calibration: () => {
        captures++;
        return c;
      },
      heldoutText: async () => heldout,
      now: () => (t += 5),
    });
    const windows = 2;
    const p = await ptq.prepare(windows);
    expect(p.calibrationMs).toBe(5);
    expect(p.bytes).toBe(4 * [...weights.values.values()].reduce((s, v) => s + v.length, 0));
    expect(p.hessianBytes).toBeGreaterThan(0);
    const rtn = await ptq.quantize('rtn', 3);
    const mse = await ptq.quantize('mse', 3);
    const gptq = await ptq.quantize('gptq', 3);
    expect(rtn.loss).toBeGreaterThan(p.fp32Loss);
    expect(mse.loss).toBeGreaterThan(p.fp32Loss); // minimises each row's rounding error, not the loss: no order with RTN is promised
    expect(gptq.loss).toBeLessThan(rtn.loss);
    console.log(`3-bit held-out loss on ${windows} windows: FP32 ${p.fp32Loss.toFixed(4)}, RTN ${rtn.loss.toFixed(4)}, MSE-clipped ${mse.loss.toFixed(4)} (${mse.ms.toFixed(0)} ms), GPTQ ${gptq.loss.toFixed(4)}`);
    const qat = new Trainer({ compute, weights, train: calibrationText, heldout }, shootoutTrainerOptions(3, { steps: 1, windows, lr: 1e-4, seed: 1 }));
    try {
      expect(Math.abs((await qat.evaluate()) - rtn.loss)).toBeLessThan(1e-5);
    } finally {
      qat.dispose();
    }
    // A second run reuses the cached capture and keeps its first measured time.
    expect((await ptq.prepare(windows)).calibrationMs).toBe(5);
    expect(captures).toBe(2);
  }, 240_000);
});
