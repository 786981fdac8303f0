import { shortNumber } from '@/lib/formats/display';
import { ARCHITECTURE_PRESETS, presetArchitecture, totalParameters, type ModuleRole } from '@/lib/lora/architectures';
import {
  ADAPTER_BYTES_PER_PARAM,
  FULL_FT_BYTES_PER_PARAM,
  LORA_BASE_BYTES_PER_PARAM,
  QLORA_BASE_BYTES_PER_PARAM,
  activationBytesEstimate,
  adapterFileSize,
  fineTuneMemory,
  loraMatrixParams,
  loraTrainableParams,
  trainablePercent,
  type AdapterDType,
  type FineTuneMethod,
  type LoraTargets,
} from '@/lib/lora/params';
import { formatBytes, formatParameterCount } from '@/lib/memory';

/**
 * Figures about LoRA and QLoRA quoted in the prose of the lesson "LoRA: fine-tuning through a
 * low-rank door", computed by lib/lora rather than typed by hand (DESIGN.md, "Lesson anatomy").
 * Formulas and rules: ../shared/NUMERICS.md "LoRA and QLoRA". Server-renderable: no hooks.
 */

/** "q,v" or "all-linear" (as written in MDX) → LoraTargets. */
function targetsOf(targets: string): LoraTargets {
  if (targets === 'all-linear') return 'all-linear';
  return targets.split(',').map((t) => t.trim()) as ModuleRole[];
}

interface AdapterProps {
  /** A preset id from lib/lora/architectures: "llama-2-7b", "gpt2", … */
  arch: string;
  /** Comma-separated roles ("q,v") or "all-linear". */
  targets: string;
  r: number;
}

/** Trainable parameters of one d_out × d_in matrix: `<LoraMatrixParams dIn={4096} dOut={4096} r={8} />` → "65,536". */
export function LoraMatrixParams({ dIn, dOut, r }: { dIn: number; dOut: number; r: number }) {
  return <span className="figure">{loraMatrixParams(dIn, dOut, r).toLocaleString('en-US')}</span>;
}

/** Trainable LoRA parameters of a preset: `<LoraParams arch="llama-2-7b" targets="q,v" r={8} />` → "4,194,304"; `short` → "4.19M". */
export function LoraParams({ arch, targets, r, short = false }: AdapterProps & { short?: boolean }) {
  const n = loraTrainableParams(presetArchitecture(arch), targetsOf(targets), r);
  return <span className="figure">{short ? formatParameterCount(n) : n.toLocaleString('en-US')}</span>;
}

/** Trainable parameters as a share of the model: `<LoraPercent arch="llama-2-7b" targets="q,v" r={8} />` → "0.0622%". */
export function LoraPercent({ arch, targets, r }: AdapterProps) {
  const a = presetArchitecture(arch);
  return <span className="figure">{shortNumber(trainablePercent(loraTrainableParams(a, targetsOf(targets), r), totalParameters(a)), 3)}%</span>;
}

/** A preset's parameter count: `<ArchParams arch="llama-2-7b" />` → "6,738,415,616"; `short` → "6.74B". */
export function ArchParams({ arch, short = false }: { arch: string; short?: boolean }) {
  const n = totalParameters(presetArchitecture(arch));
  return <span className="figure">{short ? formatParameterCount(n) : n.toLocaleString('en-US')}</span>;
}

/** The adapter file's bytes (data + estimated header): `<AdapterBytes arch="llama-2-7b" targets="q,v" r={8} dtype="bf16" />` → "8.4 MB". */
export function AdapterBytes({ arch, targets, r, dtype }: AdapterProps & { dtype: AdapterDType }) {
  return <span className="figure">{formatBytes(adapterFileSize(presetArchitecture(arch), targetsOf(targets), r, dtype).totalBytes)}</span>;
}

/**
 * Fine-tuning memory before activations for a preset (lib/lora/params `fineTuneMemory`):
 * `<FineTuneBytes arch="llama-2-7b" method="full" />` → "108 GB". LoRA and QLoRA need targets and r.
 * `part="base"` gives the weights alone.
 */
