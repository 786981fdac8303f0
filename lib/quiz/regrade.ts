/**
 * Grading stored answers again against the questions a lesson has now. A lesson's quiz may
 * change after a learner answered it — an answer corrected, a tolerance widened, an `alsoAccept`
 * convention or a unit added — and the stored verdicts were made against the old question. When
 * the quiz mounts it re-grades every stored answer whose question still exists with
 * {@link gradeQuestion} and keeps the record if nothing changed, or updates it (marked
 * `regraded`, so the quiz can say the question changed) if the outcome did. Answers to ids the
 * quiz no longer has are left in the record untouched; the score and the course home count only
 * the current ids (summarizeQuiz's `questionIds`).
 */
import { gradeQuestion, type QuizQuestion } from './grade';
import type { QuizResult, StoredAnswer } from './storage';

/** The result after {@link regradeQuizResult}, and whether any answer changed or was dropped. */
export interface RegradedResult {
  result: QuizResult;
  changed: boolean;
}

/**
 * One stored answer graded again against `question` (scoring by first attempt, as
 * lib/quiz/storage's recordCheck):
 * - `correct` is the stored (last) response graded now;
 * - `firstCorrect` is the first response graded now — `firstResponse`, or the response itself
 *   when there was one try; for records that did not keep the first response it stays as stored;
 * - `retryCorrect` ("correct on retry") needs a wrong first try and more than one try; if the
 *   last response is now right it holds when it did before or the answer was never shown (the
 *   last check then came before any reveal); if it is now wrong it holds only when an earlier
 *   right retry gave it, i.e. when it held and the last response was already wrong before.
 * `revealed`, `tries` and `at` are kept. Returns the same object when no outcome changed, a copy
 * with `regraded: true` when one did, and null when the response no longer fits the question
 * (a choice index for what is now a numeric question, a unit the question no longer takes):
 * such an answer is no answer to it.
 */
export function regradeAnswer(answer: StoredAnswer, question: QuizQuestion<unknown>): StoredAnswer | null {
  const last = gradeQuestion(question, answer.response);
  if (last.status === 'invalid') return null;
  const correct = last.status === 'correct';
  const first = answer.firstResponse ?? (answer.tries === 1 ? answer.response : undefined);
  const firstCorrect = first === undefined ? answer.firstCorrect : gradeQuestion(question, first).status === 'correct';
  let retryCorrect: boolean;
  if (firstCorrect || answer.tries < 2) retryCorrect = false;
  else if (correct) retryCorrect = answer.retryCorrect || !answer.revealed;
  else retryCorrect = answer.retryCorrect && !answer.correct;
  if (correct === answer.correct && firstCorrect === answer.firstCorrect && retryCorrect === answer.retryCorrect) return answer;
  return { ...answer, correct, firstCorrect, retryCorrect, regraded: true };
}

/**
 * Every stored answer whose id is one of `questions` graded again ({@link regradeAnswer});
 * answers that no longer fit their question are dropped, answers to other ids kept as they are.
 * `changed` says whether the record should be written back. The questions must be valid
 * (validateQuestions), as grading throws on a bad tolerance.
 */
export function regradeQuizResult(result: QuizResult, questions: readonly QuizQuestion<unknown>[]): RegradedResult {
  const byId = new Map(questions.map((q) => [q.id, q] as const));
  let changed = false;
  const entries: Array<readonly [string, StoredAnswer]> = [];
  for (const [id, answer] of Object.entries(result.answers)) {
    const question = byId.get(id);
    const regraded = question ? regradeAnswer(answer, question) : answer;
    if (regraded !== answer) changed = true;
    if (regraded) entries.push([id, regraded]);
  }
  if (!changed) return { result, changed };
  // Object.fromEntries defines own properties, so even an id like "__proto__" stays plain data.
  return { result: { version: 1, answers: Object.fromEntries(entries) }, changed };
}
