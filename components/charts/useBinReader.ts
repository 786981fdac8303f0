'use client';

import { useId, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { BIN_KEYS, nextBin } from '@/lib/charts/navigation';

/** A useId() value usable inside url(#…) references. */
export function useSvgId(prefix: string): string {
  return prefix + useId().replace(/[^A-Za-z0-9_-]/g, '');
}

export interface BinReader {
  /** The bin being read, or null. */
  active: number | null;
  /** Whether the bin was chosen by keyboard (its text then goes to the live region). */
  viaKey: boolean;
  onKeyDown: (e: KeyboardEvent<Element>) => void;
  onPointerMove: (e: PointerEvent<SVGSVGElement>) => void;
  onPointerLeave: () => void;
  onBlur: () => void;
}

/**
 * Reading one bin of a histogram by pointer or keyboard (keys: lib/charts/navigation `nextBin`).
 * `binAt(viewX)` turns a pointer position (in viewBox units, the svg `viewWidth` wide) into a bin
 * index or -1. A keyboard reading ends on blur, so the live region that speaks it stays quiet
 * while the learner drags a slider elsewhere.
 */
export function useBinReader(counts: ArrayLike<number>, binAt: (viewX: number) => number, viewWidth: number): BinReader {
  const n = counts.length;
  const [state, setState] = useState<{ index: number; via: 'pointer' | 'key' } | null>(null);
  const active = state && state.index < n ? state.index : null;

  const onKeyDown = (e: KeyboardEvent<Element>) => {
    if (n === 0 || !BIN_KEYS.has(e.key)) return;
    e.preventDefault();
    const { key, shiftKey } = e;
    setState((s) => {
      const next = nextBin(key, s && s.index < n ? s.index : null, counts, shiftKey);
      return next === null ? null : { index: next, via: 'key' };
    });
  };

  const onPointerMove = (e: PointerEvent<SVGSVGElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    if (rect.width <= 0) return;
    const i = binAt(((e.clientX - rect.left) * viewWidth) / rect.width);
    setState((s) => (i < 0 ? (s?.via === 'pointer' ? null : s) : s?.index === i && s.via === 'pointer' ? s : { index: i, via: 'pointer' }));
  };

  return {
    active,
    viaKey: active !== null && state?.via === 'key',
    onKeyDown,
    onPointerMove,
    onPointerLeave: () => setState((s) => (s?.via === 'pointer' ? null : s)),
    onBlur: () => setState((s) => (s?.via === 'key' ? null : s)),
  };
}
