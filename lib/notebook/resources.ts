/**
 * Library objects that hold GPU memory outside tfjs's reach (a loaded model's packed weights, a
 * trainer) register here while a cell runs, so the kernel can dispose the ones no shared name keeps
 * — when the cell fails, when it runs again, or on restart — just as it does for tensors.
 */

export interface NotebookResource {
  dispose(): void;
}

let sink: ((r: NotebookResource) => void) | null = null;

/** Called by the kernel around a run: resources made meanwhile go to `to`. */
export function collectResources(to: ((r: NotebookResource) => void) | null): void {
  sink = to;
}

/** Registers a resource made by the running cell (a no-op outside a run). Returns it. */
export function adoptResource<T extends NotebookResource>(r: T): T {
  sink?.(r);
  return r;
}
