import type { ReactNode } from 'react';

/**
 * Names the values of a shared link that a widget could not use (it shows its defaults for them):
 * the `ignored` list that useWidgetState returns. Never clamp a bad value in silence: show this.
 * `children` replaces the default sentence (the list is passed in as text); `testId` for e2e.
 */
export function IgnoredLinkValues({ ignored, testId, children }: { ignored: readonly string[]; testId?: string; children?: (list: string) => ReactNode }) {
  if (ignored.length === 0) return null;
  const list = ignored.join(', ');
  return (
    <p className="error-message" role="status" data-testid={testId}>
      {children ? children(list) : `This link’s ${list} could not be used, so the default is shown.`}
    </p>
  );
}
