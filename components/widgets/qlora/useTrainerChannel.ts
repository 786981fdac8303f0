'use client';

import { useEffect, useSyncExternalStore, type RefObject } from 'react';
import { useOnScreen } from '@/components/ui/useOnScreen';
import { useEngine } from '@/components/widget-kit/useEngine';
import { detectCompute } from '@/lib/compute';
import { TINY_MODEL_URL } from '@/lib/model/tiny-model';
import { INITIAL_TRAINER_CHANNEL_STATE, openPageTrainerChannel, type TrainerChannel, type TrainerChannelState, type TrainerWorkerEnv } from '@/lib/train/worker-client';

const spawnTrainerWorker = () => new Worker(new URL('../../../lib/train/trainer.worker.ts', import.meta.url), { type: 'module' });

/** The backend is the one the page's probe chose (detectCompute: no tfjs on the main thread), including a ?backend= override. */
const PAGE_ENV: TrainerWorkerEnv = {
  backend: () => detectCompute(),
  modelUrl: () => new URL(`${TINY_MODEL_URL}/`, location.href).href,
};

/** A channel of the page's one training worker (lib/train/worker-client); the caller disposes it. */
export function openTrainerChannel(): TrainerChannel {
  return openPageTrainerChannel(spawnTrainerWorker, PAGE_ENV);
}

const noSubscription = () => () => {};
const initialState = () => INITIAL_TRAINER_CHANNEL_STATE;

/** Reads a channel's state (snapshot, backend, error, autoPaused); the initial state while there is none. */
export function useTrainerChannelState(channel: TrainerChannel | null): TrainerChannelState {
  return useSyncExternalStore(channel?.subscribe ?? noSubscription, channel?.getSnapshot ?? initialState, initialState);
}

/** Tells the channel whether its widget is on screen (and the tab shown): the run pauses while it is not. */
export function usePauseOffScreen(channel: TrainerChannel | null, ref: RefObject<Element | null>): void {
  const onScreen = useOnScreen(ref);
  useEffect(() => channel?.setVisible(onScreen), [channel, onScreen]);
}

/**
 * The widget's channel of the page's training worker, held by useEngine (created when the widget
 * mounts, disposed when it unmounts, StrictMode-safe), read with useSyncExternalStore, and paused
 * while the element `ref` points at is off screen. The worker starts on first use.
 */
export function useTrainerChannel(ref: RefObject<Element | null>): { channel: TrainerChannel | null; state: TrainerChannelState } {
  const { engine: channel } = useEngine(openTrainerChannel, []);
  usePauseOffScreen(channel, ref);
  return { channel, state: useTrainerChannelState(channel) };
}
