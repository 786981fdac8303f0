'use client';

import { useId, useState } from 'react';
import { IgnoredLinkValues } from '@/components/widget-kit/IgnoredLinkValues';
import { useWidgetState } from '@/components/widget-kit/useWidgetState';
import { WidgetError } from '@/components/widget-kit/WidgetError';
import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';
import { presetArchitecture, totalParameters, type Architecture } from '@/lib/lora/architectures';
import { formatParameterCount, type KvCacheDType } from '@/lib/memory';
import { memoryLedger } from '@/lib/memory/ledger';
import { FitsTable } from './FitsTable';
import { KvCachePanel } from './KvCachePanel';
import { MemoryChart, type ShownRow } from './MemoryChart';
import { ModelControls } from './ModelControls';
import { CHOICES, CUSTOM, SPEC, baseState } from './state';
import styles from './ModelMemory.module.css';

/**
 * "How much memory does a model need?": a real model's weights in each chosen format (or a typed
 * parameter count), plus the KV cache of serving it — context length × batch in a cache dtype,
 * with the preset's grouped-query attention — against today's GPU cards. The arithmetic is
 * lib/memory's ledger (memoryLedger, memoryChartScale); the architectures are lib/lora's presets.
 * State in the URL as `<id>.model`, `.params`, `.context`, `.batch`, `.kv`, `.formats`.
 */
export function ModelMemory({ id = 'memory', initialModel, initialSize }: { id?: string; initialModel?: string; initialSize?: string }) {
  const uid = useId();
  const [base] = useState(() => baseState(initialModel, initialSize));
  const [state, update, ignored] = useWidgetState(id, SPEC, base);

  const arch: Architecture | null = state.model === CUSTOM ? null : presetArchitecture(state.model);
  const parameters = arch ? totalParameters(arch) : state.params;
  const chosen = CHOICES.filter((_, i) => (state.formats & (1 << i)) !== 0);
  const ledger = memoryLedger({
    parameters, attention: arch, kvDtype: state.kv as KvCacheDType, context: state.context, batch: state.batch, formats: chosen.map((c) => c.format),
  });
  const rows: ShownRow[] = ledger.rows.map((r, i) => ({ ...r, label: chosen[i].label, key: chosen[i].key }));
  const modelName = arch ? arch.label : `A ${formatParameterCount(parameters)} model`;

  return (
    <WidgetFrame stateId={id}
      title="How much memory does a model need?"
      subtitle={<span data-testid="memory-model">{modelName}: {parameters.toLocaleString('en-US')} parameters</span>}
      testId="model-memory"
    >
      <IgnoredLinkValues ignored={ignored} />
      <ModelControls state={state} parameters={parameters} update={update} uid={uid} />
      <KvCachePanel arch={arch} state={state} ledger={ledger} update={update} uid={uid} />
      {rows.length === 0 ? (
        <WidgetError>Pick at least one weight format to compare.</WidgetError>
      ) : (
        <div className={styles.section}>
          <h4 className={styles.sectionTitle}>Weights{arch ? ' + KV cache' : ''} against GPU memory</h4>
          <MemoryChart rows={rows} kv={ledger.kv} withKv={arch !== null} modelName={modelName} />
          <FitsTable rows={rows} kv={ledger.kv} withKv={arch !== null} uid={uid} />
        </div>
      )}
    </WidgetFrame>
  );
}
