'use client';

import { WidgetError } from '@/components/widget-kit/WidgetError';
import { TRAIN_MODE_LABELS, type TrainMode } from '@/lib/train/modes';
import type { DatasetInfo, splitPaste } from '@/lib/train/datasets';
import { DROPOUTS, LRS, RANKS, STEP_CHOICES, TARGET_LABELS, type TargetPreset } from '@/lib/train/recipes';

/** The trainer widget's settings, as kept in the URL. */
export type TrainerSettings = {
  dataset: 'kjv-shout' | 'kjv-modern' | 'kjv-lines' | 'paste';
  mode: TrainMode;
  r: number;
  alpha: number;
  targets: TargetPreset;
  dropout: (typeof DROPOUTS)[number];
  lr: (typeof LRS)[number];
  steps: number;
  seed: number;
};

/** The run's settings (locked while it runs), and the paste box when the learner brings a text. */
export function TrainerSettingsPanel({ settings, update, datasets, running, paste, setPaste, pasteSplit }: {
  settings: TrainerSettings;
  update: (p: Partial<TrainerSettings>) => void;
  datasets: DatasetInfo[] | null;
  running: boolean;
  paste: string;
  setPaste: (text: string) => void;
  pasteSplit: ReturnType<typeof splitPaste> | null;
}) {
  const adapterMode = settings.mode !== 'full';
  return (
    <>
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
                {RANKS.map((r) => <option key={r} value={r}>{r}</option>)}
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
      {pasteSplit && !pasteSplit.ok && <WidgetError testId="qlora-paste-error">{pasteSplit.error}</WidgetError>}
    </>
  );
}
