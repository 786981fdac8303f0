import { shortNumber } from '@/lib/formats/display';
import { ScrollRegion } from '@/components/ui/ScrollRegion';
import { ARCHITECTURE_PRESETS, embeddingShare, presetArchitecture, totalParameters, type ModuleRole } from '@/lib/lora/architectures';
import {
  ADAPTER_BYTES_PER_PARAM,
  FULL_FT_BYTES_PER_PARAM,
  LORA_BASE_BYTES_PER_PARAM,
  QLORA_BASE_BYTES_PER_PARAM,
  QLORA_UNQUANTIZED_BYTES_PER_PARAM,
  activationBytesEstimate,
  baseParameters,
  adapterFileSize,
  fineTuneMemory,
  loraMatrixParams,
  loraTrainableParams,
  trainablePercent,
  type AdapterDType,
  type FineTuneMethod,
  type LoraTargets,
} from '@/lib/lora/params';
import { loraScaling } from '@/lib/lora/scale';
import { formatBytes, formatParameterCount } from '@/lib/memory';

/**
 * Figures about LoRA and QLoRA quoted in the prose of the lesson "LoRA: fine-tuning through a
 * low-rank door", computed by lib/lora rather than typed by hand (docs/design.md, rule 7).
 * Formulas and rules: docs/numerics.md "LoRA and QLoRA". Server-renderable: no hooks.
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
 * Fine-tuning memory before activations for a preset (lib/lora/params `fineTuneMemory`, with the
 * preset's QLoRA split `baseParameters`: NF4 for the blocks' Linear weights, 16 bits for the
 * embeddings, lm_head and norms): `<FineTuneBytes arch="llama-2-7b" method="full" />` → "108 GB";
 * `<FineTuneBytes arch="llama-2-7b" method="qlora" targets="all-linear" r={64} />` → "6.42 GB".
 * LoRA and QLoRA need targets and r. `part="base"` gives the weights alone (QLoRA Llama-2-7B:
 * "3.87 GB"), `part="state"` the gradients and optimizer state.
 */
export function FineTuneBytes({ arch, method, targets = 'q,v', r = 8, part = 'total' }: { arch: string; method: FineTuneMethod; targets?: string; r?: number; part?: 'total' | 'base' | 'state' }) {
  const a = presetArchitecture(arch);
  const m = fineTuneMemory(method, baseParameters(a), loraTrainableParams(a, targetsOf(targets), r));
  return <span className="figure">{formatBytes(part === 'base' ? m.baseBytes : part === 'state' ? m.trainingStateBytes : m.totalBytes)}</span>;
}

/**
 * A base model's weights under QLoRA. With `arch`, the preset's real split (embeddings, lm_head and
 * norms in 16 bits): `<QLoraBaseBytes arch="llama-2-7b" />` → "3.87 GB". With a bare `parameters`
 * count, every parameter at 4.127 bits (a lower bound): `<QLoraBaseBytes parameters={65e9} />` →
 * "33.5 GB". `allNf4` with `arch` gives that lower bound for the preset ("3.48 GB" for Llama-2-7B).
 */
export function QLoraBaseBytes({ parameters, arch, allNf4 = false }: { parameters?: number; arch?: string; allNf4?: boolean }) {
  let base: number | { total: number; quantized: number };
  if (arch !== undefined) {
    const split = baseParameters(presetArchitecture(arch));
    base = allNf4 ? split.total : split;
  } else if (parameters !== undefined) base = parameters;
  else throw new Error('QLoraBaseBytes needs arch or parameters');
  return <span className="figure">{formatBytes(fineTuneMemory('qlora', base, 0).baseBytes)}</span>;
}

/**
 * A bytes-per-parameter rule: `<BytesPerParam kind="full" />` → "16", `"qlora-base"` → "0.516"
 * (NF4 + DQ), `"qlora-unquantized"` → "2" (what QLoRA keeps in 16 bits).
 */
export function BytesPerParam({ kind }: { kind: 'full' | 'lora-base' | 'qlora-base' | 'qlora-unquantized' | 'adapter' | 'optimizer' }) {
  const v = {
    full: FULL_FT_BYTES_PER_PARAM.weights + FULL_FT_BYTES_PER_PARAM.gradients + FULL_FT_BYTES_PER_PARAM.optimizer,
    'lora-base': LORA_BASE_BYTES_PER_PARAM,
    'qlora-base': QLORA_BASE_BYTES_PER_PARAM,
    'qlora-unquantized': QLORA_UNQUANTIZED_BYTES_PER_PARAM,
    adapter: ADAPTER_BYTES_PER_PARAM,
    optimizer: FULL_FT_BYTES_PER_PARAM.optimizer,
  }[kind];
  return <span className="figure">{shortNumber(v, 3)}</span>;
}

