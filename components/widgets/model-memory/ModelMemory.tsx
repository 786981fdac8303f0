'use client';

import { useId, useState } from 'react';
import { LogBarChart } from '@/components/charts/LogBarChart';
import { useParsedInput, type Parsed } from '@/components/ui/useParsedInput';
import {
  BYTES_PER_GIB,
  GPU_MEMORY_GIB,
  bitsPerParameter,
  fitsInGpu,
  formatBytes,
  formatParameterCount,
  parseParameterCount,
  weightBytes,
  type WeightFormat,
} from '@/lib/memory';
import { ScrollRegion } from '@/components/ui/ScrollRegion';

/** The formats a learner can pick. FP16 and BF16 share a row: both are 16 bits a weight. */
const CHOICES: { format: WeightFormat; label: string }[] = [
  { format: 'fp32', label: 'FP32' },
  { format: 'fp16', label: 'FP16 / BF16' },
  { format: 'int8', label: 'INT8' },
  { format: 'int4', label: 'INT4' },
  { format: 'nf4-dq', label: 'NF4 + DQ' },
];

function parseSize(text: string): Parsed<number> {
  const p = parseParameterCount(text);
  return p.ok ? { ok: true, value: p.parameters } : p;
}

const PRESETS: { label: string; parameters: number }[] = [1e9, 7e9, 13e9, 70e9, 405e9].map((parameters) => ({
  label: formatParameterCount(parameters),
  parameters,
}));

/**
 * "How big is a model?": weight bytes of a model size in each chosen format, against common GPU
 * memory sizes. All arithmetic is lib/memory's.
 */
export function ModelMemory({ initialSize = '70B' }: { initialSize?: string }) {
  const id = useId();
  const size = useParsedInput(initialSize, parseSize, 70e9);
  const [chosen, setChosen] = useState<WeightFormat[]>(CHOICES.map((c) => c.format));
  const parameters = size.value;
  const setSize = size.change;
  const toggle = (f: WeightFormat) =>
    setChosen((cur) => (cur.includes(f) ? cur.filter((x) => x !== f) : CHOICES.map((c) => c.format).filter((x) => x === f || cur.includes(x))));

  const rows = CHOICES.filter((c) => chosen.includes(c.format)).map((c) => {
    const bytes = weightBytes(parameters, c.format);
    return { ...c, bytes, bits: bitsPerParameter(c.format) };
  });
  const largestGpu = GPU_MEMORY_GIB[GPU_MEMORY_GIB.length - 1];

  return (
    <section className="widget" data-testid="model-memory" aria-labelledby={`${id}-title`}>
      <header>
        <h3 id={`${id}-title`}>How much memory do the weights need?</h3>
      </header>
      <div className="controls">
        <label className="control">
          <span>Model size (parameters)</span>
          <input
            type="text"
            inputMode="decimal"
            value={size.text}
            onChange={(e) => setSize(e.target.value)}
            aria-invalid={size.error !== null}
            aria-describedby={`${id}-size-help`}
            data-testid="model-size"
            size={10}
          />
        </label>
        <div className="control" role="group" aria-label="Size presets">
          <span>Presets</span>
          <div className="checks">
            {PRESETS.map((p) => (
              <button key={p.label} type="button" onClick={() => setSize(p.label)} aria-pressed={size.error === null && parameters === p.parameters}>
                {p.label}
              </button>
            ))}
          </div>
        </div>
        <fieldset className="control">
          <legend>Formats</legend>
          <div className="checks">
            {CHOICES.map((c) => (
              <label key={c.format}>
                <input type="checkbox" checked={chosen.includes(c.format)} onChange={() => toggle(c.format)} /> {c.label}
              </label>
            ))}
          </div>
        </fieldset>
      </div>
      <p id={`${id}-size-help`} className={size.error ? 'error-message' : 'widget-caption'} role={size.error ? 'alert' : undefined}>
        {size.error
          ? `${size.error} Showing ${formatParameterCount(parameters)} until then.`
          : `${formatParameterCount(parameters)} parameters = ${parameters.toLocaleString('en-US')} weights.`}
      </p>
      {rows.length === 0 ? (
        <p className="error-message" role="alert">Pick at least one format to compare.</p>
      ) : (
        <>
          <LogBarChart
            title={`Weight memory of a ${formatParameterCount(parameters)} model by format, with GPU memory sizes marked`}
            axisLabel="weight memory, log scale (dashed lines: GPU memory)"
            formatTick={(v) => formatBytes(v)}
            bars={rows.map((r) => ({
              key: r.format,
              label: r.label,
              value: r.bytes,
              valueLabel: `${formatBytes(r.bytes)}${fitsInGpu(r.bytes, largestGpu) ? '' : ' — no single GPU'}`,
              muted: !fitsInGpu(r.bytes, largestGpu),
            }))}
            lines={GPU_MEMORY_GIB.map((g) => ({ value: g * BYTES_PER_GIB, label: `${g} GB` }))}
          />
          <ScrollRegion label="Weight bytes per format and the GPUs they fit on">
            <table className="fits-table" data-testid="fits-table">
              <caption className="widget-caption" style={{ captionSide: 'bottom', textAlign: 'left' }}>
                Weights only: activations, the KV cache and the runtime need room too. GPU memory is sold in binary
                units, so a &ldquo;24 GB&rdquo; card holds 24 GiB = {formatBytes(24 * BYTES_PER_GIB)}.
              </caption>
              <thead>
                <tr>
                  <th scope="col">Format</th>
                  <th scope="col">Bits / weight</th>
                  <th scope="col">Weights</th>
                  {GPU_MEMORY_GIB.map((g) => (
                    <th key={g} scope="col">{g} GB</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.format} data-format={r.format}>
                    <th scope="row">{r.label}</th>
                    <td>{Number.isInteger(r.bits) ? r.bits : r.bits.toFixed(3)}</td>
                    <td data-testid={`bytes-${r.format}`}>{formatBytes(r.bytes)}</td>
                    {GPU_MEMORY_GIB.map((g) => {
                      const fits = fitsInGpu(r.bytes, g);
                      return (
                        <td key={g} className={fits ? 'yes' : 'no'}>
                          {fits ? '✓ fits' : '✗ no'}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        </>
      )}
    </section>
  );
}
