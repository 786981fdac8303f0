'use client';

import { WEIGHT_SOURCES, WEIGHT_SOURCE_LABELS, type WeightSource } from '@/lib/quant/four-bit-samples';

/** The "Weights" picker the 4-bit widgets share: which seeded stand-in weights to quantize. */
export function WeightSourceSelect({ value, onChange, testId, extra }: {
  value: string;
  onChange: (v: string) => void;
  testId: string;
  /** Further options after the seeded sources, e.g. the GGUF inspector's "your own numbers". */
  extra?: { value: string; label: string }[];
}) {
  return (
    <label className="control">
      <span>Weights</span>
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        {WEIGHT_SOURCES.map((s: WeightSource) => <option key={s} value={s}>{WEIGHT_SOURCE_LABELS[s]}</option>)}
        {extra?.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
    </label>
  );
}
