/**
 * Numeric quiz answers computed by code rather than written in a lesson's MDX. A lesson holds no
 * JavaScript (docs/design.md rule 7): a numeric question whose expected value is a computation
 * (a scale from lib/quant, a parameter count from lib/lora, …) leaves `answer` out, and the value
 * comes from a table of computed answers keyed by question id (lib/lessons/quiz-answers.ts).
 * The same goes for the values of its `alsoAccept` entries, matched by position.
 */
import type { AcceptedAnswer, ChoiceQuestion, NumericQuestion, QuizQuestion } from './grade';

/** A numeric question's computed expected value, and the values of its `alsoAccept` entries in order. */
export interface ComputedAnswer {
  answer: number;
  alsoAccept?: readonly number[];
}

/** A lesson's computed answers, by question id. */
export type ComputedAnswers = Readonly<Record<string, ComputedAnswer>>;

/** An `alsoAccept` entry as written in MDX: its value may come from the computed answers. */
export type AuthoredAcceptedAnswer = Omit<AcceptedAnswer, 'answer'> & { answer?: number };

/** A numeric question as written in MDX: `answer` (and the values of `alsoAccept`) may come from the computed answers. */
export type AuthoredNumericQuestion<Rich = string> = Omit<NumericQuestion<Rich>, 'answer' | 'alsoAccept'> & {
  answer?: number;
  alsoAccept?: readonly AuthoredAcceptedAnswer[];
};

/** A question as written in a lesson's MDX. */
export type AuthoredQuestion<Rich = string> = ChoiceQuestion<Rich> | AuthoredNumericQuestion<Rich>;

function fail(quiz: string, message: string): never {
  throw new Error(`Quiz "${quiz}": ${message}`);
}

/**
 * The questions with their computed answers filled in. For each numeric question with an entry
 * in `computed`, `answer` and the `alsoAccept` values come from the entry; the MDX must leave
 * them out (a value in both places is ambiguous), and the entry must give exactly one value per
 * `alsoAccept` entry. Throws an Error naming the quiz (`quiz`, the lesson's slug) and the
 * problem when a computed answer names no numeric question of the quiz, when a value is given
 * twice or not at all, or when the counts differ — at build time, as lessons render then.
 * Other problems (a non-finite value, a bad tolerance) are left to lib/quiz/grade
 * validateQuestions, which the quiz shows.
 */
export function withComputedAnswers<Rich>(quiz: string, questions: readonly AuthoredQuestion<Rich>[], computed: ComputedAnswers = {}): QuizQuestion<Rich>[] {
  for (const id of Object.keys(computed)) {
    const q = questions.find((x) => x.id === id);
    if (!q) fail(quiz, `a computed answer is given for "${id}", which is not one of its questions.`);
    if (q.kind !== 'numeric') fail(quiz, `a computed answer is given for "${id}", which is not a numeric question.`);
  }
  return questions.map((q): QuizQuestion<Rich> => {
    if (q.kind !== 'numeric') return q;
    const entry = Object.hasOwn(computed, q.id) ? computed[q.id] : undefined;
    const authored = q.alsoAccept ?? [];
    if (!entry) {
      if (q.answer === undefined) fail(quiz, `question "${q.id}" has no answer: write one, or compute it.`);
      authored.forEach((alt, j) => {
        if (alt.answer === undefined) fail(quiz, `question "${q.id}", alsoAccept[${j}], has no answer.`);
      });
      return q as NumericQuestion<Rich>;
    }
    if (q.answer !== undefined) fail(quiz, `question "${q.id}" has an answer in the lesson and a computed one.`);
    const values = entry.alsoAccept ?? [];
    if (values.length !== authored.length) {
      fail(quiz, `question "${q.id}" has ${authored.length} alsoAccept entries but ${values.length} computed values for them.`);
    }
    const alsoAccept = authored.map((alt, j): AcceptedAnswer => {
      if (alt.answer !== undefined) fail(quiz, `question "${q.id}", alsoAccept[${j}], has an answer in the lesson and a computed one.`);
      return { ...alt, answer: values[j] };
    });
    const filled: NumericQuestion<Rich> = { ...q, answer: entry.answer, alsoAccept };
    if (q.alsoAccept === undefined) delete filled.alsoAccept;
    return filled;
  });
}
