'use client';

import type { WidgetToolProps } from './WidgetTools';

/** Placeholder until the tool is built: renders nothing. */
export function PresentButton(props: WidgetToolProps) {
  void props;
  return null;
}
