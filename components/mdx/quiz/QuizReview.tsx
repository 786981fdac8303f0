import { isValidElement, type ReactNode } from 'react';
import { formatAnswer, type QuizQuestion } from '@/lib/quiz/grade';
import { withComputedAnswers } from '@/lib/quiz/computed';
import { QUIZ_ANSWERS } from '@/lib/lessons/quiz-answers';
import { questionAnchor } from '@/lib/search/anchor';
import { Quiz, type QuizProps } from '../Quiz';

/**
 * The props of the `<Quiz>` element in a rendered lesson's element tree (the MDX content called as
 * a function, so that nothing else of the lesson renders), searched through elements' children;
 * null when there is none. The questions are the lesson's own objects, explanations included.
 */
export function findQuizProps(node: ReactNode): QuizProps | null {
  if (Array.isArray(node)) {
    for (const child of node) {
      const found = findQuizProps(child as ReactNode);
      if (found) return found;
    }
    return null;
  }
  if (!isValidElement(node)) return null;
  if (node.type === Quiz) return node.props as QuizProps;
  return findQuizProps((node.props as { children?: ReactNode }).children);
}

/**
 * Every question of a lesson's quiz with its answer and explanation, for review or for a teacher:
 * the choices with the right one marked, or the numeric answer with its tolerance and the other
 * accepted values. The answers are filled in exactly as on the lesson page (lib/quiz/computed
 * withComputedAnswers over lib/lessons/quiz-answers), never typed again.
 */
export function QuizReview({ lesson, questions }: QuizProps) {
  const filled = withComputedAnswers(lesson, questions, QUIZ_ANSWERS[lesson]);
  return (
    <ol className="quiz-review" data-testid="quiz-review">
      {filled.map((q) => (
        <li key={q.id} id={questionAnchor(q.id)} className="quiz-review-item" data-testid={`review-question-${q.id}`}>
          <p className="quiz-review-prompt">{q.prompt}</p>
          <ReviewAnswer question={q} />
          {q.explanation ? <p className="quiz-explanation">{q.explanation}</p> : null}
        </li>
      ))}
    </ol>
  );
}

function ReviewAnswer({ question: q }: { question: QuizQuestion<ReactNode> }) {
  if (q.kind === 'choice') {
    return (
      <ul className="quiz-review-options">
        {q.options.map((option, i) => (
          <li key={i} data-answer={i === q.answer ? 'true' : undefined}>
            {option}
            {i === q.answer ? (
              <strong className="quiz-review-mark" data-testid={`review-answer-${q.id}`}>
                {' '}
                ✓ answer
              </strong>
            ) : null}
          </li>
        ))}
      </ul>
    );
  }
  return (
    <p className="quiz-review-numeric">
      Answer:{' '}
      <strong data-testid={`review-answer-${q.id}`}>{formatAnswer(q.answer, q.tolerance, q.unit)}</strong>
      {(q.alsoAccept ?? []).map((alt, j) => (
        <span key={j}>
          {j === 0 ? ' (also accepted: ' : '; '}
          <strong>{formatAnswer(alt.answer, alt.tolerance ?? q.tolerance, q.unit)}</strong>
          {alt.note ? `, ${alt.note}` : null}
          {j === (q.alsoAccept?.length ?? 0) - 1 ? ')' : null}
        </span>
      ))}
    </p>
  );
}
