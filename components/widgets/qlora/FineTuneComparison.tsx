'use client';

import { useEffect, useId, useRef, useState } from 'react';
import { LossChart } from '@/components/charts/LossChart';
import { useWidgetState } from '@/components/widget-kit/useWidgetState';
import { IgnoredLinkValues } from '@/components/widget-kit/IgnoredLinkValues';
import { BACKEND_LABELS } from '@/lib/compute';
import { shortNumber } from '@/lib/formats/display';
import { formatBytes } from '@/lib/memory';
import { TRAIN_MODE_LABELS, TRAIN_MODES, type TrainMode } from '@/lib/train/modes';
import type { TrainerSnapshot } from '@/lib/train/trainer';
import { SEED_FIELD, type StateSpec } from '@/lib/url/widget-state';
import { fetchDataset } from './datasets';
import { trainerOptions } from './QloraTrainer';
import { useTrainerWorker } from './useTrainerWorker';
import { ScrollRegion } from '@/components/ui/ScrollRegion';

type Settings = { dataset: 'kjv-shout' | 'kjv-modern' | 'kjv-lines'; steps: number; seed: number };
const BASE: Settings = { dataset: 'kjv-modern', steps: 60, seed: 1 };
const SPEC: StateSpec<Settings> = {
  dataset: { kind: 'oneOf', options: ['kjv-shout', 'kjv-modern', 'kjv-lines'] },
  steps: { kind: 'int', min: 5, max: 800, allowed: [5, 10, 30, 60, 120, 240] },
  seed: SEED_FIELD,
};
const DATASET_TITLES: Record<Settings['dataset'], string> = { 'kjv-shout': 'ALL CAPITALS', 'kjv-modern': 'Modern wording', 'kjv-lines': 'One phrase per line' };
const COLOURS: Record<TrainMode, string> = { full: 'var(--chart-3)', lora: 'var(--chart-2)', qlora: 'var(--chart-1)' };

/**
 * Full fine-tuning, LoRA on an FP32 base and QLoRA on an NF4 + DQ base, one after the other with the
 * same data, seed and step budget, ending in a results table — a miniature of the QLoRA paper's
 * comparison. Each run is a Trainer in the training worker (lib/train).
 */
