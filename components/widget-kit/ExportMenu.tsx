'use client';

import type { WidgetToolProps } from './WidgetTools';

/** Placeholder until the tool is built: renders nothing. */
export function ExportMenu(props: WidgetToolProps) {
  void props;
  return null;
}
