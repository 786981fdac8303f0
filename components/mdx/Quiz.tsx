'use client';

import { useId, useMemo, useState, type FormEvent } from 'react';
import {
  formatQuantity,
  gradeQuestion,
  INVALID_CHOICE_MESSAGE,
  INVALID_NUMBER_MESSAGE,
  toleranceHint,
  validateQuestions,
  type QuizQuestion,
  type QuizResponse,
} from '@/lib/quiz/grade';
import { clearQuiz, mergeQuizResults, saveAnswer, summarizeQuiz, type StoredAnswer } from '@/lib/quiz/storage';
import { INPUT_LIMITS } from '@/lib/text/input';
import { browserQuizStorage, useStoredQuiz } from '@/components/ui/QuizProgress';

/** The question types, defined with their grading in lib/quiz/grade. */
export type { QuizQuestion, ChoiceQuestion, NumericQuestion, NumericTolerance } from '@/lib/quiz/grade';

/** Props of {@link Quiz}, written in a lesson's MDX. */
export interface QuizProps {
  /** The lesson's slug: answers are stored under `lowbit:quiz:<lesson>`. */
  lesson: string;
  questions: readonly QuizQuestion[];
}

type AnswerMap = Record<string, StoredAnswer>;

function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  if (!Object.hasOwn(record, key)) return record;
  const copy = { ...record };
  delete copy[key];
  return copy;
}

/**
 * The short quiz at the end of a lesson. Each question is checked on its own; answers are
 * kept in localStorage (lib/quiz/storage) and restored on the next visit. Grading and storage
 * live in lib/quiz; this component holds only what the learner is typing.
 */
