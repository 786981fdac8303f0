'use client';

import { useMemo, useState } from 'react';
import { OwnModelPicker } from '@/components/own-model/OwnModelPicker';
import { useOwnModel, type OwnModelState } from '@/components/own-model/useOwnModel';
import type { OwnLabMatrix } from '@/lib/lab/engine';
import { chooseModelMatrix, LAB_MAX_ELEMENTS, labRowsThatFit, modelMatrices, type ModelMatrix } from '@/lib/lab/model-matrix';
import { matrixLabel, modelMatrixNames } from '@/lib/model/tiny-model';

/** The Matrix select's choices: the tiny model's matrices, or the learner's model's with their shapes. */
export interface MatrixChoice {
  /** The Weights select's name for 'model'. */
  sourceLabel: string;
  options: readonly { value: string; label: string }[];
  value: string;
  onChange: (value: string) => void;
}

const TINY_OPTIONS = modelMatrixNames().map((m) => ({ value: m, label: matrixLabel(m) }));

/**
 * The learner's own checkpoint in one lab: the tab's model (useOwnModel) while this lab offers it
 * (`enabled`: a lab with the Weights control on 'model'), the matrices it holds, the one chosen
 * (kept out of the view and the URL: the files never leave the device) and the Matrix select's
 * choices, the tiny model's when no model of the learner's is used.
 */
export function useLabOwnMatrix(enabled: boolean, viewLayer: string, onTinyLayer: (layer: string) => void) {
  const own = useOwnModel();
  const [choice, setChoice] = useState<string | null>(null);
  const loaded = enabled ? own.loaded : null;
  const matrices = useMemo(() => (loaded ? modelMatrices(loaded.weights.shapes) : null), [loaded]);
  const layer = matrices ? chooseModelMatrix(matrices, choice, viewLayer) : null;
  const source = useMemo<OwnLabMatrix | null>(() => (loaded && layer ? { label: loaded.label, weights: loaded.weights, layer } : null), [loaded, layer]);
  const matrixChoice = useMemo<MatrixChoice>(() => (matrices && layer
    ? { sourceLabel: 'Your model’s trained weights', options: matrices.map((m) => ({ value: m.name, label: m.label })), value: layer, onChange: setChoice }
    : { sourceLabel: 'Tiny model’s trained weights', options: TINY_OPTIONS, value: viewLayer, onChange: onTinyLayer }), [matrices, layer, viewLayer, onTinyLayer]);
  return { own, matrices, source, matrixChoice, resetChoice: () => setChoice(null) };
}

/** What the lab takes of the learner's matrices, with the numbers, and why a link does not carry them. */
function OwnMatrixNote({ matrices }: { matrices: readonly ModelMatrix[] }) {
  const n = (x: number) => x.toLocaleString('en-US');
  const cut = matrices.map((m) => ({ m, fit: labRowsThatFit(m.rows, m.cols) })).filter(({ fit }) => !fit.whole);
  return (
    <p className="widget-caption" data-testid="lab-own-note">
      The Matrix list holds its {matrices.length} weight matrices; the lab takes one whole up to {n(LAB_MAX_ELEMENTS)} weights (2048 × 2048, its largest size), else its first rows that fit
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
      <summary style={{ cursor: 'pointer', color: 'var(--fg-muted)', marginBottom: open ? '0.4rem' : 0 }}>{own.loaded ? 'Quantizing a matrix of your own model' : 'Quantize a matrix of your own GPT-2 checkpoint instead'}</summary>
      <OwnModelPicker own={own} disabled={false} usedFor="The lab’s matrix picker lists its weight matrices.">
        {matrices && <OwnMatrixNote matrices={matrices} />}
      </OwnModelPicker>
    </details>
  );
}
