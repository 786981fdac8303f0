'use client';

import { useSyncExternalStore } from 'react';
import { widgetStates } from '@/lib/url/widget-registry';
import type { WidgetToolProps } from './WidgetTools';

/**
 * Puts the widget's settings back to its defaults (the `base` it gave useWidgetState), through
 * lib/url/widget-registry, without a reload; the address loses its parameters with them. Shown only
 * for a widget whose settings are registered: a widget with nothing to reset gets no dead button.
 */
export function ResetButton({ stateId }: WidgetToolProps) {
  const registered = useSyncExternalStore(
    widgetStates.subscribe,
    () => stateId !== undefined && widgetStates.get(stateId) !== undefined,
    () => false,
  );
  if (!registered || stateId === undefined) return null;
  return (
    <button type="button" className="widget-tool" onClick={() => widgetStates.reset(stateId)} title="Back to this widget’s default settings" data-testid="widget-reset">
      Reset settings
    </button>
  );
}