export function FineTuneBytes({ arch, method, targets = 'q,v', r = 8, part = 'total' }: { arch: string; method: FineTuneMethod; targets?: string; r?: number; part?: 'total' | 'base' }) {
  const a = presetArchitecture(arch);
  const m = fineTuneMemory(method, totalParameters(a), loraTrainableParams(a, targetsOf(targets), r));
  return <span className="figure">{formatBytes(part === 'base' ? m.baseBytes : m.totalBytes)}</span>;
}

/** A base model's weights under QLoRA for a parameter count: `<QLoraBaseBytes parameters={65e9} />` → "33.5 GB". */
export function QLoraBaseBytes({ parameters }: { parameters: number }) {
  return <span className="figure">{formatBytes(fineTuneMemory('qlora', parameters, 0).baseBytes)}</span>;
}

/** A bytes-per-parameter rule: `<BytesPerParam kind="full" />` → "16", `"qlora-base"` → "0.516". */
export function BytesPerParam({ kind }: { kind: 'full' | 'lora-base' | 'qlora-base' | 'adapter' | 'optimizer' }) {
  const v = {
    full: FULL_FT_BYTES_PER_PARAM.weights + FULL_FT_BYTES_PER_PARAM.gradients + FULL_FT_BYTES_PER_PARAM.optimizer,
    'lora-base': LORA_BASE_BYTES_PER_PARAM,
    'qlora-base': QLORA_BASE_BYTES_PER_PARAM,
    adapter: ADAPTER_BYTES_PER_PARAM,
    optimizer: FULL_FT_BYTES_PER_PARAM.optimizer,
  }[kind];
  return <span className="figure">{shortNumber(v, 3)}</span>;
}

/** The activation estimate for a preset (Korthikanti et al. 2022): `<ActivationBytes arch="llama-2-7b" batch={1} seq={2048} />`. */
export function ActivationBytes({ arch, batch, seq }: { arch: string; batch: number; seq: number }) {
  const a = presetArchitecture(arch);
  return <span className="figure">{formatBytes(activationBytesEstimate({ layers: a.layers, hidden: a.hidden, heads: a.heads, batch, seq }))}</span>;
}

/** α / r or α / √r as a number: `<LoraScale alpha={16} r={64} />` → "0.25"; `rs` → "2". */
export function LoraScale({ alpha, r, rs = false }: { alpha: number; r: number; rs?: boolean }) {
  return <span className="figure">{shortNumber(rs ? alpha / Math.sqrt(r) : alpha / r, 4)}</span>;
}

/**
 * Every preset at PEFT's defaults and at the QLoRA recipe: parameters, LoRA parameters (q, v at
 * r = 8; all-linear at r = 64) and the memory of each way to fine-tune it.
 */
export function LoraPresetTable() {
  return (
    <table className="compact-table" data-testid="lora-preset-table">
      <thead>
        <tr>
          <th scope="col">Model</th>
          <th scope="col">Parameters</th>
          <th scope="col">LoRA q, v, r = 8</th>
          <th scope="col">all-linear, r = 64</th>
          <th scope="col">Full FT</th>
          <th scope="col">LoRA (q, v, r = 8)</th>
          <th scope="col">QLoRA (all-linear, r = 64)</th>
        </tr>
      </thead>
      <tbody>
        {ARCHITECTURE_PRESETS.map((a) => {
          const P = totalParameters(a);
          const pv = loraTrainableParams(a, ['q', 'v'], 8);
          const all = loraTrainableParams(a, 'all-linear', 64);
          return (
            <tr key={a.id} data-arch={a.id}>
              <th scope="row">{a.label}</th>
              <td>{P.toLocaleString('en-US')}</td>
              <td>{pv.toLocaleString('en-US')}</td>
              <td>{all.toLocaleString('en-US')}</td>
              <td>{formatBytes(fineTuneMemory('full', P, 0).totalBytes)}</td>
              <td>{formatBytes(fineTuneMemory('lora', P, pv).totalBytes)}</td>
              <td>{formatBytes(fineTuneMemory('qlora', P, all).totalBytes)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
