import type { OwnLoaded } from '@/components/own-model/session';
import type { OwnModelPayload } from '@/lib/train/worker-protocol';

const keys = new WeakMap<OwnLoaded, string>();
let loads = 0;

/**
 * The learner's loaded checkpoint as the training worker takes it (lib/train/worker-protocol
 * OwnModelPayload): the same load always gets the same key, so the worker keeps the copy it has.
 * Throws for a model without a BPE tokenizer (a checkpoint always has one).
 */
export function ownModelPayload(own: OwnLoaded): OwnModelPayload {
  const { tokenizer, ...config } = own.weights.config;
  if (tokenizer.type !== 'bpe') throw new Error('Only a checkpoint with its BPE tokenizer can be trained here.');
  let key = keys.get(own);
  if (!key) keys.set(own, (key = `load-${++loads}`));
  return { key, name: own.label, config, tokenizer: tokenizer.bpe.spec, values: [...own.weights.values], shapes: [...own.weights.shapes].map(([n, s]) => [n, [...s]]) };
}
