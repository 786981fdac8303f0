/** What a quiz question shows in class mode (./class-mode). */
import type { QuizResponse } from './grade';
import type { QuestionView } from './view';

/**
 * What a question shows in class mode (the shape lib/quiz/view questionView gives, so the same
 * components render it): the room's pick or typed value `current`, no verdict and no score, and,
 * once `revealed`, the answer and the explanation — the right option marked, nothing marked wrong.
 */
export function classQuestionView(current: QuizResponse | undefined, revealed: boolean): QuestionView {
  return {
    current,
    verdict: undefined,
    state: 'none',
    outcome: 'unanswered',
    revealed,
    showSolution: revealed,
    showExplanation: revealed,
    offerReveal: !revealed,
  };
}
