'use client';

import { lazy, useMemo, useState } from 'react';
import { useOwnModel } from '@/components/own-model/useOwnModel';
import type { OwnLabMatrix } from '@/lib/lab/engine';
import { chooseModelMatrix, modelMatrices } from '@/lib/lab/model-matrix';
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

/** The picker and the note, loaded once the page is live (they stay off the lab pages' first load). */
export const LabOwnModel = lazy(() => import('./LabOwnModelPanel').then((m) => ({ default: m.LabOwnModel })));
