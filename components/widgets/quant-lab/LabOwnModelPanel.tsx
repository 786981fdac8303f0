'use client';

import { useState } from 'react';
import { OwnModelPicker } from '@/components/own-model/OwnModelPicker';
import type { OwnModelState } from '@/components/own-model/useOwnModel';
import { LAB_MAX_ELEMENTS, labRowsThatFit, type ModelMatrix } from '@/lib/lab/model-matrix';
import { LAB_SIZES, labSizeShape } from '@/lib/lab/view';

/** What the lab takes of the learner's matrices, with the numbers, and why a link does not carry them. */
function OwnMatrixNote({ matrices }: { matrices: readonly ModelMatrix[] }) {
  const largest = labSizeShape(LAB_SIZES[LAB_SIZES.length - 1]);
  const n = (x: number) => x.toLocaleString('en-US');
  const cut = matrices.map((m) => ({ m, fit: labRowsThatFit(m.rows, m.cols) })).filter(({ fit }) => !fit.whole);
  return (
    <p className="widget-caption" data-testid="lab-own-note">
      The Matrix list holds its {matrices.length} weight matrices; the lab takes one whole up to {n(LAB_MAX_ELEMENTS)} weights ({largest.rows} × {largest.cols}, its largest size), else its first rows that fit
      {cut.length > 0 ? <> ({cut.map(({ m, fit }) => `${m.name}: ${fit.rows > 0 ? `${n(fit.rows)} of ${n(m.rows)} rows` : 'none, a row is too long'}`).join('; ')}).</> : <> (all of this model’s fit whole).</>}
      {' '}A copied link keeps the settings but not your model or its matrix: your files stay on this device.
    </p>
  );
}

/**
 * The "Your own model" picker in a lab, folded into one line until the learner opens it (a lesson
 * has several labs) and open while a model of the tab is loaded.
 */
export function LabOwnModel({ own, matrices }: { own: OwnModelState; matrices: readonly ModelMatrix[] | null }) {
  // Open once the tab has a model, until the learner folds it; as the learner left it otherwise.
  const [userOpen, setUserOpen] = useState<boolean | null>(null);
  const open = userOpen ?? own.available !== null;
  return (
    <details className="lab-own-model" open={open} onToggle={(e) => setUserOpen(e.currentTarget.open)} data-testid="lab-own-model" style={{ margin: '0.5rem 0' }}>
      <summary style={{ cursor: 'pointer', color: 'var(--fg-muted)', fontSize: '0.9rem', marginBottom: open ? '0.4rem' : 0 }}>{own.loaded ? 'Quantizing a matrix of your own model' : 'Quantize a matrix of your own GPT-2 checkpoint instead'}</summary>
      <OwnModelPicker own={own} disabled={false} usedFor="The lab’s matrix picker lists its weight matrices.">
        {matrices && <OwnMatrixNote matrices={matrices} />}
      </OwnModelPicker>
    </details>
  );
}
