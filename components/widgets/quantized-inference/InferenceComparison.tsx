'use client';

import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';
import { WidgetError } from '@/components/widget-kit/WidgetError';
import { scaleLinear, scaleLog } from 'd3-scale';
import { useRef, useState, useSyncExternalStore } from 'react';
import { useWidgetState } from '@/components/widget-kit/useWidgetState';
import { IgnoredLinkValues } from '@/components/widget-kit/IgnoredLinkValues';
import { allMask, chosenOf, SEED_FIELD, type StateSpec } from '@/lib/url/widget-state';
import { SEED_MAX } from '@/lib/random';
import { useEngine } from '@/components/widget-kit/useEngine';
import { DeviceLostNotice, useComputeLoss } from '@/components/widget-kit/useComputeLoss';
import { isDeviceLostError } from '@/lib/compute/device-loss';
import { backendLabel, getCompute } from '@/lib/compute';
import { shortNumber } from '@/lib/formats/display';
import { formatBytes } from '@/lib/memory';
import { fetchFile, importFailure } from '@/lib/io/fetch-file';
import type { InferenceComparison as Engine, InferenceResult, InferenceSnapshot } from '@/lib/model/inference-compare';
import { COMPARISON_WINDOWS, TINY_MODEL_NAME, TINY_MODEL_URL } from '@/lib/model/tiny-model';
import { INPUT_LIMITS } from '@/lib/text/input';
import { FORMAT_LABELS, WEIGHT_FORMATS, type WeightFormat } from '@/lib/quant/weight-formats';
import { ScrollRegion } from '@/components/ui/ScrollRegion';
import { RunProgress } from '@/components/widget-kit/RunProgress';
import { SavedResult } from '@/components/widget-kit/SavedResult';
import { useSavedComparison } from './SavedComparison';
import { OwnModelPanel, useOwnModel, type OwnLoaded } from './OwnModel';
import { OWN_TEXT_MAX_CHARS, OWN_WINDOW_TOKENS, scoredText } from '@/lib/model/own-model-text';

const DEFAULTS = { prompt: 'And God said unto Moses, ', sampleTokens: 48, temperature: 0.8, topK: 20, seed: 7 };

/** In the URL: the prompt (at most INPUT_LIMITS.prompt characters), the seed and the formats compared (a mask over WEIGHT_FORMATS). */
type State = { prompt: string; seed: number; formats: number };
const SPEC: StateSpec<State> = {
  prompt: { kind: 'text', maxLength: INPUT_LIMITS.prompt },
  seed: SEED_FIELD,
  formats: { kind: 'int', min: 0, max: allMask(WEIGHT_FORMATS) },
};
const BASE: State = { prompt: DEFAULTS.prompt, seed: DEFAULTS.seed, formats: allMask(WEIGHT_FORMATS) };

async function fetchHeldout(): Promise<string> {
  const res = await fetchFile(`${TINY_MODEL_URL}/heldout.txt`); // a failure names the file
  return res.text();
}

/** One click of Run: what is compared. */
interface Request {
  prompt: string;
  seed: number;
  formats: readonly WeightFormat[];
  /** A loaded checkpoint to run on instead of the tiny model, and the text it is scored on (empty: the held-out text). */
  own: OwnLoaded | null;
  text: string;
}

/** The model code (tfjs forward, quantized stores, kernels) loads when the learner runs the comparison, not with the page. */
async function makeEngine({ prompt, seed, formats, own, text }: Request): Promise<Engine> {
  const [{ InferenceComparison: Comparison }, { makeWeightStore }, { sharedTinyLMWeights }] = await Promise.all([
    import('@/lib/model/inference-compare'),
    import('@/lib/model/stores'),
    import('@/lib/model/fetch-weights'),
  ]).catch((e: unknown) => {
    throw new Error(importFailure('the model and its weight formats', e));
  });
  return new Comparison(
    {
      compute: getCompute,
      backendLabel,
      weights: own ? async () => own.weights : () => sharedTinyLMWeights(TINY_MODEL_URL),
      heldout: own && text.trim() ? async () => text : fetchHeldout,
      makeStore: makeWeightStore,
    },
    { formats, prompt, sampleTokens: DEFAULTS.sampleTokens, temperature: DEFAULTS.temperature, topK: DEFAULTS.topK, seed, windows: COMPARISON_WINDOWS, windowTokens: own ? OWN_WINDOW_TOKENS : undefined },
  );
}

