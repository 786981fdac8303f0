'use client';

import { useState } from 'react';
import { useEngine } from '@/components/widget-kit/useEngine';
import { getCompute, type Compute } from '@/lib/compute';

/**
 * Runs a self-test's cases one after another on the page's compute backend (getCompute, loaded
 * when the section mounts, through useEngine), publishing each result as it arrives. Shared by the
 * "Check your GPU" sections.
 */
export function useSelfTest<C, R extends { passed: boolean }>(cases: readonly C[], runCase: (compute: Compute, c: C) => Promise<R>) {
  const backend = useEngine(() => getCompute(), []);
  const compute = backend.engine;
  const error = backend.error;
  const [results, setResults] = useState<R[]>([]);
  const [running, setRunning] = useState(false);

  const run = async () => {
    if (!compute) return;
    setRunning(true);
    setResults([]);
    for (const c of cases) {
      const r = await runCase(compute, c);
      setResults((rs) => [...rs, r]);
    }
    setRunning(false);
  };

  const done = !running && results.length === cases.length;
  const failures = results.filter((r) => !r.passed).length;
  return { compute, results, running, error, run, done, failures };
}

/** A ratio or difference for the self-test tables: '—' for NaN, exponent form below 1e-3. */
export function formatCheckNumber(x: number, digits = 2): string {
  if (Number.isNaN(x)) return '—';
  if (x === 0) return '0';
  return Math.abs(x) < 1e-3 ? x.toExponential(1) : x.toFixed(digits);
}
