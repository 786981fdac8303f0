'use client';

import { lazy } from 'react';
import { NearScreenWidget } from '@/components/widget-kit/NearScreenWidget';

const Quality = lazy(() => import('./KvQuantQuality').then((m) => ({ default: m.KvQuantQuality })));

/** The KV-cache quantization widget, its code loaded when it nears the screen (the model's code loads on Measure). */
export function KvQuantQuality() {
  return (
    <NearScreenWidget title="Quantizing the KV cache of the tiny model" testId="kvq-widget">
      <Quality />
    </NearScreenWidget>
  );
}
