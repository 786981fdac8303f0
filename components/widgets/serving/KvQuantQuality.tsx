'use client';

import { useRef, useState, useSyncExternalStore } from 'react';
import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';
import { WidgetError } from '@/components/widget-kit/WidgetError';
import { useEngine } from '@/components/widget-kit/useEngine';
import { ScrollRegion } from '@/components/ui/ScrollRegion';
import { backendLabel, getCompute } from '@/lib/compute';
import { shortNumber } from '@/lib/formats/display';
import { fetchFile, importFailure } from '@/lib/io/fetch-file';
import { TINY_MODEL_NAME, TINY_MODEL_URL } from '@/lib/model/tiny-model';
import type { KvQualityComparison, KvQualitySnapshot } from '@/lib/serving/kv-quality';
import { KV_STORAGE_KINDS, KV_STORAGE_LABELS } from '@/lib/serving/kv-storage';

/** Held-out windows of 128 characters scored per storage: few, so the four runs take seconds. */
const WINDOWS = 6;

async function fetchHeldout(): Promise<string> {
  const res = await fetchFile(`${TINY_MODEL_URL}/heldout.txt`);
  return res.text();
}

/** The model code and weights load on the first click, not with the page. */
async function makeEngine(): Promise<KvQualityComparison> {
  const [{ KvQualityComparison: Engine }, { createFloat32Store }, { sharedTinyLMWeights }] = await Promise.all([
    import('@/lib/serving/kv-quality'),
    import('@/lib/model/float32-store'),
    import('@/lib/model/fetch-weights'),
  ]).catch((e: unknown) => {
    throw new Error(importFailure('the model and the KV storages', e));
  });
  return new Engine(
    {
      compute: getCompute,
      backendLabel,
      weights: () => sharedTinyLMWeights(TINY_MODEL_URL),
      heldout: fetchHeldout,
      makeStore: (c, w) => createFloat32Store(c.tf, w.values, w.shapes),
    },
    { kinds: KV_STORAGE_KINDS, windows: WINDOWS },
  );
}

function Results({ snap }: { snap: KvQualitySnapshot }) {
  return (
    <ScrollRegion label="Each KV storage measured">
      <table className="compact-table" data-testid="kvq-table">
        <thead>
          <tr>
            <th scope="col">Keys and values</th>
            <th scope="col">Bits per value</th>
            <th scope="col">Perplexity</th>
            <th scope="col">KL from FP32 KV (nats)</th>
            <th scope="col">Top-1 same as FP32 KV</th>
          </tr>
        </thead>
        <tbody>
          {snap.results.map((r) => (
            <tr key={r.kind} data-kind={r.kind}>
              <th scope="row">{r.label}</th>
              <td>{r.bits}</td>
              <td data-testid={`kvq-ppl-${r.kind}`}>{shortNumber(r.perplexity, 5)}</td>
              <td data-testid={`kvq-kl-${r.kind}`}>{r.klFromFp32 === 0 ? '0' : r.klFromFp32.toExponential(2)}</td>
              <td>{shortNumber(100 * r.top1Agreement, 4)} %</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

/**
 * KV-cache quantization measured on the shipped tiny model (lib/serving kv-quality): float32
 * weights, keys and values stored as FP32, FP8 E4M3, INT8 or INT4; held-out perplexity and KL.
 */
export function KvQuantQuality() {
  const rootRef = useRef<HTMLElement>(null);
  const [request, setRequest] = useState<object | null>(null);
  const run = useEngine(
    (signal) => request && makeEngine().then((e) => {
      if (!signal.aborted) e.start();
      return e;
    }),
    [request],
    { pauseOffScreen: rootRef },
  );
  const engine = run.engine;
  const live = useSyncExternalStore(engine?.subscribe ?? noopSubscribe, engine?.getSnapshot ?? initial, initial);
  const snap = run.status === 'starting' ? LOADING : live;
  const busy = snap.state === 'loading' || snap.state === 'running';
  const done = snap.results.length;
  return (
    <WidgetFrame ref={rootRef} title="Quantizing the KV cache of the tiny model" subtitle={<>{TINY_MODEL_NAME}, float32 weights{snap.backend ? ` · measured on ${snap.backend}` : ''}</>} testId="kvq-widget" state={snap.state} busy={busy}>
      <div className="controls">
        {busy ? (
          <button type="button" onClick={() => engine?.stop()} data-testid="kvq-stop">Stop</button>
        ) : (
          <button type="button" className="primary" onClick={() => setRequest({})} data-testid="kvq-run">{done > 0 ? 'Measure again' : 'Measure the four caches'}</button>
        )}
      </div>
      <p className="widget-caption" aria-live="polite" data-testid="kvq-status">
        {snap.state === 'idle' && `Scores ${WINDOWS} held-out windows of 128 characters with the keys and values of every layer stored as ${KV_STORAGE_KINDS.map((k) => KV_STORAGE_LABELS[k]).join(', ')}.`}
        {snap.state === 'loading' && 'Loading the model and its held-out text…'}
        {snap.state === 'running' && snap.current && `Measuring ${KV_STORAGE_LABELS[snap.current]} (${done + 1} of ${KV_STORAGE_KINDS.length})…`}
        {busy && run.offScreen ? ' Paused while the widget is off screen.' : ''}
        {snap.state === 'done' && `Done: ${snap.scoredTokens.toLocaleString('en-US')} held-out characters scored with each cache.`}
        {snap.state === 'stopped' && `Stopped after ${done} of ${KV_STORAGE_KINDS.length}.`}
      </p>
      {run.status === 'failed' && <WidgetError>The comparison could not load: {run.error}</WidgetError>}
      {snap.state === 'error' && <WidgetError testId="kvq-error">The comparison stopped: {snap.error}</WidgetError>}
      {done > 0 && <Results snap={snap} />}
    </WidgetFrame>
  );
}

const IDLE: KvQualitySnapshot = { state: 'idle', backend: null, results: [], current: null, scoredTokens: 0, error: null };
const LOADING: KvQualitySnapshot = { ...IDLE, state: 'loading' };
const initial = () => IDLE;
const noopSubscribe = () => () => {};
