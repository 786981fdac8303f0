/**
 * What one quiz question shows, derived from its stored answer, the learner's unchecked edit
 * and whether the last Check found nothing gradable. Pure: components/mdx/quiz renders these
 * values and holds only the edits and the checked answers as React state.
 */
import { gradeQuestion, type AcceptedAnswer, type QuizQuestion, type QuizResponse } from './grade';
import { answerOutcome, type AnswerOutcome, type StoredAnswer } from './storage';

/** The question's `data-state`: its last Check found nothing gradable, or the verdict on its checked response, or none. */
export type QuestionState = 'invalid' | 'correct' | 'incorrect' | 'none';

export interface QuestionView {
  /** What the input shows: the unchecked edit if there is one, else the stored response. */
  current: QuizResponse | undefined;
  /** The checked answer whose verdict shows; absent while the learner edits it into something else. */
  verdict: StoredAnswer | undefined;
  state: QuestionState;
  /** How the question stands in the score (lib/quiz/storage answerOutcome). */
  outcome: AnswerOutcome;
  /** The learner asked to see the answer. */
  revealed: boolean;
  /** The expected answer shows: asked for, and not answered right since. */
  showSolution: boolean;
  /** The explanation shows: the answer was shown or the verdict is right. */
  showExplanation: boolean;
  /** The "Show answer" button is offered: a wrong verdict, the answer not yet shown. */
  offerReveal: boolean;
}

/**
 * The view of a question from its stored `answer` (undefined: none), the unchecked `draft`
 * (undefined: none) and `invalid` (the last Check found nothing gradable). The verdict belongs
 * to the checked response: an edit that differs from it hides the verdict until checked again.
 */
export function questionView(answer: StoredAnswer | undefined, draft: QuizResponse | undefined, invalid: boolean): QuestionView {
  const verdict = answer && (draft === undefined || draft === answer.response) ? answer : undefined;
  const revealed = answer?.revealed === true;
  const showSolution = revealed && !verdict?.correct;
  return {
    current: draft ?? answer?.response,
    verdict,
    state: invalid ? 'invalid' : verdict ? (verdict.correct ? 'correct' : 'incorrect') : 'none',
    outcome: answerOutcome(answer),
    revealed,
    showSolution,
    showExplanation: showSolution || verdict?.correct === true,
    offerReveal: verdict !== undefined && !verdict.correct && !revealed,
  };
}

/**
 * The mark beside option `index` of a choice question whose answer is `answer`: "answer" on the
 * right option once the solution shows or the verdict is right, "wrong" on the learner's wrong
 * choice, none otherwise.
 */
export function optionMark(index: number, answer: number, view: Pick<QuestionView, 'verdict' | 'showSolution'>): 'answer' | 'wrong' | undefined {
  const { verdict, showSolution } = view;
  if (index === answer && (showSolution || verdict?.correct)) return 'answer';
  if (verdict && !verdict.correct && verdict.response === index) return 'wrong';
  return undefined;
}

/** The verdict's words: "Correct", "Correct on retry" (a right answer after a wrong first one, scored as a retry) or "Not quite". */
export function verdictLabel(verdict: StoredAnswer, outcome: AnswerOutcome): string {
  if (!verdict.correct) return 'Not quite';
  return outcome === 'retry' ? 'Correct on retry' : 'Correct';
}

/**
 * The `alsoAccept` entry a right numeric response matched (lib/quiz/grade `Grade.accepted` > 0),
 * so the quiz can name the convention and still state the lesson's answer; undefined when the
 * response matched the question's own answer, is not right, or the question is a choice.
 */
export function matchedAlternative(question: QuizQuestion<unknown>, verdict: StoredAnswer | undefined): AcceptedAnswer | undefined {
  if (!verdict?.correct || question.kind !== 'numeric') return undefined;
  const matched = gradeQuestion(question, verdict.response).accepted;
  return matched !== undefined && matched > 0 ? question.alsoAccept?.[matched - 1] : undefined;
}

/** `record` without `key` (the same object when it has no such key). */
export function withoutKey<T>(record: Readonly<Record<string, T>>, key: string): Record<string, T> {
  if (!Object.hasOwn(record, key)) return record;
  const copy = { ...record };
  delete copy[key];
  return copy;
}

/** `record[key]` when `key` is the record's own property (never an inherited one such as "constructor"). */
export function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
