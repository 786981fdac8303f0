'use client';

import type { WidgetToolProps } from './WidgetTools';

/** Placeholder until the tool is built: renders nothing. */
export function ResetButton(props: WidgetToolProps) {
  void props;
  return null;
}
