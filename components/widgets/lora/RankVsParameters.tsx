'use client';

import { scaleLinear } from 'd3-scale';
import { useId, useState } from 'react';
import { useParsedInput, type Parsed } from '@/components/ui/useParsedInput';
import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';
import { WidgetError } from '@/components/widget-kit/WidgetError';
import { useWidgetState } from '@/components/widget-kit/useWidgetState';
import { IgnoredLinkValues } from '@/components/widget-kit/IgnoredLinkValues';
import { shortNumber } from '@/lib/formats/display';
import {
  ARCHITECTURE_PRESETS,
  MODULE_ROLES,
  PRESET_IDS,
  ROLE_MODULE_NAMES,
  parameterBreakdown,
  parseHFConfig,
  presetArchitecture,
  type Architecture,
  type ModuleRole,
} from '@/lib/lora/architectures';
import {
  ALL_ROLES_MASK,
  FINE_TUNE_METHODS,
  PEFT_DEFAULTS,
  activationBytesEstimate,
  adapterFileSize,
  baseParameters,
  fineTuneMemory,
  loraTrainableParams,
  maskToRoles,
  rolesToMask,
  targetedModules,
  trainablePercent,
  type FineTuneMethod,
} from '@/lib/lora/params';
import { BYTES_PER_GIB, formatBytes, formatParameterCount } from '@/lib/memory';
import { INPUT_LIMITS } from '@/lib/text/input';
import type { StateSpec } from '@/lib/url/widget-state';
import { ScrollRegion } from '@/components/ui/ScrollRegion';
import { IntBox } from '@/components/widget-kit/IntBox';

type State = { preset: string; targets: number; r: number; batch: number; seq: number };
const BASE: State = { preset: 'llama-2-7b', targets: rolesToMask(PEFT_DEFAULTS.targets), r: PEFT_DEFAULTS.r, batch: 1, seq: 2048 };
const SPEC: StateSpec<State> = {
  preset: { kind: 'oneOf', options: PRESET_IDS },
  targets: { kind: 'int', min: 0, max: ALL_ROLES_MASK },
  r: { kind: 'int', min: 1, max: 256 },
  batch: { kind: 'int', min: 1, max: 1024 },
  seq: { kind: 'int', min: 1, max: 131072 },
};
const POWERS_OF_TWO = [1, 2, 4, 8, 16, 32, 64, 128, 256];
const PASTED = 'pasted';

const METHOD_LABELS: Record<FineTuneMethod, string> = {
  full: 'Full fine-tuning',
  lora: 'LoRA (16-bit base)',
  qlora: 'QLoRA (NF4 + DQ base)',
};
const GPU_LINES_GIB = [24, 48, 80];

const W = 640;
const M = { left: 160, right: 96, top: 22, bottom: 34 };
const ROW = 40;

/** "c_attn", "k_proj": the modules of `a` that serve a role, for the checkbox labels. */
function modulesFor(a: Architecture, role: ModuleRole): string {
  const ms = a.modules.filter((m) => m.roles.includes(role));
  return ms.length === 0 ? 'none' : ms.map((m) => (a.family === 'gpt2' ? m.path : m.name)).join(', ');
}

type PastedArchitecture = { architecture: Architecture; notes: string[] };

function parsePaste(text: string): Parsed<PastedArchitecture> {
  const p = parseHFConfig(text);
  return p.ok ? { ok: true, value: { architecture: p.architecture, notes: p.notes } } : { ok: false, error: p.error };
}

type Update = (next: Partial<State>) => void;

