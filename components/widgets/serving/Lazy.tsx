'use client';

import { lazy } from 'react';
import { NearScreenWidget } from '@/components/widget-kit/NearScreenWidget';

const Quality = lazy(() => import('./KvQuantQuality').then((m) => ({ default: m.KvQuantQuality })));
const RooflineWidget = lazy(() => import('./Roofline').then((m) => ({ default: m.Roofline })));

/** The serving lesson's widgets that load tfjs or the model: their code loads when they near the screen. */
export function KvQuantQuality() {
  return (
    <NearScreenWidget title="Quantizing the KV cache of the tiny model" testId="kvq-widget">
      <Quality />
    </NearScreenWidget>
  );
}

export function Roofline() {
  return (
    <NearScreenWidget title="The roofline: bytes or FLOPs?" testId="roofline-widget">
      <RooflineWidget />
    </NearScreenWidget>
  );
}
