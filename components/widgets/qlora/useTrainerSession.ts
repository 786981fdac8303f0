'use client';

import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '@/lib/errors';
import { fetchDataset, fetchDatasetIndex, type DatasetInfo, type splitPaste } from '@/lib/train/datasets';
import { SAMPLE_RECIPE, trainerOptions, type TrainingRecipe } from '@/lib/train/recipes';
import { beforeSampleFromBase } from '@/lib/train/stages';
import type { AdapterUpload, TrainerChannel, TrainerChannelState } from '@/lib/train/worker-client';
import type { OwnModelPayload } from '@/lib/train/worker-protocol';
import { useFirstStepTimer } from './useFirstStepTimer';

/** A sample and what it was made with. */
export interface Sample {
  text: string;
  prompt: string;
  seed: number;
  dropped: string[];
}

export type MergeCheck = { adapterLoss: number; mergedLoss: number };

function download(name: string, data: BlobPart, type: string) {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const notReady = () => new Error('The training worker is not ready yet.');

/**
 * The trainer widget's session around its channel of the training worker: the dataset list, the
 * run's preparation (texts, trainer, the sample before), Start / One step / Reset, the sample after
 * each pause, export, import and the merge check, with the busy line and the error they show.
 */
export function useTrainerSession({ channel, state, settings, pasteSplit, prompt, near, model = null }: {
  channel: TrainerChannel | null;
  /** The learner's own checkpoint to train instead of the course's model, or null. */
  model?: OwnModelPayload | null;
  state: TrainerChannelState;
  settings: TrainingRecipe & { dataset: string };
  pasteSplit: ReturnType<typeof splitPaste> | null;
  prompt: string;
  near: boolean;
}) {
  const [datasets, setDatasets] = useState<DatasetInfo[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [before, setBefore] = useState<Sample | null>(null);
  const [after, setAfter] = useState<(Sample & { step: number }) | null>(null);
  const [merge, setMerge] = useState<MergeCheck | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [sampling, setSampling] = useState(false);
  const snap = state.snapshot;
  const running = snap?.state === 'running';
  const firstStep = useFirstStepTimer(snap, state.stage);

  useEffect(() => {
    if (near && !datasets) fetchDatasetIndex().then(setDatasets, (e: unknown) => setLoadError(errorMessage(e)));
  }, [near, datasets]);

  const sample = async (base = false): Promise<Sample> => {
    if (!channel) throw notReady();
    const { n, seed, temperature, topK } = SAMPLE_RECIPE;
    const r = await channel.request({ kind: 'sample', prompt, n, seed, temperature, topK, base });
    if (r.kind !== 'sample') throw new Error('unexpected reply');
    return { text: r.text, prompt, seed, dropped: r.dropped };
  };

  // The sample before training, kept across Resets: it depends on the base (the mode) and the
  // prompt, not on the text, the adapters' seed or the settings that only shape training.
  const beforeCache = useRef<{ key: string; sample: Sample } | null>(null);
  const beforeKey = `${settings.mode}\u0000${prompt}\u0000${model?.key ?? ''}`;
  // Which model the worker's current run was built on (its load key; '' for the course's model).
  const prepared = useRef<string | null>(null);
  const modelKey = model?.key ?? '';

  /**
   * Builds the run (texts, the worker's trainer, the held-out loss at step 0) and the sample before
   * training — unless it can wait: adapters that start at zero leave the base model as it was, so the
   * sample is drawn from the base after the first step instead of holding it up (returns true then;
   * lib/train/stages beforeSampleFromBase). A Reset with the same base and prompt reuses the last one.
   */
  const prepare = async (adapter?: AdapterUpload): Promise<boolean> => {
    if (!channel) throw notReady();
    setLoadError(null);
    let texts: { train: string; heldout: string };
    if (settings.dataset === 'paste') {
      if (!pasteSplit?.ok) throw new Error(pasteSplit?.error ?? 'Paste some text.');
      texts = pasteSplit;
    } else {
      texts = await fetchDataset(settings.dataset);
    }
    // The worker validates everything before it replaces the current run; only once it has, the
    // page lets go of the old run's samples and merge check (a failed import changes nothing).
    await channel.init(texts, trainerOptions(settings), adapter, model ?? undefined);
    prepared.current = modelKey;
    setAfter(null);
    setMerge(null);
    setBefore(null);
    const cached = !adapter && beforeCache.current?.key === beforeKey ? beforeCache.current.sample : null;
    if (cached) setBefore(cached);
    else if (adapter || !beforeSampleFromBase(settings.mode, true)) setBefore(await sample());
    else return true;
    return false;
  };

  /** The deferred sample before training (prepare returned true), from the base with the adapters off. */
  const sampleBase = () => {
    setSampling(true);
    const key = beforeKey;
    sample(true).then(
      (s) => {
        beforeCache.current = { key, sample: s };
        setBefore(s);
      },
      (e: unknown) => setLoadError(errorMessage(e)),
    ).finally(() => setSampling(false));
  };

  /** Runs `work` with `message` as the busy line; a failure becomes the widget's error. */
  const busyWhile = async (message: string, work: () => Promise<void>) => {
    try {
      setBusy(message);
      await work();
    } catch (e) {
      setLoadError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  const run = (what: 'start' | 'step') => {
    if (!snap || snap.step === 0) firstStep.arm();
    return busyWhile(snap && snap.step > 0 ? (what === 'start' ? 'Resuming…' : 'Taking one step…') : 'Starting…', async () => {
      // Another model chosen since the run was built: a new run on it.
      const defer = !snap || snap.state === 'error' || prepared.current !== modelKey || (snap.step === 0 && !before && !sampling) ? await prepare() : false;
      if (what === 'start') channel?.start();
      else channel?.step();
      if (defer) sampleBase(); // queued in the worker behind the first step
    });
  };

  const reset = () =>
    busyWhile('Resetting…', async () => {
      channel?.stop();
      firstStep.disarm();
      if (await prepare()) sampleBase();
    });

  // Another model chosen while a run is on screen: a new run on it at once, so the curves, the
  // samples and their units always belong to the model the trainer is set to.
  useEffect(() => {
    if (channel && prepared.current !== null && prepared.current !== modelKey) void reset();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a change of model starts the new run
  }, [modelKey]);

  // Sample the trained model whenever a run pauses or ends.
  const lastSampled = useRef(-1);
  useEffect(() => {
    if (!snap || running || snap.step === 0 || snap.step === lastSampled.current) return;
    lastSampled.current = snap.step;
    const step = snap.step;
    sample().then((s) => setAfter({ ...s, step }), () => {});
    // sample depends on the prompt, which is read when the run pauses
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [snap?.step, running]);

  const exportAdapter = async () => {
    const r = await channel?.request({ kind: 'export' });
    if (r?.kind !== 'export') return;
    download('adapter_model.safetensors', r.safetensors, 'application/octet-stream');
    download('adapter_config.json', JSON.stringify(r.adapterConfig, null, 2), 'application/json');
  };

  const importAdapter = async (weights: File | null, config: File | null) => {
    try {
      if (!weights || !config) throw new Error('Choose both files: adapter_model.safetensors and adapter_config.json.');
      let adapterConfig: unknown;
      try {
        adapterConfig = JSON.parse(await config.text());
      } catch {
        throw new Error(`${config.name} is not valid JSON.`);
      }
      setBusy('Loading the adapter…');
      firstStep.disarm();
      await prepare({ safetensors: await weights.arrayBuffer(), adapterConfig });
    } catch (e) {
      setLoadError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  const checkMerge = () =>
    busyWhile('Merging and scoring…', async () => {
      const r = await channel?.request({ kind: 'merge-check' });
      if (r?.kind === 'merge-check') setMerge({ adapterLoss: r.adapterLoss, mergedLoss: r.mergedLoss });
    });

  // A lost WebGPU device (in the worker) ends the run: one message and Restart (a new worker).
  const restartAfterLoss = () => {
    channel?.restart();
    setLoadError(null);
    setBefore(null);
    setAfter(null);
    setMerge(null);
  };

  return { datasets, loadError, before, after, merge, busy, running, sampling, firstStepMs: firstStep.ms, run, reset, exportAdapter, importAdapter, checkMerge, restartAfterLoss };
}

export type TrainerSession = ReturnType<typeof useTrainerSession>;