/** The architecture (a preset or the pasted config) and the target modules. */
function ArchitectureControls({ state, update, arch, pasted, showPasted, onShowPasted }: {
  state: State;
  update: Update;
  arch: Architecture;
  pasted: PastedArchitecture | null;
  showPasted: boolean;
  onShowPasted: (v: boolean) => void;
}) {
  const roles = maskToRoles(state.targets);
  const allLinear = state.targets === ALL_ROLES_MASK;
  const toggleRole = (role: ModuleRole) => update({ targets: state.targets ^ rolesToMask([role]) });
  return (
    <div className="controls">
      <label className="control">
        <span>Architecture</span>
        <select
          value={showPasted && pasted ? PASTED : state.preset}
          onChange={(e) => {
            if (e.target.value === PASTED) onShowPasted(true);
            else {
              onShowPasted(false);
              update({ preset: e.target.value });
            }
          }}
          data-testid="rank-preset"
        >
          {ARCHITECTURE_PRESETS.map((a) => <option key={a.id} value={a.id}>{a.label}</option>)}
          {pasted && <option value={PASTED}>Pasted: {pasted.architecture.label}</option>}
        </select>
      </label>
      <fieldset className="control">
        <legend>Target modules</legend>
        <div className="checks">
          <label>
            <input type="checkbox" checked={allLinear} onChange={() => update({ targets: allLinear ? 0 : ALL_ROLES_MASK })} data-testid="rank-all-linear" /> all-linear
          </label>
          {MODULE_ROLES.map((role) => (
            <label key={role} title={`${arch.label}: ${modulesFor(arch, role)}`}>
              <input type="checkbox" checked={roles.includes(role)} onChange={() => toggleRole(role)} data-testid={`rank-target-${role}`} /> {ROLE_MODULE_NAMES[role]}
            </label>
          ))}
        </div>
      </fieldset>
    </div>
  );
}

/** Rank r: a slider, a number box and the powers of two. */
function RankControls({ r, onR }: { r: number; onR: (r: number) => void }) {
  return (
    <div className="controls">
      <label className="control">
        <span>Rank r: {r}</span>
        <input type="range" min={1} max={256} step={1} value={r} onChange={(e) => onR(Number(e.target.value))} aria-valuetext={`r = ${r}`} data-testid="rank-r" />
      </label>
      <label className="control">
        <span>r (1–256)</span>
        <IntBox value={r} min={1} max={256} size={5} onValue={onR} testId="rank-r-number" />
      </label>
      <div className="control" role="group" aria-label="Powers of two for r">
        <span>Powers of two</span>
        <div className="checks">
          {POWERS_OF_TWO.map((p) => (
            <button key={p} type="button" onClick={() => onR(p)} aria-pressed={r === p}>{p}</button>
          ))}
        </div>
      </div>
    </div>
  );
}

/** The config.json box: pasted text is read in the browser as the learner types. */
function PasteConfig({ paste, pasted, showPasted, arch, statusId }: {
  paste: { text: string; change: (t: string) => void; error: string | null };
  pasted: PastedArchitecture | null;
  showPasted: boolean;
  arch: Architecture;
  statusId: string;
}) {
  const pasteError = paste.text === '' ? null : paste.error;
  return (
    <details className="control">
      <summary>Paste a config.json (Llama, Mistral or GPT-2 style)</summary>
      <label className="control">
        <span>config.json from a model on the Hugging Face Hub</span>
        <textarea
          rows={6}
          value={paste.text}
          onChange={(e) => paste.change(e.target.value)}
          aria-invalid={pasteError !== null}
          aria-describedby={statusId}
          placeholder='{"hidden_size": 4096, "intermediate_size": 11008, "num_hidden_layers": 32, …}'
          spellCheck={false}
          data-testid="rank-paste"
        />
      </label>
      <p id={statusId} className={pasteError ? 'error-message' : 'widget-caption'} role={pasteError ? 'alert' : undefined} data-testid="rank-paste-status">
        {pasteError
          ? `${pasteError} Still showing ${arch.label}.`
          : pasted && showPasted
            ? `Read: ${pasted.architecture.label}, ${pasted.architecture.layers} layers, hidden ${pasted.architecture.hidden}.${pasted.notes.length ? ' ' + pasted.notes.join(' ') : ''}`
            : 'Paste a model’s config.json to count its own shapes; it is read in your browser and never sent anywhere.'}
      </p>
    </details>
  );
}

