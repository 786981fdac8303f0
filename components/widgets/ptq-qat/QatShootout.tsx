'use client';

import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';

// Placeholder until the widget lands (replaced wholesale by its implementation).
export function QatShootout() {
  return <WidgetFrame title="QatShootout" testId="placeholder-QatShootout"><p>This widget is being built.</p></WidgetFrame>;
}
