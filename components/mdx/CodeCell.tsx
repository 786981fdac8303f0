import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LazyLessonCell } from '@/components/notebook/LazyLessonCell';
import { parseCellFile } from '@/lib/notebook/cell-file';

/**
 * A lesson's code cell, for MDX: `<CodeCell lesson="granularity" cell="block-size" caption="…" />`.
 * Reads content/cells/<lesson>.ts at build time (one TypeScript file per lesson, cells split on
 * `// %% <id>` lines) and renders the editable, runnable cell. The page's cells share one kernel
 * (LessonPage provides it).
 */
export function CodeCell({ lesson, cell, caption }: { lesson: string; cell: string; caption?: string }) {
  const file = path.join('content', 'cells', `${lesson}.ts`);
  const entries = parseCellFile(readFileSync(path.join(process.cwd(), file), 'utf8'), file);
  const entry = entries.find((c) => c.id === cell);
  if (!entry) throw new Error(`${file} has no cell "${cell}" (it has ${entries.map((c) => c.id).join(', ')}).`);
  return <LazyLessonCell notebookId={lesson} cellId={cell} original={entry.source} caption={caption} />;
}