/** Each adapted module's A and B, per layer and over all layers (or the "no module" notice). */
function ModuleTable({ arch, roles, r }: { arch: Architecture; roles: ModuleRole[]; r: number }) {
  const adapted = targetedModules(arch, roles);
  if (roles.length === 0) return <WidgetError>Tick at least one target module: no module, no adapter.</WidgetError>;
  return (
    <ScrollRegion label="LoRA parameters per module">
      <table className="compact-table" data-testid="rank-modules">
        <caption className="widget-caption" style={{ captionSide: 'bottom', textAlign: 'left' }}>
          Each adapted matrix W (out × in) gets B (out × r) and A (r × in): r · (in + out) parameters, in each of the {arch.layers} layers.
        </caption>
        <thead>
          <tr><th scope="col">Module</th><th scope="col">W: out × in</th><th scope="col">A + B per layer</th><th scope="col">× {arch.layers} layers</th></tr>
        </thead>
        <tbody>
          {adapted.map((m) => (
            <tr key={m.path}>
              <th scope="row"><code>{arch.family === 'gpt2' ? m.path : m.name}</code></th>
              <td>{m.out.toLocaleString('en-US')} × {m.in.toLocaleString('en-US')}</td>
              <td>{(r * (m.in + m.out)).toLocaleString('en-US')}</td>
              <td>{(arch.layers * r * (m.in + m.out)).toLocaleString('en-US')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

/** Trainable parameters, their share, and the adapter file's size. */
function AdapterStats({ arch, roles, r, trainable, total }: { arch: Architecture; roles: ModuleRole[]; r: number; trainable: number; total: number }) {
  const file32 = adapterFileSize(arch, roles, r, 'fp32');
  const file16 = adapterFileSize(arch, roles, r, 'bf16');
  return (
    <>
      <dl className="stat-grid">
        <div className="stat">
          <dt>Trainable parameters</dt>
          <dd data-testid="rank-trainable">{trainable.toLocaleString('en-US')}</dd>
        </div>
        <div className="stat">
          <dt>Share of the model</dt>
          <dd data-testid="rank-percent">{shortNumber(trainablePercent(trainable, total), 3)}%</dd>
        </div>
        <div className="stat">
          <dt>Adapter file, fp32</dt>
          <dd data-testid="rank-file-fp32">{formatBytes(file32.totalBytes)}</dd>
        </div>
        <div className="stat">
          <dt>Adapter file, fp16 / bf16</dt>
          <dd data-testid="rank-file-fp16">{formatBytes(file16.totalBytes)}</dd>
        </div>
      </dl>
      <p className="widget-caption">
        An adapter_model.safetensors holds {file32.tensors.toLocaleString('en-US')} tensors: {file32.dataBytes.toLocaleString('en-US')} bytes
        of data in fp32, {file16.dataBytes.toLocaleString('en-US')} in 16 bits, plus a header of about {file32.headerBytes.toLocaleString('en-US')} bytes
        (estimated by writing the JSON header PEFT&rsquo;s tensor names give). The base model itself is {formatBytes(2 * total)} in 16 bits.
      </p>
    </>
  );
}

/** Memory to fine-tune with each method: the bar chart against GPU sizes, its legend and the table. */
function MemoryPanel({ arch, memory, uid }: { arch: Architecture; memory: ReturnType<typeof fineTuneMemory>[]; uid: string }) {
  const x = scaleLinear().domain([0, Math.max(...memory.map((m) => m.totalBytes), 80 * BYTES_PER_GIB) * 1.02]).range([M.left, W - M.right]);
  const height = M.top + M.bottom + memory.length * ROW;
  const gpuMark = (bytes: number) => GPU_LINES_GIB.find((g) => bytes <= g * BYTES_PER_GIB);
  return (
    <>
      <h4 className="nl-subtitle">Memory to fine-tune, before activations</h4>
      <figure className="chart" style={{ margin: 0 }}>
        <ScrollRegion className="chart-scroll chart-full" label="Chart, scrolls sideways">
        <svg viewBox={`0 0 ${W} ${height}`} role="img" aria-label={`Fine-tuning memory of ${arch.label}: ${memory.map((m) => `${METHOD_LABELS[m.method]} ${formatBytes(m.totalBytes)}`).join('; ')}`}>
          <defs>
            <pattern id={`${uid}-hatch`} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
              <rect width="6" height="6" fill="var(--chart-2)" opacity="0.35" />
              <line x1="0" y1="0" x2="0" y2="6" stroke="var(--chart-2)" strokeWidth="3" />
            </pattern>
          </defs>
          <g className="axis">
            {GPU_LINES_GIB.map((g) => (
              <g key={g}>
                <line x1={x(g * BYTES_PER_GIB)} x2={x(g * BYTES_PER_GIB)} y1={M.top - 8} y2={height - M.bottom} stroke="var(--border)" strokeDasharray="3 3" />
                <text x={x(g * BYTES_PER_GIB)} y={M.top - 10} textAnchor="middle">{g} GB GPU</text>
              </g>
            ))}
            {x.ticks(5).map((t) => (
              <text key={t} x={x(t)} y={height - M.bottom + 16} textAnchor="middle">{formatBytes(t)}</text>
            ))}
            <text x={(M.left + W - M.right) / 2} y={height - 4} textAnchor="middle">bytes (decimal units; dashed: GPU memory)</text>
          </g>
          {memory.map((m, i) => {
            const y = M.top + i * ROW + 6;
            const h = ROW - 14;
            const fit = gpuMark(m.totalBytes);
            return (
              <g key={m.method} data-bar={m.method}>
                <text x={M.left - 8} y={y + h / 2 + 4} textAnchor="end" style={{ fill: 'var(--fg)' }}>{METHOD_LABELS[m.method]}</text>
                <rect x={x(0)} y={y} width={Math.max(0.5, x(m.baseBytes) - x(0))} height={h} fill="var(--chart-1)">
                  <title>{`${m.method === 'full' ? 'Weights (16-bit)' : 'Frozen base weights'}: ${formatBytes(m.baseBytes)}`}</title>
                </rect>
                <rect x={x(m.baseBytes)} y={y} width={Math.max(m.trainingStateBytes > 0 ? 1 : 0, x(m.baseBytes + m.trainingStateBytes) - x(m.baseBytes))} height={h} fill={`url(#${uid}-hatch)`}>
                  <title>{`${m.method === 'full' ? 'Gradients and Adam state (14 B per parameter)' : 'Adapters: weights, gradients and Adam state (16 B each)'}: ${formatBytes(m.trainingStateBytes)}`}</title>
                </rect>
                <text x={Math.min(x(m.totalBytes) + 6, W - M.right + 4)} y={y + h / 2 + 4} style={{ fill: 'var(--fg)' }} data-testid={`rank-mem-${m.method}`}>
                  {formatBytes(m.totalBytes)}{fit ? '' : ' ›80 GB'}
                </text>
              </g>
            );
          })}
        </svg>
        </ScrollRegion>
      </figure>
      <p className="bit-legend">
        <span><span className="swatch" style={{ background: 'var(--chart-1)' }} />solid: model weights (16-bit; for QLoRA NF4 + DQ, embeddings and norms 16-bit)</span>
        <span><span className="swatch" style={{ background: 'var(--chart-2)', opacity: 0.6 }} />hatched: gradients and Adam state (full: 14 B per parameter; LoRA, QLoRA: 16 B per adapter parameter)</span>
      </p>
      <ScrollRegion label="Memory of each method">
        <table className="compact-table" data-testid="rank-memory">
          <thead>
            <tr><th scope="col">Method</th><th scope="col">Weights</th><th scope="col">Training state</th><th scope="col">Total</th><th scope="col">Rule</th></tr>
          </thead>
          <tbody>
            {memory.map((m) => (
              <tr key={m.method} data-method={m.method}>
                <th scope="row">{METHOD_LABELS[m.method]}</th>
                <td>{formatBytes(m.baseBytes)}</td>
                <td>{formatBytes(m.trainingStateBytes)}</td>
                <td data-testid={`rank-total-${m.method}`}>{formatBytes(m.totalBytes)}</td>
                <td style={{ textAlign: 'left' }}>{m.method === 'full' ? '16 B × parameters' : m.method === 'lora' ? '2 B × parameters + 16 B × trainable' : '0.516 B × block Linear weights + 2 B × the rest + 16 B × trainable'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </>
  );
}

/** Activations kept for backward: batch and sequence length, and the estimate with its rule. */
function ActivationsPanel({ state, update, arch, split }: { state: State; update: Update; arch: Architecture; split: ReturnType<typeof baseParameters> }) {
  const activations = activationBytesEstimate({ layers: arch.layers, hidden: arch.hidden, heads: arch.heads, batch: state.batch, seq: state.seq });
  return (
    <>
      <h4 className="nl-subtitle">Activations: an estimate, on top of every bar</h4>
      <div className="controls">
        <label className="control">
          <span>Batch size</span>
          <IntBox value={state.batch} min={1} max={1024} size={5} onValue={(n) => update({ batch: n })} testId="rank-batch" />
        </label>
        <label className="control">
          <span>Sequence length (tokens)</span>
          <IntBox value={state.seq} min={1} max={131072} size={7} onValue={(n) => update({ seq: n })} testId="rank-seq" />
        </label>
      </div>
      <dl className="stat-grid">
        <div className="stat">
          <dt>Activations kept for backward (estimate)</dt>
          <dd data-testid="rank-activations">≈ {formatBytes(activations)}</dd>
        </div>
      </dl>
      <p className="widget-caption">
        Estimate: layers × s·b·h × (34 + 5·a·s/h) bytes, with s = {state.seq.toLocaleString('en-US')} tokens, b = {state.batch},
        h = {arch.hidden.toLocaleString('en-US')}, a = {arch.heads} heads, {arch.layers} layers (Korthikanti et al. 2022, &ldquo;Reducing
        Activation Recomputation in Large Transformer Models&rdquo;: 16-bit activations, no recomputation). LoRA and QLoRA still back-propagate
        through every frozen layer, so they keep about as much as full fine-tuning. FlashAttention removes the 5·a·s/h term; gradient
        checkpointing (which QLoRA uses) keeps far less; logits are not counted. QLoRA&rsquo;s base stores the blocks&rsquo; Linear weights
        ({formatParameterCount(split.quantized)}) in NF4 at 4.127 bits and keeps the embeddings, lm_head and norms
        ({formatParameterCount(split.total - split.quantized)}) in 16 bits, as bitsandbytes does.
      </p>
    </>
  );
}

/**
 * LoRA rank against parameters and memory: a real architecture (a preset or a pasted config.json,
 * lib/lora/architectures), target modules and rank r give the trainable parameters, their share of
 * the model, the adapter file, and fine-tuning memory for full fine-tuning, LoRA and QLoRA
 * (lib/lora/params, docs/numerics.md "LoRA and QLoRA"), with activations as a separate estimate.
 */
export function RankVsParameters({ id = 'rank' }: { id?: string }) {
  const uid = useId();
  const [state, update, ignored] = useWidgetState(id, SPEC, BASE);
  const [usePasted, setUsePasted] = useState(false);
  // Read once per change, on a deferred copy of the text: a huge paste never stalls typing.
  const paste = useParsedInput<PastedArchitecture | null>('', parsePaste, null, {
    maxChars: INPUT_LIMITS.configJson, what: 'a config.json', onGood: () => setUsePasted(true),
  });
  const pasted = paste.value;
  const arch = usePasted && pasted ? pasted.architecture : presetArchitecture(state.preset);
  const roles = maskToRoles(state.targets);
  const total = parameterBreakdown(arch).total;
  const trainable = roles.length === 0 ? 0 : loraTrainableParams(arch, roles, state.r);
  const split = baseParameters(arch);
  const memory = FINE_TUNE_METHODS.map((m) => fineTuneMemory(m, split, trainable));

  return (
    <WidgetFrame stateId={id}
      title="LoRA rank, parameters and memory"
      subtitle={<span data-testid="rank-arch">{arch.label}: {formatParameterCount(total)} ({total.toLocaleString('en-US')}) parameters</span>}
      testId="rank-widget"
    >
      <ArchitectureControls state={state} update={update} arch={arch} pasted={pasted} showPasted={usePasted} onShowPasted={setUsePasted} />
      <RankControls r={state.r} onR={(r) => update({ r })} />
      <IgnoredLinkValues ignored={ignored} />
      <PasteConfig paste={paste} pasted={pasted} showPasted={usePasted} arch={arch} statusId={`${uid}-paste-status`} />

      {arch.family === 'gpt2' && (
        <p className="widget-caption" data-testid="rank-gpt2-note">
          GPT-2 names its modules differently and fuses q, k and v into one c_attn matrix
          ({arch.modules[0].in} → {arch.modules[0].out}): ticking any of q_proj, k_proj, v_proj adapts the whole of c_attn, as
          PEFT&rsquo;s <code>target_modules=[&quot;c_attn&quot;]</code> does. o_proj is attn.c_proj, up_proj is mlp.c_fc,
          down_proj is mlp.c_proj, and there is no gate_proj.
        </p>
      )}

      <ModuleTable arch={arch} roles={roles} r={state.r} />
      <AdapterStats arch={arch} roles={roles} r={state.r} trainable={trainable} total={total} />
      <MemoryPanel arch={arch} memory={memory} uid={uid} />
      <ActivationsPanel state={state} update={update} arch={arch} split={split} />
    </WidgetFrame>
  );
}
