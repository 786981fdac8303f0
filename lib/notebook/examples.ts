/**
 * Example notebooks for /notebook/'s picker. (Stub with one tiny example, to be replaced by the
 * course's example notebooks: one per lesson and "Quantize your own model file".)
 */
import type { NotebookDoc } from './document';

export interface ExampleNotebook {
  id: string;
  title: string;
  doc: NotebookDoc;
}

export const EXAMPLE_NOTEBOOKS: readonly ExampleNotebook[] = [
  {
    id: 'first-steps',
    title: 'First steps: a tensor and its summary',
    doc: {
      title: 'First steps',
      cells: [
        { id: 'intro', kind: 'markdown', source: 'A normal weight vector, its summary and a histogram. Change the std and run again.' },
        { id: 'w', kind: 'code', source: 'const w = random.normal(4096, { std: 0.02, seed: 1 });\nshow(w, "weights")' },
        { id: 'hist', kind: 'code', source: 'plot.hist(w, { bins: 64, title: "weights", xLabel: "value" })' },
      ],
    },
  },
];
