'use client';

import { useId, useState } from 'react';
import { IgnoredLinkValues } from '@/components/widget-kit/IgnoredLinkValues';
import { useWidgetState } from '@/components/widget-kit/useWidgetState';
import { ARCHITECTURE_PRESETS, PRESET_IDS, presetArchitecture, totalParameters, type Architecture } from '@/lib/lora/architectures';
import {
  BYTES_PER_GIB,
  GPU_CARDS,
  KV_CACHE_BYTES_PER_VALUE,
  MAX_KV_BATCH,
  MAX_KV_CONTEXT,
  bitsPerParameter,
  fitsInGpu,
  formatBinaryBytes,
  formatBytes,
  formatParameterCount,
  kvCacheBytes,
  kvCacheBytesPerToken,
  parseParameterCount,
  trimNumber,
  weightBytes,
  type KvCacheDType,
  type WeightFormat,
} from '@/lib/memory';
import type { StateSpec } from '@/lib/url/widget-state';
import styles from './ModelMemory.module.css';
import { ScrollRegion } from '@/components/ui/ScrollRegion';

/** The formats a learner can pick. FP16 and BF16 share a row: both are 16 bits a weight. */
const CHOICES: { format: WeightFormat; label: string }[] = [
  { format: 'fp32', label: 'FP32' },
  { format: 'fp16', label: 'FP16 / BF16' },
  { format: 'int8', label: 'INT8' },
  { format: 'int4', label: 'INT4' },
  { format: 'nf4-dq', label: 'NF4 + DQ' },
];
const ALL_FORMATS_MASK = (1 << CHOICES.length) - 1;

/** Cache dtypes offered: FP16 and BF16 are both 2 bytes, so one choice. */
const KV_CHOICES: { dtype: KvCacheDType; label: string }[] = [
  { dtype: 'fp16', label: 'FP16 / BF16 (2 B)' },
  { dtype: 'fp8', label: 'FP8 (1 B)' },
  { dtype: 'int8', label: 'INT8 (1 B, codes only)' },
  { dtype: 'int4', label: 'INT4 (½ B, codes only)' },
];

const CUSTOM = 'custom';
/** The presets, smallest first. */
const MODELS = [...ARCHITECTURE_PRESETS].sort((a, b) => totalParameters(a) - totalParameters(b));
const CONTEXT_SUGGESTIONS = [2048, 4096, 8192, 32768, 131072, MAX_KV_CONTEXT];

type State = { model: string; params: number; context: number; batch: number; kv: string; formats: number };
const SPEC: StateSpec<State> = {
  model: { kind: 'oneOf', options: [...PRESET_IDS, CUSTOM] },
  params: { kind: 'int', min: 1, max: 1e15 },
  context: { kind: 'int', min: 1, max: MAX_KV_CONTEXT },
  batch: { kind: 'int', min: 1, max: MAX_KV_BATCH },
  kv: { kind: 'oneOf', options: KV_CHOICES.map((c) => c.dtype) },
  formats: { kind: 'int', min: 0, max: ALL_FORMATS_MASK },
};

function baseState(initialModel: string | undefined, initialSize: string | undefined): State {
  const common = { context: 4096, batch: 1, kv: 'fp16', formats: ALL_FORMATS_MASK };
  if (initialModel !== undefined) return { model: presetArchitecture(initialModel).id, params: 7e9, ...common };
  if (initialSize !== undefined) {
    const p = parseParameterCount(initialSize);
    if (!p.ok) throw new Error(`ModelMemory: initialSize "${initialSize}": ${p.error}`);
    return { model: CUSTOM, params: Math.round(p.parameters), ...common };
  }
  return { model: 'llama-2-7b', params: 7e9, ...common };
}

/** A whole number typed in a box, or why it is not one in [min, max]. */
function parseWhole(text: string, min: number, max: number, what: string): { ok: true; value: number } | { ok: false; error: string } {
  const t = text.trim().replace(/[,_\s]/g, '');
  const n = Number(t);
  if (t === '' || !Number.isInteger(n) || n < min || n > max) {
    return { ok: false, error: `${what} must be a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}.` };
  }
  return { ok: true, value: n };
}

/** "4,096 tokens (4k)": a token count with its k/M shorthand when it is a power of two. */
function tokens(n: number): string {
  const short = n >= 1024 && n % 1024 === 0 ? (n >= 2 ** 20 && n % 2 ** 20 === 0 ? ` (${n / 2 ** 20}M)` : ` (${n / 1024}k)`) : '';
  return `${n.toLocaleString('en-US')} token${n === 1 ? '' : 's'}${short}`;
}

