'use client';

import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';
import { WidgetError } from '@/components/widget-kit/WidgetError';
import { useId, useMemo } from 'react';
import { useParsedInput, type Parsed } from '@/components/ui/useParsedInput';
import { useWidgetState } from '@/components/widget-kit/useWidgetState';
import { IgnoredLinkValues } from '@/components/widget-kit/IgnoredLinkValues';
import { WeightSourceSelect } from './controls';
import { hexCode, shortNumber } from '@/lib/formats/display';
import { GGUF_BLOCK_VALUES, type GGUFType } from '@/lib/quant/gguf';
import { ggufTypeLabel, inspectGGUFBlock, parseBlockValues, type GGUFElement } from '@/lib/quant/gguf-block';
import { sampleRow, WEIGHT_SOURCES, type WeightSource } from '@/lib/quant/four-bit-samples';
import { INPUT_LIMITS } from '@/lib/text/input';
import { nextSeed } from '@/lib/random';
import { SEED_FIELD, type StateSpec } from '@/lib/url/widget-state';
import { ScrollRegion } from '@/components/ui/ScrollRegion';

const TYPES: readonly GGUFType[] = ['q4_0', 'q4_1', 'q8_0'];
type Source = WeightSource | 'paste';
type State = { type: GGUFType; source: Source; seed: number; weight: number };
const BASE: State = { type: 'q4_0', source: 'normal', seed: 1, weight: 0 };
const SPEC: StateSpec<State> = {
  type: { kind: 'oneOf', options: TYPES },
  source: { kind: 'oneOf', options: [...WEIGHT_SOURCES, 'paste'] },
  seed: SEED_FIELD,
  weight: { kind: 'int', min: 0, max: GGUF_BLOCK_VALUES - 1 },
};

function parseBlock(text: string): Parsed<Float32Array | null> {
  const p = parseBlockValues(text);
  return p.ok ? { ok: true, value: p.values } : p;
}

/** The rule that turned x into its code, with the numbers of this block. */
function codeRule(type: GGUFType, e: GGUFElement, x: number, d: number, m: number | undefined): string {
  if (type === 'q8_0') return `q = round(x / d) = round(${shortNumber(x, 4)} / ${shortNumber(d, 4)}) = ${shortNumber(e.code)}`;
  if (type === 'q4_0') return `q = min(15, trunc(x / d + 8.5)) = trunc(${shortNumber(x, 4)} / ${shortNumber(d, 4)} + 8.5) = ${e.code}`;
  return `q = min(15, trunc((x − m) / d + 0.5)) = trunc((${shortNumber(x, 4)} − ${shortNumber(m ?? 0, 4)}) / ${shortNumber(d, 4)} + 0.5) = ${e.code}`;
}

function decodeRule(type: GGUFType, e: GGUFElement, d: number, m: number | undefined): string {
  if (type === 'q8_0') return `x′ = q · d = ${shortNumber(e.code)} × ${shortNumber(d, 4)} = ${shortNumber(e.value, 5)}`;
  if (type === 'q4_0') return `x′ = (q − 8) · d = ${shortNumber(e.code - 8)} × ${shortNumber(d, 4)} = ${shortNumber(e.value, 5)}`;
  return `x′ = q · d + m = ${e.code} × ${shortNumber(d, 4)} + ${shortNumber(m ?? 0, 4)} = ${shortNumber(e.value, 5)}`;
}

type BlockView = ReturnType<typeof inspectGGUFBlock>;