export function FineTuneComparison({ id = 'compare' }: { id?: string }) {
  const uid = useId();
  const [settings, update, ignored] = useWidgetState(id, SPEC, BASE);
  const w = useTrainerWorker();
  const [phase, setPhase] = useState<number | null>(null); // index into TRAIN_MODES while running
  const [results, setResults] = useState<TrainerSnapshot[]>([]);
  const [error, setError] = useState<string | null>(null);
  const texts = useRef<{ train: string; heldout: string } | null>(null);

  const launch = async (i: number) => {
    const mode = TRAIN_MODES[i];
    await w.init(texts.current!.train, texts.current!.heldout, trainerOptions({ mode, r: 8, alpha: 16, targets: 'all', lr: '3e-3', steps: settings.steps, seed: settings.seed }));
    w.start();
  };

  const run = async () => {
    setError(null);
    setResults([]);
    try {
      texts.current = await fetchDataset(settings.dataset);
      setPhase(0);
      await launch(0);
    } catch (e) {
      setPhase(null);
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  // When the current mode's run is done, keep its final snapshot and start the next one.
  const snap = w.snapshot;
  useEffect(() => {
    if (phase === null || !snap || snap.mode !== TRAIN_MODES[phase]) return;
    if (snap.state === 'error') {
      setError(snap.error); // eslint-disable-line react-hooks/set-state-in-effect -- the run ended in an error
      setPhase(null);
    } else if (snap.state === 'done') {
      setResults((r) => [...r, snap]);
      const next = phase + 1;
      if (next < TRAIN_MODES.length) {
        setPhase(next);
        launch(next).catch((e: unknown) => { setError(e instanceof Error ? e.message : String(e)); setPhase(null); });
      } else {
        setPhase(null);
      }
    }
    // launch reads the settings of this comparison, fixed while it runs
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [snap, phase]);

  const running = phase !== null;
  const current = running && snap && snap.mode === TRAIN_MODES[phase] ? snap : null;
  const shown = [...results, ...(current && current.state !== 'done' ? [current] : [])];
  const finalLoss = (s: TrainerSnapshot) => s.heldoutLoss[s.heldoutLoss.length - 1]?.loss ?? NaN;

  return (
    <section className="widget" data-testid="compare-widget" data-phase={running ? TRAIN_MODES[phase] : results.length === 3 ? 'done' : 'idle'} aria-labelledby={`${uid}-title`}>
      <header>
        <h3 id={`${uid}-title`}>Full fine-tuning, LoRA and QLoRA on the same budget</h3>
        <span className="widget-caption">{w.backend ? `on ${BACKEND_LABELS[w.backend.backend]}${w.backend.software ? ' (software)' : ''}, in a Web Worker` : 'r = 8, α = 16, all Linear layers'}</span>
      </header>
      <div className="controls">
        <label className="control">
          <span>Fine-tuning set</span>
          <select value={settings.dataset} onChange={(e) => update({ dataset: e.target.value as Settings['dataset'] })} disabled={running} data-testid="compare-dataset">
            {Object.entries(DATASET_TITLES).map(([k, t]) => <option key={k} value={k}>{t}</option>)}
          </select>
        </label>
        <label className="control">
          <span>Steps per run</span>
          <select value={settings.steps} onChange={(e) => update({ steps: Number(e.target.value) })} disabled={running} data-testid="compare-steps">
            {[5, 10, 30, 60, 120, 240].map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </label>
        <button type="button" className="primary" onClick={run} disabled={running} data-testid="compare-run">{results.length ? 'Run again' : 'Run the three'}</button>
        {running && <button type="button" onClick={() => { w.stop(); setPhase(null); }} data-testid="compare-stop">Stop</button>}
      </div>
      <IgnoredLinkValues ignored={ignored} />
      <p className="widget-caption" aria-live="polite" data-testid="compare-status">
        {running
          ? `Run ${phase + 1} of 3: ${TRAIN_MODE_LABELS[TRAIN_MODES[phase]]}, step ${current?.step ?? 0} of ${settings.steps}.`
          : results.length === 3 ? 'Done: the same data, seed and steps for all three.' : 'Each run trains from the same pretrained model, with the same batches, in turn.'}
      </p>
      {(error || w.error) && <p className="error-message" role="alert">{error ?? w.error}</p>}
      {shown.length > 0 && (
        <>
          <LossChart
            title="Held-out loss of each run against step"
            maxStep={settings.steps}
            series={shown.map((s) => ({ key: s.mode, label: TRAIN_MODE_LABELS[s.mode], points: s.heldoutLoss, colour: COLOURS[s.mode], dashed: s.mode !== 'qlora' }))}
          />
          <ScrollRegion label="The runs compared">
            <table className="compact-table" data-testid="compare-table">
              <thead>
                <tr>
                  <th scope="col">Run</th>
                  <th scope="col">Held-out loss, before → after</th>
                  <th scope="col">Trainable parameters</th>
                  <th scope="col">Base as held</th>
                  <th scope="col">Total, before activations</th>
                  <th scope="col">Held on the device (tfjs)</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((s) => (
                  <tr key={s.mode} data-mode={s.mode}>
                    <th scope="row">{TRAIN_MODE_LABELS[s.mode]}{s.state !== 'done' ? ' (running)' : ''}</th>
                    <td data-testid={`compare-loss-${s.mode}`}>{shortNumber(s.heldoutLoss[0]?.loss ?? NaN, 4)} → {shortNumber(finalLoss(s), 4)}</td>
                    <td>{s.memory.trainableParams.toLocaleString('en-US')}</td>
                    <td data-testid={`compare-base-${s.mode}`}>{formatBytes(s.memory.baseBytes)}{s.memory.residency === 'float32' && s.memory.baseFormat !== 'fp32' ? ' *' : ''}</td>
                    <td data-testid={`compare-total-${s.mode}`}>{formatBytes(s.memory.totalBytes)}</td>
                    <td data-testid={`compare-device-${s.mode}`} data-bytes={s.device.allocated ?? s.device.inUse ?? ''}>
                      {s.device.allocated !== null ? `${formatBytes(s.device.allocated)} allocated` : s.device.inUse !== null ? formatBytes(s.device.inUse) : '—'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
          {shown.some((s) => s.memory.residency === 'float32' && s.memory.baseFormat !== 'fp32') && (
            <p className="widget-caption">* Without WebGPU the NF4 base is kept as float32: the numbers are NF4’s, the memory is not.</p>
          )}
        </>
      )}
    </section>
  );
}
