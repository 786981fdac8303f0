'use client';

import { DeviceLostNotice } from '@/components/widget-kit/useComputeLoss';
import { isDeviceLostError } from '@/lib/compute/device-loss';
import { useDeferredValue, useEffect, useId, useMemo, useRef, useState } from 'react';
import { LossChart } from '@/components/charts/LossChart';
import { useNearScreen } from '@/components/ui/useNearScreen';
import { useOnScreen } from '@/components/ui/useOnScreen';
import { useWidgetState } from '@/components/widget-kit/useWidgetState';
import { IgnoredLinkValues } from '@/components/widget-kit/IgnoredLinkValues';
import { BACKEND_LABELS } from '@/lib/compute';
import { shortNumber } from '@/lib/formats/display';
import { formatBytes } from '@/lib/memory';
import { TRAIN_MODE_LABELS, type TrainMode } from '@/lib/train/modes';
import type { TrainerOptions } from '@/lib/train/trainer';
import type { LoraTarget } from '@/lib/train/lora';
import { INPUT_LIMITS } from '@/lib/text/input';
import { SEED_FIELD, type StateSpec } from '@/lib/url/widget-state';
import { fetchDataset, fetchDatasetIndex, splitPaste, type DatasetInfo } from './datasets';
import { useTrainerWorker } from './useTrainerWorker';
import { ScrollRegion } from '@/components/ui/ScrollRegion';

const DATASETS = ['kjv-shout', 'kjv-modern', 'kjv-lines', 'paste'] as const;
const TARGET_PRESETS = { all: ['c_attn', 'attn.c_proj', 'c_fc', 'mlp.c_proj'], attention: ['c_attn', 'attn.c_proj'], mlp: ['c_fc', 'mlp.c_proj'], qkv: ['c_attn'] } as const satisfies Record<string, readonly LoraTarget[]>;
const TARGET_LABELS: Record<keyof typeof TARGET_PRESETS, string> = {
  all: 'All Linear layers (QLoRA’s choice)',
  attention: 'Attention only (c_attn, c_proj)',
  mlp: 'MLP only (c_fc, c_proj)',
  qkv: 'q, k, v only (c_attn)',
};
const LRS = ['1e-4', '3e-4', '1e-3', '3e-3', '1e-2'] as const;
const DROPOUTS = ['0', '0.05', '0.1'] as const;
const STEP_CHOICES = [10, 20, 50, 100, 200, 400, 800];
/** Characters sampled before and after: each is one forward pass over the context. */
const SAMPLE_CHARS = 60;

export type TrainerSettings = {
  dataset: (typeof DATASETS)[number];
  mode: TrainMode;
  r: number;
  alpha: number;
  targets: keyof typeof TARGET_PRESETS;
  dropout: (typeof DROPOUTS)[number];
  lr: (typeof LRS)[number];
  steps: number;
  seed: number;
};
const BASE: TrainerSettings = { dataset: 'kjv-shout', mode: 'qlora', r: 8, alpha: 16, targets: 'all', dropout: '0', lr: '3e-3', steps: 100, seed: 1 };
const SPEC: StateSpec<TrainerSettings> = {
  dataset: { kind: 'oneOf', options: DATASETS },
  mode: { kind: 'oneOf', options: ['full', 'lora', 'qlora'] },
  r: { kind: 'int', min: 1, max: 64, allowed: [1, 2, 4, 8, 16, 32, 64] },
  alpha: { kind: 'int', min: 1, max: 256 },
  targets: { kind: 'oneOf', options: Object.keys(TARGET_PRESETS) },
  dropout: { kind: 'oneOf', options: DROPOUTS },
  lr: { kind: 'oneOf', options: LRS },
  steps: { kind: 'int', min: 10, max: 2000, allowed: STEP_CHOICES },
  seed: SEED_FIELD,
};

/** Batch, window and evaluation settings shared by the trainer widgets (small enough for a software GPU). */
export const LOOP = { batchSize: 8, blockSize: 64, evalEvery: 20, evalWindows: 8, clip: 1.0, weightDecay: 0 } as const;

/** Trainer options for a widget's settings. Full fine-tuning uses a tenth of the LoRA learning rate. */
export function trainerOptions(s: Pick<TrainerSettings, 'mode' | 'r' | 'alpha' | 'targets' | 'lr' | 'steps' | 'seed'> & { dropout?: TrainerSettings['dropout'] }): TrainerOptions {
  const lr = Number(s.lr);
  return {
    mode: s.mode,
    lora: { r: s.r, alpha: s.alpha, dropout: Number(s.dropout ?? '0'), targets: [...TARGET_PRESETS[s.targets]] },
    lr: s.mode === 'full' ? lr / 10 : lr,
    weightDecay: LOOP.weightDecay,
    batchSize: LOOP.batchSize,
    blockSize: LOOP.blockSize,
    clip: LOOP.clip,
    seed: s.seed,
    evalEvery: LOOP.evalEvery,
    evalWindows: LOOP.evalWindows,
    maxSteps: s.steps,
  };
}