const W = 640, H = 240;
const M = { left: 64, right: 130, top: 16, bottom: 42 };

function PerplexityChart({ results, backend }: { results: InferenceResult[]; backend: string }) {
  const x = scaleLog().base(2).domain([3.5, 40]).range([M.left, W - M.right]);
  const ppl = results.map((r) => r.perplexity);
  const lo = Math.min(...ppl), hi = Math.max(...ppl);
  const pad = Math.max((hi - lo) * 0.25, hi * 0.01);
  const y = scaleLinear().domain([lo - pad, hi + pad]).range([H - M.bottom, M.top]).nice();
  return (
    <figure className="chart" style={{ margin: 0 }}>
      <ScrollRegion className="chart-scroll chart-full" label="Chart, scrolls sideways">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Held-out perplexity against bits per weight on ${backend}: ${results.map((r) => `${r.label} ${shortNumber(r.perplexity, 4)} at ${shortNumber(r.bitsPerWeight, 4)} bits`).join('; ')}`}>
        <g className="axis">
          {y.ticks(5).map((t) => (
            <g key={t}>
              <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} stroke="var(--border)" strokeDasharray="2 3" />
              <text x={M.left - 6} y={y(t) + 4} textAnchor="end">{shortNumber(t, 4)}</text>
            </g>
          ))}
          {[4, 8, 16, 32].map((t) => <text key={t} x={x(t)} y={H - M.bottom + 16} textAnchor="middle">{t}</text>)}
          <text x={(M.left + W - M.right) / 2} y={H - 6} textAnchor="middle">bits per weight of the Linear weights (log scale)</text>
          <text x={14} y={(H - M.bottom) / 2} transform={`rotate(-90 14 ${(H - M.bottom) / 2})`} textAnchor="middle">held-out perplexity</text>
        </g>
        {results.map((r, i) => (
          <g key={r.format} data-format={r.format}>
            <title>{`${r.label}: perplexity ${shortNumber(r.perplexity, 5)} at ${shortNumber(r.bitsPerWeight, 4)} bits per weight`}</title>
            <circle cx={x(r.bitsPerWeight)} cy={y(r.perplexity)} r={5} fill="var(--chart-1)" />
            <text x={x(r.bitsPerWeight) + 8} y={y(r.perplexity) + (i % 2 ? 14 : -6)} style={{ fill: 'var(--fg)', fontSize: 11 }}>{r.label}</text>
          </g>
        ))}
      </svg>
      </ScrollRegion>
    </figure>
  );
}

/** The measured formats: the table, the perplexity chart and each format's continuation. */
function Results({ snap, prompt, seed }: { snap: InferenceSnapshot; prompt: string; seed: number }) {
  const fp32 = snap.results.find((r) => r.format === 'fp32');
  const decodeWhy = snap.results.find((r) => r.decodePath === 'ops' && r.decodeWhy)?.decodeWhy;
  return (
    <>
      <ScrollRegion label="Each weight format measured">
        <table className="compact-table" data-testid="inference-table">
          <thead>
            <tr>
              <th scope="col">Weights</th>
              <th scope="col">Bits per weight</th>
              <th scope="col">Model bytes held</th>
              <th scope="col">Tokens per second</th>
              <th scope="col">Weight bytes read per token</th>
              <th scope="col">GPU dispatches per token</th>
              <th scope="col">Perplexity</th>
              <th scope="col">KL from FP32 (nats)</th>
              <th scope="col">Top-1 same as FP32</th>
            </tr>
          </thead>
          <tbody>
            {snap.results.map((r) => (
              <tr key={r.format} data-format={r.format} data-decode-path={r.decodePath}>
                <th scope="row">{r.label}</th>
                <td data-testid={`inference-bits-${r.format}`}>{shortNumber(r.bitsPerWeight, 4)}</td>
                <td data-testid={`inference-bytes-${r.format}`}>
                  {formatBytes(r.bytesHeld)}{r.residency === 'float32' ? ' *' : ''}
                  {fp32 && r !== fp32 ? ` (${shortNumber(r.bytesHeld / fp32.bytesHeld, 3)}×)` : ''}
                </td>
                <td data-testid={`inference-speed-${r.format}`}>{shortNumber(r.tokensPerSecond, 3)}</td>
                <td data-testid={`inference-readbytes-${r.format}`}>{formatBytes(r.bytesPerToken)}{r.decodePath === 'ops' ? ' †' : ''}</td>
                <td data-testid={`inference-dispatches-${r.format}`}>{r.dispatchesPerToken === null ? '—' : shortNumber(r.dispatchesPerToken, 4)}</td>
                <td data-testid={`inference-ppl-${r.format}`}>{shortNumber(r.perplexity, 5)}</td>
                <td data-testid={`inference-kl-${r.format}`}>{Number.isNaN(r.klFromFp32) ? '—' : shortNumber(r.klFromFp32, 3)}</td>
                <td data-testid={`inference-top1-${r.format}`}>{Number.isNaN(r.top1Agreement) ? '—' : `${shortNumber(r.top1Agreement * 100, 4)}%`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      {snap.results.some((r) => r.residency === 'float32') && (
        <p className="widget-caption">* This backend cannot run the unpacking kernels, so it holds these weights as float32: the numbers are the format’s, the memory is not. Open the page with WebGPU to hold them packed.</p>
      )}
      <p className="widget-caption" data-testid="inference-decode-note">
        Speed is decoding after the prompt: one position per token through the KV cache.
        {snap.results.some((r) => r.decodePath !== 'ops') && ' On WebGPU each linear layer multiplies straight from its packed words, so a token reads the stored bytes and no float32 copy.'}
        {snap.results.some((r) => r.decodePath === 'one-dispatch') && ' This model is small enough for one GPU workgroup to hold a whole step, so every layer, attention over the cache and the draw of the next token run in a single dispatch.'}
        {snap.results.some((r) => r.decodePath === 'fused') && !snap.results.some((r) => r.decodePath === 'one-dispatch') && ' A step is a few fused kernels a layer: this model is too large for one GPU workgroup to hold a whole step in one dispatch.'}
        {snap.results.some((r) => r.decodePath === 'ops') && ' † Decoded with tfjs ops: each weight is read as float32 (after expanding it from its format where the GPU holds it packed).'}
        {decodeWhy && <span data-testid="inference-decode-why">{` The fused decode paths were not taken: ${decodeWhy}.`}</span>}
      </p>
      <PerplexityChart results={snap.results} backend={snap.backend ?? ''} />
      <h4 className="nl-subtitle">What each one writes after “{prompt}” (seed {seed})</h4>
      <dl className="samples" data-testid="inference-samples">
        {snap.results.map((r) => (
          <div key={r.format}>
            <dt>{r.label}</dt>
            <dd><q>{r.sample}</q></dd>
          </div>
        ))}
      </dl>
    </>
  );
}

/** Which storage formats the comparison measures (all by default). */
function FormatChoice({ chosen, onChange, disabled }: { chosen: number; onChange: (mask: number) => void; disabled: boolean }) {
  return (
    <fieldset className="control">
      <legend>Formats</legend>
      <div className="checks">
        {WEIGHT_FORMATS.map((f, i) => (
          <label key={f}>
            <input type="checkbox" checked={(chosen & (1 << i)) !== 0} onChange={() => onChange(chosen ^ (1 << i))} disabled={disabled} data-testid={`inference-format-${f}`} /> {FORMAT_LABELS[f]}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/**
 * Quantized inference compared: the course's tiny model with its Linear weights in FP32, FP16, BF16,
 * INT8 (per channel), INT4 (groups of 64) and NF4 + double quantization, each measured on the active
 * backend (lib/model/inference-compare): bytes held, tokens per second, held-out perplexity, KL from
 * FP32, top-1 agreement and a seeded continuation.
 */
export function InferenceComparison({ id = 'inference' }: { id?: string }) {
  const rootRef = useRef<HTMLElement>(null);
  const [state, update, ignored] = useWidgetState(id, SPEC, BASE);
  const { prompt, seed } = state;
  const formats = chosenOf(WEIGHT_FORMATS, state.formats);
  // One object per click, so "Run again" with the same prompt and seed still makes a new engine; the
  // previous one is disposed by useEngine, and one whose code is still loading is never started.
  const [request, setRequest] = useState<Request | null>(null);
  const own = useOwnModel();
  // A run on a model the tab no longer holds is let go with it (its engine holds the weight stores).
  if (request?.own && own.available !== request.own) setRequest(null);
  const [ownText, setOwnText] = useState('');
  const textError = own.loaded ? scoredText(ownText, '').error : null;
  // After a WebGPU device loss, Restart runs the same request again on a fresh backend.
  const loss = useComputeLoss();
  const comparison = useEngine(
    (signal) => request && makeEngine(request).then((e) => {
      if (!signal.aborted) e.start();
      return e;
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- loss.key is the restart: a new one makes a new engine
    [request, loss.key],
    { pauseOffScreen: rootRef }, // generation waits while the learner reads elsewhere
  );
  const engine = comparison.engine;
  const live = useSyncExternalStore(engine?.subscribe ?? noopSubscribe, engine?.getSnapshot ?? initial, initial);
  const snap = comparison.status === 'starting' ? LOADING : live;

  const running = snap.state === 'loading' || snap.state === 'running';
  const loadError = comparison.status === 'failed' ? comparison.error : null;
  const lostError = snap.state === 'error' && isDeviceLostError(snap.error ?? '') ? snap.error : loadError && isDeviceLostError(loadError) ? loadError : null;
  const lost = lostError !== null || (loss.lost && request !== null && snap.state !== 'done' && snap.state !== 'stopped');
  const run = () => setRequest({ prompt, seed, formats, own: own.loaded, text: ownText.slice(0, OWN_TEXT_MAX_CHARS) });
  const ownRun = request?.own ?? null;
  const unit = ownRun ? 'tokens' : 'characters';
  const promptEmpty = prompt.trim().length === 0;
  const done = snap.results.length;
  const total = request?.formats.length ?? formats.length;
  const saved = useSavedComparison(id, snap, ownRun ? null : request); // the tiny model's runs only

  return (
    <WidgetFrame stateId={id} ref={rootRef} title="One model, six ways to store its weights" subtitle={<>{own.loaded?.label ?? TINY_MODEL_NAME}{snap.backend ? ` · measured on ${snap.backend}` : ''}</>} testId="inference-widget" state={snap.state} busy={running}>
      <div className="controls">
        <label className="control" style={{ flex: '1 1 18rem' }}>
          <span>Prompt</span>
          <input type="text" value={prompt} maxLength={INPUT_LIMITS.prompt} onChange={(e) => update({ prompt: e.target.value })} aria-invalid={promptEmpty} data-testid="inference-prompt" />
        </label>
        <label className="control">
          <span>Seed</span>
          <input type="number" min={0} max={SEED_MAX} step={1} value={seed} onChange={(e) => { const n = Number(e.target.value); if (Number.isInteger(n) && n >= 0 && n <= SEED_MAX) update({ seed: n }); }} style={{ width: '5.5rem' }} data-testid="inference-seed" />
        </label>
        {running ? (
          <button type="button" onClick={() => engine?.stop()} data-testid="inference-stop">Stop</button>
        ) : (
          <button type="button" className="primary" onClick={run} disabled={promptEmpty || formats.length === 0 || textError !== null || own.busy !== null} data-testid="inference-run">
            {done > 0 ? 'Run again' : 'Run the comparison'}
          </button>
        )}
      </div>
      <FormatChoice chosen={state.formats} onChange={(mask) => update({ formats: mask })} disabled={running} />
      <OwnModelPanel own={own} disabled={running} text={ownText} onText={setOwnText} textError={textError} />
      <IgnoredLinkValues ignored={ignored} />
      {promptEmpty && <WidgetError>Type a prompt for the model to continue.</WidgetError>}
      {formats.length === 0 && <WidgetError>Tick at least one format to compare.</WidgetError>}
      <p className="widget-caption" aria-live="polite" data-testid="inference-status">
        {snap.state === 'idle' && !own.loaded && `Runs each format in turn on this device: ${COMPARISON_WINDOWS} held-out windows for perplexity, KL and top-1, then ${DEFAULTS.sampleTokens} generated characters for speed (temperature ${DEFAULTS.temperature}, top-k ${DEFAULTS.topK}).`}
        {snap.state === 'idle' && own.loaded && `Runs each format of your model in turn on this device: up to ${COMPARISON_WINDOWS} windows of up to ${OWN_WINDOW_TOKENS} tokens of ${ownText.trim() ? 'your text' : 'the course’s held-out text (no text pasted)'} for perplexity, KL and top-1, then ${DEFAULTS.sampleTokens} generated tokens for speed (temperature ${DEFAULTS.temperature}, top-k ${DEFAULTS.topK}).`}
        {snap.state === 'loading' && 'Loading the model and its held-out text…'}
        {snap.state === 'running' && snap.current && `Measuring ${FORMAT_LABELS[snap.current]} (${done + 1} of ${total})…`}{running && comparison.offScreen ? ' Paused while the widget is off screen.' : ''}
        {snap.state === 'done' && !ownRun && `Done: ${done} formats, ${snap.scoredTokens.toLocaleString('en-US')} held-out characters scored for each.`}
        {snap.state === 'done' && ownRun && `Done: ${done} formats, ${snap.scoredTokens.toLocaleString('en-US')} ${unit} of ${request?.text.trim() ? 'your text' : 'the course’s held-out text (no text pasted)'} scored for each.`}
        {snap.state === 'stopped' && `Stopped after ${done} of ${total} formats.`}
      </p>
      <RunProgress done={done} total={total} running={snap.state === 'running' && !comparison.offScreen} units="formats" label="Comparison progress" testId="inference-progress" />
      {snap.droppedCharacters.length > 0 && (
        <p className="error-message" role="status" data-testid="inference-dropped">
          The model never saw {snap.droppedCharacters.map((c) => `“${c}”`).join(', ')} in training, so {snap.droppedCharacters.length === 1 ? 'it was' : 'they were'} left out of the prompt.
        </p>
      )}
      {lost && <DeviceLostNotice onRestart={loss.restart} error={lostError} />}
      {loadError && !lost && <WidgetError>The comparison could not load: {loadError}</WidgetError>}
      {snap.state === 'error' && !lost && <WidgetError testId="inference-error">The comparison stopped: {snap.error}</WidgetError>}

      {snap.results.length > 0 && <p className="widget-caption" data-testid="inference-model">These figures are for: {ownRun ? ownRun.label : TINY_MODEL_NAME}.</p>}
      {snap.results.length > 0 && <Results snap={snap} prompt={request?.prompt ?? state.prompt} seed={request?.seed ?? state.seed} />}
      {snap.state === 'idle' && saved && !own.loaded && (
        <SavedResult savedAt={saved.savedAt} adapter={saved.adapter} onRunAgain={run} runDisabled={promptEmpty || formats.length === 0} testId="inference-saved">
          <Results snap={saved.snap} prompt={saved.prompt} seed={saved.seed} />
        </SavedResult>
      )}
    </WidgetFrame>
  );
}

const IDLE: InferenceSnapshot = { state: 'idle', backend: null, results: [], current: null, error: null, scoredTokens: 0, droppedCharacters: [] };
/** While the model code loads, before the engine exists. */
const LOADING: InferenceSnapshot = { ...IDLE, state: 'loading' };
const initial = () => IDLE;
const noopSubscribe = () => () => {};
