'use client';

import { useState } from 'react';
import { shortNumber } from '@/lib/formats/display';
import type { MergeCheck } from './useTrainerSession';

/** The adapter's export (PEFT files), the merge check, and the import of a saved adapter. */
export function AdapterPanel({ canUse, running, busy, merge, onExport, onMerge, onImport }: {
  /** A run exists to export or merge. */
  canUse: boolean;
  running: boolean;
  busy: boolean;
  merge: MergeCheck | null;
  onExport: () => void;
  onMerge: () => void;
  onImport: (weights: File | null, config: File | null) => void;
}) {
  const [files, setFiles] = useState<{ weights: File | null; config: File | null }>({ weights: null, config: null });
  return (
    <>
      <h4 className="nl-subtitle">The adapter: export, import, merge</h4>
      <div className="controls controls-inline">
        <button type="button" onClick={onExport} disabled={!canUse || running} data-testid="qlora-export">Export adapter (PEFT safetensors + adapter_config.json)</button>
        <button type="button" onClick={onMerge} disabled={!canUse || running || busy} data-testid="qlora-merge">Merge into the base and compare</button>
      </div>
      {merge && (
        <p className="widget-caption" data-testid="qlora-merge-result">
          Held-out loss with the adapter: {shortNumber(merge.adapterLoss, 6)}; merged model, W₀ + (α/r)·B·A in FP32: {shortNumber(merge.mergedLoss, 6)} (difference {shortNumber(Math.abs(merge.mergedLoss - merge.adapterLoss), 2)}).
        </p>
      )}
      <div className="controls controls-inline">
        <label className="control"><span>adapter_model.safetensors</span><input type="file" accept=".safetensors" onChange={(e) => setFiles((f) => ({ ...f, weights: e.target.files?.[0] ?? null }))} data-testid="qlora-import-weights" /></label>
        <label className="control"><span>adapter_config.json</span><input type="file" accept=".json,application/json" onChange={(e) => setFiles((f) => ({ ...f, config: e.target.files?.[0] ?? null }))} data-testid="qlora-import-config" /></label>
        <button type="button" onClick={() => onImport(files.weights, files.config)} disabled={running || busy} data-testid="qlora-import">Import</button>
      </div>
    </>
  );
}
