import rawConfig from '@/public/models/kjv-char-4l/config.json';
import { shortNumber } from '@/lib/formats/display';
import { formatBytes } from '@/lib/memory';
import { parseTinyLMConfig, type TinyLMConfig } from '@/lib/model/config';
import { modelStorage, parameterCount } from '@/lib/model/model-memory';
import { isQuantizedWeightName } from '@/lib/model/quantized-store';
import { tinyLMTensorShapes } from '@/lib/model/reference-forward';
import { COMPARISON_WINDOWS } from '@/lib/model/tiny-model';
import { perplexity } from '@/lib/model/eval';
import { NF4_TABLE_DYNAMIC_OFFSET } from '@/lib/compute/kernels/nf4';
import { dynamicCode8 } from '@/lib/quant/four-bit';
import type { WeightFormat } from '@/lib/model/weights';
import { ScrollRegion } from '@/components/ui/ScrollRegion';

/**
 * Figures about the course's tiny model quoted in lesson prose, computed at build time from its
 * shipped config.json by lib/model (docs/design.md, rule 7: never typed by hand).
 */
const parsed = parseTinyLMConfig(rawConfig);
if (!parsed.ok) throw new Error(`public/models/kjv-char-4l/config.json: ${parsed.error}`);
const config: TinyLMConfig = parsed.config;
const meta = rawConfig as { train_loss?: number; heldout_loss?: number; steps?: number; train_chars?: number; heldout_chars?: number; train_seconds?: number };

type Fact = 'n_layer' | 'n_head' | 'n_embd' | 'block_size' | 'vocab_size' | 'params' | 'linear_params' | 'steps' | 'train_chars' | 'heldout_chars' | 'train_minutes';

/** A number from the config: `<ModelFact fact="n_layer" />` → 4; "params" is counted from the tensor shapes. */
export function ModelFact({ fact }: { fact: Fact }) {
  const values: Record<Fact, number | undefined> = {
    n_layer: config.n_layer, n_head: config.n_head, n_embd: config.n_embd, block_size: config.block_size, vocab_size: config.vocab_size,
    params: parameterCount(config), linear_params: modelStorage(config, 'fp32').linearParams,
    steps: meta.steps, train_chars: meta.train_chars, heldout_chars: meta.heldout_chars,
    train_minutes: meta.train_seconds === undefined ? undefined : Math.round(meta.train_seconds / 60),
  };
  const v = values[fact];
  return <span className="figure">{v === undefined ? '—' : v.toLocaleString('en-US')}</span>;
}

/** How many of this model would make `of` parameters: `<ModelsIn of={7e9} />` → "8,560" for 817,792 parameters. */
export function ModelsIn({ of }: { of: number }) {
  return <span className="figure">{Math.round(of / parameterCount(config)).toLocaleString('en-US')}</span>;
}

/** The share of parameters in the Linear weights, as a percentage. */
export function LinearShare() {
  const s = modelStorage(config, 'fp32');
  return <span className="figure">{shortNumber((100 * s.linearParams) / (s.linearParams + s.otherParams), 3)}%</span>;
}

/** The pretraining script's loss (nats per character) or its perplexity, exp(loss). */
export function ModelLoss({ split, perplexity = false }: { split: 'train' | 'heldout'; perplexity?: boolean }) {
  const loss = split === 'train' ? meta.train_loss : meta.heldout_loss;
  if (loss === undefined) return <span className="figure">—</span>;
  return <span className="figure">{perplexity ? shortNumber(Math.exp(loss), 4) : shortNumber(loss, 4)}</span>;
}

/** The model's bytes with its Linear weights in `format` and the rest in float32 (lib/model modelStorage). */
export function ModelBytes({ format, part = 'total' }: { format: WeightFormat; part?: 'total' | 'linear' }) {
  const s = modelStorage(config, format);
  return <span className="figure">{formatBytes(part === 'linear' ? s.linearBytes : s.totalBytes)}</span>;
}

/** Bits per weight of the Linear weights in `format`, constants included. */
export function ModelBits({ format }: { format: WeightFormat }) {
  return <span className="figure">{shortNumber(modelStorage(config, format).linearBitsPerWeight, 4)}</span>;
}

/** The model's tensors of one block and the shared ones, with shapes, sizes and how the comparison stores them. */
export function ModelTensorTable() {
  const rows = [...tinyLMTensorShapes(config)].filter(([name]) => !/^transformer\.h\.[1-9]\d*\./.test(name));
  return (
    <ScrollRegion label="The model's tensors">
      <table>
        <thead>
          <tr>
            <th scope="col">Tensor (block 0 shown; every block is alike)</th>
            <th scope="col">Shape</th>
            <th scope="col">Parameters</th>
            <th scope="col">In the comparison</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([name, shape]) => (
            <tr key={name}>
              <td><code>{name.replace(/^transformer\./, '')}</code></td>
              <td>[{shape.join(' × ')}]</td>
              <td style={{ textAlign: 'right' }}>{shape.reduce((a, b) => a * b, 1).toLocaleString('en-US')}</td>
              <td>{isQuantizedWeightName(name) ? 'quantized' : 'float32'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

/**
 * What the inference comparison scores, against the pretraining script's full held-out split:
 * `<ComparisonSample show="windows" />` → "8", `show="chars"` → "1,024" (windows × block_size).
 */
export function ComparisonSample({ show }: { show: 'windows' | 'chars' }) {
  const v = show === 'windows' ? COMPARISON_WINDOWS : COMPARISON_WINDOWS * config.block_size;
  return <span className="figure">{v.toLocaleString('en-US')}</span>;
}

/**
 * The lookup table the NF4 unpacking kernel reads, uploaded with each NF4 weight (lib/compute/nf4-gpu):
 * 16 NF4 levels and the 256-entry 8-bit code of the constants, in float32. `show="bytes"` → "1,088";
 * `show="weights"` → the number of Linear weights that each carry one; `show="total"` → their bytes.
 */
export function Nf4TableFact({ show }: { show: 'bytes' | 'weights' | 'total' }) {
  const bytes = 4 * (NF4_TABLE_DYNAMIC_OFFSET + dynamicCode8(true).length);
  const weights = [...tinyLMTensorShapes(config).keys()].filter(isQuantizedWeightName).length;
  const text = show === 'bytes' ? bytes.toLocaleString('en-US') : show === 'weights' ? String(weights) : formatBytes(bytes * weights);
  return <span className="figure">{text}</span>;
}

/**
 * The perplexity of a mean cross-entropy of `nats` per token, to `digits` decimals (lib/model/eval
 * `perplexity`, exp(CE)): `<Perplexity nats={1} digits={3} />` → "2.718".
 */
export function Perplexity({ nats, digits = 3 }: { nats: number; digits?: number }) {
  return <span className="figure">{perplexity(nats).toFixed(digits)}</span>;
}
