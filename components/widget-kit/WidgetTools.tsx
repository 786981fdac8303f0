'use client';

import type { ReactNode, RefObject } from 'react';
import { ExportMenu } from './ExportMenu';
import { PresentButton } from './PresentButton';
import { ResetButton } from './ResetButton';

export interface WidgetToolProps {
  /** The widget's section element (WidgetFrame's). */
  frame: RefObject<HTMLElement | null>;
  /** The widget's URL state id (useWidgetState), when it has settings. */
  stateId?: string;
  /** The widget's title, for names of scenes and exported files. */
  title: ReactNode;
}

/** The tools in every widget's header: present full screen, reset, export what it shows. */
export function WidgetTools(props: WidgetToolProps) {
  return (
    <div className="widget-tools">
      <PresentButton {...props} />
      <ResetButton {...props} />
      <ExportMenu {...props} />
    </div>
  );
}
