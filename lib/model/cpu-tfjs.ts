/**
 * tfjs on its CPU backend, for Node-side reference runs outside the page (e2e specs recompute a
 * widget's figure from the shipped model files through the same lib code). The app never imports
 * this: in the browser the backend comes from lib/compute's getCompute().
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { Tfjs } from '../compute';

/** tfjs with the CPU backend active. */
export async function cpuTfjs(): Promise<Tfjs> {
  await tf.setBackend('cpu');
  await tf.ready();
  return tf;
}
