'use client';

import { useState } from 'react';
import { WidgetError } from '@/components/widget-kit/WidgetError';
import type { Architecture } from '@/lib/lora/architectures';
import { KV_CACHE_BYTES_PER_VALUE, MAX_KV_BATCH, MAX_KV_CONTEXT, formatBinaryBytes, formatBytes, trimNumber, type KvCacheDType } from '@/lib/memory';
import { formatTokens, parseWholeNumber, type MemoryLedger } from '@/lib/memory/ledger';
import { CONTEXT_SUGGESTIONS, KV_CHOICES, type State, type Update } from './state';
import styles from './ModelMemory.module.css';

/** "Serving it: the KV cache": context, batch and cache dtype (for a preset), the formula and the figures. */
export function KvCachePanel({ arch, state, ledger, update, uid }: { arch: Architecture | null; state: State; ledger: MemoryLedger; update: Update; uid: string }) {
  const [contextText, setContextText] = useState<string | null>(null);
  const [batchText, setBatchText] = useState<string | null>(null);
  const contextParsed = contextText === null ? null : parseWholeNumber(contextText, 1, MAX_KV_CONTEXT, 'The context length');
  const batchParsed = batchText === null ? null : parseWholeNumber(batchText, 1, MAX_KV_BATCH, 'The batch');
  const kvErrors = [contextParsed, batchParsed].flatMap((p) => (p && !p.ok ? [p.error] : []));
  const typeWhole = (text: string, set: (t: string | null) => void, field: 'context' | 'batch', max: number) => {
    set(text);
    const p = parseWholeNumber(text, 1, max, field);
    if (p.ok) update({ [field]: p.value });
  };
  const { kvPerToken: perToken, kv } = ledger;

  return (
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
        <WidgetError key={e}>{e} Keeping {formatTokens(state.context)} × {state.batch} until then.</WidgetError>
      ))}
      {arch ? (
        <>
          <p className={styles.formula} data-testid="kv-formula">
            <span className={styles.formulaLine}>
              per token: 2 (K and V) × {arch.layers} layers × {arch.kvHeads} KV heads{arch.kvHeads < arch.heads ? ` (of ${arch.heads} query heads)` : ''} × {arch.headDim} values × {trimNumber(KV_CACHE_BYTES_PER_VALUE[state.kv as KvCacheDType])} B = {formatBinaryBytes(perToken)}
            </span>
            <span className={styles.formulaLine}>
              cache: {formatBinaryBytes(perToken)} × {formatTokens(state.context)} × {state.batch} sequence{state.batch === 1 ? '' : 's'} = {formatBytes(kv)}
            </span>
          </p>
          <dl className={styles.stats}>
            <div className={styles.stat}>
              <dt>Weights, FP16 / BF16</dt>
              <dd data-testid="weights-fp16">{formatBytes(ledger.fp16Weights)}</dd>
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
              <dd data-testid="kv-ratio">{trimNumber(ledger.kvToFp16Weights)}×</dd>
            </div>
          </dl>
        </>
      ) : (
        <p className="widget-caption" data-testid="kv-custom-note">
          The KV cache depends on the layers, KV heads and head size, which a parameter count does not tell: pick a model to add it.
        </p>
      )}
    </div>
  );
}
