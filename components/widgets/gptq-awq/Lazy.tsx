'use client';

import { lazy } from 'react';
import { NearScreenWidget } from '@/components/widget-kit/NearScreenWidget';

const Stepper = lazy(() => import('./GptqStepper').then((m) => ({ default: m.GptqStepper })));
const Curve = lazy(() => import('./AwqCurve').then((m) => ({ default: m.AwqCurve })));
const Table = lazy(() => import('./MethodsTable').then((m) => ({ default: m.MethodsTable })));

/** The lesson's widgets, their code (and the model capture) loaded when they near the screen. */
export function GptqStepper() {
  return (
    <NearScreenWidget title="GPTQ, one column at a time" testId="gptq-stepper">
      <Stepper />
    </NearScreenWidget>
  );
}

export function AwqCurve() {
  return (
    <NearScreenWidget title="AWQ’s α search" testId="awq-curve">
      <Curve />
    </NearScreenWidget>
  );
}

export function MethodsTable() {
  return (
    <NearScreenWidget title="RTN, GPTQ and AWQ on the whole model" testId="methods-table">
      <Table />
    </NearScreenWidget>
  );
}
