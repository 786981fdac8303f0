import { describe, expect, it } from 'vitest';
import { lessonSource } from '@/components/lesson/source';
import { LESSONS } from '@/content/lessons';
import { extractQuiz } from './quiz-ids';

describe('extractQuiz', () => {
  it('reads the lesson and the ids of the top-level question objects only', () => {
    const source = [
      'Some prose with `<Quiz>` quoted inline, and a colon id: here.',
      '',
      '```mdx',
      '<Quiz lesson="example" questions={[{ id: "in-a-fence" }]} />',
      '```',
      '',
      '<Quiz',
      '  lesson="granularity"',
      '  questions={[',
      '    {',
      "      id: 'group-scale',",
      "      kind: 'numeric',",
      "      prompt: 'A prompt that says id: \\'fake\\' and {id: \"x\"} inside a string',",
      '      answer: computeQParams(-0.12, 0.09, { bits: 4, signed: true, symmetric: true }).scale / 1,',
      '      alsoAccept: [{ answer: 0.12 / 7, note: `absmax / 7, ${"id"}` }, { id: "nested-not-a-question", answer: 2 }],',
      '      // id: "commented-out",',
      '      /* id: "also commented" */',
      '    },',
      '    { "id": "quoted-key", kind: \'choice\', options: [\'a\', \'b\'], answer: 0, explanation: `a }` },',
      '    { kind: "choice", id: `template-id`, options: ["x", "y"], answer: 1 },',
      '  ]}',
      '/>',
      '',
    ].join('\n');
    expect(extractQuiz(source)).toEqual({ lesson: 'granularity', ids: ['group-scale', 'quoted-key', 'template-id'] });
  });

  it('reads past explanations written as JSX with figure components and literal props', () => {
    const source = [
      '<Quiz',
      '  lesson="four-bit"',
      '  questions={[',
      '    {',
      "      id: 'packed-byte',",
      "      kind: 'numeric',",
      '      explanation: <>12 × 16 + 5 = <NF4ExampleFact x={[0.8, -0.3]} show="byteDecimal" />, or (<NF4ExampleFact x={[0.8, -0.3]} show="byteBits" />).</>,',
      '    },',
      "    { id: 'scale', kind: 'numeric', explanation: <>α / r = <LoraScaleFormula alpha={16} r={64} rs /> — id: no.</> },",
      '  ]}',
      '/>',
    ].join('\n');
    expect(extractQuiz(source)?.ids).toEqual(['packed-byte', 'scale']);
  });

  it('decodes escapes in ids', () => {
    expect(extractQuiz(`<Quiz lesson='l' questions={[{ id: 'it\\u2019s' }, { id: "a\\"b" }]} />`)?.ids).toEqual(['it’s', 'a"b']);
  });

  it('is null when the lesson has no quiz, and an empty list for an empty quiz', () => {
    expect(extractQuiz('# A lesson\n\nNo quiz here.\n')).toBeNull();
    expect(extractQuiz('<Quiz lesson="l" questions={[]} />')).toEqual({ lesson: 'l', ids: [] });
  });

  it.each([
    ['a spread element', '<Quiz lesson="l" questions={[...common]} />', 'question 1 is not an object literal'],
    ['a variable element', '<Quiz lesson="l" questions={[{ id: "a" }, q2]} />', 'question 2 is not an object literal'],
    ['a variable array', '<Quiz lesson="l" questions={questions} />', 'must hold an array literal'],
    ['a computed id', '<Quiz lesson="l" questions={[{ id: prefix + "a" }]} />', 'not a string literal'],
    ['an id built from strings', '<Quiz lesson="l" questions={[{ id: "a" + suffix }]} />', 'not a string literal'],
    ['a template id with a substitution', '<Quiz lesson="l" questions={[{ id: `q${n}` }]} />', 'not a string literal'],
    ['a spread property', '<Quiz lesson="l" questions={[{ ...base, kind: "choice" }]} />', 'spreads another object'],
    ['no id', '<Quiz lesson="l" questions={[{ kind: "choice" }]} />', 'question 1 has no id'],
    ['no questions', '<Quiz lesson="l" />', 'no questions={[…]} attribute'],
    ['two quizzes', '<Quiz lesson="l" questions={[]} />\n\n<Quiz lesson="m" questions={[]} />', '2 <Quiz> elements'],
    ['an unclosed array', '<Quiz lesson="l" questions={[{ id: "a" }', 'not closed'],
  ])('names the problem for %s', (_name, source, message) => {
    expect(() => extractQuiz(source)).toThrow(message);
  });
});

describe('the lessons’ quizzes', () => {
  for (const lesson of LESSONS) {
    it(`${lesson.slug}: the quiz is for this lesson, has questions, and its ids are distinct`, () => {
      const quiz = extractQuiz(lessonSource(lesson.slug));
      expect(quiz).not.toBeNull();
      expect(quiz?.lesson).toBe(lesson.slug);
      expect(quiz?.ids.length).toBeGreaterThan(0);
      expect(new Set(quiz?.ids).size).toBe(quiz?.ids.length);
    });
  }

  it('reads the ids the rendered quiz uses (why-quantize, checked by e2e)', () => {
    expect(extractQuiz(lessonSource('why-quantize'))?.ids).toEqual(['reduces', 'stage', 'resource', 'seven-b-fp16']);
  });
});
