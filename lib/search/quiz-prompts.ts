/**
 * The prompts of a lesson's quiz, read from its MDX source at build time for the search index
 * (./build). lib/lessons/quiz-ids reads the question ids and checks their shape; this reads, in the
 * `<Quiz …>` element, each `id: '…'` and the `prompt: '…'` that follows it, both string literals
 * (single, double or backtick quotes without substitutions). The unit test checks that the ids
 * found here are those quiz-ids finds, for every lesson.
 */

/** One question's id and prompt. */
export interface QuizPrompt {
  id: string;
  prompt: string;
}

/** A JavaScript string literal's body with its escapes decoded (\n, \t, \uXXXX, \u{…}, \xXX, or the character itself). */
function unescape(body: string): string {
  return body.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[\s\S])/g, (_m, e: string) => {
    if (e.startsWith('u{')) return String.fromCodePoint(parseInt(e.slice(2, -1), 16));
    if (e.length > 1) return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[e] ?? e;
  });
}

/** The string literal that starts at `at` (its opening quote): its decoded value and the index after it; null when not closed or when a template has `${`. */
function readString(src: string, at: number): { value: string; end: number } | null {
  const quote = src[at];
  let j = at + 1;
  while (j < src.length && src[j] !== quote) {
    if (src[j] === '\\') j += 2;
    else if (quote === '`' && src.startsWith('${', j)) return null;
    else if (quote !== '`' && src[j] === '\n') return null;
    else j += 1;
  }
  return j < src.length ? { value: unescape(src.slice(at + 1, j)), end: j + 1 } : null;
}

/**
 * The quiz's questions as `{ id, prompt }`, in order, from the `<Quiz` element that starts a line
 * of `source`; empty when there is none. A prompt belongs to the `id` before it. Throws an Error
 * when a question has an id but no prompt literal, so a quiz the index cannot read fails the build
 * and the test rather than going missing from search.
 */
export function quizPrompts(source: string): QuizPrompt[] {
  const start = /^[ \t]*<Quiz(?=[\s/>])/m.exec(source);
  if (!start) return [];
  const text = source.slice(start.index);
  const out: QuizPrompt[] = [];
  let pendingId: string | null = null;
  const key = /\b(id|prompt)\s*:\s*(['"`])/g;
  for (let m = key.exec(text); m; m = key.exec(text)) {
    const literal = readString(text, m.index + m[0].length - 1);
    if (!literal) throw new Error(`Quiz prompts: the ${m[1]} at ${start.index + m.index} is not a plain string literal.`);
    key.lastIndex = literal.end;
    if (m[1] === 'id') {
      if (pendingId !== null) throw new Error(`Quiz prompts: question "${pendingId}" has no prompt.`);
      pendingId = literal.value;
    } else if (pendingId !== null) {
      out.push({ id: pendingId, prompt: literal.value });
      pendingId = null;
    }
  }
  if (pendingId !== null) throw new Error(`Quiz prompts: question "${pendingId}" has no prompt.`);
  return out;
}
