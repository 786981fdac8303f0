'use client';

import { lazy } from 'react';
import { NearScreenWidget } from '@/components/widget-kit/NearScreenWidget';

const Heatmap = lazy(() => import('./ActivationHeatmap').then((m) => ({ default: m.ActivationHeatmap })));
const Int8 = lazy(() => import('./Int8Decomposition').then((m) => ({ default: m.Int8Decomposition })));
const Smooth = lazy(() => import('./SmoothingAlpha').then((m) => ({ default: m.SmoothingAlpha })));
const Schemes = lazy(() => import('./SchemeComparison').then((m) => ({ default: m.SchemeComparison })));

/** The lesson's widgets, each loaded when it nears the screen (the capture starts with the first). */
export function ActivationHeatmap() {
  return <NearScreenWidget title="Activation magnitudes of a layer’s input" testId="act-heatmap"><Heatmap /></NearScreenWidget>;
}
export function Int8Decomposition() {
  return <NearScreenWidget title="LLM.int8(): keep the outlier columns in float" testId="act-int8"><Int8 /></NearScreenWidget>;
}
export function SmoothingAlpha() {
  return <NearScreenWidget title="SmoothQuant: migrate the difficulty from X to W" testId="act-smooth"><Smooth /></NearScreenWidget>;
}
export function SchemeComparison() {
  return <NearScreenWidget title="W8A8 against weight-only quantization, on the whole model" testId="act-schemes"><Schemes /></NearScreenWidget>;
}
