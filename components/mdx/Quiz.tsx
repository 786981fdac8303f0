import type { ReactNode } from 'react';
import { withComputedAnswers, type AuthoredQuestion } from '@/lib/quiz/computed';
import { QUIZ_ANSWERS } from '@/lib/lessons/quiz-answers';
import { QuizView } from './quiz/QuizView';

/** The question types, defined with their grading in lib/quiz/grade and lib/quiz/computed. */
export type { QuizQuestion, ChoiceQuestion, NumericQuestion, NumericTolerance, AcceptedAnswer } from '@/lib/quiz/grade';
export type { AuthoredQuestion } from '@/lib/quiz/computed';

/** Props of {@link Quiz}, written in a lesson's MDX. */
export interface QuizProps {
  /** The lesson's slug: answers are stored under `lowbit:quiz:<lesson>`, and its computed answers are looked up by it. */
  lesson: string;
  /**
   * The questions, as object literals with string-literal ids (the course home reads the ids from
   * the MDX source, lib/lessons/quiz-ids). An explanation may be a React node, so that figure
   * components compute the numbers it quotes; a numeric question whose answer is computed leaves
   * `answer` out, and it comes from lib/lessons/quiz-answers.ts.
   */
  questions: readonly AuthoredQuestion<ReactNode>[];
}

/**
 * The short quiz at the end of a lesson. Renders on the server: fills in the lesson's computed
 * answers (lib/quiz/computed; a missing or doubled one fails the build) and hands the questions to
 * the interactive quiz, components/mdx/quiz/QuizView.
 */
export function Quiz({ lesson, questions }: QuizProps) {
  return <QuizView lesson={lesson} questions={withComputedAnswers(lesson, questions, QUIZ_ANSWERS[lesson])} />;
}

export default Quiz;