/** The block's bytes in order, coloured by what they hold; the chosen weight's byte (and nibble) marked. */
function ByteStrip({ view, sel }: { view: BlockView; sel: GGUFElement }) {
  const m = view.header[1]?.value;
  const roleOf = (offset: number): string => {
    const h = view.header.find((f) => offset >= f.offset && offset < f.offset + 2);
    return h ? h.name : 'qs';
  };
  return (
    <>
    <h4 className="nl-subtitle">The {view.bytes.length} bytes</h4>
    <div className="byte-strip" role="list" aria-label={`The ${view.bytes.length} bytes of the block`} data-testid="gguf-bytes">
      {Array.from(view.bytes, (b, offset) => {
        const role = roleOf(offset);
        const holds = offset === sel.byte;
        return (
          <span key={offset} role="listitem" className={`byte byte-${role}`} data-selected={holds} data-offset={offset} title={`byte ${offset}: ${role === 'qs' ? 'codes' : `fp16 ${role}`}`}>
            <span className="byte-offset">{offset}</span>
            <code className="byte-hex">
              {view.type === 'q8_0' || role !== 'qs' ? hexCode(b, 8).replace('0x', '') : (
                <>
                  <span data-nibble="high" data-selected={holds && sel.nibble === 'high'}>{(b >> 4).toString(16).toUpperCase()}</span>
                  <span data-nibble="low" data-selected={holds && sel.nibble === 'low'}>{(b & 15).toString(16).toUpperCase()}</span>
                </>
              )}
            </code>
          </span>
        );
      })}
    </div>
    <p className="bit-legend">
      <span><span className="swatch byte-d" /> fp16 scale d (little-endian)</span>
      {m !== undefined && <span><span className="swatch byte-m" /> fp16 minimum m</span>}
      <span><span className="swatch byte-qs" /> codes{view.type === 'q8_0' ? ', one signed byte each' : ': qs[j] holds weight j in its low nibble and weight j + 16 in its high nibble'}</span>
    </p>
    </>
  );
}