/**
 * Parameters QLoRA leaves out of NF4 for a preset (embeddings, an untied lm_head, norms, biases):
 * `<QLoraUnquantizedParams arch="llama-2-7b" />` → "262,410,240"; `short` → "262M"; `percent` →
 * "3.89%" of the model.
 */
export function QLoraUnquantizedParams({ arch, short = false, percent = false }: { arch: string; short?: boolean; percent?: boolean }) {
  const s = baseParameters(presetArchitecture(arch));
  const n = s.total - s.quantized;
  return <span className="figure">{percent ? `${shortNumber((100 * n) / s.total, 3)}%` : short ? formatParameterCount(n) : n.toLocaleString('en-US')}</span>;
}

/**
 * The share of a preset's parameters in its embeddings (token embedding + untied lm_head;
 * lib/lora/architectures `embeddingShare`): `<EmbeddingShare arch="llama-3-8b" />` → "13.1%";
 * `show="params"` → "1,050,673,152", `show="short"` → "1.05B".
 */
export function EmbeddingShare({ arch, show = 'percent', digits = 3 }: { arch: string; show?: 'percent' | 'params' | 'short'; digits?: number }) {
  const e = embeddingShare(presetArchitecture(arch));
  const text = show === 'params' ? e.parameters.toLocaleString('en-US') : show === 'short' ? formatParameterCount(e.parameters) : `${shortNumber(100 * e.share, digits)}%`;
  return <span className="figure">{text}</span>;
}

/** The activation estimate for a preset (Korthikanti et al. 2022): `<ActivationBytes arch="llama-2-7b" batch={1} seq={2048} />`. */
export function ActivationBytes({ arch, batch, seq }: { arch: string; batch: number; seq: number }) {
  const a = presetArchitecture(arch);
  return <span className="figure">{formatBytes(activationBytesEstimate({ layers: a.layers, hidden: a.hidden, heads: a.heads, batch, seq }))}</span>;
}

/** α / r or α / √r as a number: `<LoraScale alpha={16} r={64} />` → "0.25"; `rs` → "2". */
export function LoraScale({ alpha, r, rs = false }: { alpha: number; r: number; rs?: boolean }) {
  return <span className="figure">{shortNumber(loraScaling(alpha, r, rs), 4)}</span>;
}

/**
 * LoRA's scale written out as a division: `<LoraScaleFormula alpha={16} r={64} />` → "16 / 64 = 0.25";
 * `rs` (rsLoRA, α / √r) → "16 / 8 = 2". lib/lora/scale `loraScaling`.
 */
export function LoraScaleFormula({ alpha, r, rs = false }: { alpha: number; r: number; rs?: boolean }) {
  const divisor = rs ? Math.sqrt(r) : r;
  return (
    <span className="figure">
      {shortNumber(alpha, 4)} / {shortNumber(divisor, 4)} = {shortNumber(loraScaling(alpha, r, rs), 4)}
    </span>
  );
}

/**
 * Fine-tuning memory before activations for a bare parameter count, in gigabytes (10⁹ bytes) to
 * `digits` decimals (lib/lora/params `fineTuneMemory`, no adapters): `<FineTuneGigabytes
 * method="qlora" parameters={65e9} part="base" digits={1} />` → "33.5";
 * `<FineTuneGigabytes method="full" parameters={65e9} />` → "1,040".
 */
export function FineTuneGigabytes({ method, parameters, part = 'total', digits = 0 }: { method: FineTuneMethod; parameters: number; part?: 'total' | 'base'; digits?: number }) {
  const m = fineTuneMemory(method, parameters, 0);
  const gb = (part === 'base' ? m.baseBytes : m.totalBytes) / 1e9;
  return <span className="figure">{gb.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}</span>;
}

/**
 * Every preset at PEFT's defaults and at the QLoRA recipe: parameters, LoRA parameters (q, v at
 * r = 8; all-linear at r = 64) and the memory of each way to fine-tune it.
 */
export function LoraPresetTable() {
  return (
    <ScrollRegion label="Presets: parameters and fine-tuning memory">
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
          const split = baseParameters(a);
          const P = split.total;
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
              <td>{formatBytes(fineTuneMemory('qlora', split, all).totalBytes)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
    </ScrollRegion>
  );
}
