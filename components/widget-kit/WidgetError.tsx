import type { ReactNode } from 'react';

/**
 * A failure or a rejected input, said in the page (role="alert" so screen readers hear it). Pass
 * the sentence as children; `testId` and `state` let e2e specs find it.
 */
export function WidgetError({ children, testId, state, id }: { children: ReactNode; testId?: string; state?: string; id?: string }) {
  return (
    <p id={id} className="error-message" role="alert" data-testid={testId} data-state={state}>
      {children}
    </p>
  );
}