/** Every weight of the block: its code, where it is stored, what it decodes to; a weight's button chooses it. */
function BlockTable({ view, x, sel, onSelect }: { view: BlockView; x: Float32Array; sel: GGUFElement; onSelect: (i: number) => void }) {
  return (
    <ScrollRegion className="table-scroll gguf-table">
      <table>
        <caption className="visually-hidden">Each weight, its code, where it is stored and what it decodes to</caption>
        <thead>
          <tr>
            <th scope="col">Weight</th>
            <th scope="col">x</th>
            <th scope="col">Code</th>
            <th scope="col">Stored in</th>
            <th scope="col">Decoded x′</th>
            <th scope="col">Error</th>
          </tr>
        </thead>
        <tbody>
          {view.elements.map((e) => (
            <tr key={e.index} data-selected={e.index === sel.index}>
              <th scope="row">
                <button type="button" className="link-button" aria-pressed={e.index === sel.index} onClick={() => onSelect(e.index)} data-testid={`gguf-weight-${e.index}`}>
                  {e.index}
                </button>
              </th>
              <td>{shortNumber(x[e.index], 5)}</td>
              <td>{shortNumber(e.code)}</td>
              <td>byte {e.byte}{e.nibble ? `, ${e.nibble}` : ''}</td>
              <td>{shortNumber(e.value, 5)}</td>
              <td>{shortNumber(e.value - x[e.index], 2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

/**
 * GGUF block inspector: one block of 32 weights quantized to ggml's Q4_0, Q4_1 or Q8_0 (lib/quant/gguf),
 * shown as its bytes — the fp16 scale (and Q4_1's minimum), then the codes — and decoded again.
 * Choosing a weight highlights the byte (and nibble) that stores it.
 */
export function GgufBlockInspector({ id = 'gguf' }: { id?: string }) {
  const uid = useId();
  const [state, update, ignored] = useWidgetState(id, SPEC, BASE);
  // Read once per change, on a deferred copy of the text: a huge paste never stalls typing.
  const paste = useParsedInput<Float32Array | null>('', parseBlock, null, { maxChars: INPUT_LIMITS.numberList, what: 'a block of 32 numbers' });
  const pasted = paste.value;
  const parsed = state.source === 'paste' ? paste : null;
  const usingPaste = state.source === 'paste' && pasted !== null;
  const x = useMemo(
    () => (usingPaste && pasted ? pasted : sampleRow(state.source === 'paste' ? 'normal' : state.source, GGUF_BLOCK_VALUES, state.seed)),
    [usingPaste, pasted, state.source, state.seed],
  );

  const view = useMemo(() => inspectGGUFBlock(state.type, x), [state.type, x]);
  const d = view.header[0].value;
  const m = view.header[1]?.value;
  let maxErr = 0, sumErr2 = 0;
  for (const e of view.elements) {
    const err = Math.abs(e.value - x[e.index]);
    maxErr = Math.max(maxErr, err);
    sumErr2 += err * err;
  }
  const overflow = view.elements.some((e) => !Number.isFinite(e.value));
  const sel = view.elements[Math.min(state.weight, GGUF_BLOCK_VALUES - 1)];

  return (
    <WidgetFrame stateId={id} title="A GGUF block, byte by byte" subtitle={ggufTypeLabel(state.type)} className="gguf-inspector" testId="gguf-inspector">
      <div className="controls">
        <fieldset className="control">
          <legend>Block type</legend>
          <div className="checks">
            {TYPES.map((t) => (
              <label key={t}>
                <input type="radio" name={`${uid}-type`} checked={state.type === t} onChange={() => update({ type: t })} data-testid={`gguf-type-${t}`} /> {t.toUpperCase()}
              </label>
            ))}
          </div>
        </fieldset>
        <WeightSourceSelect value={state.source} onChange={(v) => update({ source: v as Source })} testId="gguf-source" extra={[{ value: 'paste', label: 'Your own 32 numbers' }]} />
        {state.source !== 'paste' && (
          <button type="button" onClick={() => update({ seed: nextSeed(state.seed) })} data-testid="gguf-new-block">New block</button>
        )}
      </div>
      {state.source === 'paste' && (
        <label className="control">
          <span>32 numbers, separated by commas or spaces</span>
          <textarea
            rows={3}
            value={paste.text}
            onChange={(e) => paste.change(e.target.value)}
            aria-invalid={parsed !== null && parsed.error !== null}
            aria-describedby={parsed?.error ? `${uid}-error` : undefined}
            data-testid="gguf-paste"
            placeholder="0.01, -0.023, 0.004, …"
          />
        </label>
      )}
      {parsed?.error && (
        <WidgetError id={`${uid}-error`} testId="gguf-error">
          {parsed.error} {pasted ? 'Still showing your last good block.' : 'Showing a sample block until then.'}
        </WidgetError>
      )}
      <IgnoredLinkValues ignored={ignored} />
      {overflow && (
        <WidgetError testId="gguf-overflow">
          The scale d = {shortNumber(d)} does not fit in fp16 (largest 65504), so ggml stores ±inf and the block decodes to
          infinities or NaN. Real weights are far smaller.
        </WidgetError>
      )}

      <ByteStrip view={view} sel={sel} />

      <dl className="stat-grid">
        {view.header.map((h) => (
          <div className="stat" key={h.name}>
            <dt>{h.name === 'd' ? 'Scale d' : 'Minimum m'} (bytes {h.offset}–{h.offset + 1}, fp16 {hexCode(h.bits, 16)})</dt>
            <dd data-testid={`gguf-${h.name}`}>{shortNumber(h.value, 6)}</dd>
          </div>
        ))}
        <div className="stat">
          <dt>Largest error</dt>
          <dd data-testid="gguf-max-error">{shortNumber(maxErr, 3)}</dd>
        </div>
        <div className="stat">
          <dt>RMS error</dt>
          <dd data-testid="gguf-rms-error">{shortNumber(Math.sqrt(sumErr2 / GGUF_BLOCK_VALUES), 3)}</dd>
        </div>
      </dl>

      <div className="gguf-selected" aria-live="polite" data-testid="gguf-selected">
        <p>
          <strong>Weight {sel.index}</strong>: x = {shortNumber(x[sel.index], 6)}. {codeRule(view.type, sel, x[sel.index], d, m)}, stored in{' '}
          {sel.nibble ? `the ${sel.nibble} nibble of ` : ''}byte {sel.byte} (qs[{sel.byte - view.codesOffset}]).{' '}
          {decodeRule(view.type, sel, d, m)}; error {shortNumber(sel.value - x[sel.index], 3)}.
        </p>
      </div>

      <BlockTable view={view} x={x} sel={sel} onSelect={(i) => update({ weight: i })} />
      <p className="widget-caption">
        ggml computes the codes with the float32 scale and then stores d as fp16, so decoding uses the rounded d. Choose a
        weight in the table to see its byte highlighted.
      </p>
    </WidgetFrame>
  );
}
