/**
 * Reads a lesson's quiz out of its MDX source without running it: the `lesson` attribute and
 * the question ids of the `<Quiz lesson="…" questions={[{ id: '…', … }, …]} />` element. The
 * course home is a server component that cannot evaluate the MDX's questions (their explanations
 * may be JSX with figure components), but it needs the current ids to count only answers to questions that
 * still exist; this reads them at build time from the source text.
 *
 * The `questions` expression is tokenized as JavaScript (strings with escapes, template literals
 * with `${…}`, comments, nested brackets) and walked: each element of the top-level array must be
 * an object literal whose `id` property is a string literal. Anything else — a spread, a variable,
 * a computed id — throws an Error naming the problem, so a quiz the home cannot count fails the
 * build (and the unit test over the real lessons) instead of showing a wrong count. Regular
 * expression literals are not recognised (quiz questions have none).
 */

/** What {@link extractQuiz} finds: the quiz's `lesson` attribute and its question ids, in order. */
export interface QuizOutline {
  lesson: string | null;
  ids: string[];
}

type Token =
  | { kind: 'punct'; value: string; at: number }
  | { kind: 'string'; value: string; template: boolean; at: number }
  | { kind: 'word'; value: string; at: number };

const OPEN: Record<string, string> = { '{': '}', '[': ']', '(': ')' };
const CLOSE = new Set(['}', ']', ')']);

function fail(message: string): never {
  throw new Error(`Quiz questions: ${message}`);
}

/** Decodes the escapes of a JavaScript string literal body: \n, \t, \uXXXX, \u{…}, \xXX, a line continuation, or the character itself. */
function unescape(body: string): string {
  return body.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r\n|[\s\S])/g, (_m, e: string) => {
    if (e.startsWith('u{')) return String.fromCodePoint(parseInt(e.slice(2, -1), 16));
    if (e.length > 1 && (e[0] === 'u' || e[0] === 'x')) return String.fromCharCode(parseInt(e.slice(1), 16));
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0', '\n': '', '\r\n': '' };
    return Object.hasOwn(simple, e) ? simple[e] : e;
  });
}

/**
 * Tokenizes the JavaScript expression that starts with the opening bracket at `start` and ends
 * with the bracket that closes it. Returns the tokens (brackets included) and the index just past
 * the end.
 */
function tokenizeExpression(src: string, start: number): { tokens: Token[]; end: number } {
  const tokens: Token[] = [];
  const stack: string[] = [];
  let i = start;
  // Each open template literal's brace depth at its `${`, so its `}` returns to the template.
  const templates: number[] = [];

  const scanTemplate = (from: number): number => {
    // from: just after a backtick or the `}` closing a `${…}`. Returns the index after the closing backtick, or pushes `${`.
    let j = from;
    let body = '';
    while (j < src.length) {
      const c = src[j];
      if (c === '\\') {
        body += src.slice(j, j + 2);
        j += 2;
      } else if (c === '`') {
        tokens.push({ kind: 'string', value: unescape(body), template: true, at: from });
        return j + 1;
      } else if (c === '$' && src[j + 1] === '{') {
        // A template with substitutions: its value is not a constant.
        tokens.push({ kind: 'word', value: '`${', at: j });
        stack.push('{');
        templates.push(stack.length);
        return j + 2;
      } else {
        body += c;
        j += 1;
      }
    }
    return fail(`a template literal is not closed (at ${from}).`);
  };

  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === '/' && src[i + 1] === '/') {
      const nl = src.indexOf('\n', i);
      i = nl < 0 ? src.length : nl + 1;
    } else if (c === '/' && src[i + 1] === '*') {
      const close = src.indexOf('*/', i + 2);
      if (close < 0) fail(`a comment is not closed (at ${i}).`);
      i = close + 2;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== c && src[j] !== '\n') j += src[j] === '\\' ? 2 : 1;
      if (src[j] !== c) fail(`a string is not closed (at ${i}).`);
      tokens.push({ kind: 'string', value: unescape(src.slice(i + 1, j)), template: false, at: i });
      i = j + 1;
    } else if (c === '`') {
      i = scanTemplate(i + 1);
    } else if (Object.hasOwn(OPEN, c)) {
      stack.push(c);
      tokens.push({ kind: 'punct', value: c, at: i });
      i += 1;
    } else if (CLOSE.has(c)) {
      const open = stack.pop();
      if (open === undefined || OPEN[open] !== c) fail(`"${c}" at ${i} closes nothing it matches.`);
      if (c === '}' && templates.length > 0 && templates[templates.length - 1] === stack.length + 1) {
        templates.pop();
        i = scanTemplate(i + 1);
        continue;
      }
      tokens.push({ kind: 'punct', value: c, at: i });
      i += 1;
      if (stack.length === 0) return { tokens, end: i };
    } else if (c === ',' || c === ':') {
      tokens.push({ kind: 'punct', value: c, at: i });
      i += 1;
    } else if (c === '.' && src.startsWith('...', i)) {
      tokens.push({ kind: 'punct', value: '...', at: i });
      i += 3;
    } else {
      // Identifiers, numbers and other operators: one token per run of such characters.
      let j = i + 1;
      while (j < src.length && !/[\s"'`{}[\](),:/]/.test(src[j]) && !src.startsWith('...', j)) j += 1;
      tokens.push({ kind: 'word', value: src.slice(i, j), at: i });
      i = j;
    }
  }
  return fail('the questions expression is not closed.');
}

