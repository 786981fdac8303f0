'use client';

import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';
import { useWidgetState } from '@/components/widget-kit/useWidgetState';
import { IgnoredLinkValues } from '@/components/widget-kit/IgnoredLinkValues';
import { ScrollRegion } from '@/components/ui/ScrollRegion';
import { shortNumber } from '@/lib/formats/display';
import { ARCHITECTURE_PRESETS, PRESET_IDS, presetArchitecture } from '@/lib/lora/architectures';
import { loraTrainableParams, PEFT_DEFAULTS, type LoraTargets } from '@/lib/lora/params';
import { formatBytes, formatParameterCount, WEIGHT_FORMAT_LABELS, type WeightFormat } from '@/lib/memory';
import { MAX_ADAPTERS, mergedServing, separateServing } from '@/lib/serving/adapters';
import type { StateSpec } from '@/lib/url/widget-state';

const TARGETS = { qv: ['q', 'v'], 'all-linear': 'all-linear' } as const satisfies Record<string, LoraTargets>;
const TARGET_LABELS = { qv: 'q_proj, v_proj', 'all-linear': 'all linear layers' } as const;
const FORMATS: readonly WeightFormat[] = ['fp16', 'int8-channel', 'int4-group64'];
type State = { arch: string; targets: string; r: number; adapters: number; format: string };
const BASE: State = { arch: 'llama-2-7b', targets: 'qv', r: PEFT_DEFAULTS.r, adapters: 10, format: 'fp16' };
const SPEC: StateSpec<State> = {
  arch: { kind: 'oneOf', options: PRESET_IDS },
  targets: { kind: 'oneOf', options: Object.keys(TARGETS) },
  r: { kind: 'int', min: 1, max: 256 },
  adapters: { kind: 'int', min: 1, max: MAX_ADAPTERS },
  format: { kind: 'oneOf', options: FORMATS },
};

function flops(f: number): string {
  return f >= 1e9 ? `${shortNumber(f / 1e9, 3)} GFLOPs` : `${shortNumber(f / 1e6, 3)} MFLOPs`;
}

/** Serving N LoRA adapters merged (a model copy each) or separate (one base, adapters beside it): lib/serving adapters. */
export function AdapterServing({ id = 'adapters' }: { id?: string }) {
  const [state, update, ignored] = useWidgetState(id, SPEC, BASE);
  const arch = presetArchitecture(state.arch);
  const targets = TARGETS[state.targets as keyof typeof TARGETS];
  const o = { targets, r: state.r, adapters: state.adapters, format: state.format as WeightFormat, adapterBytes: 2 };
  const merged = mergedServing(arch, o);
  const separate = separateServing(arch, o);
  const perAdapter = loraTrainableParams(arch, targets, state.r);
  const rows = [
    { key: 'merged', label: 'Merged (W + BA folded in)', c: merged },
    { key: 'separate', label: 'Separate (one base + adapters)', c: separate },
  ];
  return (
    <WidgetFrame stateId={id} title="Serving many adapters over one base" subtitle={`${arch.label}, each adapter ${formatParameterCount(perAdapter)} parameters (${formatBytes(perAdapter * 2)} in FP16)`} testId="adapters-widget">
      <div className="controls">
        <label className="control">
          <span>Model</span>
          <select value={state.arch} onChange={(e) => update({ arch: e.target.value })} data-testid="adapters-arch">
            {ARCHITECTURE_PRESETS.map((a) => <option key={a.id} value={a.id}>{a.label}</option>)}
          </select>
        </label>
        <label className="control">
          <span>Base weights</span>
          <select value={state.format} onChange={(e) => update({ format: e.target.value })} data-testid="adapters-format">
            {FORMATS.map((f) => <option key={f} value={f}>{WEIGHT_FORMAT_LABELS[f]}</option>)}
          </select>
        </label>
        <label className="control">
          <span>Adapted layers</span>
          <select value={state.targets} onChange={(e) => update({ targets: e.target.value })} data-testid="adapters-targets">
            {Object.entries(TARGET_LABELS).map(([k, v]) => <option key={k} value={k}>{v}</option>)}
          </select>
        </label>
        <label className="control">
          <span>Rank r: {state.r}</span>
          <input type="range" min={1} max={256} value={state.r} onChange={(e) => update({ r: Number(e.target.value) })} data-testid="adapters-r" />
        </label>
        <label className="control">
          <span>Adapters: {state.adapters}</span>
          <input type="range" min={1} max={MAX_ADAPTERS} value={state.adapters} onChange={(e) => update({ adapters: Number(e.target.value) })} data-testid="adapters-count" />
        </label>
      </div>
      <IgnoredLinkValues ignored={ignored} />
      <ScrollRegion label="Merged against separate adapters">
        <table className="compact-table" data-testid="adapters-table">
          <thead><tr><th scope="col">Deployment</th><th scope="col">Weights held for {state.adapters} adapter{state.adapters > 1 ? 's' : ''}</th><th scope="col">FLOPs per token</th><th scope="col">Extra over the base</th></tr></thead>
          <tbody>
            {rows.map(({ key, label, c }) => (
              <tr key={key}>
                <th scope="row">{label}</th>
                <td data-testid={`adapters-bytes-${key}`}>{formatBytes(c.bytes)}</td>
                <td>{flops(c.flopsPerToken)}</td>
                <td data-testid={`adapters-extra-${key}`}>{c.extraFlopsPerToken === 0 ? 'none' : `${flops(c.extraFlopsPerToken)} (${shortNumber((100 * c.extraFlopsPerToken) / merged.flopsPerToken, 3)} %)`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <p className="widget-caption">
        Merged: one full copy of the weights per adapter, and the plain model&rsquo;s work per token. Separate: the base once plus
        r·(in + out) FP16 parameters per adapted Linear per adapter; each token also runs x·Aᵀ·Bᵀ, 2·r·(in + out) FLOPs per adapted
        Linear. FLOPs count the Linear layers and the output layer, 2 per weight; attention scores are left out.
      </p>
    </WidgetFrame>
  );
}