function download(name: string, data: BlobPart, type: string) {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A sample and what it was made with. */
interface Sample {
  text: string;
  prompt: string;
  seed: number;
  dropped: string[];
}

/** The prompt and seed a sample was made with, shown beside it (the prompt box may have changed since). */
function SampleSource({ s, testId }: { s: Sample; testId: string }) {
  return (
    <span className="widget-caption" data-testid={testId}>
      {' '}— prompt “{s.prompt}”, seed {s.seed}
    </span>
  );
}

/**
 * QLoRA in the browser: the tiny model's base frozen in NF4 + DQ (or FP32, or fully trainable),
 * LoRA adapters trained with AdamW in a Web Worker (lib/train), with live loss curves, samples before
 * and after, the memory ledger, and adapter export, import and merge.
 */
export function QloraTrainer({ id = 'qlora' }: { id?: string }) {
  const uid = useId();
  const rootRef = useRef<HTMLElement>(null);
  const near = useNearScreen(rootRef);
  const onScreen = useOnScreen(rootRef);
  const [settings, update, ignored] = useWidgetState(id, SPEC, BASE);
  const w = useTrainerWorker();
  const [datasets, setDatasets] = useState<DatasetInfo[] | null>(null);
  const [paste, setPaste] = useState('');
  const [loadError, setLoadError] = useState<string | null>(null);
  const [prompt, setPrompt] = useState('And he said unto them, ');
  const [before, setBefore] = useState<Sample | null>(null);
  const [after, setAfter] = useState<(Sample & { step: number }) | null>(null);
  const [merge, setMerge] = useState<{ adapterLoss: number; mergedLoss: number } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [autoPaused, setAutoPaused] = useState(false);
  const [importFiles, setImportFiles] = useState<{ weights: File | null; config: File | null }>({ weights: null, config: null });
  const sampleSeed = 7;

  useEffect(() => {
    if (near && !datasets) fetchDatasetIndex().then(setDatasets, (e: unknown) => setLoadError(e instanceof Error ? e.message : String(e)));
  }, [near, datasets]);

  const snap = w.snapshot;
  const running = snap?.state === 'running';
  const deferredPaste = useDeferredValue(paste); // split once per change, not on every keystroke of a huge paste
  const pasteSplit = useMemo(() => (settings.dataset === 'paste' ? splitPaste(deferredPaste) : null), [settings.dataset, deferredPaste]);

  // Pause while the widget is off screen or the tab hidden; resume when it comes back.
  useEffect(() => {
    if (running && !onScreen) {
      w.stop();
      setAutoPaused(true); // eslint-disable-line react-hooks/set-state-in-effect -- remembers why the run stopped
    } else if (autoPaused && onScreen) {
      setAutoPaused(false);
      w.start();
    }
  }, [running, onScreen, autoPaused, w]);

  // A lost WebGPU device (in the worker) ends the run: one message and Restart (a new worker).
  const shownError = loadError ?? w.error ?? snap?.error ?? null;
  const lost = shownError !== null && isDeviceLostError(shownError);
  const restartAfterLoss = () => {
    w.restart();
    setLoadError(null);
    setBefore(null);
    setAfter(null);
    setMerge(null);
  };

  const sample = async (): Promise<Sample> => {
    const r = await w.request({ kind: 'sample', prompt, n: SAMPLE_CHARS, seed: sampleSeed, temperature: 0.8, topK: 20 });
    if (r.kind !== 'sample') throw new Error('unexpected reply');
    return { text: r.text, prompt, seed: sampleSeed, dropped: r.dropped };
  };

  const prepare = async (adapter?: { safetensors: ArrayBuffer; adapterConfig: unknown }) => {
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
    await w.init(texts.train, texts.heldout, trainerOptions(settings), adapter);
    setAfter(null);
    setMerge(null);
    setBefore(null);
    setBefore(await sample());
  };

  const run = async (what: 'start' | 'step') => {
    try {
      setBusy(snap && snap.step > 0 ? (what === 'start' ? 'Resuming…' : 'Taking one step…') : 'Starting: loading tfjs and the model in the worker, scoring the held-out text and sampling the base model…');
      if (!snap || snap.state === 'error' || snap.step === 0 && !before) await prepare();
      if (what === 'start') w.start();
      else w.step();
    } catch (e) {
      setLoadError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  };

  const reset = async () => {
    try {
      setBusy('Resetting…');
      w.stop();
      await prepare();
    } catch (e) {
      setLoadError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  };

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
    const r = await w.request({ kind: 'export' });
    if (r.kind !== 'export') return;
    download('adapter_model.safetensors', r.safetensors, 'application/octet-stream');
    download('adapter_config.json', JSON.stringify(r.adapterConfig, null, 2), 'application/json');
  };

  const importAdapter = async () => {
    try {
      if (!importFiles.weights || !importFiles.config) throw new Error('Choose both files: adapter_model.safetensors and adapter_config.json.');
      let config: unknown;
      try {
        config = JSON.parse(await importFiles.config.text());
      } catch {
        throw new Error(`${importFiles.config.name} is not valid JSON.`);
      }
      setBusy('Loading the adapter…');
      await prepare({ safetensors: await importFiles.weights.arrayBuffer(), adapterConfig: config });
    } catch (e) {
      setLoadError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  };

  const checkMerge = async () => {
    setBusy('Merging and scoring…');
    try {
      const r = await w.request({ kind: 'merge-check' });
      if (r.kind === 'merge-check') setMerge({ adapterLoss: r.adapterLoss, mergedLoss: r.mergedLoss });
    } catch (e) {
      setLoadError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  };

  const mem = snap?.memory;
  const adapterMode = settings.mode !== 'full';
  const heldout = snap?.heldoutLoss ?? [];
  const first = heldout[0]?.loss;
  const last = heldout[heldout.length - 1]?.loss;

  return (
    <section className="widget" ref={rootRef} data-testid="qlora-widget" data-state={snap?.state ?? 'idle'} data-step={snap?.step ?? 0} aria-labelledby={`${uid}-title`}>
      <header>
        <h3 id={`${uid}-title`}>Fine-tune the tiny model</h3>
        <span className="widget-caption" data-testid="qlora-backend">
          {w.backend ? `Training in a Web Worker on ${BACKEND_LABELS[w.backend.backend]}${w.backend.software ? ' (software)' : ''}` : 'Runs in a Web Worker on your GPU'}
        </span>
      </header>
      <div className="controls">
        <label className="control">
          <span>Fine-tuning set</span>
          <select value={settings.dataset} onChange={(e) => update({ dataset: e.target.value as TrainerSettings['dataset'] })} disabled={running} data-testid="qlora-dataset">
            {(datasets ?? []).map((d) => <option key={d.name} value={d.name}>{d.title}</option>)}
            {!datasets && <option value={settings.dataset}>{settings.dataset}</option>}
            <option value="paste">Your own text</option>
          </select>
        </label>
        <label className="control">
          <span>Base and training</span>
          <select value={settings.mode} onChange={(e) => update({ mode: e.target.value as TrainMode })} disabled={running} data-testid="qlora-mode">
            {(['qlora', 'lora', 'full'] as const).map((m) => <option key={m} value={m}>{TRAIN_MODE_LABELS[m]}</option>)}
          </select>
        </label>
        {adapterMode && (
          <>
            <label className="control">
              <span>Rank r</span>
              <select value={settings.r} onChange={(e) => update({ r: Number(e.target.value) })} disabled={running} data-testid="qlora-r">
                {[1, 2, 4, 8, 16, 32, 64].map((r) => <option key={r} value={r}>{r}</option>)}
              </select>
            </label>
            <label className="control">
              <span>α</span>
              <input type="number" min={1} max={256} step={1} value={settings.alpha} disabled={running} style={{ width: '5rem' }}
                onChange={(e) => { const n = Number(e.target.value); if (Number.isInteger(n) && n >= 1 && n <= 256) update({ alpha: n }); }} data-testid="qlora-alpha" />
            </label>
            <label className="control">
              <span>LoRA dropout</span>
              <select value={settings.dropout} onChange={(e) => update({ dropout: e.target.value as TrainerSettings['dropout'] })} disabled={running} data-testid="qlora-dropout">
                {DROPOUTS.map((d) => <option key={d} value={d}>{d}</option>)}
              </select>
            </label>
            <label className="control">
              <span>Adapted layers</span>
              <select value={settings.targets} onChange={(e) => update({ targets: e.target.value as TrainerSettings['targets'] })} disabled={running} data-testid="qlora-targets">
                {Object.entries(TARGET_LABELS).map(([k, label]) => <option key={k} value={k}>{label}</option>)}
              </select>
            </label>
          </>
        )}
        <label className="control">
          <span>Learning rate{settings.mode === 'full' ? ' (÷10 for full)' : ''}</span>
          <select value={settings.lr} onChange={(e) => update({ lr: e.target.value as TrainerSettings['lr'] })} disabled={running} data-testid="qlora-lr">
            {LRS.map((l) => <option key={l} value={l}>{l}</option>)}
          </select>
        </label>
        <label className="control">
          <span>Steps</span>
          <select value={settings.steps} onChange={(e) => update({ steps: Number(e.target.value) })} disabled={running} data-testid="qlora-steps">
            {STEP_CHOICES.map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </label>
      </div>
      {settings.dataset === 'paste' && (
        <label className="control">
          <span>Your text (the last tenth is held out)</span>
          <textarea rows={5} value={paste} onChange={(e) => setPaste(e.target.value)} aria-invalid={pasteSplit !== null && !pasteSplit.ok} data-testid="qlora-paste" />
        </label>
      )}
      {pasteSplit && !pasteSplit.ok && <p className="error-message" role="alert" data-testid="qlora-paste-error">{pasteSplit.error}</p>}
      <IgnoredLinkValues ignored={ignored} />
      <div className="controls">
        {running ? (
          <button type="button" onClick={() => w.stop()} data-testid="qlora-pause">Pause</button>
        ) : (
          <button type="button" className="primary" onClick={() => run('start')} disabled={busy !== null || (pasteSplit !== null && !pasteSplit.ok) || (snap !== null && snap.state === 'done')} data-testid="qlora-start">
            {snap && snap.step > 0 ? 'Resume' : 'Start training'}
          </button>
        )}
        <button type="button" onClick={() => run('step')} disabled={running || busy !== null || (pasteSplit !== null && !pasteSplit.ok)} data-testid="qlora-step">One step</button>
        <button type="button" onClick={reset} disabled={busy !== null || (pasteSplit !== null && !pasteSplit.ok)} data-testid="qlora-reset">Reset</button>
      </div>
      <p className="widget-caption" aria-live="polite" data-testid="qlora-status">
        {busy ?? (snap
          ? `Step ${snap.step} of ${snap.maxSteps}${snap.stepsPerSecond ? ` · ${shortNumber(snap.stepsPerSecond, 3)} steps/s · ${shortNumber(snap.tokensPerSecond ?? 0, 3)} characters/s` : ''}${snap.state === 'done' ? ' · done' : ''}${autoPaused ? ' · paused while the widget is off screen' : ''}`
          : `Batches of ${LOOP.batchSize} windows of ${LOOP.blockSize} characters; held-out loss every ${LOOP.evalEvery} steps on ${LOOP.evalWindows} windows.`)}
      </p>
      {w.backend?.software && (
        <p className="widget-caption" data-testid="qlora-software-note">
          Your WebGPU adapter runs in software, on the CPU, so each step takes seconds. Adding <code>?backend=webgl</code> to
          the address trains faster on such machines, but WebGL cannot run the NF4 kernel, so the base is then held as float32.
        </p>
      )}
      {shownError && !lost && <p className="error-message" role="alert" data-testid="qlora-error">{shownError}</p>}
      {lost && <DeviceLostNotice onRestart={restartAfterLoss} error={shownError} />}
      {snap && snap.droppedCharacters.length > 0 && (
        <p className="error-message" role="status">The model never saw {snap.droppedCharacters.map((c) => `“${c}”`).join(', ')}; {snap.droppedCharacters.length === 1 ? 'it was' : 'they were'} left out of the text.</p>
      )}

      {snap && (
        <>
          <LossChart
            title={`Training and held-out loss over ${snap.step} steps`}
            maxStep={snap.maxSteps}
            series={[
              { key: 'train', label: 'training batches', points: snap.trainLoss, colour: 'var(--chart-1)' },
              { key: 'heldout', label: 'held-out text', points: snap.heldoutLoss, colour: 'var(--chart-2)', dashed: true },
            ]}
          />
          {first !== undefined && last !== undefined && (
            <p className="widget-caption" data-testid="qlora-heldout">
              Held-out loss {shortNumber(first, 4)} → <strong>{shortNumber(last, 4)}</strong> nats per character (perplexity {shortNumber(Math.exp(first), 3)} → {shortNumber(Math.exp(last), 3)}).
            </p>
          )}
          {mem && (
            <ScrollRegion>
              <table className="compact-table" data-testid="qlora-ledger">
                <caption className="visually-hidden">Memory ledger of this run</caption>
                <tbody>
                  <tr><th scope="row">Base weights as held ({mem.baseFormat === 'nf4-dq' ? 'NF4 + DQ' : 'FP32'}{mem.residency === 'float32' && mem.baseFormat !== 'fp32' ? ', kept as float32 on this backend' : ''})</th><td data-testid="qlora-base-bytes">{formatBytes(mem.baseBytes)}</td></tr>
                  <tr><th scope="row">The same base in FP32</th><td>{formatBytes(mem.fp32BaseBytes)}</td></tr>
                  <tr><th scope="row">Trainable parameters</th><td data-testid="qlora-trainable">{mem.trainableParams.toLocaleString('en-US')} ({shortNumber((100 * mem.trainableParams) / mem.baseParams, 3)}% of the model)</td></tr>
                  {mem.adapterBytes > 0 && <tr><th scope="row">Adapters (FP32)</th><td>{formatBytes(mem.adapterBytes)}</td></tr>}
                  <tr><th scope="row">Gradients (FP32)</th><td>{formatBytes(mem.gradientBytes)}</td></tr>
                  <tr><th scope="row">AdamW state (m and v, FP32)</th><td>{formatBytes(mem.optimizerBytes)}</td></tr>
                  <tr><th scope="row">Total, before activations</th><td data-testid="qlora-total-bytes"><strong>{formatBytes(mem.totalBytes)}</strong></td></tr>
                  {snap.device.inUse !== null && (
                    <tr>
                      <th scope="row">Held on the device now, as tfjs counts it (activations and the backend’s pool included)</th>
                      <td data-testid="qlora-device-bytes">
                        {formatBytes(snap.device.inUse)} in use
                        {snap.device.allocated !== null ? `, ${formatBytes(snap.device.allocated)} allocated` : ''}
                      </td>
                    </tr>
                  )}
                </tbody>
              </table>
            </ScrollRegion>
          )}
        </>
      )}

      <h4 className="nl-subtitle">Samples, same prompt and seed</h4>
      <label className="control">
        <span>Prompt</span>
        <input type="text" value={prompt} maxLength={INPUT_LIMITS.prompt} onChange={(e) => setPrompt(e.target.value)} disabled={running} data-testid="qlora-prompt" />
      </label>
      <dl className="samples" data-testid="qlora-samples">
        <div><dt>Before (step 0){before && <SampleSource s={before} testId="qlora-before-source" />}</dt><dd data-testid="qlora-before">{before?.text ?? '—'}</dd></div>
        <div><dt>After{after ? ` (step ${after.step})` : ''}{after && <SampleSource s={after} testId="qlora-after-source" />}</dt><dd data-testid="qlora-after">{after?.text ?? 'Pause or finish a run to sample.'}</dd></div>
      </dl>
      {(after ?? before)?.dropped.length ? (
        <p className="error-message" role="status" data-testid="qlora-prompt-dropped">
          The model never saw {(after ?? before)!.dropped.map((c) => `“${c}”`).join(', ')} in training, so {(after ?? before)!.dropped.length === 1 ? 'it was' : 'they were'} left out of the prompt.
        </p>
      ) : null}

      {adapterMode && (
        <>
          <h4 className="nl-subtitle">The adapter: export, import, merge</h4>
          <div className="controls">
            <button type="button" onClick={exportAdapter} disabled={!snap || running} data-testid="qlora-export">Export adapter (PEFT safetensors + adapter_config.json)</button>
            <button type="button" onClick={checkMerge} disabled={!snap || running || busy !== null} data-testid="qlora-merge">Merge into the base and compare</button>
          </div>
          {merge && (
            <p className="widget-caption" data-testid="qlora-merge-result">
              Held-out loss with the adapter: {shortNumber(merge.adapterLoss, 6)}; merged model, W₀ + (α/r)·B·A in FP32: {shortNumber(merge.mergedLoss, 6)} (difference {shortNumber(Math.abs(merge.mergedLoss - merge.adapterLoss), 2)}).
            </p>
          )}
          <div className="controls">
            <label className="control"><span>adapter_model.safetensors</span><input type="file" accept=".safetensors" onChange={(e) => setImportFiles((f) => ({ ...f, weights: e.target.files?.[0] ?? null }))} data-testid="qlora-import-weights" /></label>
            <label className="control"><span>adapter_config.json</span><input type="file" accept=".json,application/json" onChange={(e) => setImportFiles((f) => ({ ...f, config: e.target.files?.[0] ?? null }))} data-testid="qlora-import-config" /></label>
            <button type="button" onClick={importAdapter} disabled={running || busy !== null} data-testid="qlora-import">Import</button>
          </div>
        </>
      )}
    </section>
  );
}
