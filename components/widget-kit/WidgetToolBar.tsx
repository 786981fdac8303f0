'use client';

import { ExportMenu } from './ExportMenu';
import { PresentButton } from './PresentButton';
import { ResetButton } from './ResetButton';
import type { WidgetToolProps } from './WidgetTools';

/** The widget's tools themselves: present full screen, reset, export what it shows (loaded by WidgetTools). */
export default function WidgetToolBar(props: WidgetToolProps) {
  return (
    <>
      <PresentButton {...props} />
      <ResetButton {...props} />
      <ExportMenu {...props} />
    </>
  );
}
