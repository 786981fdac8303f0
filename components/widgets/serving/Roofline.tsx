'use client';

import { useState } from 'react';
import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';
import { WidgetError } from '@/components/widget-kit/WidgetError';
import { useEngine } from '@/components/widget-kit/useEngine';
import { useWidgetState } from '@/components/widget-kit/useWidgetState';
import { IgnoredLinkValues } from '@/components/widget-kit/IgnoredLinkValues';
import { ScrollRegion } from '@/components/ui/ScrollRegion';
import { backendLabel, getCompute, type Compute } from '@/lib/compute';
import { shortNumber } from '@/lib/formats/display';
import { ARCHITECTURE_PRESETS, PRESET_IDS, presetArchitecture } from '@/lib/lora/architectures';
import { PREVIEW_ROOF, ROOFLINE_WEIGHT_LABELS, rooflinePoints } from '@/lib/serving/roofline';
import type { RooflineMeasurement } from '@/lib/serving/roofline-measure';
import type { StateSpec } from '@/lib/url/widget-state';
import { flopsText, RooflineChart } from './RooflineChart';

type State = { arch: string; module: number; tokens: number };
const BASE: State = { arch: 'llama-2-7b', module: 0, tokens: 8 };
const SPEC: StateSpec<State> = {
  arch: { kind: 'oneOf', options: PRESET_IDS },
  module: { kind: 'int', min: 0, max: 6 },
  tokens: { kind: 'int', min: 0, max: 12 },
};

type Measured = RooflineMeasurement & { backend: string };

async function measure(signal: AbortSignal): Promise<Measured> {
  const compute: Compute = await getCompute();
  const { measureRoofline } = await import('@/lib/serving/roofline-measure');
  // tfjs's CPU backend runs on the page's thread: smaller sizes keep each repetition short there.
  const sizes = compute.backend === 'cpu' ? { elements: 2 ** 20, matmulSizes: [128, 256], passes: 2 } : {};
  const m = await measureRoofline(compute, {
    ...sizes,
    now: () => performance.now(),
    tick: async () => {
      await new Promise((r) => setTimeout(r, 0));
      if (signal.aborted) throw new Error('Stopped.');
    },
  });
  return { ...m, backend: backendLabel(compute) };
}

/**
 * The roofline (lib/serving roofline): the learner's device measured through tfjs (bandwidth from an
 * elementwise pass, FLOP/s from a matmul, medians), and a real model's Linear placed on it at decode
 * (batch 1) and at N tokens per weight read, for FP16, INT8 and INT4 weights.
 */
export function Roofline({ id = 'roofline' }: { id?: string }) {
  const [state, update, ignored] = useWidgetState(id, SPEC, BASE);
  const [request, setRequest] = useState<object | null>(null);
  const job = useEngine((signal) => (request ? measure(signal) : null), [request]);
  const arch = presetArchitecture(state.arch);
  const mod = arch.modules[Math.min(state.module, arch.modules.length - 1)];
  const tokens = 2 ** state.tokens;
  const m = job.engine;
  const roof = m ? { label: `this device (${m.backend}, measured)`, peakFlops: m.peakFlops, bandwidth: m.bandwidth } : PREVIEW_ROOF;
  const points = rooflinePoints({ in: mod.in, out: mod.out }, tokens, roof.peakFlops, roof.bandwidth);
  const measuring = job.status === 'starting';
  return (
    <WidgetFrame stateId={id} title="The roofline: bytes or FLOPs?" subtitle={m ? `Roof measured on ${m.backend}` : 'Preview: a datasheet roof until you measure'} testId="roofline-widget" state={measuring ? 'measuring' : m ? 'measured' : 'preview'} busy={measuring}>
      <div className="controls">
        <label className="control">
          <span>Model</span>
          <select value={state.arch} onChange={(e) => update({ arch: e.target.value, module: 0 })} data-testid="roofline-arch">
            {ARCHITECTURE_PRESETS.map((a) => <option key={a.id} value={a.id}>{a.label}</option>)}
          </select>
        </label>
        <label className="control">
          <span>Linear layer</span>
          <select value={Math.min(state.module, arch.modules.length - 1)} onChange={(e) => update({ module: Number(e.target.value) })} data-testid="roofline-module">
            {arch.modules.map((x, i) => <option key={x.path} value={i}>{x.name} ({x.in} → {x.out})</option>)}
          </select>
        </label>
        <label className="control">
          <span>Tokens per weight read (batch × new tokens): {tokens}</span>
          <input type="range" min={0} max={12} value={state.tokens} onChange={(e) => update({ tokens: Number(e.target.value) })} aria-valuetext={`${tokens} tokens`} data-testid="roofline-tokens" />
        </label>
        <button type="button" className="primary" onClick={() => setRequest({})} disabled={measuring} data-testid="roofline-measure">
          {measuring ? 'Measuring…' : m ? 'Measure again' : 'Measure this device'}
        </button>
      </div>
      <IgnoredLinkValues ignored={ignored} />
      {job.status === 'failed' && <WidgetError testId="roofline-error">The measurement failed: {job.error}</WidgetError>}
      <RooflineChart peak={roof.peakFlops} bandwidth={roof.bandwidth} points={points} label={roof.label} />
      <dl className="stat-grid">
        <div className="stat"><dt>Bandwidth ({m ? 'measured' : 'datasheet'})</dt><dd data-testid="roofline-bandwidth">{shortNumber(roof.bandwidth / 1e9, 3)} GB/s</dd></div>
        <div className="stat"><dt>Peak ({m ? 'measured float32 matmul' : 'datasheet FP16'})</dt><dd data-testid="roofline-peak">{flopsText(roof.peakFlops)}</dd></div>
        <div className="stat"><dt>Ridge</dt><dd data-testid="roofline-ridge">{shortNumber(roof.peakFlops / roof.bandwidth, 3)} FLOPs/byte</dd></div>
      </dl>
      <ScrollRegion label="The points on the roofline">
        <table className="compact-table" data-testid="roofline-table">
          <thead><tr><th scope="col">Weights</th><th scope="col">Tokens per read</th><th scope="col">FLOPs per byte</th><th scope="col">Attainable</th><th scope="col">Bound by</th></tr></thead>
          <tbody>
            {points.map((p) => (
              <tr key={`${p.weight}-${p.phase}`}>
                <th scope="row">{ROOFLINE_WEIGHT_LABELS[p.weight]}</th>
                <td>{p.tokens}</td>
                <td data-testid={`roofline-intensity-${p.weight}-${p.phase}`}>{shortNumber(p.intensity, 4)}</td>
                <td>{flopsText(p.attainable)}</td>
                <td>{p.bound}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <p className="widget-caption" data-testid="roofline-note">
        The roof is {m ? `measured: a ${shortNumber(m.elements / 2 ** 20, 3)}M-value elementwise pass (read + write) and a ${m.matmulSize} × ${m.matmulSize} float32 matmul, medians of ${m.repetitions} runs through tfjs — what tfjs reaches here, not the chip’s datasheet peak` : PREVIEW_ROOF.label}.
        The points are placed by the model, not measured: intensity = 2·N·in·out FLOPs over in·out·(bytes per weight) + N·(in + out)·2 bytes of FP16 activations, circles at N = 1 (decode), squares at N = {tokens}.
      </p>
    </WidgetFrame>
  );
}
