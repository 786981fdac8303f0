'use client';

import { lazy } from 'react';
import { NearScreenWidget } from '@/components/widget-kit/NearScreenWidget';

const Ste = lazy(() => import('./SteExplorer').then((m) => ({ default: m.SteExplorer })));
const Shootout = lazy(() => import('./QatShootout').then((m) => ({ default: m.QatShootout })));
const Calibration = lazy(() => import('./CalibrationSize').then((m) => ({ default: m.CalibrationSize })));
const Loftq = lazy(() => import('./LoftqStart').then((m) => ({ default: m.LoftqStart })));

/** The PTQ vs QAT lesson's widgets, their code (tfjs, the model, the trainer worker) loaded when they near the screen. */
export function SteExplorer() {
  return (
    <NearScreenWidget title="Rounding’s gradient: the straight-through estimator" testId="ste-explorer">
      <Ste />
    </NearScreenWidget>
  );
}

export function QatShootout() {
  return (
    <NearScreenWidget title="PTQ against QAT on the tiny model" testId="qat-shootout">
      <Shootout />
    </NearScreenWidget>
  );
}

export function CalibrationSize() {
  return (
    <NearScreenWidget title="How much calibration text is enough?" testId="calibration-size">
      <Calibration />
    </NearScreenWidget>
  );
}

export function LoftqStart() {
  return (
    <NearScreenWidget title="QLoRA’s starting point: zero-B against LoftQ" testId="loftq-start">
      <Loftq />
    </NearScreenWidget>
  );
}
