'use client';

import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';

// Placeholder until the widget lands (replaced wholesale by its implementation).
export function SteExplorer() {
  return <WidgetFrame title="SteExplorer" testId="placeholder-SteExplorer"><p>This widget is being built.</p></WidgetFrame>;
}
