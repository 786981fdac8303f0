import type { ReactNode } from 'react';
import { formatAnswer, INVALID_CHOICE_MESSAGE, invalidNumberMessage, type NumericQuestion, type QuizQuestion } from '@/lib/quiz/grade';
import { matchedAlternative, verdictLabel, type QuestionView } from '@/lib/quiz/view';

/**
 * The live region under a question: why a Check found nothing to grade, or the verdict; a note
 * when the answer was graded again; the convention a right answer matched; the expected answer
 * once asked for; and the explanation once the answer is known.
 */
export function QuestionFeedback({ question, view, id }: { question: QuizQuestion<ReactNode>; view: QuestionView; id: string }) {
  const { verdict, state, outcome, revealed, showSolution, showExplanation } = view;
  const alternative = matchedAlternative(question, verdict);
  return (
    <div className="quiz-feedback" id={id} role="status" tabIndex={-1} data-testid={`quiz-feedback-${question.id}`} data-state={state}>
      {state === 'invalid' ? (
        <p className="quiz-verdict">{question.kind === 'numeric' ? invalidNumberMessage(question.unit) : INVALID_CHOICE_MESSAGE}</p>
      ) : verdict ? (
        <p className="quiz-verdict">
          <span className="quiz-mark" aria-hidden="true">
            {verdict.correct ? '✓' : '✗'}
          </span>{' '}
          {verdictLabel(verdict, outcome)}
          {verdict.correct && outcome === 'wrong' ? <span className="quiz-verdict-note"> — the score keeps your first answer</span> : null}
          {!verdict.correct && !revealed ? <span className="quiz-verdict-note"> — try again, or show the answer.</span> : null}
        </p>
      ) : null}
      {verdict?.regraded ? (
        <p className="quiz-regraded" data-testid={`quiz-regraded-${question.id}`}>
          This question changed since you answered; your answer was re-checked.
        </p>
      ) : null}
      {alternative && question.kind === 'numeric' ? (
        <p>
          Your answer matches {alternative.note ?? 'another accepted convention'}; the lesson’s answer is{' '}
          <strong>{formatAnswer(question.answer, question.tolerance, question.unit)}</strong>.
        </p>
      ) : null}
      {showSolution ? (
        <div className="quiz-solution" data-testid={`quiz-solution-${question.id}`}>
          {question.kind === 'numeric' ? (
            <NumericSolution question={question} />
          ) : (
            <p>
              The answer is <strong>{question.options[question.answer]}</strong>.
            </p>
          )}
        </div>
      ) : null}
      {showExplanation && question.explanation ? <p className="quiz-explanation">{question.explanation}</p> : null}
    </div>
  );
}

/** "The answer is 14 GB (also accepted: …)." for a numeric question. */
function NumericSolution({ question }: { question: NumericQuestion<ReactNode> }) {
  const alternatives = question.alsoAccept ?? [];
  return (
    <p>
      The answer is <strong>{formatAnswer(question.answer, question.tolerance, question.unit)}</strong>
      {alternatives.length > 0 ? (
        <>
          {' '}
          (also accepted:{' '}
          {alternatives.map((alt, j) => (
            <span key={j}>
              {j > 0 ? '; ' : null}
              <strong>{formatAnswer(alt.answer, alt.tolerance ?? question.tolerance, question.unit)}</strong>
              {alt.note ? `, ${alt.note}` : null}
            </span>
          ))}
          )
        </>
      ) : null}
      .
    </p>
  );
}