/** The ids of the object literals in the array of `questions={[ … ]}`, from its tokens (outer braces included). */
function idsFromTokens(tokens: readonly Token[]): string[] {
  const t = tokens;
  if (t.length < 4 || t[0].value !== '{' || t[1].value !== '[' || t[t.length - 2].value !== ']' || t[t.length - 1].value !== '}') {
    fail('questions={…} must hold an array literal of question objects.');
  }
  const ids: string[] = [];
  let i = 2;
  const end = t.length - 2;
  let element = 0;
  while (i < end) {
    element += 1;
    if (t[i].kind !== 'punct' || t[i].value !== '{') fail(`question ${element} is not an object literal.`);
    // Walk the object's top level: key ':' value (',' key ':' value)*.
    let depth = 0;
    let id: string | null = null;
    let expectKey = true;
    for (;;) {
      const tok = t[i];
      if (tok.kind === 'punct' && Object.hasOwn(OPEN, tok.value)) {
        depth += 1;
        i += 1;
        if (depth === 1) expectKey = true;
        continue;
      }
      if (tok.kind === 'punct' && CLOSE.has(tok.value)) {
        depth -= 1;
        i += 1;
        if (depth === 0) break;
        continue;
      }
      if (depth === 1 && tok.kind === 'punct' && tok.value === ',') {
        expectKey = true;
        i += 1;
        continue;
      }
      if (depth === 1 && expectKey) {
        expectKey = false;
        if (tok.kind === 'punct' && tok.value === '...') fail(`question ${element} spreads another object; write its id out.`);
        const key = tok.kind === 'string' && !tok.template ? tok.value : tok.kind === 'word' ? tok.value : null;
        if (key === 'id' && t[i + 1]?.value === ':') {
          const value = t[i + 2];
          if (value?.kind !== 'string' || t[i + 3]?.kind === 'word') fail(`question ${element} has an id that is not a string literal.`);
          if (id !== null) fail(`question ${element} has two ids.`);
          id = value.value;
          i += 3;
          continue;
        }
      }
      i += 1;
    }
    if (id === null) fail(`question ${element} has no id.`);
    ids.push(id);
    if (i < end) {
      if (t[i].value !== ',') fail(`question ${element} is followed by "${t[i].value}", not a comma.`);
      i += 1;
    }
  }
  return ids;
}

/** The source with the contents of fenced code blocks blanked (same length), so examples in them are not read. */
function blankFences(source: string): string {
  let fence: string | null = null;
  return source
    .split('\n')
    .map((line) => {
      const m = /^\s*(```|~~~)/.exec(line);
      if (m) {
        if (fence === null) fence = m[1];
        else if (fence === m[1]) fence = null;
        return ' '.repeat(line.length);
      }
      return fence !== null ? ' '.repeat(line.length) : line;
    })
    .join('\n');
}

/**
 * The quiz of a lesson's MDX source: its `lesson` attribute and its question ids in order, or
 * null when the source has no `<Quiz` element (at the start of a line, outside fenced code). Throws an Error naming the
 * problem when there are two quizzes, no `questions={[…]}` attribute, or a question whose id is
 * not a string literal ({@link idsFromTokens}).
 */
export function extractQuiz(source: string): QuizOutline | null {
  const text = blankFences(source);
  // A JSX element in MDX's flow starts its line; `<Quiz` quoted inline in prose does not.
  const starts = [...text.matchAll(/^[ \t]*<Quiz(?=[\s/>])/gm)].map((m) => m.index + m[0].indexOf('<'));
  if (starts.length === 0) return null;
  if (starts.length > 1) fail(`the lesson has ${starts.length} <Quiz> elements; the course counts one per lesson.`);
  let i = starts[0] + '<Quiz'.length;
  let lesson: string | null = null;
  let ids: string[] | null = null;
  for (;;) {
    while (i < text.length && /\s/.test(text[i])) i += 1;
    if (i >= text.length) fail('the <Quiz> element is not closed.');
    if (text.startsWith('/>', i) || text[i] === '>') break;
    const name = /^[A-Za-z_$][\w$-]*/.exec(text.slice(i, i + 100))?.[0];
    if (!name) fail(`unexpected "${text[i]}" in the <Quiz> element.`);
    i += name.length;
    while (/\s/.test(text[i] ?? '')) i += 1;
    if (text[i] !== '=') continue;
    i += 1;
    while (/\s/.test(text[i] ?? '')) i += 1;
    const q = text[i];
    if (q === '"' || q === "'") {
      const close = text.indexOf(q, i + 1);
      if (close < 0) fail(`the ${name} attribute is not closed.`);
      if (name === 'lesson') lesson = text.slice(i + 1, close);
      i = close + 1;
    } else if (q === '{') {
      const { tokens, end } = tokenizeExpression(text, i);
      if (name === 'lesson') {
        if (tokens.length === 3 && tokens[1].kind === 'string') lesson = tokens[1].value;
        else fail('the lesson attribute is not a string.');
      }
      if (name === 'questions') ids = idsFromTokens(tokens);
      i = end;
    } else {
      fail(`the ${name} attribute has no value.`);
    }
  }
  if (ids === null) fail('the <Quiz> element has no questions={[…]} attribute.');
  return { lesson, ids };
}
