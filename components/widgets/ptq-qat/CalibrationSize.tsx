'use client';

import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';

// Placeholder until the widget lands (replaced wholesale by its implementation).
export function CalibrationSize() {
  return <WidgetFrame title="CalibrationSize" testId="placeholder-CalibrationSize"><p>This widget is being built.</p></WidgetFrame>;
}