/** GPU marker labels in up to three rows, each label placed where it does not crowd the previous one in its row. */
function markerRows(positions: number[], minGap: number): number[] {
  const lastInRow = [-Infinity, -Infinity, -Infinity];
  return positions.map((p) => {
    const row = lastInRow.findIndex((last) => p - last >= minGap);
    if (row === -1) return -1;
    lastInRow[row] = p;
    return row;
  });
}

/**
 * "How much memory does a model need?": a real model's weights in each chosen format (or a typed
 * parameter count), plus the KV cache of serving it — context length × batch in a cache dtype,
 * with the preset's grouped-query attention — against today's GPU cards. All arithmetic is
 * lib/memory's (weightBytes, kvCacheBytes, fitsInGpu); the architectures are lib/lora's presets.
 * State in the URL as `<id>.model`, `.params`, `.context`, `.batch`, `.kv`, `.formats`.
 */
export function ModelMemory({ id = 'memory', initialModel, initialSize }: { id?: string; initialModel?: string; initialSize?: string }) {
  const uid = useId();
  const [base] = useState(() => baseState(initialModel, initialSize));
  const [state, update, ignored] = useWidgetState(id, SPEC, base);
  const [sizeText, setSizeText] = useState<string | null>(null);
  const [contextText, setContextText] = useState<string | null>(null);
  const [batchText, setBatchText] = useState<string | null>(null);

  const arch: Architecture | null = state.model === CUSTOM ? null : presetArchitecture(state.model);
  const parameters = arch ? totalParameters(arch) : state.params;
  const kvDtype = state.kv as KvCacheDType;
  const sizeParsed = sizeText === null ? null : parseParameterCount(sizeText);
  const sizeError = sizeParsed && !sizeParsed.ok ? sizeParsed.error : null;
  const contextParsed = contextText === null ? null : parseWhole(contextText, 1, MAX_KV_CONTEXT, 'The context length');
  const batchParsed = batchText === null ? null : parseWhole(batchText, 1, MAX_KV_BATCH, 'The batch');
  const kvErrors = [contextParsed, batchParsed].flatMap((p) => (p && !p.ok ? [p.error] : []));

  const perToken = arch ? kvCacheBytesPerToken(arch, kvDtype) : 0;
  const kv = arch ? kvCacheBytes(arch, kvDtype, state.context, state.batch) : 0;
  const rows = CHOICES.filter((_, i) => (state.formats & (1 << i)) !== 0).map((c) => {
    const weights = weightBytes(parameters, c.format);
    return { ...c, bits: bitsPerParameter(c.format), weights, total: weights + kv };
  });
  const fp16Weights = weightBytes(parameters, 'fp16');

  const chooseModel = (model: string) => {
    setSizeText(null);
    update(model === CUSTOM ? { model, params: Math.round(parameters) } : { model });
  };
  const typeSize = (text: string) => {
    setSizeText(text);
    const p = parseParameterCount(text);
    if (p.ok) update({ model: CUSTOM, params: Math.max(1, Math.round(p.parameters)) });
  };
  const typeWhole = (text: string, set: (t: string | null) => void, field: 'context' | 'batch', max: number) => {
    set(text);
    const p = parseWhole(text, 1, max, field);
    if (p.ok) update({ [field]: p.value });
  };
  const toggleFormat = (i: number) => update({ formats: state.formats ^ (1 << i) });

  // The chart's scale: the largest bar, or the smallest card if every bar is smaller.
  const largest = Math.max(0, ...rows.map((r) => r.total));
  const domain = Math.max(largest, GPU_CARDS[0].gib * BYTES_PER_GIB) * 1.04;
  const markers = GPU_CARDS.filter((c) => c.gib * BYTES_PER_GIB <= domain).map((c) => ({ ...c, at: (100 * c.gib * BYTES_PER_GIB) / domain }));
  const rowsOfMarkers = markerRows(markers.map((m) => m.at), 9);
  const pct = (bytes: number) => `${(100 * bytes) / domain}%`;
  const sizeShown = sizeText ?? formatParameterCount(parameters);
  const modelName = arch ? arch.label : `A ${formatParameterCount(parameters)} model`;

  return (
    <section className="widget" data-testid="model-memory" aria-labelledby={`${uid}-title`}>
      <header>
        <h3 id={`${uid}-title`}>How much memory does a model need?</h3>
        <span className="widget-caption" data-testid="memory-model">
          {modelName}: {parameters.toLocaleString('en-US')} parameters
        </span>
      </header>
      <IgnoredLinkValues ignored={ignored} />
      <div className="controls">
        <label className="control">
          <span>Model</span>
          <select value={state.model} onChange={(e) => chooseModel(e.target.value)} data-testid="model-preset">
            {MODELS.map((a) => (
              <option key={a.id} value={a.id}>{a.label}</option>
            ))}
            <option value={CUSTOM}>Any size (weights only)</option>
          </select>
        </label>
        <label className="control">
          <span>or type a size</span>
          <input
            type="text"
            inputMode="decimal"
            value={sizeShown}
            onChange={(e) => typeSize(e.target.value)}
            aria-invalid={sizeError !== null}
            aria-describedby={`${uid}-size-help`}
            data-testid="model-size"
            className={styles.numberInput}
          />
        </label>
        <fieldset className="control">
          <legend>Weight formats</legend>
          <div className="checks">
            {CHOICES.map((c, i) => (
              <label key={c.format}>
                <input type="checkbox" checked={(state.formats & (1 << i)) !== 0} onChange={() => toggleFormat(i)} /> {c.label}
              </label>
            ))}
          </div>
        </fieldset>
      </div>
      {sizeError && (
        <p id={`${uid}-size-help`} className="error-message" role="alert">
          {sizeError} Showing {formatParameterCount(parameters)} until then.
        </p>
      )}

      <div className={styles.section} role="group" aria-labelledby={`${uid}-kv-title`}>
        <h4 className={styles.sectionTitle} id={`${uid}-kv-title`}>Serving it: the KV cache</h4>
        {arch && (
          <div className="controls">
            <label className="control">
              <span>Context (tokens)</span>
              <input
                type="number"
                min={1}
                max={MAX_KV_CONTEXT}
                list={`${uid}-contexts`}
                value={contextText ?? state.context}
                onChange={(e) => typeWhole(e.target.value, setContextText, 'context', MAX_KV_CONTEXT)}
                onBlur={() => setContextText(null)}
                aria-invalid={contextParsed !== null && !contextParsed.ok}
                data-testid="kv-context"
                className={styles.numberInput}
              />
              <datalist id={`${uid}-contexts`}>
                {CONTEXT_SUGGESTIONS.map((c) => <option key={c} value={c} />)}
              </datalist>
            </label>
            <label className="control">
              <span>Batch (sequences)</span>
              <input
                type="number"
                min={1}
                max={MAX_KV_BATCH}
                value={batchText ?? state.batch}
                onChange={(e) => typeWhole(e.target.value, setBatchText, 'batch', MAX_KV_BATCH)}
                onBlur={() => setBatchText(null)}
                aria-invalid={batchParsed !== null && !batchParsed.ok}
                data-testid="kv-batch"
                className={styles.numberInput}
              />
            </label>
            <label className="control">
              <span>Cache dtype</span>
              <select value={state.kv} onChange={(e) => update({ kv: e.target.value })} data-testid="kv-dtype">
                {KV_CHOICES.map((c) => (
                  <option key={c.dtype} value={c.dtype}>{c.label}</option>
                ))}
              </select>
            </label>
          </div>
        )}
        {kvErrors.map((e) => (
          <p key={e} className="error-message" role="alert">{e} Keeping {tokens(state.context)} × {state.batch} until then.</p>
        ))}
        {arch ? (
          <>
            <p className={styles.formula} data-testid="kv-formula">
              <span className={styles.formulaLine}>
                per token: 2 (K and V) × {arch.layers} layers × {arch.kvHeads} KV heads{arch.kvHeads < arch.heads ? ` (of ${arch.heads} query heads)` : ''} × {arch.headDim} values × {trimNumber(KV_CACHE_BYTES_PER_VALUE[kvDtype])} B = {formatBinaryBytes(perToken)}
              </span>
              <span className={styles.formulaLine}>
                cache: {formatBinaryBytes(perToken)} × {tokens(state.context)} × {state.batch} sequence{state.batch === 1 ? '' : 's'} = {formatBytes(kv)}
              </span>
            </p>
            <dl className={styles.stats}>
              <div className={styles.stat}>
                <dt>Weights, FP16 / BF16</dt>
                <dd data-testid="weights-fp16">{formatBytes(fp16Weights)}</dd>
              </div>
              <div className={`${styles.stat} ${styles.statKv}`}>
                <dt>KV cache per token</dt>
                <dd data-testid="kv-per-token">{formatBinaryBytes(perToken)}</dd>
              </div>
              <div className={`${styles.stat} ${styles.statKv}`}>
                <dt>KV cache, {state.context.toLocaleString('en-US')} × {state.batch}</dt>
                <dd data-testid="kv-total">{formatBytes(kv)}</dd>
              </div>
              <div className={styles.stat}>
                <dt>KV cache ÷ FP16 weights</dt>
                <dd data-testid="kv-ratio">{trimNumber(kv / fp16Weights)}×</dd>
              </div>
            </dl>
          </>
        ) : (
          <p className="widget-caption" data-testid="kv-custom-note">
            The KV cache depends on the layers, KV heads and head size, which a parameter count does not tell: pick a model to add it.
          </p>
        )}
      </div>

      {rows.length === 0 ? (
        <p className="error-message" role="alert">Pick at least one weight format to compare.</p>
      ) : (
        <div className={styles.section}>
          <h4 className={styles.sectionTitle}>Weights{arch ? ' + KV cache' : ''} against GPU memory</h4>
          <div
            className={styles.chart}
            role="img"
            aria-label={`${modelName}: ${rows.map((r) => `${r.label} weights ${formatBytes(r.weights)}${arch ? ` plus KV cache ${formatBytes(kv)} = ${formatBytes(r.total)}` : ''}`).join('; ')}`}
            data-testid="memory-chart"
          >
            <div className={styles.markerHead} aria-hidden="true">
              {markers.map((m, i) =>
                rowsOfMarkers[i] === -1 ? null : (
                  <span key={m.name} className={styles.markerLabel} style={{ left: `${m.at}%`, top: `${rowsOfMarkers[i] * 0.8}rem` }}>
                    {m.gib}
                  </span>
                ),
              )}
            </div>
            {rows.map((r, i) => (
              <div key={r.format} style={{ display: 'contents' }} data-bar={r.format}>
                <span className={styles.rowLabel} style={{ gridRow: i + 2 }}>{r.label}</span>
                <div className={styles.track} style={{ gridRow: i + 2 }}>
                  <div className={styles.bar}>
                    <span className={styles.weights} style={{ width: pct(r.weights) }} title={`${r.label} weights: ${formatBytes(r.weights)}`} />
                    {arch && <span className={styles.kv} style={{ width: pct(kv) }} title={`KV cache: ${formatBytes(kv)}`} />}
                  </div>
                  <div className={styles.value}>
                    {arch ? (
                      <>
                        {formatBytes(r.weights)} + {formatBytes(kv)} = <strong>{formatBytes(r.total)}</strong>
                      </>
                    ) : (
                      <strong>{formatBytes(r.weights)}</strong>
                    )}
                    {fitsInGpu(r.total, GPU_CARDS[GPU_CARDS.length - 1].gib) ? '' : ' — more than any single GPU'}
                  </div>
                </div>
              </div>
            ))}
            <div className={styles.overlay} style={{ gridRow: `2 / span ${rows.length}` }} aria-hidden="true">
              {markers.map((m) => (
                <span key={m.name} className={styles.marker} style={{ left: `${m.at}%` }} title={`${m.name}: ${m.gib} GB`} />
              ))}
            </div>
          </div>
          <p className={styles.legend}>
            <span><span className={styles.swatch} style={{ background: 'var(--chart-1)' }} />weights</span>
            {arch && (
              <span>
                <span className={`${styles.swatch} ${styles.kv}`} />
                KV cache (hatched)
              </span>
            )}
            <span><span className={styles.swatchDash} />GPU memory, GB (linear scale)</span>
          </p>
          <ScrollRegion className="table-scroll" label="Which GPUs hold it">
            <table className={`fits-table compact-table ${styles.table}`} data-testid="fits-table" aria-describedby={`${uid}-fits-note`}>
              <thead>
                <tr>
                  <th scope="col">Format</th>
                  <th scope="col">Weights</th>
                  {arch && <th scope="col">Weights + KV cache</th>}
                  {GPU_CARDS.map((c) => (
                    <th key={c.name} scope="col">
                      <span className={styles.nowrap}>{c.gib} GB</span>
                      <span className={styles.card}>{c.name}</span>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.format} data-format={r.format}>
                    <th scope="row">
                      {r.label}
                      <span className={styles.card}>{Number.isInteger(r.bits) ? r.bits : r.bits.toFixed(3)} bits a weight</span>
                    </th>
                    <td data-testid={`bytes-${r.format}`}>{formatBytes(r.weights)}</td>
                    {arch && <td className={styles.sum} data-testid={`total-${r.format}`}>{formatBytes(r.total)}</td>}
                    {GPU_CARDS.map((c) => {
                      const fits = fitsInGpu(r.total, c.gib);
                      return (
                        <td key={c.name} className={fits ? 'yes' : 'no'} data-gib={c.gib} data-fits={fits}>
                          <span aria-hidden="true">{fits ? '✓' : '✗'}</span>
                          <span className="visually-hidden">{fits ? 'fits' : 'does not fit'}</span>
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
          <p className="widget-caption" id={`${uid}-fits-note`}>
            {arch
              ? `✓: the weights and ${formatBytes(kv)} of KV cache fit in the card's memory; activations and the runtime's own memory need room too. `
              : '✓: the weights alone fit; activations, the KV cache and the runtime need room too. '}
            GPU memory is sold in binary units, so a &ldquo;24 GB&rdquo; card holds 24 GiB = {formatBytes(24 * BYTES_PER_GIB)}.
          </p>
        </div>
      )}
    </section>
  );
}
