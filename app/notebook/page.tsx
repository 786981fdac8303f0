import type { Metadata } from 'next';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Sandbox } from '@/components/notebook/Sandbox';
import { LESSONS } from '@/content/lessons';
import { parseCellFile } from '@/lib/notebook/cell-file';
import { FIRST_STEPS, lessonNotebook, OWN_MODEL_FILE, type ExampleNotebook } from '@/lib/notebook/examples';

export const metadata: Metadata = {
  title: 'Notebook',
  description: 'A TypeScript notebook that runs against the course’s own quantization library on your GPU: write cells, drop your own model files, share a link.',
};

/** The picker's notebooks, read at build time: first steps, your own file, then one per lesson from its cells. */
function examples(): ExampleNotebook[] {
  const lessons = LESSONS.map((l) => {
    const file = `content/cells/${l.slug}.ts`;
    return lessonNotebook(l.slug, l.title, parseCellFile(readFileSync(path.join(process.cwd(), file), 'utf8'), file));
  });
  return [FIRST_STEPS, OWN_MODEL_FILE, ...lessons];
}

export default function NotebookPage() {
  return (
    <article className="notebook-page" data-testid="notebook-page">
      <header className="lesson-header">
        <h1>Notebook</h1>
        <p className="meta">
          TypeScript cells that run in your browser against the course’s library — <code>tf</code>, <code>quant</code>, <code>formats</code>, <code>memory</code>, <code>lora</code>, <code>random</code>, <code>io</code>, <code>model</code>, <code>train</code> and your <code>files</code> — on your GPU. Cells share their names; press Shift+Enter to run one. Nothing runs until you press Run.
        </p>
      </header>
      <Sandbox examples={examples()} />
    </article>
  );
}
