import type { Metadata } from 'next';
import { Sandbox } from '@/components/notebook/Sandbox';

export const metadata: Metadata = {
  title: 'Notebook',
  description: 'A TypeScript notebook that runs against the course’s own quantization library on your GPU: write cells, drop your own model files, share a link.',
};

export default function NotebookPage() {
  return (
    <article className="notebook-page" data-testid="notebook-page">
      <header className="lesson-header">
        <h1>Notebook</h1>
        <p className="meta">
          TypeScript cells that run in your browser against the course’s library — <code>tf</code>, <code>quant</code>, <code>formats</code>, <code>random</code>, <code>io</code>, <code>model</code> — on your GPU. Cells share their names; press Shift+Enter to run one. Nothing runs until you press Run.
        </p>
      </header>
      <Sandbox />
    </article>
  );
}
