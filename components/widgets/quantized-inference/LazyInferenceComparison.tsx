'use client';

import { lazy } from 'react';
import { NearScreenWidget } from '@/components/widget-kit/NearScreenWidget';

const Comparison = lazy(() => import('./InferenceComparison').then((m) => ({ default: m.InferenceComparison })));

/** The inference comparison, its code loaded when it nears the screen (the lesson's first load stays in budget). */
export function InferenceComparison() {
  return (
    <NearScreenWidget title="One model, six ways to store its weights" testId="inference-widget">
      <Comparison />
    </NearScreenWidget>
  );
}