export function Quiz({ lesson, questions }: QuizProps) {
  const uid = useId();
  const stored = useStoredQuiz(lesson);
  // Edits not yet checked, per question id.
  const [drafts, setDrafts] = useState<Record<string, QuizResponse>>({});
  // Answers checked on this visit: they still show if storage is blocked and cannot keep them.
  const [checked, setChecked] = useState<AnswerMap>({});
  // Questions whose last Check found nothing gradable.
  const [invalid, setInvalid] = useState<Record<string, true>>({});

  const problems = useMemo(() => validateQuestions(questions), [questions]);
  const answers = useMemo(() => mergeQuizResults(stored, { version: 1, answers: checked }).answers, [stored, checked]);
  const summary = summarizeQuiz(
    { version: 1, answers },
    questions.length,
    questions.map((q) => q.id),
  );
  const titleId = `${uid}-title`;

  if (problems.length > 0) {
    return (
      <section className="quiz" aria-labelledby={titleId} data-testid="quiz">
        <p className="quiz-title" id={titleId}>
          Check your understanding
        </p>
        <div className="error-message" role="alert">
          <p>This quiz cannot be shown:</p>
          <ul>
            {problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
      </section>
    );
  }

  const edit = (id: string, response: QuizResponse) => {
    setDrafts((d) => ({ ...d, [id]: response }));
    setInvalid((v) => without(v, id));
  };

  const check = (question: QuizQuestion, response: QuizResponse | undefined) => {
    const grade = gradeQuestion(question, response ?? null);
    if (grade.status === 'invalid' || response === undefined) {
      setInvalid((v) => ({ ...v, [question.id]: true }));
      return;
    }
    const correct = grade.status === 'correct';
    const result = saveAnswer(browserQuizStorage(), lesson, question.id, response, correct);
    setChecked((c) => ({ ...c, [question.id]: result.answers[question.id] }));
    setDrafts((d) => without(d, question.id));
  };

  const reset = () => {
    clearQuiz(browserQuizStorage(), lesson);
    setChecked({});
    setDrafts({});
    setInvalid({});
  };

  return (
    <section className="quiz" aria-labelledby={titleId} data-testid="quiz">
      <p className="quiz-title" id={titleId}>
        Check your understanding
      </p>
      {questions.map((question, index) => {
        const base = `${uid}-q${index}`;
        const answer: StoredAnswer | undefined = Object.hasOwn(answers, question.id) ? answers[question.id] : undefined;
        const draft: QuizResponse | undefined = Object.hasOwn(drafts, question.id) ? drafts[question.id] : undefined;
        const current = draft ?? answer?.response;
        // The verdict belongs to the checked response; editing it hides the verdict until checked again.
        const verdict = answer && (draft === undefined || draft === answer.response) ? answer : undefined;
        const isInvalid = invalid[question.id] === true;
        const state = isInvalid ? 'invalid' : verdict ? (verdict.correct ? 'correct' : 'incorrect') : 'none';
        const feedbackId = `${base}-feedback`;
        const onSubmit = (event: FormEvent<HTMLFormElement>) => {
          event.preventDefault();
          check(question, current);
        };

        return (
          <form key={question.id} className="quiz-question" onSubmit={onSubmit} noValidate>
            <fieldset data-testid={`quiz-question-${question.id}`} data-state={state}>
              <legend>
                <span className="quiz-number">{index + 1}.</span> {question.prompt}
              </legend>

              {question.kind === 'choice' ? (
                <div className="quiz-options">
                  {question.options.map((option, i) => (
                    <label key={i} className="quiz-option" htmlFor={`${base}-o${i}`}>
                      <input
                        type="radio"
                        id={`${base}-o${i}`}
                        name={`${base}-choice`}
                        value={i}
                        checked={current === i}
                        onChange={() => edit(question.id, i)}
                        aria-describedby={feedbackId}
                      />
                      <span>{option}</span>
                    </label>
                  ))}
                </div>
              ) : (
                <div className="quiz-numeric">
                  <label htmlFor={`${base}-input`}>Your answer</label>{' '}
                  <span className="quiz-input">
                    <input
                      type="text"
                      id={`${base}-input`}
                      inputMode="decimal"
                      autoComplete="off"
                      spellCheck={false}
                      value={typeof current === 'string' ? current : ''}
                      maxLength={INPUT_LIMITS.answer}
                      onChange={(event) => edit(question.id, event.target.value)}
                      aria-invalid={isInvalid || undefined}
                      aria-describedby={`${question.unit ? `${base}-unit ` : ''}${base}-hint ${feedbackId}`}
                    />
                    {question.unit ? (
                      <span className="quiz-unit" id={`${base}-unit`}>
                        {question.unit}
                      </span>
                    ) : null}
                  </span>
                  <p className="quiz-hint" id={`${base}-hint`}>
                    {toleranceHint(question.tolerance, question.unit)}
                  </p>
                </div>
              )}

              <div className="quiz-actions">
                <button type="submit">Check</button>
              </div>

              <div
                className="quiz-feedback"
                id={feedbackId}
                role="status"
                data-testid={`quiz-feedback-${question.id}`}
                data-state={state}
              >
                {isInvalid ? (
                  <p className="quiz-verdict">
                    {question.kind === 'numeric' ? INVALID_NUMBER_MESSAGE : INVALID_CHOICE_MESSAGE}
                  </p>
                ) : verdict ? (
                  <>
                    <p className="quiz-verdict">
                      <span className="quiz-mark" aria-hidden="true">
                        {verdict.correct ? '✓' : '✗'}
                      </span>{' '}
                      {verdict.correct ? 'Correct' : 'Not quite'}
                    </p>
                    {!verdict.correct && question.kind === 'numeric' ? (
                      <p>
                        The expected answer is <strong>{formatQuantity(question.answer, question.unit)}</strong>.
                      </p>
                    ) : null}
                    {question.explanation ? <p className="quiz-explanation">{question.explanation}</p> : null}
                  </>
                ) : null}
              </div>
            </fieldset>
          </form>
        );
      })}

      <div className="quiz-summary">
        <p className="quiz-score" data-testid="quiz-score" aria-live="polite">
          {`${summary.correct} of ${summary.total} correct`}
        </p>
        <button type="button" onClick={reset}>
          Reset quiz
        </button>
      </div>
    </section>
  );
}

export default Quiz;
