'use client';

import { useSyncExternalStore } from 'react';
import type { TinyLMWeights } from '@/lib/model/load';

/** A loaded checkpoint: its float32 weights in the course's layout (with its BPE tokenizer in `weights.config`) and how the page names it. */
export interface OwnLoaded {
  label: string;
  weights: TinyLMWeights;
}

/**
 * The learner's own checkpoint, once loaded, for the whole tab: a model loaded in one widget is
 * offered by every widget that can use it (the comparison, the lab, the activations and GPTQ/AWQ
 * lessons) without reading the files again, until the learner unloads it or the page reloads. One
 * copy of the weights is kept, never one per widget.
 */
let current: OwnLoaded | null = null;
const listeners = new Set<() => void>();

export function getOwnModel(): OwnLoaded | null {
  return current;
}

/** Sets (or, with null, unloads) the tab's own model and tells every widget. */
export function setOwnModel(next: OwnLoaded | null): void {
  if (next === current) return;
  current = next;
  for (const l of listeners) l();
}

/** Calls `l` whenever the tab's model changes (loaded, replaced, unloaded); returns the unsubscribe. */
export function onOwnModelChange(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

const subscribe = onOwnModelChange;

const none = () => null;

/** The tab's own model, or null (always null while rendering on the server). */
export function useOwnModelSession(): OwnLoaded | null {
  return useSyncExternalStore(subscribe, getOwnModel, none);
}
