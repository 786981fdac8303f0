'use client';

import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';

// Placeholder until the widget lands (replaced wholesale by its implementation).
export function LoftqStart() {
  return <WidgetFrame title="LoftqStart" testId="placeholder-LoftqStart"><p>This widget is being built.</p></WidgetFrame>;
}
